"""Log workspace: a Log Analytics workspace and the diagnostic settings that feed it (production).

``LogWorkspace.create`` makes one pay-as-you-go (``PerGB2018``) workspace per
stack, in the stack's resource group, keeping logs ``RETENTION_DAYS`` days
and accepting only Entra ID for queries (local auth off). ``send`` attaches
a diagnostic setting to one resource that sends every log category
(category group ``allLogs``) there: the foundation sends the vault, the
Buffer its namespace, Processing the Databricks workspace and the Store the
lake's blob service (storage logs live on the ``blobServices/default``
sub-resource, not on the account).

Cost (``blueprint/cost/prices.yaml``): the workspace has no idle charge; ingestion is
billed per GB after a free monthly allowance, 31 days of retention are
included, and retention beyond that bills per GB kept.
An idle stack writes little (vault audit events of the storage key, control
operations), well inside the free 5 GB.

Learning sends nothing: platform metrics stay available without a
diagnostic setting, and a workspace would only add a bill once used.
Where Azure differs: the workspace keeps public query and ingestion
endpoints; private access to it needs an Azure Monitor Private Link Scope,
which changes DNS for the whole VNet and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor, operationalinsights

from components.context import StageContext
from components.zones import Zone

RETENTION_DAYS = 90
"""Days the workspace keeps logs (the flow-log floor of the policy catalogue)."""
ALL_LOGS = [{"category_group": "allLogs", "enabled": True}]


@dataclass
class LogWorkspace:
    workspace: operationalinsights.Workspace
    settings: list[monitor.DiagnosticSetting]

    @classmethod
    def create(cls, name: str, ctx: StageContext, *, resource_group_name: pulumi.Input[str], location: str,
               parent: pulumi.Resource) -> "LogWorkspace":
        workspace = operationalinsights.Workspace(
            f"{name}-logs",
            workspace_name=ctx.name("azure-log-analytics-workspace", "logs"),
            resource_group_name=resource_group_name,
            location=location,
            sku={"name": "PerGB2018"},
            retention_in_days=RETENTION_DAYS,
            features={"disable_local_auth": True, "enable_log_access_using_only_resource_permissions": True},
            tags=ctx.foundation_tags(Zone.DATA),
            opts=pulumi.ResourceOptions(parent=parent, protect=ctx.protect),
        )
        return cls(workspace, [])

    def send(self, name: str, ctx: StageContext, *, resource_uri: pulumi.Input[str], parent: pulumi.Resource,
             depends_on: list[pulumi.Resource] | None = None) -> monitor.DiagnosticSetting:
        """A diagnostic setting ``f"{name}-diagnostics"`` sending every log of ``resource_uri`` here."""
        setting = monitor.DiagnosticSetting(
            f"{name}-diagnostics",
            name=ctx.name("azure-generic", "logs-to-workspace"),
            resource_uri=resource_uri,
            workspace_id=self.workspace.id,
            logs=ALL_LOGS,
            opts=pulumi.ResourceOptions(parent=parent, depends_on=depends_on),
        )
        self.settings.append(setting)
        return setting
