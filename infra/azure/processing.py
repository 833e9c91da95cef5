"""AzureProcessing: the stream sink into raw and a Spark engine.

The Processing identity holds "Storage Blob Data Contributor" on the
processed and curated containers and on raw in learning (the drain job
writes it), "Storage Blob Data Reader" on raw in production (Capture writes
it), one assignment per container, never the account, and "Azure Event
Hubs Data Receiver" on the hub. By profile:

- learning: the sink is the drain (``pipeline.drain``), a Spark batch on the
  engine that ``bp run`` submits before the job: it reads the ``sink``
  consumer group from each partition's checkpoint until caught up
  (available-now) and appends to raw; it costs nothing between runs, but events older than the hub's retention
  (24 h by default) are lost if it does not run (Capture, which never
  misses, bills per throughput unit around the clock; ``bp cost``). ``sink_id``
  is that consumer group. The engine is a Synapse workspace with a Spark pool
  that pauses after 15 idle minutes (nothing idle; Entra-only authentication, no
  firewall rule, so nothing reaches it until an operator adds one), Spark
  runtime 3.5. Synapse runs Spark jobs as the workspace's own
  system-assigned identity, which holds "Storage Blob Data Contributor" on
  raw, processed and curated and "Azure Event Hubs Data Receiver" on the
  hub, nothing else. The lake denies by default and Spark is not covered by
  resource instance rules, so the workspace runs in a managed VNet (without
  exfiltration protection, which would also cut Spark off the hub's public
  endpoint) and Synapse creates a managed private endpoint (``dfs``) to its
  primary storage account, the lake (``createManagedPrivateEndpoint``).
  Azure creates that endpoint's connection on the lake as "Pending"; it
  carries traffic once approved (docs/clouds/azure.md, step after the first
  ``pulumi up``). With ``engine: cluster`` (and ``acceptIdleCost``) the
  pool does not pause.
- production: the sink is Event Hubs Capture on the Buffer's hub (``sink_id``
  is the hub). The engine is an Azure Databricks Premium workspace,
  VNet-injected into two delegated subnets of the processing zone (host and
  container, each with an NSG generated from the zone matrix, its allow
  rules starting at priority 200 because Databricks owns 100-104 there;
  Databricks' own worker-to-worker rule admits the whole VNet, so the other
  zones' NSGs deny opening connections to processing), with secure
  cluster connectivity (no public IP on any node), public network access
  disabled, a back-end private endpoint (``databricks_ui_api``) in the
  processing subnet and, for people and CI, a front-end one plus the
  ``browser_authentication`` endpoint (single sign-on) in the serving
  subnet; outbound traffic leaves through a NAT gateway (billed hourly with
  its public IP; ``bp cost``), which SCC needs now that Azure no longer gives new
  subnets default outbound access. An access connector carries the
  Processing identity for Unity Catalog access to the lake. The workspace
  encrypts with the stack's vault key (see "Databricks keys" below) and
  sends its logs to the stack's Log Analytics workspace.

Databricks keys (production): managed services (notebooks, secrets, job
results in the control plane) and managed disks of the cluster VMs use the
vault key; DBFS root is created with ``prepareEncryption`` (the workspace
storage account gets a managed identity) and infrastructure encryption.
Each party that uses the key holds "Key Vault Crypto Service Encryption
User" on that key only:
- the AzureDatabricks first-party application (its object id in the tenant
  is looked up in Microsoft Entra ID, or ``blueprint:azure.databricksPrincipalId``;
  Resource Manager has no lookup for it), granted before the workspace is created;
- the workspace's managed-disk identity (the disk encryption set Databricks
  creates), granted right after the workspace, as Azure documents;
- the DBFS storage account's identity, granted after the workspace too.
Switching DBFS root itself to the key (``parameters.encryption``) needs
that last grant to exist first, which one ``pulumi up`` cannot order on a
single resource: it is a second step, documented in
``docs/clouds/azure.md``; until then DBFS root uses Microsoft-managed keys
with infrastructure (double) encryption. Managed disks follow the key's
rotations by themselves (``rotationToLatestKeyVersionEnabled``); managed
services are pinned to a key version, which the next ``pulumi refresh`` and
``pulumi up`` after a rotation move forward (the previous version stays
valid a year longer, see ``infra.azure.vault``).

Delivery of both sinks is at least once (Capture may write an event twice
after a service retry; the drain job re-reads after a failed checkpoint).
"""

