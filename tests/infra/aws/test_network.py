"""Network: what EC2 accepts in descriptions, and the S3 gateway endpoint's policy."""

from __future__ import annotations

import re

import pytest

from tests.conftest import synth
from tests.infra.aws.support import LEARNING, PRODUCTION, doc, of_type, one, statements, variation

EC2_DESCRIPTION = re.compile(r"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{0,255}")
"""EC2 API Reference: GroupDescription, IpRange/UserIdGroupPair/PrefixListId Description."""

RULE_TYPES = ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
              "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION, "cluster"])
def test_every_security_group_and_rule_description_is_accepted_by_ec2(stack):
    s = variation(stack) if stack == "cluster" else synth(stack)
    described = [*of_type(s, "aws:ec2/securityGroup:SecurityGroup"), *(r for t in RULE_TYPES for r in of_type(s, t))]
    assert len(described) > 10
    for resource in described:
        assert EC2_DESCRIPTION.fullmatch(resource.inputs["description"]), (resource.name, resource.inputs["description"])


def test_rule_descriptions_say_source_destination_and_port_in_plain_words():
    s = synth(LEARNING)
    described = {r.inputs["description"] for t in RULE_TYPES for r in of_type(s, t)}
    assert "processing to data on 443" in described
    assert "processing to data (S3 gateway endpoint) on 443" in described


def test_a_description_ec2_refuses_is_refused_before_registration():
    from infra.aws.network import rule_description

    assert rule_description("processing to data on 443") == "processing to data on 443"
    for bad in ("processing -> data on 443", "a" * 256, "tab\there"):
        with pytest.raises(ValueError, match="security group description"):
            rule_description(bad)


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_s3_gateway_endpoint_reaches_only_buckets_of_this_account(stack):
    endpoint = [e for e in of_type(synth(stack), "aws:ec2/vpcEndpoint:VpcEndpoint")
                if e.inputs["vpcEndpointType"] == "Gateway"]
    assert len(endpoint) == 1
    assert statements(doc(endpoint[0].inputs["policy"])) == [{
        "Sid": "BucketsOfThisAccount",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                   "s3:ListMultipartUploadParts", "s3:ListBucket", "s3:GetBucketLocation",
                   "s3:ListBucketMultipartUploads"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}},
    }]


def test_with_a_cluster_the_s3_endpoint_also_reads_the_aws_owned_emr_buckets():
    endpoint = one(variation("cluster"), "aws:ec2/vpcEndpoint:VpcEndpoint", "-s3-endpoint")
    found = statements(doc(endpoint.inputs["policy"]))
    assert found[0]["Condition"] == {"StringEquals": {"aws:ResourceAccount": "123456789012"}}
    assert found[1] == {
        "Sid": "EmrSoftwareBuckets", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
        "Resource": ["arn:aws:s3:::us-east-1.elasticmapreduce/*", "arn:aws:s3:::repo.us-east-1.emr.amazonaws.com/*",
                     "arn:aws:s3:::prod.us-east-1.appinfo.src/*", "arn:aws:s3:::amazonlinux.us-east-1.amazonaws.com/*",
                     "arn:aws:s3:::amazonlinux-2-repos-us-east-1/*", "arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*"],
    }
    assert len(found) == 2


def test_processing_and_serving_reach_s3_through_its_prefix_list_on_https_only():
    s = synth(LEARNING)
    egress = of_type(s, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    out = {r.name.rsplit("-network-", 1)[1]: r.inputs for r in egress if r.name.endswith("-to-s3-out")}
    assert sorted(out) == ["processing-to-s3-out", "serving-to-s3-out"]
    for rule in out.values():
        assert (rule["ipProtocol"], rule["fromPort"], rule["toPort"]) == ("tcp", 443, 443)
        assert rule["prefixListId"].startswith("pl-") and "cidrIpv4" not in rule
