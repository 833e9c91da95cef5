"""``bp smoke azure --local``: raw in Azurite, on to curated; the hub hops are reported as not run or bridged.

On learning the real drain writes raw, reading a stand-in for the hub (the stack's two partitions); run twice
in one Azurite, the second run finds its own probe (the first one's checkpoints went with it).
"""

from __future__ import annotations

import pytest

from blueprint.dataflow import azure_local, stack_plan
from blueprint.dataflow.probe import Probe


@pytest.mark.parametrize(("stack", "written", "buffer", "sink"), [
    ("azure", "the drain (pipeline.drain, consumer group sink) wrote 2 objects to raw/events/year=", "bridged", "ran"),
    ("azure-prod", "Event Hubs Capture's Avro file to raw/{namespace}/{hub}/0/", "skipped", "bridged"),
])
def test_raw_and_curated_run_and_the_hub_hops_are_said_not_to(stack, written, buffer, sink, azurite_connections,
                                                              spark):
    plan = stack_plan.read(stack)
    hops = azure_local.smoke(plan, Probe(9), "curated", azurite_connections[stack])
    names = {r.type.rsplit(":", 1)[-1]: r.inputs for r in plan.resources if r.type.startswith("azure-native:eventhub:")}
    if "{namespace}" in written:
        # Capture's path is namespace/hub/partition/...: the names the stack gives them.
        written = written.format(namespace=names["Namespace"]["namespaceName"], hub=names["EventHub"]["eventHubName"])

    status = {h.name: h.status for h in hops.hops}
    assert status == {"setup": "ran", "connect": "skipped", "buffer": buffer, "sink": sink, "raw": "ran",
                      "raw -> job input": "bridged", "job -> curated": "ran", "cleanup": "ran"}
    assert written in next(h for h in hops.hops if h.name == "sink").detail
    assert "not run: connect" in hops.footer()
    # Values 0..8 and one retried copy: 4.0 over 9 events.
    assert "daily average 4.0 over 9 events" in next(h for h in hops.hops if h.name == "job -> curated").detail


def test_learning_smoke_runs_twice_in_one_azurite(azurite_connections):
    plan = stack_plan.read("azure")
    for _ in range(2):
        hops = azure_local.smoke(plan, Probe(3), "raw", azurite_connections["azure"])
        assert {h.name: h.status for h in hops.hops}["raw"] == "ran"
