"""AzureBuffer: Event Hubs namespace, hub and consumer groups."""

from __future__ import annotations

from collections import Counter

from tests.infra.azure.support import (
    CONSUMER_GROUP, HUB, NAMESPACE, ROLE_ASSIGNMENT, T, ACCOUNT, child_types, component, of,
)

RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"
BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"


def test_secure_defaults(learning):
    namespace = learning.of_type(NAMESPACE)[0].inputs
    assert namespace["minimumTlsVersion"] == "1.2"
    assert namespace["disableLocalAuth"] is True
    assert namespace["tags"]["zone"] == "edge"  # the public ingest front door
    hub = learning.of_type(HUB)[0].inputs
    assert hub["retentionDescription"]["retentionTimeInHours"] == 24


def test_one_consumer_group_per_consumer_and_the_identity_only_receives(learning):
    groups = sorted(g.inputs["consumerGroupName"] for g in learning.of_type(CONSUMER_GROUP))
    assert groups == sorted(["sink", "spark"])
    grants = of(learning, "buffer", ROLE_ASSIGNMENT)
    assert len(grants) == 1 and grants[0].inputs["roleDefinitionId"].endswith(RECEIVER)
    assert grants[0].inputs["scope"].endswith("/" + learning.of_type(HUB)[0].inputs["eventHubName"])
    outputs = component(learning, "buffer").outputs
    assert outputs["delivery"] == "at-least-once"
    assert sorted(outputs["consumers"]) == groups


def test_override_wins_retention_and_consumers(overridden):
    assert overridden.of_type(HUB)[0].inputs["retentionDescription"]["retentionTimeInHours"] == 48
    assert sorted(g.inputs["consumerGroupName"] for g in overridden.of_type(CONSUMER_GROUP)) == ["audit", "sink", "spark"]


def test_production_captures_to_raw_with_its_own_identity(production):
    namespace = production.of_type(NAMESPACE)[0].inputs
    assert namespace["zoneRedundant"] is True and namespace["isAutoInflateEnabled"] is True
    assert namespace["maximumThroughputUnits"] >= namespace["sku"]["capacity"]
    capture = production.of_type(HUB)[0].inputs["captureDescription"]
    destination = capture["destination"]
    assert destination["blobContainer"] == "raw"
    account = production.of_type(ACCOUNT)[0].inputs["accountName"]
    assert destination["storageAccountResourceId"].endswith("/" + account)
    assert destination["identity"]["type"] == "UserAssigned"
    identity = [r for r in of(production, "buffer", T + "managedidentity:UserAssignedIdentity")][0]
    assert destination["identity"]["userAssignedIdentity"].endswith("/" + identity.inputs["resourceName"])
    assert namespace["identity"]["userAssignedIdentities"] == [destination["identity"]["userAssignedIdentity"]]
    writer = [g for g in of(production, "buffer", ROLE_ASSIGNMENT) if g.inputs["roleDefinitionId"].endswith(BLOB_CONTRIBUTOR)]
    assert len(writer) == 1 and writer[0].inputs["scope"].endswith("/raw")
    assert writer[0].urn in [d for d in production.of_type(HUB)[0].dependencies]


def test_exact_children(learning, production):
    assert child_types(learning, "buffer") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "eventhub:Namespace": 1, T + "eventhub:EventHub": 1,
        T + "eventhub:ConsumerGroup": 2, T + "authorization:RoleAssignment": 1,
    })
    assert child_types(production, "buffer") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "eventhub:Namespace": 1, T + "eventhub:EventHub": 1,
        T + "eventhub:ConsumerGroup": 3, T + "authorization:RoleAssignment": 2,
        T + "network:PrivateEndpoint": 1, T + "network:PrivateDnsZoneGroup": 1, T + "monitor:DiagnosticSetting": 1,
        "pulumi-python:dynamic:Resource": 1,
    })


def test_capture_waits_for_its_grant_to_propagate(production):
    hub = production.of_type(HUB)[0]
    waits = [w for w in production.of_type("pulumi-python:dynamic:Resource") if w.urn in hub.dependencies]
    assert len(waits) == 1 and waits[0].inputs["seconds"] == 600
    writer = [g for g in of(production, "buffer", ROLE_ASSIGNMENT) if g.inputs["roleDefinitionId"].endswith(BLOB_CONTRIBUTOR)]
    assert writer[0].urn in waits[0].dependencies
