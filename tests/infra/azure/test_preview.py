"""``preview azure --json``: the plan lists every piece the issue names."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from blueprint.cli import main
from blueprint.plan import build_plan
from tests.conftest import synth

STAGES = {"connect", "buffer", "processing", "store", "visualize"}


def _counts(plan) -> Counter:
    return Counter(r.type for r in plan.custom_resources)


@pytest.mark.parametrize("stack", ["azure", "azure-prod"])
def test_plan_lists_the_platform(stack):
    plan = build_plan(synth(stack))
    data = plan.to_json()
    types = _counts(plan)
    t = "azure-native:"
    assert types[t + "eventhub:Namespace"] == 1 and types[t + "eventhub:EventHub"] == 1
    assert types[t + "storage:StorageAccount"] == 1 and types[t + "storage:BlobContainer"] == 3
    assert types[t + "keyvault:Vault"] == 1 and types[t + "consumption:Budget"] == 1
    assert types[t + "network:VirtualNetwork"] == 1 and types[t + "network:NetworkSecurityGroup"] >= 4
    identities = [r for r in plan.custom_resources if r.type == t + "managedidentity:UserAssignedIdentity"]
    assert sorted(r.stage for r in identities) == sorted(STAGES)
    assert STAGES <= set(data["counts"]["by_stage"])
    azure = [r for r in plan.custom_resources if r.type.startswith("azure-native:")]
    assert data["counts"]["by_cloud"]["azure"] == len(azure)
    if stack == "azure-prod":
        assert types[t + "databricks:Workspace"] == 1
        hub = [r for r in plan.custom_resources if r.type == t + "eventhub:EventHub"][0]
        assert hub.inputs["captureDescription"]["enabled"] is True  # the stream sink
    else:
        assert types[t + "synapse:BigDataPool"] == 1  # the Spark engine
        assert types[t + "eventhub:ConsumerGroup"] >= 1  # the drain job's sink group
    assert set(data["exports"]) >= STAGES


def test_cli_writes_the_json_plan(tmp_path, capsys):
    target = tmp_path / "azure.json"
    assert main(["preview", "azure", "--json", str(target)]) == 0
    data = json.loads(target.read_text())
    assert data["stack"] == "azure"
    printed = capsys.readouterr().out
    for stage in STAGES:
        assert stage in printed
