"""Learning is destroyable and idles cheaply; production protects every stateful resource."""

from __future__ import annotations

from tests.infra.azure.support import (
    ACCOUNT, CONTAINER, DATABRICKS, HUB, KEY, LOCK, NAMESPACE, NAT, PRIVATE_ENDPOINT, PUBLIC_IP, RESOURCE_GROUP,
    SPARK_POOL, SYNAPSE, VAULT, BLOB_SERVICE,
)

STATEFUL = (RESOURCE_GROUP, ACCOUNT, CONTAINER, VAULT, KEY, NAMESPACE, HUB, DATABRICKS)


def test_learning_has_no_protect_no_lock_and_no_purge_protection(learning):
    assert [r.name for r in learning.custom() if r.protect or r.retain_on_delete] == []
    assert learning.of_type(LOCK) == []
    vault = learning.of_type(VAULT)[0].inputs["properties"]
    assert "enablePurgeProtection" not in vault  # Azure refuses false; absent means off
    assert vault["softDeleteRetentionInDays"] == 7


def test_learning_containers_are_deletable_with_their_contents(learning):
    service = learning.of_type(BLOB_SERVICE)[0].inputs
    assert service["deleteRetentionPolicy"] == {"enabled": False}
    assert service["containerDeleteRetentionPolicy"] == {"enabled": False}
    for container in learning.of_type(CONTAINER):
        assert "immutableStorageWithVersioning" not in container.inputs and not container.protect
    assert not learning.of_type("azure-native:storage:BlobContainerImmutabilityPolicy",
                                "azure-native:storage:BlobContainerLegalHold")


def test_production_protects_every_stateful_resource(production):
    stateful = production.of_type(*STATEFUL)
    assert {r.type for r in stateful} == set(STATEFUL)
    assert [r.name for r in stateful if not r.protect] == []


def test_production_vault_keeps_purge_protection_and_locks_hold_lake_and_vault(production):
    vault = production.of_type(VAULT)[0]
    assert vault.inputs["properties"]["enablePurgeProtection"] is True
    assert vault.inputs["properties"]["softDeleteRetentionInDays"] == 90
    locked = {lock.inputs["scope"].rsplit("/", 1)[-1] for lock in production.of_type(LOCK)}
    assert locked == {vault.inputs["vaultName"], production.of_type(ACCOUNT)[0].inputs["accountName"]}
    assert all(lock.inputs["level"] == "CanNotDelete" for lock in production.of_type(LOCK))


def test_learning_runs_nothing_that_bills_while_idle_beyond_one_throughput_unit(learning):
    namespace = learning.of_type(NAMESPACE)[0].inputs
    assert namespace["sku"] == {"name": "Standard", "tier": "Standard", "capacity": 1}
    assert namespace["isAutoInflateEnabled"] is False
    assert "captureDescription" not in learning.of_type(HUB)[0].inputs
    assert not learning.of_type(NAT, PUBLIC_IP, PRIVATE_ENDPOINT, DATABRICKS)
    pool = learning.of_type(SPARK_POOL)[0].inputs
    assert pool["autoPause"]["enabled"] is True and pool["autoPause"]["delayInMinutes"] <= 15
    assert not learning.of_type("azure-native:synapse:SqlPool")  # dedicated SQL bills hourly


def test_production_keeps_capture_databricks_and_private_endpoints(production):
    assert production.of_type(HUB)[0].inputs["captureDescription"]["enabled"] is True
    assert len(production.of_type(DATABRICKS)) == 1
    assert len(production.of_type(PRIVATE_ENDPOINT)) == 8
    assert not production.of_type(SPARK_POOL)
    assert len(production.of_type(SYNAPSE)) == 1  # serverless SQL only
