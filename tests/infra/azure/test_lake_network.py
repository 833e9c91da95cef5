"""The lake's network rules and the subnets' service endpoints, pinned with the literal values Azure expects.

A rule whose action is not ``Allow`` admits nobody, and a service endpoint
with a misspelt service name is refused or, worse, leaves traffic on the
public path: these are the settings that make the data path work.
"""

from __future__ import annotations

import pytest

from tests.conftest import synth

LEARNING = "azure"


def _one(s, token, name_suffix=""):
    found = [r for r in s.resources if r.type == token and r.name.endswith(name_suffix)]
    assert len(found) == 1, [r.name for r in found]
    return found[0]


def test_the_lake_admits_exactly_the_processing_and_serving_subnets():
    s = synth(LEARNING)
    rules = _one(s, "azure-native:storage:StorageAccount").inputs["networkRuleSet"]
    assert rules["defaultAction"] == "Deny"
    allowed = sorted((r["action"], r["virtualNetworkResourceId"].rsplit("/", 1)[-1])
                     for r in rules["virtualNetworkRules"])
    assert [action for action, _ in allowed] == ["Allow", "Allow"]
    assert [subnet.split("-")[3] for _, subnet in allowed] == ["processing", "serving"]


@pytest.mark.parametrize("zone", ["processing", "serving"])
def test_processing_and_serving_reach_storage_hubs_and_the_vault_by_service_endpoint(zone):
    subnet = _one(synth(LEARNING), "azure-native:network:Subnet", f"-{zone}-subnet")
    assert sorted(e["service"] for e in subnet.inputs["serviceEndpoints"]) == [
        "Microsoft.EventHub", "Microsoft.KeyVault", "Microsoft.Storage"]


@pytest.mark.parametrize("zone", ["data", "edge"])
def test_other_subnets_have_no_service_endpoints(zone):
    subnet = _one(synth(LEARNING), "azure-native:network:Subnet", f"-{zone}-subnet")
    assert not subnet.inputs.get("serviceEndpoints")
