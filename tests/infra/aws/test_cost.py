"""Learning idles at no more than $1/day by list prices (the estimator and its table, us-east-1)."""

from __future__ import annotations

import pytest

from blueprint.cost.estimate import estimate
from blueprint.plan import build_plan
from tests.conftest import synth
from tests.infra.aws.support import LEARNING, PRODUCTION, of_type, one


def idle_per_day(s) -> float:
    """Everything the stack bills per hour whether or not data flows, by the estimator (``bp cost``)."""
    return estimate(build_plan(s)).idle_per_day


def test_learning_idle_cost_is_at_most_one_dollar_a_day():
    cost = idle_per_day(synth(LEARNING))
    assert cost <= 1.00
    assert cost == pytest.approx(0.36 + 12 / 365 + 0.24, abs=0.001)  # one shard + one key + the Glue endpoint


def test_production_idle_cost_matches_the_documented_figure():
    # 1 on-demand stream + 1 key + 5 interface endpoints in 2 AZs + a 3-rule web ACL (docs/clouds/aws.md)
    expected = 0.96 + 12 / 365 + 5 * 2 * 0.24 + 8 * 12 / 365
    assert idle_per_day(synth(PRODUCTION)) == pytest.approx(expected, abs=0.001)


def test_learning_has_no_idle_traps():
    s = synth(LEARNING)
    stream = one(s, "aws:kinesis/stream:Stream")
    assert stream.inputs["streamModeDetails"]["streamMode"] == "PROVISIONED" and stream.inputs["shardCount"] == 1
    assert of_type(s, "aws:ec2/natGateway:NatGateway") == []
    interface = [e for e in of_type(s, "aws:ec2/vpcEndpoint:VpcEndpoint") if e.inputs["vpcEndpointType"] != "Gateway"]
    assert len(interface) == 1 and len(interface[0].inputs["subnetIds"]) == 1  # Glue, one AZ
    app = one(s, "aws:emrserverless/application:Application")
    assert not app.inputs.get("initialCapacities")
    assert app.inputs["autoStopConfiguration"]["enabled"] is True
    assert of_type(s, "aws:emr/cluster:Cluster") == []
    assert of_type(s, "aws:kinesis/streamConsumer:StreamConsumer") == []
    assert of_type(s, "aws:grafana/workspace:Workspace") == []
    assert of_type(s, "aws:wafv2/webAcl:WebAcl") == []
    assert len(of_type(s, "aws:kms/key:Key")) == 1
