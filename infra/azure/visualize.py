"""AzureVisualize: Synapse serverless SQL over the curated container, with a read-only identity.

Creates a Synapse workspace used only for its built-in serverless SQL pool
(no dedicated pool, no Spark pool: nothing idle, billed per TB processed,
``bp cost``) and the Visualize identity, which holds "Storage Blob Data Reader" on
the curated container and nothing else: dashboards connect to the
serverless endpoint (``query_endpoint``) as this identity, and serverless
SQL reads storage with the caller's identity, so they can read curated
data only. Authentication is Entra-only (no SQL passwords).

Serverless SQL admits an Entra principal only once it has a login in the
pool, which only T-SQL creates (Resource Manager cannot). The stack makes
the deploying client the workspace's Entra SQL administrator
(``WorkspaceAadAdmin``) and exports the one-time bootstrap
(``visualize_sql_bootstrap``): a login for the Visualize identity and the
bulk-operations permission ``OPENROWSET`` needs. The deployer runs it once
against ``query_endpoint`` on port 1433 (``sqlcmd -G -S <endpoint> -d master
-i bootstrap.sql``), from the serving zone in production; see
docs/clouds/azure.md.

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
from pulumi_azure_native import authorization, synapse

from components.stages.visualize import Visualize, VisualizeArgs
from components.zones import Zone
from infra.azure.identity import grant, stage_identity
from infra.azure.names import global_name
from infra.azure.roles import STORAGE_BLOB_DATA_READER

SQL_BOOTSTRAP_EXPORT = "visualize_sql_bootstrap"


def sql_bootstrap(identity_name: str) -> str:
    """The T-SQL that lets ``identity_name`` (a managed identity) query curated data in serverless SQL."""
    return (
        f"CREATE LOGIN [{identity_name}] FROM EXTERNAL PROVIDER;\n"
        f"GRANT ADMINISTER BULK OPERATIONS TO [{identity_name}];\n"
    )


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
            workspace_name=global_name(ctx, "azure-synapse-workspace", "visualize-sql"),
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
        # The deployer administers SQL so that it can run the login bootstrap; the Visualize
        # identity itself gets a login, never admin rights.
        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
        self.sql_admin = synapse.WorkspaceAadAdmin(
            f"{name}-sql-admin",
            resource_group_name=rg,
            workspace_name=self.workspace.name,
            administrator_type="ActiveDirectory",
            login="blueprint-deployer",
            sid=client.object_id,
            tenant_id=client.tenant_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.sql_bootstrap = self.identity.name.apply(sql_bootstrap)
        pulumi.export(SQL_BOOTSTRAP_EXPORT, self.sql_bootstrap)
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
