"""The stack's vault and key: expiry with rotation first, a stable expiry, closed network in production."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, strategies as st

from infra.azure.vault import key_expiry
from tests.infra.azure.support import KEY, PRIVATE_ENDPOINT, VAULT

ROTATE_AFTER = timedelta(days=366)
"""The rotation policy rotates a year after creation (at most 366 days)."""
NOTICE = timedelta(days=30)


def _expires(synthesis) -> datetime:
    return datetime.fromtimestamp(synthesis.of_type(KEY)[0].inputs["properties"]["attributes"]["expires"], timezone.utc)


def test_every_key_expires_and_rotates_well_before_it_expires(learning, production):
    for synthesis in (learning, production):
        key = synthesis.of_type(KEY)[0]
        lifetime = _expires(synthesis) - datetime.now(timezone.utc)
        assert ROTATE_AFTER + NOTICE < lifetime <= timedelta(days=2 * 366)
        policy = key.inputs["properties"]["rotationPolicy"]
        rotate = [a for a in policy["lifetimeActions"] if a["action"]["type"] == "rotate"]
        assert rotate[0]["trigger"]["timeAfterCreate"] == "P1Y"
        assert policy["attributes"]["expiryTime"] == "P2Y"  # each rotated version lives two years


def test_expiry_is_kept_once_created(learning, production):
    for synthesis in (learning, production):
        assert "properties.attributes.expires" in synthesis.of_type(KEY)[0].ignore_changes


def test_expiry_does_not_change_within_a_month():
    first = datetime(2031, 5, 1, 0, 0, tzinfo=timezone.utc)
    last = datetime(2031, 5, 31, 23, 59, tzinfo=timezone.utc)
    assert key_expiry(first) == key_expiry(last) == int(datetime(2033, 5, 1, tzinfo=timezone.utc).timestamp())
    assert key_expiry(datetime(2031, 6, 1, tzinfo=timezone.utc)) != key_expiry(last)


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(timezone.utc)))
def test_rotation_always_comes_before_expiry(created):
    assert datetime.fromtimestamp(key_expiry(created), timezone.utc) - created > ROTATE_AFTER + timedelta(days=300)


def test_production_vault_is_private_and_learning_admits_its_subnet(learning, production):
    prod = production.of_type(VAULT)[0]
    assert prod.inputs["properties"]["publicNetworkAccess"] == "Disabled"
    assert prod.inputs["properties"]["networkAcls"]["bypass"] == "AzureServices"  # storage and Databricks keys
    endpoints = [e for e in production.of_type(PRIVATE_ENDPOINT) if prod.urn in e.property_dependencies.get(
        "privateLinkServiceConnections", [])]
    assert len(endpoints) == 1
    learn = learning.of_type(VAULT)[0].inputs["properties"]
    assert learn["publicNetworkAccess"] == "Enabled"
    assert learn["networkAcls"]["defaultAction"] == "Deny" and len(learn["networkAcls"]["virtualNetworkRules"]) == 1


def test_key_is_deleted_with_its_vault(learning, production):
    """azure-native deletes a key through the vault's data plane, which the vault denies the deployer (403):
    the key goes with the vault, so one destroy removes everything."""
    for synthesis in (learning, production):
        vault, key = synthesis.of_type(VAULT)[0], synthesis.of_type(KEY)[0]
        assert key.deleted_with == vault.urn
        assert vault.deleted_with == ""


def test_the_key_is_an_enabled_rsa_2048_key_that_wraps_and_unwraps(learning, production):
    # Storage and Databricks customer-managed keys must be RSA or RSA-HSM of 2048, 3072 or 4096 bits and let the
    # service wrap and unwrap its data keys.
    for synthesis in (learning, production):
        properties = synthesis.of_type(KEY)[0].inputs["properties"]
        assert (properties["kty"], properties["keySize"]) == ("RSA", 2048)
        assert properties["keyOps"] == ["wrapKey", "unwrapKey", "encrypt", "decrypt"]
        assert properties["attributes"]["enabled"] is True
        notify = [a for a in properties["rotationPolicy"]["lifetimeActions"] if a["action"]["type"] == "notify"]
        assert [a["trigger"] for a in notify] == [{"timeBeforeExpiry": "P30D"}]
