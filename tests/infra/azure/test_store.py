"""AzureStore: ADLS Gen2 with three private containers, secure by default."""

from __future__ import annotations

from collections import Counter

from tests.infra.azure.support import (
    ACCESS_CONNECTOR, ACCOUNT, BLOB_SERVICE, CONTAINER, LIFECYCLE, RESOURCE_GROUP, ROLE_ASSIGNMENT, SYNAPSE, T,
    child_types, component, of,
)

KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"


def test_secure_defaults(learning):
    account = learning.of_type(ACCOUNT)[0].inputs
    assert account["kind"] == "StorageV2" and account["isHnsEnabled"] is True
    assert account["minimumTlsVersion"] == "TLS1_2" and account["enableHttpsTrafficOnly"] is True
    assert account["allowBlobPublicAccess"] is False and account["allowSharedKeyAccess"] is False
    assert account["defaultToOAuthAuthentication"] is True and account["allowCrossTenantReplication"] is False
    rules = account["networkRuleSet"]
    assert rules["defaultAction"] == "Deny" and rules["ipRules"] == []
    assert account["sku"]["name"] == "Standard_LRS"
    assert len(account["accountName"]) <= 24 and account["accountName"].isalnum()


def test_three_private_containers_named_after_the_lake_zones(learning):
    containers = learning.of_type(CONTAINER)
    assert sorted(c.inputs["containerName"] for c in containers) == ["curated", "processed", "raw"]
    assert all(c.inputs["publicAccess"] == "None" for c in containers)


def test_uris_are_abfss_on_the_account(learning):
    store = component(learning, "store").outputs
    account = learning.of_type(ACCOUNT)[0].inputs["accountName"]
    for zone in ("raw", "processed", "curated"):
        assert store[f"{zone}_uri"] == f"abfss://{zone}@{account}.dfs.core.windows.net/"
    assert learning.exports["store"]["raw"] == store["raw_uri"]


def test_lifecycle_expires_raw_after_the_profile_default(learning):
    rules = learning.of_type(LIFECYCLE)[0].inputs["policy"]["rules"]
    raw = [r for r in rules if r["definition"]["filters"]["prefixMatch"] == ["raw/"]][0]
    expected = learning.config.get("blueprint:stages", {}).get("store", {}).get("rawExpirationDays", 30)
    assert raw["definition"]["actions"]["baseBlob"]["delete"]["daysAfterModificationGreaterThan"] == expected
    assert len(rules) == 3


def test_override_wins_raw_expiration(overridden):
    rules = overridden.of_type(LIFECYCLE)[0].inputs["policy"]["rules"]
    raw = [r for r in rules if r["definition"]["filters"]["prefixMatch"] == ["raw/"]][0]
    assert raw["definition"]["actions"]["baseBlob"]["delete"]["daysAfterModificationGreaterThan"] == 7
    # Only raw expires: processed and curated are the platform's results and only cool.
    for rule in rules:
        if rule["definition"]["filters"]["prefixMatch"] != ["raw/"]:
            assert "delete" not in rule["definition"]["actions"]["baseBlob"], rule["name"]


def test_production_encrypts_with_the_vault_key_through_the_store_identity(production):
    account = production.of_type(ACCOUNT)[0]
    encryption = account.inputs["encryption"]
    assert encryption["keySource"] == "Microsoft.Keyvault" and encryption["requireInfrastructureEncryption"]
    key = production.of_type(T + "keyvault:Key")[0].inputs
    assert encryption["keyVaultProperties"]["keyName"] == key["keyName"]
    # Account-scoped keys: blobs and files are both encrypted with the vault key.
    assert encryption["services"] == {"blob": {"enabled": True, "keyType": "Account"},
                                      "file": {"enabled": True, "keyType": "Account"}}
    grant = one_grant = of(production, "store", ROLE_ASSIGNMENT)
    assert len(grant) == 1 and grant[0].inputs["roleDefinitionId"].endswith(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER)
    assert one_grant[0].inputs["scope"].endswith("/" + key["keyName"])
    assert one_grant[0].urn in account.dependencies
    assert account.inputs["sku"]["name"] in ("Standard_ZRS", "Standard_GZRS", "Standard_GRS")
    assert component(production, "store").outputs["key_id"].endswith("/" + key["keyName"])


