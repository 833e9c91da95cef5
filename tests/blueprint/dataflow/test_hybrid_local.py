"""``bp smoke STACK --local`` across an edge: each side in its emulators, the edge bridged or its connector run.

Buffer on AWS -> Processing on GCP is the example stack ``hybrid``. Buffer on
GCP -> Processing on AWS has no example stack: its plan is the AWS learning
stack with Connect and Buffer moved to GCP (``tests/infra/hybrid/stacks.py``).
"""

from __future__ import annotations

import pytest

from blueprint.dataflow import hybrid_local, route, stack_plan
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.stack_plan import StackPlan
from blueprint.plan import build_plan
from components.config import from_pulumi_config
from tests.infra.hybrid.stacks import gcp_buffer, gcp_buffer_config


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
    from blueprint.dataflow.stack_plan import StackPlan
    from blueprint.dataflow.unavailable import Unavailable

    monkeypatch.setattr(hybrid_local, "LOCAL", {})
    plan = StackPlan("hybrid", {}, [], "learning")
    with pytest.raises(Unavailable, match="--local does not cross the edge buffer-aws-to-processing-gcp yet"):
        hybrid_local.smoke(plan, Probe(1), "raw", route=route.of_stack("hybrid"))
    with pytest.raises(Unavailable, match="runs every stage on one cloud"):
        hybrid_local.smoke(plan, Probe(1), "raw", route=route.of_stack("aws"))


@pytest.fixture(scope="module")
def drained():
    plan = build_plan(gcp_buffer())
    stack_route = route.of_config(from_pulumi_config(gcp_buffer_config(), "aws"))
    return StackPlan("aws", plan.exports, plan.custom_resources, "learning"), stack_route


def test_events_cross_the_drain_to_curated_and_each_hop_says_how_it_ran(drained, moto_endpoint, gcp_endpoints, spark):
    plan, stack_route = drained
    hops = hybrid_local.smoke(plan, Probe(12), "curated", {"aws": moto_endpoint, "pubsub": gcp_endpoints[0]},
                              route=stack_route)

    status = {h.name: h.status for h in hops.hops}
    assert status == {"setup": "ran", "connect": "ran", "buffer": "ran", "drain -> delivery stream": "ran",
                      "sink": "bridged", "raw": "ran", "raw -> job input": "bridged", "job -> curated": "ran",
                      "curated": "ran", "cleanup": "ran"}
    detail = {h.name: h.detail for h in hops.hops}
    # The topic on GCP and the delivery stream on AWS are the stack's own.
    topic = next(r for r in plan.resources if r.type == "gcp:pubsub/topic:Topic"
                 and r.inputs["name"].startswith("blueprint-aws-buffer-events-")).inputs["name"]
    assert f"13 messages (one retried) published with google-cloud-pubsub to projects/blueprint-learning/topics/{topic}" \
        in detail["connect"]
    # 12 events and the retried copy: all pulled, written and acknowledged by the drain.
    assert "13 messages delivered by the edge's subscription" in detail["buffer"]
    assert "13 of 13 messages written to Firehose blueprint-aws-processing-sink-" in detail["drain -> delivery stream"]
    assert "then the subscription was empty" in detail["drain -> delivery stream"]
    assert "(infra/hybrid/drain) ran in the emulators" in detail["drain -> delivery stream"]
    assert "token exchange is bypassed" in detail["drain -> delivery stream"]
    # Found in Firehose's own layout: the JSON Lines objects under the sink's static prefix.
    assert "12/12 events found in s3://blueprint-aws-store-raw-" in detail["raw"]
    assert "/events/" in detail["raw"]
    # Values 0..11 and one retried copy of the first: 5.5 over 12 events, the copy dropped.
    assert "daily average 5.5 over 12 events" in detail["job -> curated"]
    assert "1 duplicates dropped" in detail["job -> curated"]
    assert "bridged by the command: sink, raw -> job input" in hops.footer()
    assert hops.ok
