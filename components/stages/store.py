"""Store: the lake, in three zones (raw, processed, curated), never lost by accident.

Every cloud: encrypted with the stack's customer-managed key, no public
access, TLS only, lifecycle rules, access logging; learning deletes contents
on destroy, production protects and versions. The URIs use each cloud's
native scheme (``s3://``, ``abfss://``, ``gs://``).
"""

from __future__ import annotations

from typing import ClassVar, NotRequired, TypedDict

import pulumi

from components.config import StageName
from components.context import StageContext
from components.stages.base import Stage

LAKE_ZONES: tuple[str, ...] = ("raw", "processed", "curated")


class StoreArgs(TypedDict):
    context: StageContext
    """The cloud's shared context (config, names, tags, foundation)."""
    raw_expiration_days: NotRequired[int | None]
    """Delete raw objects after this many days; default from the profile (30 in learning, never in production)."""


class Store(Stage):
    STAGE: ClassVar[StageName] = StageName.STORE
    OUTPUTS: ClassVar[tuple[str, ...]] = ("raw_uri", "processed_uri", "curated_uri", "key_id")

    raw_uri: pulumi.Output[str]
    """Where the stream sink lands events (``s3://``, ``abfss://`` or ``gs://``)."""
    processed_uri: pulumi.Output[str]
    """Cleaned, conformed data written by the batch engine."""
    curated_uri: pulumi.Output[str]
    """Data products the serving layer reads."""
    key_id: pulumi.Output[str]
    """The customer-managed key that encrypts the lake."""
