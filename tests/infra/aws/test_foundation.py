"""The AWS foundation: provider, KMS key, zoned network and budget."""

from __future__ import annotations

import ipaddress

import pytest

from blueprint.engine import read_stack_config
from components.config import BUDGET_THRESHOLDS
from tests.infra.aws.support import (
    LEARNING, PRODUCTION, as_list, by_urn, child_types, component, doc, of_type, one, statements, variation,
)
from tests.conftest import synth

KEY = "aws:kms/key:Key"


def test_provider_is_explicit_and_takes_the_configured_region():
    for s, region in ((synth(LEARNING), "us-east-1"), (variation("overrides"), "eu-west-1")):
        providers = of_type(s, "pulumi:providers:aws")
        assert len(providers) == 1
        assert providers[0].inputs["region"] == region
        # every AWS resource uses that provider, none a default one
        assert {r.provider.rsplit("::", 1)[0] for r in s.custom() if r.type.startswith("aws:")} == {providers[0].urn}


def test_foundation_children_are_key_network_budget():
    s = synth(LEARNING)
    foundation = component(s, "blueprint:platform:Foundation")
    assert child_types(s, foundation) == {"Key": 1, "Network": 1, "Budget": 1}
    assert child_types(s, component(s, "blueprint:aws:Key")) == {"Key": 1, "Alias": 1}


@pytest.mark.parametrize("stack,window", [(LEARNING, 7), (PRODUCTION, 30)])
def test_key_rotates_and_has_profile_deletion_window(stack, window):
    key = one(synth(stack), KEY)
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == window
    assert key.inputs.get("bypassPolicyLockoutSafetyCheck") is not True
    assert key.protect is (stack == PRODUCTION)


def test_key_policy_has_no_unconditioned_star_principal_and_no_kms_star():
    policy = doc(one(synth(LEARNING), KEY).inputs["policy"])
    for statement in statements(policy):
        principal = statement["Principal"]
        values = [principal] if isinstance(principal, str) else [v for vs in principal.values() for v in as_list(vs)]
        if "*" in values:
            assert "Condition" in statement, statement
        for value in values:
            if value.startswith("arn:"):
                assert value == "arn:aws:iam::123456789012:root"
        assert "kms:*" not in as_list(statement["Action"]) and "*" not in as_list(statement["Action"])
    services = {statement["Principal"].get("Service") for statement in statements(policy)}
    assert "logs.us-east-1.amazonaws.com" in services and "budgets.amazonaws.com" in services
    for statement in statements(policy):
        if "Service" in statement["Principal"]:
            assert statement.get("Condition"), f"service statement without condition: {statement['Sid']}"


def test_key_alias_is_a_valid_alias():
    alias = one(synth(LEARNING), "aws:kms/alias:Alias")
    assert alias.inputs["name"].startswith("alias/") and not alias.inputs["name"].startswith("alias/aws/")


@pytest.mark.parametrize("stack,azs", [(LEARNING, 1), (PRODUCTION, 2)])
def test_subnets_per_tier_and_zone_count(stack, azs):
    s = synth(stack)
    subnets = of_type(s, "aws:ec2/subnet:Subnet")
    tiers = {}
    for subnet in subnets:
        tiers.setdefault(subnet.inputs["tags"]["tier"], []).append(subnet)
        assert subnet.inputs["mapPublicIpOnLaunch"] is False
        assert subnet.inputs["tags"]["zone"] == subnet.inputs["tags"]["tier"]
    assert set(tiers) == {"processing", "data", "serving"}
    for tier_subnets in tiers.values():
        assert len({t.inputs["availabilityZone"] for t in tier_subnets}) == azs == len(tier_subnets)
    vpc_cidr = ipaddress.ip_network(one(s, "aws:ec2/vpc:Vpc").inputs["cidrBlock"])
    blocks = [ipaddress.ip_network(t.inputs["cidrBlock"]) for t in subnets]
    assert all(b.subnet_of(vpc_cidr) for b in blocks)
    assert not any(a.overlaps(b) for i, a in enumerate(blocks) for b in blocks[i + 1:])


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_no_route_to_the_internet(stack):
    s = synth(stack)
    for token in ("aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway",
                  "aws:ec2/route:Route", "aws:ec2/eip:Eip"):
        assert of_type(s, token) == []
    table = one(s, "aws:ec2/routeTable:RouteTable")
    assert not table.inputs.get("routes")
    associations = of_type(s, "aws:ec2/routeTableAssociation:RouteTableAssociation")
    assert len(associations) == len(of_type(s, "aws:ec2/subnet:Subnet"))


