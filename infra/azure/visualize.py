"""AzureVisualize: Synapse serverless SQL over the curated container, with a read-only identity.

Creates a Synapse workspace used only for its built-in serverless SQL pool
(no dedicated pool, no Spark pool: nothing idle, billed per TB processed,
``bp cost``) and the Visualize identity, which holds "Storage Blob Data Reader" on
the curated container and nothing else: dashboards connect to the
serverless endpoint (``query_endpoint``) as this identity, and serverless
SQL reads storage with the caller's identity, so they can read curated
data only. Authentication is Entra-only (no SQL logins).

By profile: learning keeps public network access on with no firewall rule
(closed until an operator adds their address); production disables public
network access, runs a managed VNet with data-exfiltration protection, and
places a private endpoint for ``SqlOnDemand`` in the serving subnet.

Where Azure differs: Synapse caps serverless SQL spending per day, week or
month in whole TB, set in T-SQL (``sp_set_data_processed_limit``), not per
query and not through Azure Resource Manager. ``scan_limit_gb`` is published
for that step (see docs/clouds/azure.md); the stack cannot enforce it itself.
Managed Grafana was not chosen: the Standard tier bills by the hour while idle (``bp cost``).
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import synapse

from components.stages.visualize import Visualize, VisualizeArgs
from components.zones import Zone
from infra.azure.identity import grant, stage_identity
from infra.azure.roles import STORAGE_BLOB_DATA_READER


class AzureVisualize(Visualize):
    workspace: synapse.Workspace

    def __init__(self, name: str, args: VisualizeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        store = args["store"]
        foundation = ctx.foundation
        choices = foundation.choices
        choices.check(production=ctx.is_production)
        scan_limit = args.get("scan_limit_gb", ctx.config.scan_limit_gb)
        rg = foundation.resource_group_name
        private = choices.private_endpoints

        self.identity = stage_identity(name, ctx, self.STAGE, None, self)
        curated = store.containers["curated"]
        self.reader_grant = grant(f"{name}-curated-grant", ctx, self.identity,
                                  STORAGE_BLOB_DATA_READER, curated.id, self)
        self.workspace = synapse.Workspace(
            f"{name}-workspace",
            workspace_name=ctx.name("azure-synapse-workspace", "visualize-sql"),
            resource_group_name=rg,
            location=foundation.location,
            default_data_lake_storage={
                "account_url": store.account.primary_endpoints.dfs,
                "filesystem": curated.name,
                "resource_id": store.account.id,
            },
            identity={"type": "SystemAssigned"},
            azure_ad_only_authentication=True,
            public_network_access="Disabled" if private else "Enabled",
            managed_virtual_network="default" if private else None,
            managed_virtual_network_settings={"prevent_data_exfiltration": True,
                                              "allowed_aad_tenant_ids_for_linking": []} if private else None,
            trusted_service_bypass_enabled=True,
            managed_resource_group_name=ctx.name("azure-resource-group", "visualize-managed"),
            tags=ctx.tags(self.STAGE),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.private_endpoint = None
        if private:
            self.private_endpoint = foundation.private_links.connect(
                f"{name}-sql", owner=self.STAGE.value, tags=ctx.tags(self.STAGE, Zone.SERVING),
                zone=Zone.SERVING, target_id=self.workspace.id, group_id="SqlOnDemand", parent=self,
            )

        self._publish(
            cloud="azure",
            identity=self.identity.id,
            query_endpoint=self.workspace.connectivity_endpoints.apply(lambda e: (e or {}).get("sqlOnDemand", "")),
            reader_identity=self.identity.id,
            scan_limit_gb=scan_limit,
        )
