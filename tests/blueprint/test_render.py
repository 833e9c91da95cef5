"""The Mermaid picture of a hybrid stack shows where data leaves a cloud."""

from __future__ import annotations

from blueprint.plan import build_plan
from blueprint.render import mermaid
from tests.conftest import synth


def test_the_cross_cloud_edge_is_labelled_with_its_connector_and_the_others_are_not():
    out = mermaid(build_plan(synth("hybrid")))
    assert "  buffer ==>|cross-cloud: pubsub-import-topic| processing\n" in out
    assert "  connect ==> buffer\n" in out and "  processing ==> store\n" in out
    # The import topic mirrors the buffer on GCP (tagged stage=buffer), so the buffer spans both clouds.
    assert '<b>Buffer</b> (aws, gcp)' in out and '<b>Processing</b> (gcp)' in out


def test_a_one_cloud_stack_has_no_cross_cloud_label():
    assert "cross-cloud" not in mermaid(build_plan(synth("gcp")))
