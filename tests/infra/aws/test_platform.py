"""The whole AWS program for both example stacks: what `preview aws --json` lists."""

from __future__ import annotations

import pytest

from components.config import StageName
from tests.conftest import synth
from tests.infra.aws.support import LEARNING, PRODUCTION, of_type, variation

EXPECTED = {
    "aws:kinesis/stream:Stream": 1,
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": 1,
    "aws:apigateway/restApi:RestApi": 1,
    "aws:emrserverless/application:Application": 1,
    "aws:s3/bucket:Bucket": 5,
    "aws:athena/workgroup:Workgroup": 1,
    "aws:budgets/budget:Budget": 1,
    "aws:kms/key:Key": 1,
    "aws:ec2/vpc:Vpc": 1,
    "aws:ec2/flowLog:FlowLog": 1,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
    "aws:glue/catalogDatabase:CatalogDatabase": 1,
    "aws:sns/topic:Topic": 1,
}


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_the_platform_resources_are_all_there(stack):
    s = synth(stack)
    for token, count in EXPECTED.items():
        assert len(of_type(s, token)) == count, token
    assert len(of_type(s, "aws:ec2/securityGroup:SecurityGroup")) == 4
    assert of_type(s, "aws:ec2/subnet:Subnet")


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_five_stages_and_their_exports(stack):
    s = synth(stack)
    stages = {r.type for r in s.resources if r.type.startswith("blueprint:stage:")}
    assert stages == {f"blueprint:stage:{stage.value.capitalize()}" for stage in StageName}
    for stage in StageName:
        assert s.exports[stage.value]["cloud"] == "aws"
    assert s.exports["budgets"]["aws"]


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_every_aws_resource_lives_under_the_platform(stack):
    s = synth(stack)
    platform = [r for r in s.resources if r.type == "blueprint:platform:DataPlatform"]
    assert len(platform) == 1
    index = s.by_urn
    for r in s.custom():
        ancestor = r
        while ancestor.parent and ancestor.type != "blueprint:platform:DataPlatform":
            ancestor = index[ancestor.parent]
        assert ancestor.type == "blueprint:platform:DataPlatform", r.urn


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_resource_tags_carry_stage_and_zone(stack):
    s = synth(stack)
    for r in s.custom():
        tags = r.inputs.get("tags")
        if tags is not None:
            assert tags["stage"] in {*(stage.value for stage in StageName), "foundation"}, r.name
            assert tags["zone"] in {"edge", "processing", "data", "serving"}, r.name


def test_resource_counts_are_stable():
    # Measured totals reported in docs/clouds/aws.md; a change here means the doc needs updating.
    assert len(synth(LEARNING).custom()) == 127
    # Production adds the daily run: schedule group, schedule, dead-letter queue, role, policy, attachment.
    assert len(synth(PRODUCTION).custom()) == 156


NAMED = {
    "aws:iam/role:Role": "name", "aws:iam/policy:Policy": "name", "aws:iam/instanceProfile:InstanceProfile": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name", "aws:cloudwatch/logStream:LogStream": "name",
    "aws:kinesis/stream:Stream": "name", "aws:kinesis/streamConsumer:StreamConsumer": "name",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "name",
    "aws:glue/catalogDatabase:CatalogDatabase": "name", "aws:athena/workgroup:Workgroup": "name",
    "aws:emrserverless/application:Application": "name", "aws:emr/securityConfiguration:SecurityConfiguration": "name",
    "aws:wafv2/webAcl:WebAcl": "name", "aws:kms/alias:Alias": "name", "aws:s3/bucket:Bucket": "bucket",
    "aws:apigateway/model:Model": "name",
}
"""Resources whose fixed name must be free again before a replacement can be created."""


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION, "cluster"])
def test_resources_with_fixed_names_are_deleted_before_they_are_replaced(stack):
    s = variation(stack) if stack == "cluster" else synth(stack)
    named = [r for r in s.custom() if r.type in NAMED and r.inputs.get(NAMED[r.type])]
    assert len({r.type for r in named}) >= 10
    for resource in named:
        assert resource.delete_before_replace, resource.name
