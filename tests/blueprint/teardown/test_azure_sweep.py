"""The Azure sweep at the REST boundary, with responses in the documented shapes of
Resource Graph, the resource-provider listing and Key Vault's deleted vaults.
A last test runs against a real subscription when credentials are present.
"""

from __future__ import annotations

import json
import os
import urllib.parse

import pytest

from blueprint.teardown.azure import AzureCloud
from blueprint.teardown.rest import NoCredentials, Rest, azure_token
from blueprint.teardown.sweep import sweep

SUB = "00000000-0000-0000-0000-000000000001"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-learn"
LEARN = {"managed-by": "blueprint", "stack": "learn", "profile": "learning"}

GRAPH_PAGE_1 = {"totalRecords": 3, "count": 2, "resultTruncated": "false", "$skipToken": "page2", "data": [
    {"id": f"{RG}/providers/Microsoft.Storage/storageAccounts/stlearnraw", "name": "stlearnraw",
     "type": "microsoft.storage/storageaccounts", "tags": {**LEARN, "stage": "store"}},
    {"id": f"{RG}/providers/Microsoft.EventHub/namespaces/evh-learn", "name": "evh-learn",
     "type": "microsoft.eventhub/namespaces", "tags": {**LEARN, "stage": "buffer"}},
]}
GRAPH_PAGE_2 = {"totalRecords": 3, "count": 1, "resultTruncated": "false", "data": [
    {"id": f"{RG}/providers/Microsoft.Storage/storageAccounts/stlearnprod", "name": "stlearnprod",
     "type": "microsoft.storage/storageaccounts", "tags": {**LEARN, "stage": "store", "profile": "production"}},
]}
DELETED_VAULTS = {"value": [
    {"id": f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/locations/eastus/deletedVaults/kv-learn-1a2b",
     "name": "kv-learn-1a2b", "type": "Microsoft.KeyVault/deletedVaults",
     "properties": {"vaultId": f"{RG}/providers/Microsoft.KeyVault/vaults/kv-learn-1a2b", "location": "eastus",
                    "deletionDate": "2026-11-29T10:00:00Z", "scheduledPurgeDate": "2026-12-06T10:00:00Z",
                    "tags": {**LEARN, "stage": "foundation"}, "purgeProtectionEnabled": False}},
    {"id": f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/locations/eastus/deletedVaults/kv-other",
     "name": "kv-other", "type": "Microsoft.KeyVault/deletedVaults",
     "properties": {"tags": {**LEARN, "stack": "other"}, "scheduledPurgeDate": "2026-12-06T10:00:00Z"}},
]}
STORAGE_PROVIDER = {"namespace": "Microsoft.Storage", "resourceTypes": [
    {"resourceType": "storageAccounts", "apiVersions": ["2025-01-01-preview", "2024-01-01", "2023-05-01"]},
]}


class Recorded:
    """A transport that answers from recorded bodies and keeps every request.

    Paths match without regard to case, as Azure Resource Manager matches them."""

    def __init__(self, answers):
        self.answers = answers
        self.requests = []

    def __call__(self, method, url, body, headers):
        self.requests.append((method, url, body))
        parsed = urllib.parse.urlparse(url)
        for (m, path, predicate), answer in self.answers.items():
            if m == method and parsed.path.lower() == path.lower() and (predicate is None or predicate(body)):
                return 200, json.dumps(answer).encode()
        return 404, b'{"error": {"code": "NotFound"}}'


def _cloud():
    graph = "/providers/Microsoft.ResourceGraph/resources"
    transport = Recorded({
        ("POST", graph, lambda b: "$skipToken" not in b["options"] and "union" in b["query"]): GRAPH_PAGE_1,
        ("POST", graph, lambda b: b["options"].get("$skipToken") == "page2"): GRAPH_PAGE_2,
        ("GET", f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/deletedVaults", None): DELETED_VAULTS,
        ("GET", f"/subscriptions/{SUB}/providers/Microsoft.Storage", None): STORAGE_PROVIDER,
        ("DELETE", f"{RG}/providers/Microsoft.Storage/storageAccounts/stlearnraw", None): {},
    })
    return AzureCloud(Rest(lambda: "token", transport), SUB), transport


def test_recorded_responses_resource_graph_query_pages_and_filters_by_stack_tag():
    cloud, transport = _cloud()
    found = cloud.inventory("learn")
    assert sorted(f.name for f in found) == ["evh-learn", "kv-learn-1a2b", "stlearnprod", "stlearnraw"]
    first = transport.requests[0]
    assert first[0] == "POST" and "api-version=2022-10-01" in first[1]
    assert first[2]["subscriptions"] == [SUB]
    assert "tags['stack'] == 'learn'" in first[2]["query"]
    assert "resourcecontainers" in first[2]["query"]


def test_recorded_responses_delete_orphans_with_the_provider_api_version():
    cloud, transport = _cloud()
    state = {f"{RG}/providers/microsoft.eventhub/namespaces/evh-learn".lower()}
    lines = []
    report = sweep("learn", {"azure": cloud}, state, delete=True, confirm=lambda p: True, out=lines.append)
    assert [f.name for f in report.deleted] == ["stlearnraw"]
    deletes = [(m, u) for m, u, _ in transport.requests if m == "DELETE"]
    assert deletes == [("DELETE", f"https://management.azure.com{RG}/providers/Microsoft.Storage/storageAccounts/"
                                  "stlearnraw?api-version=2024-01-01")]
    assert any("stlearnprod: tagged profile: production" in line for line in lines)
    left = {f.name: why for f, why in report.left}
    assert left["kv-learn-1a2b"].startswith("soft-deleted vault kv-learn-1a2b (soft-deleted, purge after 2026-12-06")


def test_resource_group_with_contents_is_not_deleted():
    cloud, transport = _cloud()
    transport.answers[("POST", "/providers/Microsoft.ResourceGraph/resources",
                       lambda b: "resourceGroup =~ 'rg-learn'" in b["query"])] = {"data": [{"id": f"{RG}/x"}]}
    from blueprint.teardown.inventory import Found

    group = Found("azure", RG, "microsoft.resources/subscriptions/resourcegroups", "rg-learn", dict(LEARN))
    assert cloud.delete(group, print) == f"resource group still holds 1 resources (for example {RG}/x)"
    assert not [r for r in transport.requests if r[0] == "DELETE"]


def test_real_subscription_inventory_when_credentials_exist():
    subscription = os.environ.get("ARM_SUBSCRIPTION_ID")
    if not subscription:
        pytest.skip("no Azure credentials: set ARM_SUBSCRIPTION_ID and log in with az (or AZURE_ACCESS_TOKEN)")
    try:
        azure_token()
    except NoCredentials as exc:
        pytest.skip(str(exc))
    found = AzureCloud(Rest(azure_token), subscription).inventory("blueprint-sweep-probe-no-such-stack")
    assert found == []
