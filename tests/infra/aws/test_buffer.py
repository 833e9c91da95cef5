"""AwsBuffer: an encrypted Kinesis stream, sized per profile, with producer and consumer roles."""

from __future__ import annotations

import pytest

from blueprint.engine import read_stack_config
from tests.conftest import synth
from tests.infra.aws.support import (
    LEARNING, PRODUCTION, child_types, component, doc, of_type, one, statements, variation,
)

STREAM = "aws:kinesis/stream:Stream"


def stream_policy(s, role):
    role_resource = one(s, "aws:iam/policy:Policy", f"buffer-{role}-policy")
    return statements(doc(role_resource.inputs["policy"]))


def test_learning_stream_is_one_provisioned_shard():
    stream = one(synth(LEARNING), STREAM)
    assert stream.inputs["streamModeDetails"]["streamMode"] == "PROVISIONED"
    assert stream.inputs["shardCount"] == 1


def test_production_stream_is_on_demand():
    stream = one(synth(PRODUCTION), STREAM)
    assert stream.inputs["streamModeDetails"]["streamMode"] == "ON_DEMAND"
    assert "shardCount" not in stream.inputs


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_stream_is_encrypted_with_the_stack_key(stack):
    s = synth(stack)
    stream = one(s, STREAM)
    assert stream.inputs["encryptionType"] == "KMS"
    assert stream.property_dependencies["kmsKeyId"] == [one(s, "aws:kms/key:Key").urn]


def test_retention_defaults_and_override():
    assert one(synth(LEARNING), STREAM).inputs["retentionPeriod"] == 24
    assert one(synth(PRODUCTION), STREAM).inputs["retentionPeriod"] == 168
    assert one(variation("overrides"), STREAM).inputs["retentionPeriod"] == 48


def test_no_enhanced_fan_out_consumers_in_learning():
    s = synth(LEARNING)
    assert of_type(s, "aws:kinesis/streamConsumer:StreamConsumer") == []
    stream_arn = f"arn:aws:kinesis:us-east-1:123456789012:stream/{one(s, STREAM).inputs['name']}"
    assert component(s, "blueprint:stage:Buffer").outputs["consumers"] == {"sink": stream_arn, "spark": stream_arn}


def test_production_registers_a_consumer_per_name_except_the_firehose_sink():
    s = synth(PRODUCTION)
    names = read_stack_config(PRODUCTION)["blueprint:stages"]["buffer"]["consumers"]
    registered = {c.inputs["name"] for c in of_type(s, "aws:kinesis/streamConsumer:StreamConsumer")}
    assert registered == set(names) - {"sink"}
    assert set(component(s, "blueprint:stage:Buffer").outputs["consumers"]) == set(names)


def test_producer_may_only_put_records_on_this_stream():
    s = synth(LEARNING)
    stream_arn = f"arn:aws:kinesis:us-east-1:123456789012:stream/{one(s, STREAM).inputs['name']}"
    for statement in stream_policy(s, "producer"):
        actions = statement["Action"]
        if any(a.startswith("kinesis:") for a in actions):
            assert statement["Resource"] == stream_arn
            assert not any(a.startswith(("kinesis:Get", "kinesis:Subscribe")) for a in actions)
            assert "kinesis:PutRecord" in actions
        else:
            assert "kms:Decrypt" not in actions


def test_consumer_may_only_read():
    s = synth(LEARNING)
    actions = [a for st in stream_policy(s, "consumer") for a in st["Action"]]
    assert "kinesis:GetRecords" in actions
    assert not any(a.startswith("kinesis:Put") or a.startswith("kinesis:Delete") for a in actions)


def test_outputs():
    s = synth(LEARNING)
    out = component(s, "blueprint:stage:Buffer").outputs
    assert out["delivery"] == "at-least-once"
    assert out["endpoint"] == "https://kinesis.us-east-1.amazonaws.com"
    assert out["producer_identity"] != out["consumer_identity"]
    assert out["stream_name"] == one(s, STREAM).inputs["name"]


@pytest.mark.parametrize("stack,consumers", [(LEARNING, 0), (PRODUCTION, 2)])
def test_exact_children(stack, consumers):
    s = synth(stack)
    expected = {"Stream": 1, "Role": 2, "Policy": 2, "RolePolicyAttachment": 2}
    if consumers:
        expected["StreamConsumer"] = consumers
    assert child_types(s, component(s, "blueprint:stage:Buffer")) == expected


@pytest.mark.parametrize("role", ["producer", "consumer"])
def test_key_use_only_through_kinesis(role):
    for s, region in ((synth(LEARNING), "us-east-1"), (variation("overrides"), "eu-west-1")):
        kms = [st for st in stream_policy(s, role) if any(a.startswith("kms:") for a in st["Action"])]
        assert kms and all(st["Condition"] == {"StringEquals": {"kms:ViaService": f"kinesis.{region}.amazonaws.com"}}
                           for st in kms)
