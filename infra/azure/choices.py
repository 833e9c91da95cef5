"""Service choices: which Azure service and tier each profile uses for a stage.

The stage contracts are the same in both profiles; what differs is the
service behind them, because on Azure the strongest posture is expensive
while idle (figures: ``bp cost azure`` / ``azure-prod``, from
``blueprint/cost/prices.yaml``):

| choice | learning | production |
|---|---|---|
| Event Hubs | Standard, 1 TU, no auto-inflate (hourly per TU) | Standard, 1 TU, auto-inflate to 4, zone-redundant |
| stream sink | a drain job on the ``sink`` consumer group (nothing idle) | Event Hubs Capture to raw (hourly per TU) |
| Spark engine | Synapse Spark 3.5 pool that pauses to zero, managed VNet + managed private endpoint to the lake | Databricks Premium, VNet-injected, no public IP |
| private access | service endpoints (free) | private endpoints + private DNS (hourly each) |
| Key Vault | purge protection off, 7-day soft delete | purge protection on, 90-day soft delete |
| storage | LRS, Microsoft-managed key | ZRS, customer-managed key, soft delete, locks |
| Databricks keys | (no Databricks) | vault key for managed services, managed disks; DBFS root prepared |
| resource logs | none (platform metrics only) | diagnostic settings to a Log Analytics workspace (nothing idle) |
| local (SAS) auth | only if ``stages.connect.auth`` is ``api-key`` | never |

Basic Event Hubs (cheaper per TU) is not used: it allows a single consumer group
and no Capture, so it cannot honour "one consumer group per consumer".
``ServiceChoices.problems`` is a pure function that refuses combinations
Azure does not support or that break the production posture; every stage
calls ``check`` before registering anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from components.config import PlatformConfig

EVENT_HUBS_MAX_RETENTION_HOURS: dict[str, int] = {"Basic": 24, "Standard": 168, "Premium": 2160}
"""Longest event retention per tier (Event Hubs quotas: Basic 1 day, Standard 7 days, Premium 90 days)."""
EVENT_HUBS_MAX_CONSUMER_GROUPS: dict[str, int] = {"Basic": 1, "Standard": 20, "Premium": 100}
"""Consumer groups per hub (Basic has only ``$Default``)."""


@dataclass(frozen=True)
class ServiceChoices:
    """What one stack runs on Azure; built by ``choices_for`` and overridable in stage args."""

    eventhubs_sku: Literal["Basic", "Standard", "Premium"] = "Standard"
    throughput_units: int = 1
    auto_inflate_max: int = 0
    """0: auto-inflate off (learning); else the ceiling in throughput units."""
    zone_redundant: bool = False
    capture: bool = False
    """Event Hubs Capture to the raw container (the production sink)."""
    local_auth: bool = False
    """Allow SAS keys on the namespace (learning with ``auth: api-key`` only)."""
    private_endpoints: bool = False
    """Private endpoints with private DNS instead of service endpoints."""
    engine: Literal["synapse-spark", "databricks"] = "synapse-spark"
    spark_auto_pause: bool = True
    """Pause the Synapse Spark pool when idle (off only for ``engine: cluster`` with acceptIdleCost)."""
    storage_sku: str = "Standard_LRS"
    customer_managed_key: bool = False
    """Encrypt the lake with the vault key (needs purge protection, so production only)."""
    purge_protection: bool = False
    soft_delete_days: int = 7
    """Key Vault soft-delete retention (7-90) and, in production, blob soft-delete retention."""
    resource_locks: bool = False
    """``CanNotDelete`` locks on the storage account and the vault."""
    diagnostics: bool = False
    """Diagnostic settings of the vault, namespace, Databricks and lake to a Log Analytics workspace."""

    def problems(
        self, *, production: bool, retention_hours: Optional[int] = None, consumers: int = 1
    ) -> list[str]:
        """Every unsupported or unsafe combination, each naming the choice."""
        out: list[str] = []
        sku = self.eventhubs_sku
        if self.capture and sku == "Basic":
            out.append("capture=True needs eventhubs_sku Standard or Premium (Basic has no Capture)")
        if self.private_endpoints and sku == "Basic":
            out.append("private_endpoints=True needs eventhubs_sku Standard or Premium")
        if self.auto_inflate_max and sku != "Standard":
            out.append(f"auto_inflate_max={self.auto_inflate_max}: auto-inflate exists on Standard only")
        if self.auto_inflate_max and self.auto_inflate_max < self.throughput_units:
            out.append(f"auto_inflate_max={self.auto_inflate_max} is below throughput_units={self.throughput_units}")
        if not 1 <= self.throughput_units <= 20:
            out.append(f"throughput_units={self.throughput_units}: allowed 1-20")
        if retention_hours is not None and retention_hours > EVENT_HUBS_MAX_RETENTION_HOURS[sku]:
            out.append(
                f"retention_hours={retention_hours}: Event Hubs {sku} keeps events at most "
                f"{EVENT_HUBS_MAX_RETENTION_HOURS[sku]} h"
            )
        if consumers > EVENT_HUBS_MAX_CONSUMER_GROUPS[sku]:
            out.append(
                f"consumers={consumers}: Event Hubs {sku} allows {EVENT_HUBS_MAX_CONSUMER_GROUPS[sku]} consumer group(s)"
            )
        if not 7 <= self.soft_delete_days <= 90:
            out.append(f"soft_delete_days={self.soft_delete_days}: Key Vault allows 7-90")
        if self.customer_managed_key and not self.purge_protection:
            out.append("customer_managed_key=True needs purge_protection=True (Azure Storage refuses a vault without it)")
        if production:
            if self.local_auth:
                out.append("local_auth=True: SAS keys are long-lived secrets; production uses Entra only")
            if not self.capture:
                out.append("capture=False: production lands every event with Event Hubs Capture")
            if not self.private_endpoints:
                out.append("private_endpoints=False: production reaches data services through private endpoints")
            if self.engine != "databricks":
                out.append(f"engine={self.engine!r}: production runs VNet-injected Databricks with no public IP")
            if not self.purge_protection:
                out.append("purge_protection=False: production vaults keep purge protection")
            if not self.customer_managed_key:
                out.append("customer_managed_key=False: production encrypts the lake with the vault key")
            if not self.diagnostics:
                out.append("diagnostics=False: production sends resource logs to Log Analytics")
        return out

    def check(self, *, production: bool, retention_hours: Optional[int] = None, consumers: int = 1) -> None:
        problems = self.problems(production=production, retention_hours=retention_hours, consumers=consumers)
        if problems:
            raise ValueError("invalid Azure service choices: " + "; ".join(problems))


def choices_for(config: PlatformConfig) -> ServiceChoices:
    """The profile's choices (see the module table)."""
    processing = config.stages.processing
    if config.is_production:
        return ServiceChoices(
            eventhubs_sku="Standard", throughput_units=1, auto_inflate_max=4, zone_redundant=True,
            capture=True, local_auth=False, private_endpoints=True, engine="databricks",
            spark_auto_pause=True, storage_sku="Standard_ZRS", customer_managed_key=True,
            purge_protection=True, soft_delete_days=90, resource_locks=True, diagnostics=True,
        )
    return ServiceChoices(
        local_auth=config.stages.connect.auth == "api-key",
        spark_auto_pause=not (processing.engine == "cluster" and processing.accept_idle_cost),
    )
