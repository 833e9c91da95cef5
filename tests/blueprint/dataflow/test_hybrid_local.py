"""``bp smoke hybrid --local``: Connect and Buffer in moto, the edge bridged, the GCP hops in their emulators."""

from __future__ import annotations

import pytest

from blueprint.dataflow import hybrid_local, stack_plan
from blueprint.dataflow.probe import Probe


def test_events_cross_the_edge_to_curated_and_each_hop_says_how_it_ran(moto_endpoint, gcp_endpoints, spark):
    plan = stack_plan.read("hybrid")
    hops = hybrid_local.smoke(plan, Probe(12), "curated", {"aws": moto_endpoint, "gcp": gcp_endpoints})

    status = {h.name: h.status for h in hops.hops}
    assert status == {"setup": "ran", "connect": "bridged", "buffer": "ran", "buffer -> import topic": "bridged",
                      "import topic": "ran", "sink": "bridged", "raw": "ran", "raw -> job input": "bridged",
                      "job -> curated": "ran", "cleanup": "ran"}
    detail = {h.name: h.detail for h in hops.hops}
    # The stream on AWS and the import topic on GCP are the stack's own.
    stream = next(r for r in plan.resources if r.type == "aws:kinesis/stream:Stream").inputs["name"]
    assert "records read back from Kinesis stream blueprint-hybrid-buffer-stream-" in detail["buffer"]
    assert stream in detail["buffer"]
    topic = next(r for r in plan.resources if r.type == "gcp:pubsub/topic:Topic"
                 and "ingestionDataSourceSettings" in r.inputs).inputs["name"]
    assert topic.startswith("blueprint-hybrid-buffer-import-")
    assert f"13 records published to projects/blueprint-learning/topics/{topic}" in detail["buffer -> import topic"]
    assert "no emulator runs Pub/Sub's Kinesis ingestion" in detail["buffer -> import topic"]
    assert "gs://blueprint-hybrid-store-raw-" in detail["sink"]
    # Values 0..11 and one retried copy of the first: 5.5 over 12 events, the copy dropped.
    assert "daily average 5.5 over 12 events" in detail["job -> curated"]
    assert "1 duplicates dropped" in detail["job -> curated"]
    assert "bridged by the command: connect, buffer -> import topic, sink, raw -> job input" in hops.footer()


def test_an_edge_without_a_local_run_is_refused_by_its_slug_before_any_emulator_starts(monkeypatch):
    from blueprint.dataflow import route
    from blueprint.dataflow.stack_plan import StackPlan
    from blueprint.dataflow.unavailable import Unavailable

    monkeypatch.setattr(hybrid_local, "LOCAL", {})
    plan = StackPlan("hybrid", {}, [], "learning")
    with pytest.raises(Unavailable, match="--local does not cross the edge buffer-aws-to-processing-gcp yet"):
        hybrid_local.smoke(plan, Probe(1), "raw", route=route.of_stack("hybrid"))
    with pytest.raises(Unavailable, match="runs every stage on one cloud"):
        hybrid_local.smoke(plan, Probe(1), "raw", route=route.of_stack("aws"))