from __future__ import annotations

import pulumi
import pulumi_azuread as azuread
from pulumi_azure_native import databricks, network, synapse

from components.constraints import AZURE_DATABRICKS_APP_ID
from components.stages.processing import Processing, ProcessingArgs
from components.zones import Zone
from infra.azure.identity import grant, grant_principal, stage_identity
from infra.azure.job import job_exports
from infra.azure.names import global_name
from infra.azure.propagation import PropagationWait
from infra.azure.store import ACCESS_CONNECTOR_ROLE
from infra.azure.network import DATABRICKS_BLOCKS, DATABRICKS_FIRST_PRIORITY, inbound_rules
from infra.azure.roles import (
    EVENT_HUBS_DATA_RECEIVER,
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
    STORAGE_BLOB_DATA_READER,
)

SINK_CONSUMER = "sink"
"""The consumer group the learning drain job reads (else the first consumer)."""
SPARK_NODE_VCPU = 4
"""vCores of a Synapse "Small" Spark node."""
SPARK_MIN_NODES = 3
"""Synapse's smallest Spark pool (driver plus two executors)."""
AUTO_PAUSE_MINUTES = 15
SPARK_VERSION = "3.5"
"""Synapse Spark runtime; 3.4 reached end of support on 2026-03-31 (no new pools after it)."""


def databricks_principal(name: str, ctx, parent: pulumi.Resource) -> pulumi.Input[str]:
    """Object id of the AzureDatabricks service principal in the deploying tenant.

    ``blueprint:azure.databricksPrincipalId`` when set (config validation
    refuses placeholders); otherwise looked up in Microsoft Entra ID by the
    application's fixed id, which needs read access to service principals
    (any member user has it; a CI service principal needs
    ``Application.Read.All``).
    """
    configured = ctx.config.azure.databricks_principal_id
    if configured:
        return configured
    # An explicit provider, like every other one of the stack; it signs in the way azure-native does
    # (Azure CLI, managed identity or OIDC from the environment).
    entra = azuread.Provider(f"{name}-entra", opts=pulumi.ResourceOptions(parent=parent))
    found = azuread.get_service_principal_output(
        client_id=AZURE_DATABRICKS_APP_ID, opts=pulumi.InvokeOutputOptions(parent=parent, provider=entra))
    return found.object_id


