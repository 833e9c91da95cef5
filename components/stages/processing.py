"""Processing: a stream sink from the buffer to raw storage, and a Spark engine.

The sink lands every event in the raw zone, partitioned by time, at least
once (duplicates are possible after retries; deduplicate downstream). The
batch engine reads raw and writes processed and curated data. In learning the
engine costs nothing while idle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, NotRequired, TypedDict

import pulumi

from components.config import StageName
from components.context import StageContext
from components.stages.base import Stage

if TYPE_CHECKING:
    from components.stages.buffer import Buffer
    from components.stages.store import Store


class ProcessingArgs(TypedDict):
    context: StageContext
    """The cloud's shared context (config, names, tags, foundation)."""
    buffer: "Buffer"
    """Where events come from."""
    store: "Store"
    """Where the sink writes (raw) and the engine reads and writes."""
    engine: NotRequired[Literal["serverless", "cluster"]]
    """``serverless`` (default, no idle cost) or ``cluster``."""
    max_vcpu: NotRequired[int]
    """Cap on the engine's vCPUs; default 16."""


class Processing(Stage):
    STAGE: ClassVar[StageName] = StageName.PROCESSING
    OUTPUTS: ClassVar[tuple[str, ...]] = (
        "sink_id", "sink_delivery", "engine_id", "engine_kind", "catalog",
    )

    sink_id: pulumi.Output[str]
    """The stream sink (Firehose stream, Capture-enabled hub or sink job, Cloud Storage subscription)."""
    sink_delivery: pulumi.Output[str]
    """Always ``at-least-once``."""
    engine_id: pulumi.Output[str]
    """The Spark engine's id."""
    engine_kind: pulumi.Output[str]
    """Which engine: emr-serverless, emr-cluster, databricks, synapse-spark, dataproc-serverless, dataproc-cluster."""
    catalog: pulumi.Output[str]
    """The table catalog (Glue database, workspace catalog, BigQuery dataset)."""
