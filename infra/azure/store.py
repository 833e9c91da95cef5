"""AzureStore: an ADLS Gen2 account with raw, processed and curated containers.

Creates the storage account (StorageV2, hierarchical namespace), its blob
service properties, the three private containers, a lifecycle management
policy, the Store's managed identity, and by profile:

- learning: LRS, Microsoft-managed encryption keys, subnet rules for the
  processing and serving subnets (service endpoints), no soft delete and no
  protect, so ``pulumi destroy`` removes the account with its contents;
- production: ZRS, the vault key as customer-managed key (through the Store
  identity, which holds "Key Vault Crypto Service Encryption User" on that
  key only), infrastructure encryption, blob and container soft delete,
  private endpoints for ``dfs`` and ``blob`` in the data subnet, a
  ``CanNotDelete`` lock, ``protect`` on the account and containers, and a
  diagnostic setting on the blob service (read, write and delete logs) to
  the stack's Log Analytics workspace.

Always: TLS 1.2, HTTPS only, no anonymous blob access, no shared-key (account
key or SAS) access, Entra by default, no cross-tenant replication, and a
default-deny network rule set that admits trusted Azure services (Event Hubs
Capture authenticates with its managed identity through it) and, by resource
instance rule, Visualize's Synapse workspace and, in production, the
Databricks access connector (see ``instance_rules``); the learning Spark
pools arrive through a managed private endpoint instead.

Where Azure differs: blob versioning is not available on accounts with a
hierarchical namespace, so production relies on soft delete and the lock;
a customer-managed key needs a vault with purge protection, which learning
turns off to stay destroyable, so learning uses Microsoft-managed keys and
``key_id`` says so. Public network access stays "Enabled" (with default
Deny, no IP rules and, in production, no subnet rules) because the account
is the destination of Event Hubs Capture, which writes through the
trusted-service exception, and Azure Storage ignores that exception when
public network access is "Disabled". So in production only trusted Azure
services (authenticated with their managed identities and held to their
role assignments) reach the public endpoint; everything of ours uses the
private endpoints. The policy pack checks exactly that for a Capture
destination.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import authorization, storage

from components.stages.store import LAKE_ZONES, Store, StoreArgs
from components.zones import Zone
from infra.azure.foundation import Lake
from infra.azure.identity import grant, stage_identity
from infra.azure.names import global_name
from infra.azure.propagation import PropagationWait
from infra.azure.network import SERVICE_ENDPOINT_ZONES
from infra.azure.roles import KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER

MICROSOFT_MANAGED_KEY = "microsoft-managed"
"""``key_id`` when the lake is encrypted with Microsoft-managed keys (learning)."""
COOL_AFTER_DAYS = 30
SYNAPSE_WORKSPACE_ROLE = "visualize-sql"
"""Naming role of Visualize's Synapse workspace, which reads curated through the lake's firewall."""
ACCESS_CONNECTOR_ROLE = "processing-access"
"""Naming role of the Databricks access connector (production)."""


def instance_rules(ctx, foundation) -> list[dict]:
    """Resource instance rules admitting the stack's own services through the lake's firewall.

    - Visualize's Synapse workspace: serverless SQL runs on shared Microsoft
      networks that no subnet or IP rule can name, and reads with the
      caller's Entra identity, which the trusted-service bypass does not
      cover; Azure documents resource instance rules for exactly this.
    - In production, the Databricks access connector (Unity Catalog's
      identity for the lake): Azure Databricks reaches storage from its
      control plane as the connector, which a resource instance rule admits.

    The Processing Synapse workspace (learning) needs no rule: its Spark
    pools reach the lake through the managed private endpoint of its
    managed VNet, which the firewall does not apply to. Ids are built from
    the declared names (the workspaces and connector are created after the
    lake, which they point at), with ``resourcegroups`` in lower case as
    Azure Storage expects.
    """
    prefix = pulumi.Output.concat(
        "/subscriptions/", foundation.subscription_id, "/resourcegroups/", foundation.resource_group_name,
        "/providers/")
    ids = [pulumi.Output.concat(prefix, "Microsoft.Synapse/workspaces/",
                                global_name(ctx, "azure-synapse-workspace", SYNAPSE_WORKSPACE_ROLE))]
    if foundation.choices.engine == "databricks":
        ids.append(pulumi.Output.concat(prefix, "Microsoft.Databricks/accessConnectors/",
                                        ctx.name("azure-generic", ACCESS_CONNECTOR_ROLE)))
    return [{"tenant_id": foundation.tenant_id, "resource_id": resource_id} for resource_id in ids]


def lifecycle_rules(raw_expiration_days: int | None) -> list[dict]:
    """Raw expires after ``raw_expiration_days`` (if set); every zone cools after 30 days."""
    rules: list[dict] = []
    for zone in LAKE_ZONES:
        base: dict = {"tier_to_cool": {"days_after_modification_greater_than": COOL_AFTER_DAYS}}
        if zone == "raw" and raw_expiration_days is not None:
            base["delete"] = {"days_after_modification_greater_than": raw_expiration_days}
        rules.append({
            "name": f"{zone}-lifecycle",
            "type": "Lifecycle",
            "enabled": True,
            "definition": {
                "filters": {"blob_types": ["blockBlob"], "prefix_match": [f"{zone}/"]},
                "actions": {"base_blob": base},
            },
        })
    return rules


class AzureStore(Store):
    account: storage.StorageAccount
    containers: dict[str, storage.BlobContainer]

    def __init__(self, name: str, args: StoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        foundation = ctx.foundation
        choices = foundation.choices
        choices.check(production=ctx.is_production)
        rg = foundation.resource_group_name
        raw_days = args.get("raw_expiration_days", ctx.config.raw_expiration_days)
        tags = ctx.tags(self.STAGE)

        self.identity = stage_identity(name, ctx, self.STAGE, None, self)
        depends: list[pulumi.Resource] = []
        encryption: dict = {
            "key_source": "Microsoft.Storage",
            "require_infrastructure_encryption": ctx.is_production,
            "services": {"blob": {"enabled": True, "key_type": "Account"},
                         "file": {"enabled": True, "key_type": "Account"}},
        }
        account_identity = None
        key = foundation.stack_key
        if choices.customer_managed_key:
            self.key_grant = grant(f"{name}-key-grant", ctx, self.identity,
                                   KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, key.key.id, self)
            self.key_wait = PropagationWait(f"{name}-key-grant-wait", [self.key_grant], self)
            depends += [self.key_grant, self.key_wait]
            encryption.update(
                key_source="Microsoft.Keyvault",
                key_vault_properties={"key_name": key.key.name, "key_vault_uri": key.vault.properties.vault_uri},
                encryption_identity={"encryption_user_assigned_identity": self.identity.id},
            )
            account_identity = {"type": "UserAssigned",
                                "user_assigned_identities": [self.identity.id]}
        subnet_rules = (
            [] if choices.private_endpoints else
            [{"virtual_network_resource_id": foundation.network.subnets[z].id, "action": "Allow"}
             for z in SERVICE_ENDPOINT_ZONES]
        )
        self.account = storage.StorageAccount(
            f"{name}-account",
            account_name=global_name(ctx, "azure-storage-account", "store-lake"),
            resource_group_name=rg,
            location=foundation.location,
            kind="StorageV2",
            sku={"name": choices.storage_sku},
            access_tier="Hot",
            is_hns_enabled=True,
            minimum_tls_version="TLS1_2",
            enable_https_traffic_only=True,
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            allow_cross_tenant_replication=False,
            public_network_access="Enabled",
            network_rule_set={
                "default_action": "Deny",
                "bypass": "AzureServices",
                "virtual_network_rules": subnet_rules,
                "ip_rules": [],
                "resource_access_rules": instance_rules(ctx, foundation),
            },
            encryption=encryption,
            identity=account_identity,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect, depends_on=depends),
        )
        retention = {"enabled": True, "days": choices.soft_delete_days} if ctx.is_production else {"enabled": False}
        self.blob_service = storage.BlobServiceProperties(
            f"{name}-blob-service",
            account_name=self.account.name,
            resource_group_name=rg,
            blob_services_name="default",
            delete_retention_policy=retention,
            container_delete_retention_policy=retention,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.containers = {
            zone: storage.BlobContainer(
                f"{name}-{zone}",
                container_name=zone,
                account_name=self.account.name,
                resource_group_name=rg,
                public_access="None",
                opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect, depends_on=[self.blob_service]),
            )
            for zone in LAKE_ZONES
        }
        self.lifecycle = storage.ManagementPolicy(
            f"{name}-lifecycle",
            account_name=self.account.name,
            resource_group_name=rg,
            management_policy_name="default",
            policy={"rules": lifecycle_rules(raw_days)},
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.private_endpoints = []
        if choices.private_endpoints:
            for group in ("dfs", "blob"):
                self.private_endpoints.append(foundation.private_links.connect(
                    f"{name}-{group}", owner=self.STAGE.value, tags=ctx.tags(self.STAGE, Zone.DATA),
                    zone=Zone.DATA, target_id=self.account.id, group_id=group, parent=self,
                ))
        self.lock = None
        if choices.resource_locks:
            self.lock = authorization.ManagementLockByScope(
                f"{name}-lock",
                lock_name=ctx.name("azure-generic", "store-lock"),
                scope=self.account.id,
                level="CanNotDelete",
                notes="blueprint production lake: remove this lock deliberately before deleting the account",
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.diagnostic_setting = None
        if foundation.diagnostics is not None:
            self.diagnostic_setting = foundation.diagnostics.send(
                f"{name}-blob", ctx, resource_uri=pulumi.Output.concat(self.account.id, "/blobServices/default"),
                parent=self, depends_on=[self.blob_service])
        foundation.register_lake(Lake(self.account, self.containers))

        def uri(zone: str) -> pulumi.Output[str]:
            return pulumi.Output.concat("abfss://", zone, "@", self.account.name, ".dfs.core.windows.net/")

        self._publish(
            cloud="azure",
            identity=self.identity.id,
            raw_uri=uri("raw"),
            processed_uri=uri("processed"),
            curated_uri=uri("curated"),
            key_id=key.key.id if choices.customer_managed_key else MICROSOFT_MANAGED_KEY,
        )
