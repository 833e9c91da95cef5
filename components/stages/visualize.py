"""Visualize: read-only access to curated data for dashboards and APIs.

A query layer over the curated zone with a per-query scan cap, and a reader
identity that can read curated data and run queries, and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NotRequired, TypedDict

import pulumi

from components.config import StageName
from components.context import StageContext
from components.stages.base import Stage

if TYPE_CHECKING:
    from components.stages.store import Store


class VisualizeArgs(TypedDict):
    context: StageContext
    """The cloud's shared context (config, names, tags, foundation)."""
    store: "Store"
    """The lake whose curated zone is served."""
    scan_limit_gb: NotRequired[int]
    """Per-query scan cap in GB; default from the profile (10 learning, 100 production)."""


class Visualize(Stage):
    STAGE: ClassVar[StageName] = StageName.VISUALIZE
    OUTPUTS: ClassVar[tuple[str, ...]] = ("query_endpoint", "reader_identity", "scan_limit_gb")

    query_endpoint: pulumi.Output[str]
    """Athena workgroup, Synapse serverless SQL endpoint or Grafana URL, BigQuery dataset."""
    reader_identity: pulumi.Output[str]
    """The read-only identity dashboards use."""
    scan_limit_gb: pulumi.Output[int]
