"""Every physical name the Azure implementation builds, as (naming service, role) pairs.

Declared up front so that the platform checks each generated name and each
``blueprint:names`` override before any resource is registered; the stage
context refuses a name that is not declared here, so this list cannot drift
from the code.
"""

from __future__ import annotations

from components.config import STAGE_ORDER, PlatformConfig
from components.context import StageContext
from components.zones import Zone
from infra.azure.private_endpoint import DNS_ZONES

GENERIC: tuple[str, ...] = (
    "alerts", "budget", "connect-send", "key", "logs-to-workspace", "network-vnet", "processing-access",
    "processing-nat", "processing-nat-ip", "store-lock", "vault-lock",
)
"""Roles of resources whose names follow Azure's general 1-80 character rule."""


def _link_key(group_id: str) -> str:
    return group_id.lower().replace("_", "-")


def names(config: PlatformConfig) -> set[tuple[str, str]]:
    declared = {
        ("azure-resource-group", "group"), ("azure-resource-group", "processing-managed"),
        ("azure-resource-group", "visualize-managed"),
        ("azure-action-group-short", "ag"),
        ("azure-key-vault", "vault"), ("azure-log-analytics-workspace", "logs"),
        ("azure-eventhubs-namespace", "buffer-namespace"), ("azure-eventhub", "buffer-events"),
        ("azure-storage-account", "store-lake"),
        ("azure-synapse-workspace", "processing-spark"), ("azure-synapse-spark-pool", "spark"),
        ("azure-databricks-workspace", "processing-databricks"),
        ("azure-synapse-workspace", "visualize-sql"),
    }
    declared |= {("azure-generic", role) for role in GENERIC}
    declared |= {("azure-managed-identity", f"{stage.value}-identity") for stage in STAGE_ORDER}
    for zone in Zone:
        declared |= {("azure-generic", f"network-{zone.value}-nsg"), ("azure-generic", f"network-{zone.value}-subnet")}
    for role in ("host", "container"):
        declared |= {("azure-generic", f"processing-{role}-nsg"), ("azure-generic", f"processing-{role}-subnet")}
    owners = ["foundation"] + [stage.value for stage in STAGE_ORDER]
    for group_id in DNS_ZONES:
        declared.add(("azure-generic", f"network-dns-{_link_key(group_id)}-link"))
        declared |= {("azure-generic", f"{owner}-{_link_key(group_id)}-pe") for owner in owners}
    declared.add(("azure-generic", "processing-databricks-ui-api-front-pe"))
    return declared


GLOBAL_SERVICES: frozenset[str] = frozenset({
    "azure-storage-account", "azure-eventhubs-namespace", "azure-synapse-workspace", "azure-key-vault",
})
"""Services whose names are one DNS namespace for all of Azure (``<name>.blob.core.windows.net``,
``<name>.servicebus.windows.net``, ``<name>.sql.azuresynapse.net``, ``<name>.vault.azure.net``)."""


def global_name(ctx: StageContext, service: str, role: str, *, salt: str = "", subscription: str = "") -> str:
    """A globally unique name: the hash is salted with the subscription.

    Two adopters of the same project and stack name deploy into different
    subscriptions, so their names differ; one stack keeps its names (the
    subscription does not change). The subscription is the foundation's
    ``subscription_salt`` (or ``subscription``, for the foundation's own
    resources), known before any name is built. Salting changes
    only the hash, never the length or alphabet, so the names checked up
    front stay valid.
    """
    if service not in GLOBAL_SERVICES:
        raise ValueError(f"{service} names are not global; use ctx.name")
    subscription = subscription or ctx.foundation.subscription_salt
    return ctx.name(service, role, salt=f"subscription-{subscription}" + (f"-{salt}" if salt else ""))
