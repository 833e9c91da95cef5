"""Buffer on GCP feeding Processing on AWS: the edge subscription, both sides of the trust, the drain function."""

from __future__ import annotations

import json

import pytest

from blueprint.engine import RecordedResource, Synthesis
from tests.infra.hybrid.stacks import gcp_buffer
from tests.infra.hybrid.test_kinesis_import import one

EDGE = "platform-buffer-to-processing"
ACCOUNT = "123456789012"
POOLS = "projects/123456789/locations/global/workloadIdentityPools/"


@pytest.fixture(scope="module")
def s() -> Synthesis:
    return gcp_buffer("aws")


@pytest.fixture(scope="module")
def prod() -> Synthesis:
    return gcp_buffer("aws-prod")


def name_of(s: Synthesis, token: str, name: str) -> str:
    return one(s, token, name).inputs["name"]


def statements(resource: RecordedResource, key: str) -> list[dict]:
    return json.loads(resource.inputs[key])["Statement"]


def test_the_edge_subscription_reads_the_buffer_topic_and_dead_letters_like_the_buffer(s):
    sub = one(s, "gcp:pubsub/subscription:Subscription", f"{EDGE}-subscription").inputs
    topic = name_of(s, "gcp:pubsub/topic:Topic", "platform-buffer-events")
    dead_letter = name_of(s, "gcp:pubsub/topic:Topic", "platform-buffer-dead-letter")
    assert sub["topic"] == f"projects/blueprint-learning/topics/{topic}"
    assert sub["ackDeadlineSeconds"] == 60
    assert sub["messageRetentionDuration"] == "86400s"
    assert sub["retainAckedMessages"] is False
    assert sub["expirationPolicy"] == {"ttl": ""}
    assert sub["retryPolicy"] == {"minimumBackoff": "10s", "maximumBackoff": "600s"}
    assert sub["deadLetterPolicy"] == {"deadLetterTopic": f"projects/blueprint-learning/topics/{dead_letter}",
                                       "maxDeliveryAttempts": 5}
    assert (sub["labels"]["stage"], sub["labels"]["zone"]) == ("buffer", "data")
    assert "pushConfig" not in sub and "cloudStorageConfig" not in sub


def test_the_pubsub_agent_may_subscribe_to_forward_dead_letters(s):
    grant = one(s, "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", f"{EDGE}-agent-subscriber").inputs
    assert grant["role"] == "roles/pubsub.subscriber"
    assert grant["member"] == "serviceAccount:service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com"
    assert grant["subscription"] == name_of(s, "gcp:pubsub/subscription:Subscription", f"{EDGE}-subscription")


def test_the_provider_admits_only_the_drain_role_of_this_account(s):
    provider = one(s, "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", f"{EDGE}-identity-provider")
    role = name_of(s, "aws:iam/role:Role", f"{EDGE}-drain-role")
    assert provider.inputs["aws"] == {"accountId": ACCOUNT}
    assert provider.inputs["attributeCondition"] == \
        f"attribute.aws_role == 'arn:aws:sts::{ACCOUNT}:assumed-role/{role}'"


def test_the_role_member_holds_subscriber_on_the_edge_subscription_and_nothing_else(s):
    pool = one(s, "gcp:iam/workloadIdentityPool:WorkloadIdentityPool", f"{EDGE}-identity-pool")
    role = name_of(s, "aws:iam/role:Role", f"{EDGE}-drain-role")
    member = (f"principalSet://iam.googleapis.com/{POOLS}{pool.inputs['workloadIdentityPoolId']}/attribute.aws_role/"
              f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}")
    granted = [r for r in s.resources if r.custom and (r.inputs.get("member") == member
                                                       or member in (r.inputs.get("members") or []))]
    assert [(g.type, g.inputs["role"], g.inputs["subscription"]) for g in granted] == [(
        "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", "roles/pubsub.subscriber",
        name_of(s, "gcp:pubsub/subscription:Subscription", f"{EDGE}-subscription"),
    )]


def test_the_token_exchange_api_is_on_and_the_pool_waits_for_the_apis(s):
    apis = {r.inputs["service"]: r.urn for r in s.of_type("gcp:projects/service:Service")}
    assert "sts.googleapis.com" in apis
    assert "iamcredentials.googleapis.com" not in apis  # nothing impersonates a service account
    for name in (f"{EDGE}-identity-pool", f"{EDGE}-identity-provider", f"{EDGE}-subscription"):
        resource = next(r for r in s.resources if r.name == name)
        assert set(apis.values()) <= set(resource.dependencies), name


def test_the_drain_role_is_assumed_by_lambda_in_this_account_only(s):
    role = one(s, "aws:iam/role:Role", f"{EDGE}-drain-role")
    assert statements(role, "assumeRolePolicy") == [{
        "Sid": "TrustLambda", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }]


