"""Buffer: a durable pub/sub log that absorbs peaks between ingest and processing.

Producers write to it through Connect; each named consumer reads at its own
pace (a consumer group, subscription or enhanced fan-out consumer), so a slow
batch job does not hold back the stream sink. Events are kept for
``retention_hours`` and delivered at least once.
"""

from __future__ import annotations

from typing import ClassVar, NotRequired, TypedDict

import pulumi

from components.config import StageName
from components.context import StageContext
from components.stages.base import Stage


class BufferArgs(TypedDict):
    context: StageContext
    """The cloud's shared context (config, names, tags, foundation)."""
    retention_hours: NotRequired[int]
    """How long events stay; default from the profile (24 learning, 168 production)."""
    consumers: NotRequired[list[str]]
    """Named consumers, each with its own read position; default ``["sink", "spark"]``."""


class Buffer(Stage):
    STAGE: ClassVar[StageName] = StageName.BUFFER
    OUTPUTS: ClassVar[tuple[str, ...]] = (
        "stream_name", "stream_id", "endpoint", "producer_identity", "consumer_identity",
        "consumers", "retention_hours", "delivery",
    )

    stream_name: pulumi.Output[str]
    stream_id: pulumi.Output[str]
    """Stream ARN, Event Hub resource id or Pub/Sub topic id."""
    endpoint: pulumi.Output[str]
    """Where producers and consumers connect."""
    producer_identity: pulumi.Output[str]
    """The identity allowed to write (and nothing else)."""
    consumer_identity: pulumi.Output[str]
    """The identity allowed to read (and nothing else)."""
    consumers: pulumi.Output[dict]
    """Consumer name to its consumer group / subscription id."""
    retention_hours: pulumi.Output[int]
    delivery: pulumi.Output[str]
    """Always ``at-least-once``: consumers must tolerate duplicates."""
