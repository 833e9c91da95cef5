"""Key-management floors at their boundary."""

from __future__ import annotations

import pytest

from tests.policies.harness import run_resource

KEY = "aws:kms/key:Key"


@pytest.mark.parametrize("profile, floor", [("learning", 7), ("production", 30)])
def test_kms_deletion_window_floor_is_7_days_in_learning_and_30_in_production(profile, floor):
    # AWS accepts 7 to 30 days.
    assert run_resource("aws-kms-key-rotation", KEY, {"enableKeyRotation": True, "deletionWindowInDays": floor},
                        profile) == []
    assert run_resource("aws-kms-key-rotation", KEY, {"enableKeyRotation": True, "deletionWindowInDays": floor - 1},
                        profile) == [f"deletion_window_in_days is {floor - 1}; set at least {floor} in this profile"]


def test_key_vault_soft_delete_keeps_at_least_seven_days():
    # Key Vault accepts 7 to 90 days of soft-delete retention.
    vault = {"enableRbacAuthorization": True, "softDeleteRetentionInDays": 7}
    assert run_resource("azure-key-vault-access", "azure-native:keyvault:Vault", {"properties": vault}) == []
    assert run_resource("azure-key-vault-access", "azure-native:keyvault:Vault",
                        {"properties": {**vault, "softDeleteRetentionInDays": 6}}) == [
        "set properties.soft_delete_retention_in_days to at least 7"]