def test_the_drain_may_only_write_the_sink_stream_and_its_own_logs(s):
    sink = name_of(s, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "platform-processing-sink")
    logs = name_of(s, "aws:cloudwatch/logGroup:LogGroup", f"{EDGE}-logs")
    assert statements(one(s, "aws:iam/policy:Policy", f"{EDGE}-drain-policy"), "policy") == [
        {"Sid": "WriteTheSinkDeliveryStream", "Effect": "Allow", "Action": ["firehose:PutRecordBatch"],
         "Resource": f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/{sink}"},
        {"Sid": "WriteItsOwnLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{logs}:*"},
    ]
    attachments = [a for a in s.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                   if a.inputs["role"] == name_of(s, "aws:iam/role:Role", f"{EDGE}-drain-role")]
    assert [a.name for a in attachments] == [f"{EDGE}-drain-attachment"]


def test_the_function_runs_the_drain_outside_the_vpc_with_its_settings(s):
    fn = one(s, "aws:lambda/function:Function", f"{EDGE}-function").inputs
    sub = name_of(s, "gcp:pubsub/subscription:Subscription", f"{EDGE}-subscription")
    provider = one(s, "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", f"{EDGE}-identity-provider")
    assert (fn["runtime"], fn["handler"], fn["architectures"]) == ("python3.13", "drain.handler.handle", ["arm64"])
    assert (fn["timeout"], fn["memorySize"]) == (240, 256)
    assert fn["role"] == f"arn:aws:iam::{ACCOUNT}:role/{name_of(s, 'aws:iam/role:Role', f'{EDGE}-drain-role')}"
    assert "vpcConfig" not in fn
    assert fn["loggingConfig"] == {"logFormat": "Text", "logGroup": name_of(s, "aws:cloudwatch/logGroup:LogGroup",
                                                                            f"{EDGE}-logs")}
    env = fn["environment"]["variables"]
    assert set(env) == {"DRAIN_SUBSCRIPTION", "DRAIN_DELIVERY_STREAM", "DRAIN_CREDENTIAL_CONFIGURATION"}
    assert sum(len(k) + len(v) for k, v in env.items()) <= 4096  # Lambda's limit on all variables together
    assert env["DRAIN_SUBSCRIPTION"] == f"projects/blueprint-learning/subscriptions/{sub}"
    assert env["DRAIN_DELIVERY_STREAM"] == name_of(s, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                                                   "platform-processing-sink")
    config = json.loads(env["DRAIN_CREDENTIAL_CONFIGURATION"])
    assert config["audience"] == (f"//iam.googleapis.com/{POOLS}{provider.inputs['workloadIdentityPoolId']}/providers/"
                                  f"{provider.inputs['workloadIdentityPoolProviderId']}")
    assert "service_account_impersonation_url" not in config
    assert sorted(fn["code"]["archive"]) == ["drain/__init__.py", "drain/delivery.py", "drain/drain.py",
                                              "drain/federation.py", "drain/handler.py", "drain/subscription.py"]


def test_the_schedule_invokes_the_function_every_five_minutes_without_retries(s):
    schedule = one(s, "aws:scheduler/schedule:Schedule", f"{EDGE}-schedule").inputs
    function = name_of(s, "aws:lambda/function:Function", f"{EDGE}-function")
    scheduler_role = name_of(s, "aws:iam/role:Role", f"{EDGE}-drain-scheduler-role")
    assert schedule["scheduleExpression"] == "rate(5 minutes)"
    assert schedule["flexibleTimeWindow"] == {"mode": "OFF"}
    assert schedule["state"] == "ENABLED"
    assert schedule["target"] == {
        "arn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{function}",
        "roleArn": f"arn:aws:iam::{ACCOUNT}:role/{scheduler_role}",
        "retryPolicy": {"maximumRetryAttempts": 0, "maximumEventAgeInSeconds": 300},
    }
    assert statements(one(s, "aws:iam/role:Role", f"{EDGE}-drain-scheduler-role"), "assumeRolePolicy") == [{
        "Sid": "TrustScheduler", "Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"},
        "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }]
    assert statements(one(s, "aws:iam/policy:Policy", f"{EDGE}-drain-scheduler-policy"), "policy") == [{
        "Sid": "InvokeTheDrain", "Effect": "Allow", "Action": ["lambda:InvokeFunction"],
        "Resource": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{function}",
    }]


def test_processing_writes_raw_through_a_direct_put_stream_encrypted_with_the_stack_key(s):
    firehose = one(s, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "platform-processing-sink").inputs
    assert "kinesisSourceConfiguration" not in firehose
    assert firehose["serverSideEncryption"] == {
        "enabled": True, "keyType": "CUSTOMER_MANAGED_CMK", "keyArn": firehose["extendedS3Configuration"]["kmsKeyArn"]}
    assert firehose["serverSideEncryption"]["keyArn"].startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/")
    assert firehose["extendedS3Configuration"]["processingConfiguration"]["processors"] == [
        {"type": "AppendDelimiterToRecord"}]
    actions = {a for st in statements(one(s, "aws:iam/policy:Policy", "platform-processing-sink-policy"), "policy")
               for a in st["Action"]}
    assert not any(a.startswith("kinesis:") for a in actions)


def test_a_kinesis_buffer_still_feeds_firehose_from_the_stream(synthesized):
    firehose = one(synthesized("aws"), "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                   "platform-processing-sink").inputs
    assert firehose["kinesisSourceConfiguration"]["kinesisStreamArn"].startswith(
        f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/")
    assert "serverSideEncryption" not in firehose


@pytest.mark.parametrize("stack,days,protected", [("aws", 7, False), ("aws-prod", 365, True)])
def test_the_function_logs_are_encrypted_kept_and_protected_by_profile(stack, days, protected):
    synthesis = gcp_buffer(stack)
    logs = one(synthesis, "aws:cloudwatch/logGroup:LogGroup", f"{EDGE}-logs")
    assert logs.inputs["retentionInDays"] == days
    assert logs.inputs["kmsKeyId"].startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/")
    assert bool(logs.protect) is protected


def test_edge_resources_sit_in_their_stage_and_zone(s):
    for token, name in (("aws:lambda/function:Function", f"{EDGE}-function"),
                        ("aws:cloudwatch/logGroup:LogGroup", f"{EDGE}-logs"),
                        ("aws:iam/role:Role", f"{EDGE}-drain-role"),
                        ("aws:iam/role:Role", f"{EDGE}-drain-scheduler-role")):
        tags = one(s, token, name).inputs["tags"]
        assert (tags["stage"], tags["zone"]) == ("processing", "processing"), name


def test_the_edge_is_exported_with_its_trust_and_no_secret(s):
    edge = s.exports["edges"]["buffer-gcp-to-processing-aws"]
    pool = one(s, "gcp:iam/workloadIdentityPool:WorkloadIdentityPool", f"{EDGE}-identity-pool").inputs
    assert set(edge) == {"trust", "connector", "subscription", "workload_identity_pool",
                         "workload_identity_provider", "aws_role", "function", "schedule",
                         "credential_configuration"}
    assert edge["connector"] == "lambda-pubsub-drain"
    assert edge["subscription"] == \
        f"projects/blueprint-learning/subscriptions/{name_of(s, 'gcp:pubsub/subscription:Subscription', f'{EDGE}-subscription')}"
    assert edge["workload_identity_pool"] == f"{POOLS}{pool['workloadIdentityPoolId']}"
    assert edge["aws_role"] == f"arn:aws:iam::{ACCOUNT}:role/{name_of(s, 'aws:iam/role:Role', f'{EDGE}-drain-role')}"
    assert edge["function"] == name_of(s, "aws:lambda/function:Function", f"{EDGE}-function")
    assert json.loads(edge["credential_configuration"])["type"] == "external_account"
    text = json.dumps(edge).lower()
    assert "secret" not in text and "private_key" not in text and "accesskey" not in text


@pytest.mark.parametrize("stack,profile", [("aws", "learning"), ("aws-prod", "production")])
def test_the_stack_passes_the_policy_pack_and_the_cloud_rules(stack, profile):
    from blueprint.policy_check import evaluate
    from blueprint.rules import check

    synthesis = gcp_buffer(stack)
    assert [v for v in evaluate(synthesis, profile) if v.mandatory] == []
    report = check(synthesis)
    assert report.errors == [] and report.uncovered_types == set()
    assert {"aws:lambda/function:Function", "aws:scheduler/schedule:Schedule",
            "gcp:iam/workloadIdentityPool:WorkloadIdentityPool"} <= report.covered_types


def test_the_preview_shows_the_edge_and_prices_every_type(s):
    from blueprint.cost.estimate import estimate, unknown_types
    from blueprint.plan import build_plan
    from blueprint.render import mermaid

    plan = build_plan(s)
    assert unknown_types(plan) == []
    assert estimate(plan).unpriced == []
    picture = mermaid(plan)
    assert "buffer ==>|cross-cloud: lambda-pubsub-drain| processing" in picture
    assert '<b>Buffer</b> (gcp)' in picture and '<b>Processing</b> (aws' in picture


def test_the_buffers_sink_consumer_names_the_edges_subscription(s):
    # The sink is whoever moves the buffer into raw: here the drain's subscription, which exists.
    subscription = name_of(s, "gcp:pubsub/subscription:Subscription", f"{EDGE}-subscription")
    buffer = next(r for r in s.resources if r.type == "blueprint:stage:Buffer")
    assert buffer.outputs["consumers"]["sink"] == f"projects/blueprint-learning/subscriptions/{subscription}"
