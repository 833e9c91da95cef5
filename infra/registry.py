"""Which module implements each cloud, imported only when a stack uses that cloud.

Importing a cloud's SDK is slow (azure-native most of all), so a stack pays
only for the clouds it uses.
"""

from __future__ import annotations

import importlib
from typing import Iterable

from components.config import Cloud, PlatformConfig, StageName
from components.edges import EdgeImplementation, cross_cloud_edges
from components.platform import CloudImplementation

MODULES: dict[Cloud, str] = {
    Cloud.AWS: "infra.aws",
    Cloud.AZURE: "infra.azure",
    Cloud.GCP: "infra.gcp",
}


def implementations(clouds: Iterable[Cloud]) -> dict[Cloud, CloudImplementation]:
    """The ``IMPLEMENTATION`` of each cloud's package in ``clouds``."""
    return {cloud: importlib.import_module(MODULES[cloud]).IMPLEMENTATION for cloud in clouds}


EDGE_MODULES: dict[tuple[StageName, Cloud, StageName, Cloud], str] = {
    (StageName.BUFFER, Cloud.AWS, StageName.PROCESSING, Cloud.GCP): "infra.hybrid.kinesis_import",
    (StageName.PROCESSING, Cloud.GCP, StageName.STORE, Cloud.AWS): "infra.hybrid.s3_federation",
    (StageName.BUFFER, Cloud.GCP, StageName.PROCESSING, Cloud.AWS): "infra.hybrid.pubsub_drain",
}
"""Which module wires each supported cross-cloud edge (``components.edges.SUPPORTED_EDGES``)."""


def edge_implementations(config: PlatformConfig) -> dict[tuple, EdgeImplementation]:
    """The ``IMPLEMENTATION`` of each cross-cloud edge ``config`` uses."""
    return {e.key: importlib.import_module(EDGE_MODULES[e.key]).IMPLEMENTATION for e in cross_cloud_edges(config)}
