"""Azure inputs against the azure-mgmt models and operation name rules, planted in a real stack."""

from __future__ import annotations

from tests.blueprint.rules.support import findings_for, planted


def test_model_range_an_event_hub_needs_at_least_one_partition():
    token, name = "azure-native:eventhub:EventHub", "platform-buffer-hub"
    assert findings_for(planted("azure", token, name, "partitionCount", 1), name, "partitionCount") == []
    [finding] = findings_for(planted("azure", token, name, "partitionCount", 0), name, "partitionCount")
    assert finding.value == 0 and finding.rule == "at least 1"
    assert finding.source == "azure.mgmt.eventhub.v2024_01_01 Eventhub.partition_count"


def test_operation_name_rule_a_blob_container_name_of_2_characters_is_refused_and_3_passes():
    token, name = "azure-native:storage:BlobContainer", "platform-store-raw"
    assert findings_for(planted("azure", token, name, "containerName", "raw"), name, "containerName") == []
    [finding] = findings_for(planted("azure", token, name, "containerName", "rw"), name, "containerName")
    assert finding.rule == "at least 3 characters (has 2)"
    assert "blob_containers_operations containerName" in finding.source


def test_operation_name_rule_a_vault_name_with_an_underscore_breaks_the_pattern():
    token, name = "azure-native:keyvault:Vault", "platform-azure-vault"
    found = findings_for(planted("azure", token, name, "vaultName", "bad_vault"), name, "vaultName")
    assert any(f.rule == "must match ^[a-zA-Z0-9-]{3,24}$" for f in found)


def test_model_required_member_a_lifecycle_rule_without_its_name_is_refused():
    token, name = "azure-native:storage:ManagementPolicy", "platform-store-lifecycle"
    s = planted("azure", token, name, "policy.rules[0]", {
        "enabled": True, "type": "Lifecycle",
        "definition": {"actions": {"baseBlob": {"delete": {"daysAfterModificationGreaterThan": 30}}}},
    })
    [finding] = findings_for(s, name, "policy.rules[0].name")
    assert finding.rule == "required member name is missing"
