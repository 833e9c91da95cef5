"""Learning idles at no more than $1/day by list prices (PRICES.md §1, us-east-1)."""

from __future__ import annotations

import pytest

from tests.conftest import synth
from tests.infra.aws.support import LEARNING, PRODUCTION, of_type, one

# List prices, PRICES.md §1 (infracost golden files 2024-07-01 / 2024-10-18; KMS pricing page).
SHARD_HOUR = 0.015
ON_DEMAND_STREAM_HOUR = 0.04
INTERFACE_ENDPOINT_AZ_HOUR = 0.01
NAT_GATEWAY_HOUR = 0.045
KMS_KEY_MONTH = 1.00
# AWS WAF: $5 per web ACL-month + $1 per rule-month (c3x.dev and awsnegotiations.com, 2026; not in PRICES.md).
WAF_ACL_MONTH, WAF_RULE_MONTH = 5.00, 1.00


def idle_per_day(s) -> float:
    """Everything the stack bills per hour whether or not data flows."""
    total = 0.0
    for stream in of_type(s, "aws:kinesis/stream:Stream"):
        if stream.inputs["streamModeDetails"]["streamMode"] == "ON_DEMAND":
            total += ON_DEMAND_STREAM_HOUR * 24
        else:
            total += stream.inputs["shardCount"] * SHARD_HOUR * 24
    for endpoint in of_type(s, "aws:ec2/vpcEndpoint:VpcEndpoint"):
        if endpoint.inputs["vpcEndpointType"] == "Interface":
            total += len(endpoint.inputs["subnetIds"]) * INTERFACE_ENDPOINT_AZ_HOUR * 24
    total += len(of_type(s, "aws:ec2/natGateway:NatGateway")) * NAT_GATEWAY_HOUR * 24
    total += len(of_type(s, "aws:kms/key:Key")) * KMS_KEY_MONTH * 12 / 365
    for acl in of_type(s, "aws:wafv2/webAcl:WebAcl"):
        total += (WAF_ACL_MONTH + WAF_RULE_MONTH * len(acl.inputs["rules"])) * 12 / 365
    for app in of_type(s, "aws:emrserverless/application:Application"):
        for capacity in app.inputs.get("initialCapacities") or []:
            raise AssertionError(f"pre-initialized capacity bills while started: {capacity}")
    return total


def test_learning_idle_cost_is_at_most_one_dollar_a_day():
    cost = idle_per_day(synth(LEARNING))
    assert cost <= 1.00
    assert cost == pytest.approx(0.36 + 12 / 365 + 0.24, abs=0.001)  # one shard + one key + the Glue endpoint


def test_production_idle_cost_matches_the_documented_figure():
    # 1 on-demand stream + 1 key + 8 interface endpoints in 2 AZs + a 2-rule web ACL (docs/clouds/aws.md)
    expected = 0.96 + 12 / 365 + 8 * 2 * 0.24 + 7 * 12 / 365
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
