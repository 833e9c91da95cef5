"""Production resource logs: one Log Analytics workspace, a diagnostic setting per audited resource."""

from __future__ import annotations

import pytest

from tests.infra.azure.support import ACCOUNT, DATABRICKS, NAMESPACE, VAULT, T

WORKSPACE = T + "operationalinsights:Workspace"
DIAGNOSTIC = T + "monitor:DiagnosticSetting"


def test_learning_sends_no_logs(learning):
    assert learning.of_type(WORKSPACE) == [] and learning.of_type(DIAGNOSTIC) == []


def test_production_workspace_is_pay_per_gb_entra_only_and_keeps_90_days(production):
    workspaces = production.of_type(WORKSPACE)
    assert len(workspaces) == 1
    workspace = workspaces[0]
    assert workspace.inputs["sku"] == {"name": "PerGB2018"}  # no commitment tier: $0 idle
    assert workspace.inputs["retentionInDays"] >= 90
    # Entra sign-in only, and a reader of one resource's logs needs access to that resource.
    assert workspace.inputs["features"] == {"disableLocalAuth": True,
                                            "enableLogAccessUsingOnlyResourcePermissions": True}
    assert workspace.protect is True


@pytest.mark.parametrize("token", [VAULT, NAMESPACE, DATABRICKS, ACCOUNT])
def test_each_audited_resource_sends_all_logs_to_the_workspace(production, token):
    target = production.of_type(token)[0]
    workspace = production.of_type(WORKSPACE)[0]
    settings = [s for s in production.of_type(DIAGNOSTIC)
                if target.urn in s.property_dependencies.get("resourceUri", [])]
    assert len(settings) == 1
    setting = settings[0]
    assert workspace.urn in setting.property_dependencies["workspaceId"]
    assert {"categoryGroup": "allLogs", "enabled": True} in setting.inputs["logs"]


def test_storage_logs_come_from_the_blob_service(production):
    account = production.of_type(ACCOUNT)[0]
    setting = [s for s in production.of_type(DIAGNOSTIC)
               if account.urn in s.property_dependencies.get("resourceUri", [])][0]
    assert setting.inputs["resourceUri"].endswith(f"/{account.inputs['accountName']}/blobServices/default")
