"""AwsVisualize: an enforced, encrypted, capped Athena workgroup and a reader role."""

from __future__ import annotations

import pytest

from components.config import PROFILE_DEFAULTS, Profile
from tests.conftest import synth
from tests.infra.aws.support import (
    LEARNING, PRODUCTION, bucket_named, child_types, component, doc, one, statements, variation,
)

WORKGROUP = "aws:athena/workgroup:Workgroup"


@pytest.mark.parametrize("stack,profile", [(LEARNING, Profile.LEARNING), (PRODUCTION, Profile.PRODUCTION)])
def test_workgroup_secure_defaults(stack, profile):
    s = synth(stack)
    config = one(s, WORKGROUP).inputs["configuration"]
    assert config["enforceWorkgroupConfiguration"] is True
    assert config["publishCloudwatchMetricsEnabled"] is True
    assert config["bytesScannedCutoffPerQuery"] == PROFILE_DEFAULTS[profile].scan_limit_gb * 1024 ** 3
    encryption = config["resultConfiguration"]["encryptionConfiguration"]
    assert encryption["encryptionOption"] == "SSE_KMS" and encryption["kmsKeyArn"].startswith("arn:aws:kms:")
    curated = bucket_named(s, "curated").inputs["bucket"]
    assert config["resultConfiguration"]["outputLocation"].startswith(f"s3://{curated}/")


def test_scan_limit_override_wins():
    config = one(variation("overrides"), WORKGROUP).inputs["configuration"]
    assert config["bytesScannedCutoffPerQuery"] == 3 * 1024 ** 3
    assert component(variation("overrides"), "blueprint:stage:Visualize").outputs["scan_limit_gb"] == 3


def test_force_destroy_only_in_learning():
    assert one(synth(LEARNING), WORKGROUP).inputs["forceDestroy"] is True
    assert one(synth(PRODUCTION), WORKGROUP).inputs["forceDestroy"] is False


def test_reader_reads_curated_and_writes_only_the_results_prefix():
    s = synth(LEARNING)
    workgroup = one(s, WORKGROUP)
    results = workgroup.inputs["configuration"]["resultConfiguration"]["outputLocation"].removeprefix("s3://")
    policy = statements(doc(one(s, "aws:iam/policy:Policy", "visualize-reader-policy").inputs["policy"]))
    curated = bucket_named(s, "curated").inputs["bucket"]
    for statement in policy:
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if "s3:PutObject" in statement["Action"]:
            assert resources == [f"arn:aws:s3:::{results}*"]
        if any(a.startswith("athena:") for a in statement["Action"]):
            assert resources == [f"arn:aws:athena:us-east-1:123456789012:workgroup/{workgroup.inputs['name']}"]
        for resource in resources:
            if resource.startswith("arn:aws:s3:::"):
                assert resource.split(":::")[1].split("/")[0] == curated
    assert not any(a.startswith("s3:Delete") for st in policy for a in st["Action"])


def test_outputs():
    s = synth(LEARNING)
    out = component(s, "blueprint:stage:Visualize").outputs
    assert out["query_endpoint"] == one(s, WORKGROUP).inputs["name"]
    assert out["reader_identity"] == out["identity"]


def test_exact_children():
    s = synth(LEARNING)
    assert child_types(s, component(s, "blueprint:stage:Visualize")) == {
        "Workgroup": 1, "Role": 1, "Policy": 1, "RolePolicyAttachment": 1}
