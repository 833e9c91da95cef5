"""The smoke's route: the hops from Connect to raw and their deadlines, derived from the stages' clouds."""

from __future__ import annotations

import pytest

from blueprint.dataflow import route as route_module
from blueprint.dataflow import stack_plan
from blueprint.dataflow.route import Crossing, Leg, Route, of_outputs, of_stack
from blueprint.dataflow.unavailable import Unavailable
from components.config import Cloud, StageName
from components.edges import Edge

AWS, AZURE, GCP = Cloud.AWS, Cloud.AZURE, Cloud.GCP


def clouds(connect: Cloud, buffer: Cloud, processing: Cloud, store: Cloud) -> dict[StageName, Cloud]:
    return {StageName.CONNECT: connect, StageName.BUFFER: buffer, StageName.PROCESSING: processing,
            StageName.STORE: store}


def test_the_hybrid_stack_crosses_its_edge_between_buffer_and_sink():
    route = of_stack("hybrid")

    assert route.legs == [
        Leg("connect", "aws", 0), Leg("buffer", "aws", 0),
        Leg("buffer -> import topic", "buffer-aws-to-processing-gcp", 300),
        Leg("sink", "gcp", 600), Leg("raw", "gcp", 0),
    ]
    # Raw is awaited for the edge's deadline plus the sink's: 300 s + 600 s.
    assert route.raw_deadline_seconds == 900
    edge, crossing = route.crossing
    assert edge.slug == "buffer-aws-to-processing-gcp"
    assert "no emulator runs Pub/Sub's Kinesis ingestion" in crossing.local


@pytest.mark.parametrize("stack", ["aws", "gcp-prod"])
def test_a_single_cloud_stack_crosses_nothing(stack):
    route = of_stack(stack)
    cloud = stack.split("-")[0]
    assert route.crossing is None
    assert [(leg.hop, leg.runs_on) for leg in route.legs] == [
        ("connect", cloud), ("buffer", cloud), ("sink", cloud), ("raw", cloud)]
    assert route.raw_deadline_seconds == 600


def test_a_deployed_stack_has_the_route_of_its_stack_file():
    # The clouds each stage exports are the ones the stack file gives them (``stage_cloud``).
    exports = stack_plan.read("hybrid").exports
    assert of_outputs(exports) == of_stack("hybrid")
    assert of_outputs(exports).clouds == clouds(AWS, AWS, GCP, GCP)


def test_outputs_without_a_stage_cloud_run_where_connect_runs():
    assert of_outputs({"connect": {"cloud": "aws"}}).clouds == clouds(AWS, AWS, AWS, AWS)


def test_outputs_naming_no_cloud_are_refused_with_the_allowed_ones():
    with pytest.raises(Unavailable, match=r"the stack's buffer.cloud is 'oracle'; allowed: aws, azure, gcp"):
        of_outputs({"connect": {"cloud": "aws"}, "buffer": {"cloud": "oracle"}})


def test_an_edge_without_a_crossing_is_refused_by_its_slug(monkeypatch):
    monkeypatch.setattr(route_module, "CROSSINGS", {})
    with pytest.raises(Unavailable, match="does not cross the edge buffer-aws-to-processing-gcp"):
        of_stack("hybrid").legs


def test_a_pair_that_is_no_supported_edge_is_refused():
    with pytest.raises(Unavailable, match="connect on aws -> buffer on gcp is not a supported cross-cloud edge"):
        Route(clouds(AWS, GCP, GCP, GCP)).legs


def _added_edge(monkeypatch, upstream: StageName, a: Cloud, downstream: StageName, b: Cloud) -> str:
    """Declare one more edge and its crossing, as another connector would."""
    edge = Edge(upstream, a, downstream, b, connector="c", trust="t", reason="r")
    real = route_module.supported_edge
    monkeypatch.setattr(route_module, "supported_edge",
                        lambda *key: edge if key == edge.key else real(*key))
    monkeypatch.setitem(route_module.CROSSINGS, edge.slug, Crossing("crossing", 120, "bridged"))
    return edge.slug


def test_a_new_buffer_edge_gets_its_place_in_the_chain_from_its_crossing(monkeypatch):
    slug = _added_edge(monkeypatch, StageName.BUFFER, AZURE, StageName.PROCESSING, AWS)
    route = Route(clouds(AZURE, AZURE, AWS, AWS))

    assert slug == "buffer-azure-to-processing-aws"
    assert route.legs == [Leg("connect", "azure", 0), Leg("buffer", "azure", 0),
                          Leg("crossing", "buffer-azure-to-processing-aws", 120), Leg("sink", "aws", 600),
                          Leg("raw", "aws", 0)]
    assert route.raw_deadline_seconds == 720


def test_a_buffer_on_gcp_crosses_the_drain_between_buffer_and_sink():
    from components.config import from_pulumi_config
    from tests.infra.hybrid.stacks import gcp_buffer_config

    route = route_module.of_config(from_pulumi_config(gcp_buffer_config(), "aws"))

    assert route.legs == [
        Leg("connect", "gcp", 0), Leg("buffer", "gcp", 0),
        Leg("drain -> delivery stream", "buffer-gcp-to-processing-aws", 360),
        Leg("sink", "aws", 600), Leg("raw", "aws", 0),
    ]
    # The drain's 5-minute schedule and one round (360 s), then Firehose's buffering (600 s).
    assert route.raw_deadline_seconds == 960
    edge, crossing = route.crossing
    assert "(infra/hybrid/drain) ran in the emulators" in crossing.local
    assert "token exchange is bypassed" in crossing.local


def test_the_store_edge_from_gcp_processing_to_aws_is_still_refused_by_its_slug():
    with pytest.raises(Unavailable, match="does not cross the edge processing-gcp-to-store-aws .* yet; it crosses "
                                          "buffer-aws-to-processing-gcp, buffer-gcp-to-processing-aws"):
        Route(clouds(GCP, GCP, GCP, AWS)).legs


def test_a_new_store_edge_crosses_between_the_sink_and_raw(monkeypatch):
    _added_edge(monkeypatch, StageName.PROCESSING, GCP, StageName.STORE, AWS)
    assert [(leg.hop, leg.runs_on) for leg in Route(clouds(GCP, GCP, GCP, AWS)).legs] == [
        ("connect", "gcp"), ("buffer", "gcp"), ("sink", "gcp"), ("crossing", "processing-gcp-to-store-aws"),
        ("raw", "aws")]


def test_a_route_over_two_edges_is_refused(monkeypatch):
    _added_edge(monkeypatch, StageName.PROCESSING, GCP, StageName.STORE, AWS)
    with pytest.raises(Unavailable, match="crosses 2 edges"):
        Route(clouds(AWS, AWS, GCP, AWS)).crossing


def test_a_stack_file_given_by_path_crosses_the_drain_and_runs_the_hybrid_smoke(tmp_path):
    # `bp smoke path/to/Pulumi.<stack>.yaml --local` for a topology no example stack has.
    import yaml

    from blueprint.dataflow.commands import _smoke_module
    from tests.infra.hybrid.stacks import gcp_buffer_config

    path = tmp_path / "Pulumi.gcpbuf.yaml"
    path.write_text(yaml.safe_dump({"config": gcp_buffer_config()}))
    route = of_stack(str(path))
    assert route.clouds == clouds(GCP, GCP, AWS, AWS)
    assert route.crossing[0].slug == "buffer-gcp-to-processing-aws"
    assert _smoke_module(route, "local").__name__ == "blueprint.dataflow.hybrid_local"