def test_default_security_group_is_closed():
    group = one(synth(LEARNING), "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert group.inputs.get("ingress", []) == [] and group.inputs.get("egress", []) == []


def test_s3_gateway_endpoint_on_the_private_route_table():
    s = synth(LEARNING)
    gateway = [e for e in of_type(s, "aws:ec2/vpcEndpoint:VpcEndpoint") if e.inputs["vpcEndpointType"] == "Gateway"]
    assert len(gateway) == 1
    assert gateway[0].inputs["serviceName"] == "com.amazonaws.us-east-1.s3"
    table = one(s, "aws:ec2/routeTable:RouteTable")
    assert gateway[0].property_dependencies["routeTableIds"] == [table.urn]


def test_learning_has_only_the_glue_endpoint_in_one_az_and_production_all_in_the_data_tier():
    learning = [e for e in of_type(synth(LEARNING), "aws:ec2/vpcEndpoint:VpcEndpoint")
                if e.inputs["vpcEndpointType"] == "Interface"]
    assert [(e.inputs["serviceName"], len(e.inputs["subnetIds"])) for e in learning] == [
        ("com.amazonaws.us-east-1.glue", 1)]
    s = synth(PRODUCTION)
    endpoints = [e for e in of_type(s, "aws:ec2/vpcEndpoint:VpcEndpoint") if e.inputs["vpcEndpointType"] == "Interface"]
    services = {e.inputs["serviceName"].rsplit(".", 1)[1] for e in endpoints}
    # Only what a workload inside the VPC calls: Firehose, Athena and EMR Serverless's API are called from outside.
    assert sorted(services) == ["glue", "kinesis-streams", "kms", "logs", "sts"]
    for endpoint in endpoints:
        assert endpoint.inputs["privateDnsEnabled"] is True
        subnets = [by_urn(s, u) for u in endpoint.property_dependencies["subnetIds"]]
        assert {x.inputs["tags"]["tier"] for x in subnets} == {"data"} and len(subnets) == 2
        groups = [by_urn(s, u) for u in endpoint.property_dependencies["securityGroupIds"]]
        assert [g.inputs["tags"]["zone"] for g in groups] == ["data"]


@pytest.mark.parametrize("stack,interface", [
    ("aws", ["com.amazonaws.us-east-1.glue"]),
    # Processing runs on GCP: nothing inside the AWS VPC calls Glue, Kinesis, KMS, STS or Logs.
    ("hybrid", []),
    ("hybrid-prod", []),
])
def test_interface_endpoints_only_where_processing_runs_on_aws(stack, interface):
    endpoints = of_type(synth(stack), "aws:ec2/vpcEndpoint:VpcEndpoint")
    assert sorted(e.inputs["serviceName"] for e in endpoints if e.inputs["vpcEndpointType"] == "Interface") == interface
    assert [e.inputs["serviceName"] for e in endpoints if e.inputs["vpcEndpointType"] == "Gateway"] == [
        "com.amazonaws.us-east-1.s3"]


@pytest.mark.parametrize("stack,retention", [(LEARNING, 7), (PRODUCTION, 365)])
def test_flow_logs_capture_all_traffic_to_an_encrypted_group(stack, retention):
    s = synth(stack)
    flow = one(s, "aws:ec2/flowLog:FlowLog")
    vpc = one(s, "aws:ec2/vpc:Vpc")
    # Interface endpoints' private DNS names resolve only with both set.
    assert (vpc.inputs["enableDnsSupport"], vpc.inputs["enableDnsHostnames"]) == (True, True)
    assert flow.inputs["trafficType"] == "ALL" and flow.property_dependencies["vpcId"] == [vpc.urn]
    group = by_urn(s, flow.property_dependencies["logDestination"][0])
    assert group.type == "aws:cloudwatch/logGroup:LogGroup"
    assert group.inputs["retentionInDays"] == retention
    assert group.inputs["kmsKeyId"].startswith("arn:aws:kms:us-east-1:123456789012:key/")


def test_budget_thresholds_and_alert_topic():
    s = synth(PRODUCTION)
    budget = one(s, "aws:budgets/budget:Budget")
    topic = one(s, "aws:sns/topic:Topic")
    assert budget.inputs["budgetType"] == "COST" and budget.inputs["timeUnit"] == "MONTHLY"
    config = read_stack_config(PRODUCTION)
    assert float(budget.inputs["limitAmount"]) == float(config["blueprint:budget"])
    seen = {(n["notificationType"], int(n["threshold"])) for n in budget.inputs["notifications"]}
    expected = {({"actual": "ACTUAL", "forecast": "FORECASTED"}[k], p) for k, p in BUDGET_THRESHOLDS}
    assert seen == expected
    for notification in budget.inputs["notifications"]:
        assert notification["thresholdType"] == "PERCENTAGE"
        assert notification["subscriberSnsTopicArns"] == [f"arn:aws:sns:us-east-1:123456789012:{topic.inputs['name']}"]
    assert topic.inputs["kmsMasterKeyId"].startswith("arn:aws:kms:")
    emails = sorted(sub.inputs["endpoint"] for sub in of_type(s, "aws:sns/topicSubscription:TopicSubscription"))
    assert emails == sorted(config["blueprint:alertEmails"])
    assert {sub.inputs["protocol"] for sub in of_type(s, "aws:sns/topicSubscription:TopicSubscription")} == {"email"}


def test_topic_policy_lets_only_budgets_of_this_account_publish():
    policy = doc(one(synth(LEARNING), "aws:sns/topicPolicy:TopicPolicy").inputs["policy"])
    allows = [st for st in statements(policy) if st["Effect"] == "Allow"]
    assert len(allows) == 1
    assert allows[0]["Principal"] == {"Service": "budgets.amazonaws.com"}
    assert allows[0]["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    denies = [st for st in statements(policy) if st["Effect"] == "Deny"]
    assert denies and denies[0]["Condition"]["Bool"]["aws:SecureTransport"] == "false"


def test_budget_children():
    s = synth(PRODUCTION)
    emails = len(read_stack_config(PRODUCTION)["blueprint:alertEmails"])
    assert child_types(s, component(s, "blueprint:aws:Budget")) == {
        "Topic": 1, "TopicPolicy": 1, "TopicSubscription": emails, "Budget": 1}


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_subnets_avoid_zones_where_emr_serverless_does_not_run(stack):
    # The offline account maps us-east-1a to use1-az3, as some real accounts do; EMR Serverless
    # (the processing subnets' only tenant) does not run there.
    s = synth(stack)
    zones = {x.inputs["availabilityZone"] for x in of_type(s, "aws:ec2/subnet:Subnet")}
    assert zones and "us-east-1a" not in zones
    assert len(zones) == (2 if stack == PRODUCTION else 1)


def test_cluster_engine_gets_the_emr_endpoint():
    endpoints = [e.inputs["serviceName"] for e in of_type(variation("cluster"), "aws:ec2/vpcEndpoint:VpcEndpoint")
                 if e.inputs["vpcEndpointType"] == "Interface"]
    assert sorted(endpoints) == ["com.amazonaws.us-east-1.elasticmapreduce", "com.amazonaws.us-east-1.glue",
                                 "com.amazonaws.us-east-1.kms"]
