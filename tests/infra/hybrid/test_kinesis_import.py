"""Buffer on AWS feeding Processing on GCP: the import topic, both sides of its trust, least privilege."""

from __future__ import annotations

import json

import pytest

from blueprint.engine import RecordedResource, Synthesis
from tests.conftest import synth

EDGE = "platform-buffer-to-processing"


@pytest.fixture(scope="module")
def s() -> Synthesis:
    return synth("hybrid")


def one(s: Synthesis, token: str, name: str) -> RecordedResource:
    found = [r for r in s.of_type(token) if r.name == name]
    assert len(found) == 1, [r.name for r in s.of_type(token)]
    return found[0]


def test_the_import_topic_reads_the_buffer_stream_through_the_edge_consumer_and_role(s):
    topic = one(s, "gcp:pubsub/topic:Topic", f"{EDGE}-topic")
    kinesis = topic.inputs["ingestionDataSourceSettings"]["awsKinesis"]
    stream = one(s, "aws:kinesis/stream:Stream", "platform-buffer-stream")
    consumer = one(s, "aws:kinesis/streamConsumer:StreamConsumer", f"{EDGE}-consumer")
    role = one(s, "aws:iam/role:Role", f"{EDGE}-role")
    account = one(s, "gcp:serviceaccount/account:Account", f"{EDGE}-sa")
    assert kinesis["streamArn"] == f"arn:aws:kinesis:us-east-1:123456789012:stream/{stream.inputs['name']}"
    assert consumer.inputs["streamArn"] == kinesis["streamArn"]
    assert kinesis["awsRoleArn"] == f"arn:aws:iam::123456789012:role/{role.inputs['name']}"
    assert kinesis["gcpServiceAccount"] == f"{account.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
    assert topic.inputs["kmsKeyName"].startswith("projects/blueprint-learning/locations/us-central1/keyRings/")
    assert topic.inputs["messageStoragePolicy"] == {"allowedPersistenceRegions": ["us-central1"]}


def test_gcp_processing_subscribes_to_the_import_topic(s):
    topic = one(s, "gcp:pubsub/topic:Topic", f"{EDGE}-topic")
    dead_letter = one(s, "gcp:pubsub/topic:Topic", f"{EDGE}-dead-letter")
    sink = one(s, "gcp:pubsub/subscription:Subscription", "platform-processing-sink")
    assert sink.inputs["topic"] == f"projects/blueprint-learning/topics/{topic.inputs['name']}"
    assert sink.inputs["deadLetterPolicy"]["deadLetterTopic"] == \
        f"projects/blueprint-learning/topics/{dead_letter.inputs['name']}"
    assert sink.inputs["cloudStorageConfig"]["bucket"].startswith("blueprint-hybrid-store-raw-")


def test_the_role_trusts_one_google_service_account_by_sub_and_aud(s):
    role = one(s, "aws:iam/role:Role", f"{EDGE}-role")
    sub = s.exports["edges"]["buffer-aws-to-processing-gcp"]["gcp_service_account_id"]
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"] == [{
        "Sid": "TrustOneGoogleServiceAccount", "Effect": "Allow",
        "Principal": {"Federated": "accounts.google.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"accounts.google.com:sub": sub, "accounts.google.com:aud": sub}},
    }]
    assert role.inputs["maxSessionDuration"] == 3600


