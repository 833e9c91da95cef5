"""``bp smoke gcp --local``: Pub/Sub emulator to raw in fake-gcs-server, and on to curated."""

from __future__ import annotations

from blueprint.dataflow import gcp_local, stack_plan
from blueprint.dataflow.probe import Probe


def test_events_reach_curated_and_the_missing_sink_is_said_to_be_bridged(gcp_endpoints, spark):
    hops = gcp_local.smoke(stack_plan.read("gcp"), Probe(12), "curated", gcp_endpoints)

    status = {h.name: h.status for h in hops.hops}
    assert status == {"setup": "ran", "connect": "ran", "buffer": "ran", "sink": "bridged", "raw": "ran",
                      "raw -> job input": "bridged", "job -> curated": "ran", "cleanup": "ran"}
    sink = next(h for h in hops.hops if h.name == "sink")
    assert "gs://blueprint-gcp-store-raw-d42b13/events/" in sink.detail
    assert "no Cloud Storage subscriptions" in sink.detail
    job = next(h for h in hops.hops if h.name == "job -> curated")
    # Values 0..11 and one retried copy: 5.5 over 12 events.
    assert "daily average 5.5 over 12 events" in job.detail