def test_production_soft_deletes_blobs_and_containers(production):
    service = production.of_type(BLOB_SERVICE)[0].inputs
    assert service["deleteRetentionPolicy"]["enabled"] and service["deleteRetentionPolicy"]["days"] >= 7
    assert service["containerDeleteRetentionPolicy"]["enabled"]


def test_learning_says_the_key_is_microsoft_managed(learning):
    assert learning.of_type(ACCOUNT)[0].inputs["encryption"] == {
        "keySource": "Microsoft.Storage", "requireInfrastructureEncryption": False,
        "services": {"blob": {"enabled": True, "keyType": "Account"}, "file": {"enabled": True, "keyType": "Account"}}}
    assert component(learning, "store").outputs["key_id"] == "microsoft-managed"


def test_exact_children(learning, production):
    assert child_types(learning, "store") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "storage:StorageAccount": 1,
        T + "storage:BlobServiceProperties": 1, T + "storage:BlobContainer": 3, T + "storage:ManagementPolicy": 1,
    })
    assert child_types(production, "store") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "storage:StorageAccount": 1,
        T + "storage:BlobServiceProperties": 1, T + "storage:BlobContainer": 3, T + "storage:ManagementPolicy": 1,
        T + "authorization:RoleAssignment": 1, T + "network:PrivateEndpoint": 2,
        T + "network:PrivateDnsZoneGroup": 2, T + "authorization:ManagementLockByScope": 1,
        T + "monitor:DiagnosticSetting": 1, "pulumi-python:dynamic:Resource": 1,
    })


def test_production_public_endpoint_admits_only_trusted_services(production):
    """Capture needs the trusted-service exception, which Storage ignores when public access is Disabled."""
    account = production.of_type(ACCOUNT)[0].inputs
    rules = account["networkRuleSet"]
    assert account["publicNetworkAccess"] == "Enabled"
    assert rules["defaultAction"] == "Deny" and rules["bypass"] == "AzureServices"
    assert rules["ipRules"] == [] and rules["virtualNetworkRules"] == []


def test_lake_firewall_admits_by_resource_instance_only_what_cannot_use_a_network_route(learning, production):
    """Serverless SQL (Visualize) and the Databricks access connector reach the lake from Microsoft's networks;
    learning Spark uses its managed private endpoint instead, so its workspace gets no rule."""
    visualize = [w.inputs["workspaceName"] for w in learning.of_type(SYNAPSE) if w.inputs["tags"]["stage"] == "visualize"]
    expected = [
        (learning, {"Microsoft.Synapse/workspaces/" + visualize[0]}),
        (production, {"Microsoft.Synapse/workspaces/" + production.of_type(SYNAPSE)[0].inputs["workspaceName"],
                      "Microsoft.Databricks/accessConnectors/"
                      + production.of_type(ACCESS_CONNECTOR)[0].inputs["connectorName"]}),
    ]
    for synthesis, admitted in expected:
        rules = synthesis.of_type(ACCOUNT)[0].inputs["networkRuleSet"]["resourceAccessRules"]
        group = synthesis.of_type(RESOURCE_GROUP)[0].inputs["resourceGroupName"]
        prefix = f"/subscriptions/00000000-0000-4000-8000-000000000000/resourcegroups/{group}/providers/"
        assert {rule["resourceId"].removeprefix(prefix) for rule in rules} == admitted
        assert all(rule["resourceId"].startswith(prefix) for rule in rules)
        assert all(rule["tenantId"] == "11111111-1111-4111-8111-111111111111" for rule in rules)


def test_production_account_waits_for_its_key_grant_to_propagate(production):
    account = production.of_type(ACCOUNT)[0]
    waits = [w for w in production.of_type("pulumi-python:dynamic:Resource") if w.urn in account.dependencies]
    assert len(waits) == 1 and waits[0].inputs["seconds"] == 600
    grant = [g for g in production.of_type(T + "authorization:RoleAssignment") if g.urn in waits[0].dependencies]
    assert len(grant) == 1
    assert grant[0].inputs["roleDefinitionId"].endswith("/e147488a-f6f5-4113-8e2d-b22465e65bf6")