class AzureProcessing(Processing):
    def __init__(self, name: str, args: ProcessingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        buffer, store = args["buffer"], args["store"]
        foundation = ctx.foundation
        choices = foundation.choices
        choices.check(production=ctx.is_production)
        max_vcpu = args.get("max_vcpu", ctx.config.stages.processing.max_vcpu)
        rg = foundation.resource_group_name
        self.identity = stage_identity(name, ctx, self.STAGE, None, self)
        # With Capture (production) Event Hubs writes raw and Processing only reads it; the learning
        # drain job appends to raw itself.
        raw_role = STORAGE_BLOB_DATA_READER if choices.capture else STORAGE_BLOB_DATA_CONTRIBUTOR
        self.grants = [
            grant(f"{name}-{zone}-grant", ctx, self.identity,
                  raw_role if zone == "raw" else STORAGE_BLOB_DATA_CONTRIBUTOR, container.id, self)
            for zone, container in store.containers.items()
        ]
        self.grants.append(grant(f"{name}-receiver-grant", ctx, self.identity,
                                 EVENT_HUBS_DATA_RECEIVER, buffer.stream_id, self))

        if choices.capture:
            if not getattr(buffer, "capture_enabled", False):
                raise ValueError("production Processing needs the Buffer's hub with Event Hubs Capture enabled")
            sink_id = buffer.stream_id
        else:
            groups = buffer.consumer_groups
            sink_group = SINK_CONSUMER if SINK_CONSUMER in groups else next(iter(groups))
            sink_id = groups[sink_group].id

        if choices.engine == "databricks":
            self._databricks(name, ctx, rg)
            engine_id = self.workspace.id
            catalog = pulumi.Output.concat("databricks:", self.workspace.name, "/hive_metastore.default")
        else:
            self._synapse(name, ctx, rg, store, buffer, max_vcpu, choices.spark_auto_pause)
            engine_id = self.spark_pool.id
            catalog = pulumi.Output.concat("synapse:", self.workspace.name, "/default")
        # What `bp run` needs to submit the sensor job (it uploads the code itself, see infra.azure.job).
        self.job_exports = job_exports(
            account=store.account.name, production=ctx.is_production, workspace=self.workspace.name,
            pool=self.spark_pool.name if choices.engine != "databricks" else None,
            **({} if choices.capture else {"namespace": buffer.namespace.name, "hub": buffer.hub.name,
                                           "consumer_group": sink_group}))

        self._publish(
            cloud="azure",
            identity=self.identity.id,
            sink_id=sink_id,
            sink_delivery="at-least-once",
            engine_id=engine_id,
            engine_kind=choices.engine,
            catalog=catalog,
        )

    def _synapse(self, name, ctx, rg, store, buffer, max_vcpu: int, auto_pause: bool) -> None:
        foundation = ctx.foundation
        tags = ctx.tags(self.STAGE)
        self.workspace = synapse.Workspace(
            f"{name}-workspace",
            workspace_name=global_name(ctx, "azure-synapse-workspace", "processing-spark"),
            resource_group_name=rg,
            location=foundation.location,
            default_data_lake_storage={
                "account_url": store.account.primary_endpoints.dfs,
                "filesystem": store.containers["processed"].name,
                "resource_id": store.account.id,
                # The lake denies by default: Spark reaches it only through a managed
                # private endpoint from the workspace's managed VNet (see module docstring).
                "create_managed_private_endpoint": True,
            },
            identity={"type": "SystemAssigned,UserAssigned", "user_assigned_identities": [self.identity.id]},
            azure_ad_only_authentication=True,
            public_network_access="Enabled",
            managed_virtual_network="default",
            # Exfiltration protection would also cut Spark off the hub's public endpoint,
            # which has no managed private endpoint here.
            managed_virtual_network_settings={"prevent_data_exfiltration": False,
                                              "allowed_aad_tenant_ids_for_linking": []},
            trusted_service_bypass_enabled=True,
            managed_resource_group_name=ctx.name("azure-resource-group", "processing-managed"),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=self.grants),
        )
        # Synapse runs Spark pools, job definitions and pipelines as the workspace's
        # system-assigned identity (the portal grants it its primary filesystem at creation;
        # Resource Manager does not). The drain job reads the hub and appends to raw, the
        # transforms write processed and curated: exactly these four grants.
        principal = self.workspace.identity.apply(lambda i: i.principal_id if i else None)
        self.spark_grants = [
            grant_principal(f"{name}-workspace-grant" if zone == "processed" else f"{name}-workspace-{zone}-grant",
                            ctx, principal, STORAGE_BLOB_DATA_CONTRIBUTOR, store.containers[zone].id, self,
                            depends_on=[self.workspace])
            for zone in ("raw", "processed", "curated")
        ]
        self.spark_grants.append(grant_principal(
            f"{name}-workspace-receiver-grant", ctx, principal, EVENT_HUBS_DATA_RECEIVER, buffer.stream_id,
            self, depends_on=[self.workspace]))
        self.grants += self.spark_grants
        max_nodes = max(SPARK_MIN_NODES, max_vcpu // SPARK_NODE_VCPU)
        self.spark_pool = synapse.BigDataPool(
            f"{name}-spark",
            big_data_pool_name=ctx.name("azure-synapse-spark-pool", "spark"),
            workspace_name=self.workspace.name,
            resource_group_name=rg,
            location=foundation.location,
            node_size="Small",
            node_size_family="MemoryOptimized",
            spark_version=SPARK_VERSION,
            auto_scale={"enabled": True, "min_node_count": SPARK_MIN_NODES, "max_node_count": max_nodes},
            auto_pause={"enabled": auto_pause, "delay_in_minutes": AUTO_PAUSE_MINUTES},
            dynamic_executor_allocation={"enabled": True, "min_executors": 1,
                                         "max_executors": max(1, max_nodes - 1)},
            session_level_packages_enabled=False,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _databricks(self, name, ctx, rg) -> None:
        foundation = ctx.foundation
        net = foundation.network
        tags = ctx.tags(self.STAGE)
        self.public_ip = network.PublicIPAddress(
            f"{name}-nat-ip",
            public_ip_address_name=ctx.name("azure-generic", "processing-nat-ip"),
            resource_group_name=rg,
            location=foundation.location,
            sku={"name": "Standard", "tier": "Regional"},
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.nat_gateway = network.NatGateway(
            f"{name}-nat",
            nat_gateway_name=ctx.name("azure-generic", "processing-nat"),
            resource_group_name=rg,
            location=foundation.location,
            sku={"name": "Standard"},
            public_ip_addresses=[{"id": self.public_ip.id}],
            idle_timeout_in_minutes=4,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.subnets: dict[str, network.Subnet] = {}
        self.security_groups: dict[str, network.NetworkSecurityGroup] = {}
        previous: list[pulumi.Resource] = [net.subnets[z] for z in net.subnets]
        for role, block in zip(("host", "container"), DATABRICKS_BLOCKS):
            self.security_groups[role] = network.NetworkSecurityGroup(
                f"{name}-{role}-nsg",
                network_security_group_name=ctx.name("azure-generic", f"processing-{role}-nsg"),
                resource_group_name=rg,
                location=foundation.location,
                security_rules=inbound_rules(Zone.PROCESSING, net.prefixes, DATABRICKS_FIRST_PRIORITY),
                tags=tags,
                # Databricks adds its own rules to these NSGs through the delegation; with the
                # rules inline, a refresh-then-up would remove them and its network intent policy
                # refuses that. Our rules are set at creation; change them by replacing the NSG.
                opts=pulumi.ResourceOptions(parent=self, ignore_changes=["securityRules"]),
            )
            self.subnets[role] = network.Subnet(
                f"{name}-{role}-subnet",
                subnet_name=ctx.name("azure-generic", f"processing-{role}-subnet"),
                virtual_network_name=net.vnet.name,
                resource_group_name=rg,
                address_prefix=net.blocks[block],
                network_security_group={"id": self.security_groups[role].id},
                nat_gateway={"id": self.nat_gateway.id},
                delegations=[{"name": "databricks", "service_name": "Microsoft.Databricks/workspaces"}],
                private_endpoint_network_policies="Enabled",
                default_outbound_access=False,
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous),
            )
            previous = [self.subnets[role]]
        managed_group = ctx.name("azure-resource-group", "processing-managed")
        parameters: dict = {
            "custom_virtual_network_id": {"value": net.vnet.id},
            "custom_public_subnet_name": {"value": self.subnets["host"].name},
            "custom_private_subnet_name": {"value": self.subnets["container"].name},
            "enable_no_public_ip": {"value": True},
            "require_infrastructure_encryption": {"value": True},
        }
        encryption = None
        depends: list[pulumi.Resource] = list(self.subnets.values())
        self.key_grants: list = []
        stack_key = foundation.stack_key
        if foundation.choices.customer_managed_key:
            self.key_grants.append(grant_principal(
                f"{name}-databricks-key-grant", ctx, databricks_principal(name, ctx, self),
                KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, stack_key.key.id, self))
            self.key_wait = PropagationWait(f"{name}-databricks-key-grant-wait", list(self.key_grants), self)
            depends += self.key_grants + [self.key_wait]
            key_properties = {
                "key_name": stack_key.key.name,
                "key_vault_uri": stack_key.vault.properties.vault_uri,
                "key_version": stack_key.key.key_uri_with_version.apply(
                    lambda uri: (uri or "").rstrip("/").rsplit("/", 1)[-1]),
            }
            encryption = {"entities": {
                "managed_services": {"key_source": "Microsoft.Keyvault", "key_vault_properties": key_properties},
                "managed_disk": {"key_source": "Microsoft.Keyvault", "key_vault_properties": key_properties,
                                 "rotation_to_latest_key_version_enabled": True},
            }}
            parameters["prepare_encryption"] = {"value": True}
        self.workspace = databricks.Workspace(
            f"{name}-workspace",
            workspace_name=ctx.name("azure-databricks-workspace", "processing-databricks"),
            resource_group_name=rg,
            location=foundation.location,
            sku={"name": "premium"},
            managed_resource_group_id=pulumi.Output.concat(
                "/subscriptions/", foundation.subscription_id, "/resourceGroups/", managed_group),
            parameters=parameters,
            encryption=encryption,
            public_network_access="Disabled",
            required_nsg_rules="NoAzureDatabricksRules",
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect, depends_on=depends),
        )
        if encryption is not None:
            for role, identity in (("disk", self.workspace.managed_disk_identity),
                                   ("dbfs", self.workspace.storage_account_identity)):
                self.key_grants.append(grant_principal(
                    f"{name}-{role}-key-grant", ctx, identity.apply(lambda i: i.principal_id if i else None),
                    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, stack_key.key.id, self))
        self.diagnostic_setting = None
        if foundation.diagnostics is not None:
            self.diagnostic_setting = foundation.diagnostics.send(
                f"{name}-workspace", ctx, resource_uri=self.workspace.id, parent=self)
        self.access_connector = databricks.AccessConnector(
            f"{name}-access-connector",
            connector_name=ctx.name("azure-generic", ACCESS_CONNECTOR_ROLE),
            resource_group_name=rg,
            location=foundation.location,
            identity={"type": "UserAssigned", "user_assigned_identities": [self.identity.id]},
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        links = foundation.private_links
        # Back end: the clusters' secure cluster connectivity relay and REST calls, from the processing zone.
        self.private_endpoint = links.connect(
            f"{name}-workspace", owner=self.STAGE.value, tags=ctx.tags(self.STAGE, Zone.PROCESSING),
            zone=Zone.PROCESSING, target_id=self.workspace.id, group_id="databricks_ui_api", parent=self,
        )
        # Front end: people and CI jobs reach the UI and REST API through the serving zone (which
        # admits HTTPS from the edge, where a VPN gateway, Bastion or runner sits), and the
        # browser_authentication endpoint carries the single sign-on callback of a workspace
        # without public access. Both resolve through privatelink.azuredatabricks.net.
        serving = ctx.tags(self.STAGE, Zone.SERVING)
        self.front_endpoints = [
            links.connect(f"{name}-workspace-front", owner=self.STAGE.value, tags=serving, zone=Zone.SERVING,
                          target_id=self.workspace.id, group_id="databricks_ui_api", parent=self, purpose="front"),
            links.connect(f"{name}-browser-auth", owner=self.STAGE.value, tags=serving, zone=Zone.SERVING,
                          target_id=self.workspace.id, group_id="browser_authentication", parent=self),
        ]
