"""Cross-cloud edges: the supported ones load, every other neighbouring pair is refused up front."""

from __future__ import annotations

import itertools

import pytest

from blueprint.engine import synthesize
from components.config import ConfigError, load_config
from components.edges import SUPPORTED_EDGES, cross_cloud_edges, supported_edge
from tests.components.test_config import CountingMocks
from tests.conftest import stack_config

GCP = {"project": "my-project-123", "billingAccount": "012345-6789AB-CDEF01"}
BASE = {"owner": "data-team", "alertEmails": ["team@example.com"], "gcp": GCP}
NEIGHBOURS = [("connect", "buffer"), ("buffer", "processing"), ("processing", "store"), ("store", "visualize")]
CLOUDS = ["aws", "azure", "gcp"]


def test_exactly_the_wired_edges_are_supported():
    supported = {
        (a, ca, b, cb)
        for (a, b) in NEIGHBOURS for ca, cb in itertools.permutations(CLOUDS, 2)
        if supported_edge(a, ca, b, cb) is not None
    }
    assert supported == {("buffer", "aws", "processing", "gcp"), ("buffer", "gcp", "processing", "aws"),
                         ("processing", "gcp", "store", "aws")}
    assert len(SUPPORTED_EDGES) == 3


def test_buffer_on_aws_feeding_gcp_loads_and_names_its_edge():
    cfg = load_config({**BASE, "cloud": "gcp", "stages": {"connect": {"cloud": "aws"}, "buffer": {"cloud": "aws"}}})
    assert [e.describe() for e in cross_cloud_edges(cfg)] == ["buffer on aws -> processing on gcp"]
    assert [e.slug for e in cross_cloud_edges(cfg)] == ["buffer-aws-to-processing-gcp"]


STORE_ON_AWS = {"store": {"cloud": "aws"}, "visualize": {"cloud": "aws"}, "buffer": {"consumers": ["spark"]}}


def test_processing_on_gcp_writing_a_store_on_aws_loads_and_names_its_edge():
    cfg = load_config({**BASE, "cloud": "gcp", "stages": STORE_ON_AWS})
    assert [e.slug for e in cross_cloud_edges(cfg)] == ["processing-gcp-to-store-aws"]
    assert [e.describe() for e in cross_cloud_edges(cfg)] == ["processing on gcp -> store on aws"]


def test_the_stream_sink_is_refused_when_the_store_runs_on_another_cloud():
    stages = {**STORE_ON_AWS, "buffer": {"consumers": ["sink", "spark"]}}
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, "cloud": "gcp", "stages": stages})
    assert err.value.keys == ["blueprint:stages.buffer.consumers"]
    assert "writes raw only into gcp's object storage, and the store runs on aws; leave sink out" in str(err.value)


def test_buffer_on_gcp_feeding_aws_loads_and_names_its_edge():
    cfg = load_config({**BASE, "cloud": "aws", "stages": {"connect": {"cloud": "gcp"}, "buffer": {"cloud": "gcp"}}})
    assert [e.describe() for e in cross_cloud_edges(cfg)] == ["buffer on gcp -> processing on aws"]
    assert [e.slug for e in cross_cloud_edges(cfg)] == ["buffer-gcp-to-processing-aws"]


def test_one_cloud_uses_no_edge():
    assert cross_cloud_edges(load_config({**BASE, "cloud": "gcp"})) == []


@pytest.mark.parametrize("stages,keys", [
    ({"buffer": {"cloud": "gcp"}}, ["blueprint:stages.buffer.cloud"]),
    ({"connect": {"cloud": "aws"}}, ["blueprint:stages.buffer.cloud"]),
    ({"store": {"cloud": "aws"}, "buffer": {"consumers": ["spark"]}}, ["blueprint:stages.visualize.cloud"]),
    ({"processing": {"cloud": "aws"}}, ["blueprint:stages.store.cloud"]),
    ({"visualize": {"cloud": "azure"}}, ["blueprint:stages.visualize.cloud"]),
], ids=["buffer-gcp-in-aws", "connect-aws-in-gcp", "store-aws-in-gcp", "processing-aws-in-gcp", "visualize-azure"])
def test_unsupported_edges_are_refused_with_the_supported_list(stages, keys):
    cloud = "aws" if stages.get("buffer", {}).get("cloud") == "gcp" else "gcp"
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, "cloud": cloud, "stages": stages})
    assert err.value.keys == keys
    for issue in err.value.issues:
        assert "no keyless connector" in issue.allowed
        assert "supported cross-cloud edge: buffer on aws -> processing on gcp" in issue.allowed


def test_connect_on_aws_feeding_a_gcp_buffer_is_refused_before_any_resource():
    config = stack_config("aws", **{"stages": {"buffer": {"cloud": "gcp"}}, "gcp": GCP})
    mocks = CountingMocks()
    with pytest.raises(ConfigError) as err:
        synthesize("aws", config, mocks=mocks)
    assert err.value.keys == ["blueprint:stages.buffer.cloud"]
    assert "connect on aws -> buffer on gcp has no keyless connector" in str(err.value)
    assert "buffer on aws -> processing on gcp; buffer on gcp -> processing on aws" in str(err.value)
    assert mocks.created == []


@pytest.mark.parametrize("hours,refused", [(744, False), (745, True)])
def test_a_buffer_mirrored_into_pubsub_keeps_at_most_31_days(hours, refused):
    values = {**BASE, "cloud": "gcp",
              "stages": {"connect": {"cloud": "aws"}, "buffer": {"cloud": "aws", "retentionHours": hours}}}
    if not refused:
        assert load_config(values).buffer_retention_hours == 744
        return
    with pytest.raises(ConfigError) as err:
        load_config(values)
    assert err.value.keys == ["blueprint:stages.buffer.retentionHours"]
    assert "at most 744 hours" in str(err.value)
