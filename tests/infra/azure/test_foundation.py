"""The Azure foundation: resource group, zone network, vault and key, budget."""

from __future__ import annotations

from collections import Counter

import pytest

from components.config import BUDGET_THRESHOLDS
from tests.infra.azure.support import (
    ACTION_GROUP, BUDGET, KEY, RESOURCE_GROUP, VAULT, child_types, T,
)


def test_exact_children_learning(learning):
    assert child_types(learning, "foundation") == Counter({
        T + "resources:ResourceGroup": 1, T + "network:VirtualNetwork": 1, T + "network:NetworkSecurityGroup": 4,
        T + "network:Subnet": 4, T + "keyvault:Vault": 1, T + "keyvault:Key": 1,
        T + "monitor:ActionGroup": 1, T + "consumption:Budget": 1,
    })


def test_exact_children_production(production):
    assert child_types(production, "foundation") == Counter({
        T + "resources:ResourceGroup": 1, T + "network:VirtualNetwork": 1, T + "network:NetworkSecurityGroup": 4,
        T + "network:Subnet": 4, T + "keyvault:Vault": 1, T + "keyvault:Key": 1,
        T + "monitor:ActionGroup": 1, T + "consumption:Budget": 1, T + "authorization:ManagementLockByScope": 1,
        T + "network:PrivateEndpoint": 1, T + "network:PrivateDnsZoneGroup": 1,
        T + "privatedns:PrivateZone": 6, T + "privatedns:VirtualNetworkLink": 6,
        T + "operationalinsights:Workspace": 1, T + "monitor:DiagnosticSetting": 1,
    })


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_everything_lives_in_the_one_resource_group(profile, request):
    synthesis = request.getfixturevalue(profile)
    group = synthesis.of_type(RESOURCE_GROUP)
    assert len(group) == 1
    name = group[0].inputs["resourceGroupName"]
    groups = {r.inputs["resourceGroupName"] for r in synthesis.custom()
              if "resourceGroupName" in r.inputs and r.type != RESOURCE_GROUP}
    assert groups == {name}
    assert group[0].inputs["location"] == synthesis.config["blueprint:azure"]["location"]


def test_vault_is_rbac_only_soft_deleting_and_closed_by_default(learning):
    props = learning.of_type(VAULT)[0].inputs["properties"]
    assert props["enableRbacAuthorization"] is True and props["enableSoftDelete"] is True
    assert "accessPolicies" not in props
    assert props["networkAcls"]["defaultAction"] == "Deny"
    assert props["networkAcls"]["bypass"] == "AzureServices"


def test_key_rotates_and_expires(learning):
    key = learning.of_type(KEY)[0].inputs["properties"]
    assert key["kty"] == "RSA" and key["keySize"] >= 2048
    policy = key["rotationPolicy"]
    assert policy["attributes"]["expiryTime"]
    assert any(a["action"]["type"] == "rotate" for a in policy["lifetimeActions"])


def test_learning_vault_name_changes_with_the_lease_and_is_kept_by_ignore_changes(learning):
    from tests.conftest import stack_config, synth

    vault = learning.of_type(VAULT)[0]
    assert "vaultName" in vault.ignore_changes
    renewed = synth("azure", stack_config("azure", leaseStart="2030-01-02T00:00:00Z"))
    assert renewed.of_type(VAULT)[0].inputs["vaultName"] != vault.inputs["vaultName"]


def test_production_vault_name_is_stable(production):
    assert production.of_type(VAULT)[0].ignore_changes == []


def test_budget_scopes_the_resource_group_and_alerts_at_every_threshold(learning):
    budget = learning.of_type(BUDGET)[0].inputs
    group = learning.of_type(RESOURCE_GROUP)[0].inputs["resourceGroupName"]
    assert budget["scope"].endswith(f"/resourceGroups/{group}")
    assert budget["amount"] == learning.config["blueprint:budget"]
    assert budget["timeGrain"] == "Monthly" and budget["category"] == "Cost"
    kinds = {"Actual": "actual", "Forecasted": "forecast"}
    got = sorted((kinds[n["thresholdType"]], n["threshold"]) for n in budget["notifications"].values())
    assert got == sorted(BUDGET_THRESHOLDS)
    emails = learning.config["blueprint:alertEmails"]
    action_group = learning.of_type(ACTION_GROUP)[0].inputs
    for notification in budget["notifications"].values():
        assert notification["contactEmails"] == emails and notification["enabled"] is True
        assert notification["contactGroups"][0].endswith(action_group["actionGroupName"])
    assert [r["emailAddress"] for r in action_group["emailReceivers"]] == emails
    assert len(action_group["groupShortName"]) <= 12