def test_the_role_may_only_subscribe_through_its_consumer_and_decrypt_via_kinesis(s):
    policy = json.loads(one(s, "aws:iam/policy:Policy", f"{EDGE}-policy").inputs["policy"])
    stream = one(s, "aws:kinesis/stream:Stream", "platform-buffer-stream").inputs["name"]
    consumer = one(s, "aws:kinesis/streamConsumer:StreamConsumer", f"{EDGE}-consumer").inputs["name"]
    grants = {tuple(sorted(st["Action"])): st for st in policy["Statement"]}
    assert set(grants) == {
        ("kinesis:DescribeStreamSummary", "kinesis:ListShards"),
        ("kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"),
        ("kms:Decrypt", "kms:DescribeKey"),
    }
    assert grants[("kinesis:DescribeStreamSummary", "kinesis:ListShards")]["Resource"] == \
        f"arn:aws:kinesis:us-east-1:123456789012:stream/{stream}"
    # The mock returns the consumer's ARN in the stream shape; what matters is that it names the consumer only.
    assert grants[("kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard")]["Resource"].endswith(f"/{consumer}")
    kms = grants[("kms:Decrypt", "kms:DescribeKey")]
    assert kms["Resource"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    assert kms["Condition"] == {"StringEquals": {"kms:ViaService": "kinesis.us-east-1.amazonaws.com"}}
    attachment = one(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"{EDGE}-attachment")
    assert attachment.inputs["role"] == one(s, "aws:iam/role:Role", f"{EDGE}-role").inputs["name"]


def test_the_edge_account_holds_no_role_and_only_the_pubsub_agent_mints_its_tokens(s):
    account = one(s, "gcp:serviceaccount/account:Account", f"{EDGE}-sa")
    email = f"{account.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
    granted = [r for r in s.resources if r.custom and r.inputs.get("member") == f"serviceAccount:{email}"]
    assert granted == []
    token = one(s, "gcp:serviceaccount/iAMMember:IAMMember", f"{EDGE}-agent-token-creator")
    assert token.inputs == {
        "serviceAccountId": f"projects/blueprint-learning/serviceAccounts/{email}",
        "role": "roles/iam.serviceAccountTokenCreator",
        "member": "serviceAccount:service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com",
    }


def test_the_edge_is_exported_with_no_secret(s):
    edge = s.exports["edges"]["buffer-aws-to-processing-gcp"]
    assert set(edge) == {"trust", "connector", "import_topic", "kinesis_consumer", "aws_role",
                         "gcp_service_account", "gcp_service_account_id"}
    assert edge["connector"] == "pubsub-import-topic"
    text = json.dumps(edge).lower()
    assert "secret" not in text and "private_key" not in text and "accesskey" not in text


def test_edge_resources_are_tagged_as_buffer_data(s):
    for name in (f"{EDGE}-role", f"{EDGE}-policy"):
        tags = next(r for r in s.resources if r.name == name).inputs["tags"]
        assert (tags["stage"], tags["zone"]) == ("buffer", "data")
    labels = one(s, "gcp:pubsub/topic:Topic", f"{EDGE}-topic").inputs["labels"]
    assert (labels["stage"], labels["zone"]) == ("buffer", "data")


def test_every_supported_edge_has_an_implementation():
    from components.edges import SUPPORTED_EDGES
    from infra.registry import EDGE_MODULES
    assert set(EDGE_MODULES) == {edge.key for edge in SUPPORTED_EDGES}


def test_a_platform_without_the_edge_implementation_is_refused_before_registering():
    from blueprint.engine import read_stack_config
    from components.config import from_pulumi_config
    from components.platform import DataPlatform
    from infra.registry import implementations

    config = from_pulumi_config(read_stack_config("hybrid"), "hybrid")
    with pytest.raises(ValueError, match="no implementation registered for: buffer on aws -> processing on gcp"):
        DataPlatform("platform", config, implementations(config.clouds_in_use), stack="hybrid")


def test_the_import_topic_waits_for_both_grants_it_starts_reading_with(s):
    # Ingestion starts when the topic is created: the Pub/Sub agent must already be able to mint the account's
    # tokens, and the AWS role must already hold its read policy.
    topic = one(s, "gcp:pubsub/topic:Topic", f"{EDGE}-topic")
    token = one(s, "gcp:serviceaccount/iAMMember:IAMMember", f"{EDGE}-agent-token-creator")
    attachment = one(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"{EDGE}-attachment")
    assert token.urn in topic.dependencies and attachment.urn in topic.dependencies
