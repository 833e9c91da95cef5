"""``bp smoke azure --local``: raw in Azurite, on to curated; the hub hops are reported as not run."""

from __future__ import annotations

import pytest

from blueprint.dataflow import azure_local, stack_plan
from blueprint.dataflow.probe import Probe


@pytest.mark.parametrize(("stack", "written"), [
    ("azure", "the drain job's JSON Lines (GZIP) to raw/events/year="),
    ("azure-prod", "Event Hubs Capture's Avro file to raw/blueprint-azure-prod-buffer-namespace-a9ecd2/"
                   "blueprint-azure-prod-buffer-events-e65c2a/0/"),
])
def test_raw_and_curated_run_and_the_hub_hops_are_said_not_to(stack, written, azurite_connections, spark):
    hops = azure_local.smoke(stack_plan.read(stack), Probe(9), "curated", azurite_connections[stack])

    status = {h.name: h.status for h in hops.hops}
    assert status == {"setup": "ran", "connect": "skipped", "buffer": "skipped", "sink": "bridged", "raw": "ran",
                      "raw -> job input": "bridged", "job -> curated": "ran", "cleanup": "ran"}
    assert written in next(h for h in hops.hops if h.name == "sink").detail
    assert "not run: connect, buffer" in hops.footer()
    # Values 0..8 and one retried copy: 4.0 over 9 events.
    assert "daily average 4.0 over 9 events" in next(h for h in hops.hops if h.name == "job -> curated").detail
