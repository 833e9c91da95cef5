"""Connect: an authenticated HTTPS ingest endpoint and a send-only producer identity.

Producers send JSON events to ``endpoint`` and authenticate as
``producer_identity``, which may write to the buffer and do nothing else.
Ingest is at-least-once: a producer that retries after a timeout may send an
event twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, NotRequired, TypedDict

import pulumi

from components.config import StageName
from components.context import StageContext
from components.stages.base import Stage

if TYPE_CHECKING:
    from components.stages.buffer import Buffer


class ConnectArgs(TypedDict):
    context: StageContext
    """The cloud's shared context (config, names, tags, foundation)."""
    buffer: "Buffer"
    """The buffer events are written to."""
    auth: NotRequired[Literal["iam", "api-key"]]
    """``iam`` (signed requests, default) or ``api-key``."""
    throttle_rate: NotRequired[float]
    """Steady requests per second; default 100."""
    throttle_burst: NotRequired[int]
    """Burst size; default 200."""


class Connect(Stage):
    STAGE: ClassVar[StageName] = StageName.CONNECT
    OUTPUTS: ClassVar[tuple[str, ...]] = ("endpoint", "producer_identity", "auth", "delivery")

    endpoint: pulumi.Output[str]
    """The HTTPS URL producers send to."""
    producer_identity: pulumi.Output[str]
    """The send-only identity producers use."""
    auth: pulumi.Output[str]
    """How producers authenticate (iam, api-key, entra, sas, google-oauth)."""
    delivery: pulumi.Output[str]
    """Always ``at-least-once``."""
