"""Key Vault and the stack's key.

Creates a Standard vault with Azure RBAC authorization (no access policies),
soft delete, a default-deny network ACL that lets trusted Azure services
through (Azure Storage and Azure Databricks use the key that way), and one
RSA-2048 software-protected key with a rotation policy. Software keys have
no monthly fee, only a per-operation charge (``blueprint/cost/prices.yaml``).

Public network access: learning keeps the public endpoint with default Deny
and a subnet rule for the processing subnet (service endpoint); production
disables it: the vault answers only on its private endpoint and to trusted
Azure services (Key Vault keeps the trusted-service bypass when public
access is disabled), and Resource Manager still creates the key, because
the firewall guards only the data plane.

Key lifetime: every version expires, and rotation always comes first. The
first version's ``attributes.expires`` is the first day of the month of
creation plus ``KEY_LIFETIME_YEARS`` (2): at least 23 months after
creation. The rotation policy creates a new version ``KEY_ROTATION`` (1 year)
after creation, each new version expires ``KEY_EXPIRY`` (2 years) after its
own creation, and Azure notifies 30 days before an expiry. So a version is
replaced at least 11 months before it expires. The expiry is computed from
the month start, so previews within a month are identical, and
``ignore_changes`` on ``properties.attributes.expires`` keeps the created
value afterwards (a rotation also moves the live value; no preview shows a
diff for it).

Soft delete is always on in Azure and keeps a deleted vault's name reserved
for the retention period (7 days here in learning, 90 in production), so a
learning stack destroyed and created again would collide with its own
deleted vault. The vault name therefore carries a salt: the stack's lease
(the ``expires-at`` value, which changes with each new lease: a first
deploy, whose time the destroyed stack's state no longer holds, or a
renewal). ``ignore_changes`` on the name keeps an existing vault when a
renewal moves the lease; only a destroyed-then-recreated stack gets a new
name. A stack recreated with a ``blueprint:leaseStart`` left in its config
keeps the old lease and must renew it (``bp lease STACK --renew 72h``) or
purge the old vault (``az keyvault purge --name <vault>``). In learning purge protection
stays off so that purge is possible; in production it is on (irreversible
by design) and the name has no salt.

Destroy: azure-native deletes a key through the vault's data plane
(``DELETE https://<vault>.vault.azure.net/keys/<name>``), not Resource
Manager. The vault denies that path by network (default Deny, and in
production no public access at all) and by role (RBAC mode, and the
deployer holds no Key Vault data-plane role), so a delete of the key alone
fails with 403 and would strand the vault, network and resource group.
The key is therefore ``deleted_with`` the vault: ``pulumi destroy`` skips
the key's own delete and deleting the vault (a Resource Manager call)
soft-deletes it with all its keys.

An ARM key PUT creates a key but never updates an existing one: Resource
Manager answers a PUT on an existing key with the key unchanged. So a later
change to the key's tags, operations or rotation policy in this file is
silently ignored by Azure. To make such a change real, rename the key
(``blueprint:names.key``), which creates a new key, and move its users to
it, or change the rotation policy with ``az keyvault key rotation-policy
update`` from inside the vault's network.

Azure refuses ``enablePurgeProtection: false`` outright, so learning
omits the property instead of setting it to false.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

import pulumi
from pulumi_azure_native import keyvault

from components.context import StageContext
from components.zones import Zone
from infra.azure.choices import ServiceChoices
from infra.azure.names import global_name

KEY_ROTATION = "P1Y"
"""Rotate the key a year after creation (ISO 8601 duration)."""
KEY_EXPIRY = "P2Y"
"""Each key version expires two years after creation."""
KEY_LIFETIME_YEARS = 2
"""The first version expires this many years after the first day of its creation month."""
EXPIRY_IGNORED = "properties.attributes.expires"
"""Kept as created: the live value moves with each rotation."""


def key_expiry(now: Optional[datetime] = None) -> int:
    """``attributes.expires`` of the first key version, in seconds since the epoch (see module docstring)."""
    now = now or datetime.now(timezone.utc)
    start = now.astimezone(timezone.utc).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return int(start.replace(year=start.year + KEY_LIFETIME_YEARS).timestamp())


def vault_name(ctx: StageContext, subscription: str) -> str:
    """The vault's physical name: salted with the subscription, and with the lease in learning
    (see module docstring)."""
    salt = "" if ctx.is_production else f"lease-{ctx.config.expires_at(ctx.now)}"
    return global_name(ctx, "azure-key-vault", "vault", salt=salt, subscription=subscription)


@dataclass
class StackKey:
    vault: keyvault.Vault
    key: keyvault.Key

    @classmethod
    def create(
        cls, name: str, ctx: StageContext, choices: ServiceChoices, *, resource_group_name: pulumi.Input[str],
        location: str, tenant_id: pulumi.Input[str], allowed_subnets: list[pulumi.Input[str]],
        subscription: str, parent: pulumi.Resource,
    ) -> "StackKey":
        properties: dict = {
            "tenant_id": tenant_id,
            "sku": {"family": "A", "name": "standard"},
            "enable_rbac_authorization": True,
            "enable_soft_delete": True,
            "soft_delete_retention_in_days": choices.soft_delete_days,
            "public_network_access": "Disabled" if choices.private_endpoints else "Enabled",
            "network_acls": {
                "default_action": "Deny",
                "bypass": "AzureServices",
                "virtual_network_rules": [{"id": subnet} for subnet in allowed_subnets],
            },
        }
        if choices.purge_protection:
            properties["enable_purge_protection"] = True
        vault = keyvault.Vault(
            f"{name}-vault",
            vault_name=vault_name(ctx, subscription),
            resource_group_name=resource_group_name,
            location=location,
            properties=properties,
            tags=ctx.foundation_tags(Zone.DATA),
            opts=pulumi.ResourceOptions(
                parent=parent, protect=ctx.protect,
                ignore_changes=[] if ctx.is_production else ["vaultName"],
            ),
        )
        key = keyvault.Key(
            f"{name}-key",
            key_name=ctx.name("azure-generic", "key"),
            vault_name=vault.name,
            resource_group_name=resource_group_name,
            properties={
                "kty": "RSA",
                "key_size": 2048,
                "key_ops": ["wrapKey", "unwrapKey", "encrypt", "decrypt"],
                "attributes": {"enabled": True, "expires": key_expiry(ctx.now)},
                "rotation_policy": {
                    "attributes": {"expiry_time": KEY_EXPIRY},
                    "lifetime_actions": [
                        {"action": {"type": "rotate"}, "trigger": {"time_after_create": KEY_ROTATION}},
                        {"action": {"type": "notify"}, "trigger": {"time_before_expiry": "P30D"}},
                    ],
                },
            },
            tags=ctx.foundation_tags(Zone.DATA),
            opts=pulumi.ResourceOptions(parent=parent, protect=ctx.protect, ignore_changes=[EXPIRY_IGNORED],
                                        deleted_with=vault),
        )
        return cls(vault, key)
