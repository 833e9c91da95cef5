"""Which module implements each cloud, imported only when a stack uses that cloud.

Importing a cloud's SDK is slow (azure-native most of all), so a stack pays
only for the clouds it uses.
"""

from __future__ import annotations

import importlib
from typing import Iterable

from components.config import Cloud
from components.platform import CloudImplementation

MODULES: dict[Cloud, str] = {
    Cloud.AWS: "infra.aws",
    Cloud.AZURE: "infra.azure",
    Cloud.GCP: "infra.gcp",
}


def implementations(clouds: Iterable[Cloud]) -> dict[Cloud, CloudImplementation]:
    """The ``IMPLEMENTATION`` of each cloud's package in ``clouds``."""
    return {cloud: importlib.import_module(MODULES[cloud]).IMPLEMENTATION for cloud in clouds}
