"""Where the plan places each resource: cloud, stage and zone."""

from __future__ import annotations

from blueprint.plan import build_plan
from tests.conftest import synth


def _placed(stack: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    return {(r.type, r.name): (r.cloud, r.stage, r.zone) for r in build_plan(synth(stack)).resources}


def test_a_cross_cloud_edge_resource_belongs_to_the_stage_its_tags_name():
    placed = _placed("hybrid")
    # The edge's import topic and Kinesis consumer sit under the platform, tagged as the buffer they mirror.
    assert placed[("gcp:pubsub/topic:Topic", "platform-buffer-to-processing-topic")][:2] == ("gcp", "buffer")
    consumers = [key for key in placed if key[0] == "aws:kinesis/streamConsumer:StreamConsumer"]
    assert consumers and all(placed[key][1] == "buffer" for key in consumers)


def test_an_untagged_edge_resource_stays_with_the_platform():
    placed = _placed("hybrid")
    assert placed[("gcp:serviceaccount/account:Account", "platform-buffer-to-processing-sa")][1] == "platform"


def test_a_stage_component_decides_over_its_childrens_tags():
    placed = _placed("aws")
    assert placed[("aws:kinesis/stream:Stream", "platform-buffer-stream")][1] == "buffer"
