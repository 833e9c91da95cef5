"""Foundation: what the stages on one cloud share, created before them.

The network that carries the security zones, the customer-managed key, and
the budget with its alert channel. On Azure it also holds the stack's
resource group; on GCP the enabled project services.
"""

from __future__ import annotations

from typing import ClassVar, NotRequired, TypedDict

import pulumi

from components.context import StageContext
from components.stages.base import publish_contract

FOUNDATION_OUTPUTS: tuple[str, ...] = ("network_id", "zone_subnets", "key_id", "budget_id", "alert_channel")


class FoundationArgs(TypedDict):
    context: StageContext
    """The cloud's context (config, names, tags); its ``foundation`` is not set yet."""
    network_cidr: NotRequired[str]
    """The address space; default ``blueprint:networkCidr``."""


class Foundation(pulumi.ComponentResource):
    """Subclass per cloud; finish with ``self._publish(...)``."""

    OUTPUTS: ClassVar[tuple[str, ...]] = FOUNDATION_OUTPUTS

    network_id: pulumi.Output[str]
    zone_subnets: pulumi.Output[dict]
    """Zone name to subnet id (zones without a subnet on that cloud are absent)."""
    key_id: pulumi.Output[str]
    budget_id: pulumi.Output[str]
    alert_channel: pulumi.Output[str]
    """SNS topic, action group or Pub/Sub topic the budget notifies."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("blueprint:platform:Foundation", name, None, opts)

    def _publish(self, **outputs) -> None:
        publish_contract(self, "the foundation contract", set(self.OUTPUTS), outputs)
