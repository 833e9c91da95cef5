"""Processing on GCP writing the Store on AWS: the role's whole trust and policy, the buckets, NAT, batch properties."""

from __future__ import annotations

import json

import pytest

from blueprint.engine import RecordedResource, Synthesis
from blueprint.policy_check import evaluate
from tests.conftest import stack_config, synth

EDGE = "platform-processing-to-store"
STORE_ON_AWS = {"store": {"cloud": "aws"}, "visualize": {"cloud": "aws"}, "buffer": {"consumers": ["spark"]}}
ROLE_ARN = "arn:aws:iam::123456789012:role/blueprint-hybrid-processing-s3-18e31a"
RAW, PROCESSED, CURATED = ("blueprint-hybrid-store-raw-959aff", "blueprint-hybrid-store-processed-cdc73b",
                           "blueprint-hybrid-store-curated-9828bb")


@pytest.fixture(scope="module")
def s() -> Synthesis:
    return synth("hybrid", stack_config("hybrid", stages=STORE_ON_AWS))


def one(s: Synthesis, token: str, name: str) -> RecordedResource:
    found = [r for r in s.of_type(token) if r.name == name]
    assert len(found) == 1, [r.name for r in s.of_type(token)]
    return found[0]


def processing_account(s: Synthesis) -> RecordedResource:
    return one(s, "gcp:serviceaccount/account:Account", "platform-processing-sa")


def test_the_role_trusts_the_dataproc_runtime_account_by_sub_aud_and_oaud_only(s):
    role = one(s, "aws:iam/role:Role", f"{EDGE}-role")
    unique_id = s.exports["edges"]["processing-gcp-to-store-aws"]["gcp_service_account_id"]
    assert s.exports["edges"]["processing-gcp-to-store-aws"]["gcp_service_account"] == \
        f"{processing_account(s).inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
    assert role.inputs["name"] == "blueprint-hybrid-processing-s3-18e31a"
    assert json.loads(role.inputs["assumeRolePolicy"]) == {"Version": "2012-10-17", "Statement": [{
        "Sid": "TrustTheProcessingServiceAccount", "Effect": "Allow",
        "Principal": {"Federated": "accounts.google.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"accounts.google.com:sub": unique_id, "accounts.google.com:aud": unique_id,
                                       "accounts.google.com:oaud": ROLE_ARN}},
    }]}
    assert role.inputs["maxSessionDuration"] == 3600


def test_the_role_may_read_raw_write_processed_and_curated_and_use_the_key_only_through_s3(s):
    policy = json.loads(one(s, "aws:iam/policy:Policy", f"{EDGE}-policy").inputs["policy"])
    statements = policy["Statement"]
    kms = statements[3]
    assert kms["Resource"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    assert statements == [
        {"Sid": "ListTheLake", "Effect": "Allow",
         "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
         "Resource": [f"arn:aws:s3:::{RAW}", f"arn:aws:s3:::{PROCESSED}", f"arn:aws:s3:::{CURATED}"]},
        {"Sid": "ReadRaw", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::{RAW}/*"},
        {"Sid": "ReadWriteProcessedAndCurated", "Effect": "Allow",
         "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
         "Resource": [f"arn:aws:s3:::{PROCESSED}/*", f"arn:aws:s3:::{CURATED}/*"]},
        {"Sid": "UseStackKeyThroughS3", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
         "Resource": kms["Resource"], "Condition": {
             "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"},
             "ArnLike": {"kms:EncryptionContext:aws:s3:arn": [
                 f"arn:aws:s3:::{RAW}", f"arn:aws:s3:::{RAW}/*", f"arn:aws:s3:::{PROCESSED}",
                 f"arn:aws:s3:::{PROCESSED}/*", f"arn:aws:s3:::{CURATED}", f"arn:aws:s3:::{CURATED}/*"]}}},
    ]
    attachment = one(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"{EDGE}-attachment")
    assert attachment.inputs == {"role": "blueprint-hybrid-processing-s3-18e31a",
                                 "policyArn": "arn:aws:iam::123456789012:policy/blueprint-hybrid-processing-s3-policy-5c8fee"}
    # The edge's policy is the role's only one.
    attached = [a for a in s.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                if a.inputs["role"] == "blueprint-hybrid-processing-s3-18e31a"]
    assert attached == [attachment]


@pytest.mark.parametrize("bucket", [RAW, PROCESSED, CURATED])
def test_the_lake_buckets_grant_nobody_and_refuse_every_request_without_tls(s, bucket):
    zone = bucket.split("-")[3]
    policy = json.loads(one(s, "aws:s3/bucketPolicy:BucketPolicy", f"platform-store-{zone}-policy").inputs["policy"])
    # The role is of the same account: its own policy admits it; the bucket's deny without TLS binds it like anyone.
    assert policy["Statement"] == [{
        "Sid": "DenyWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }]


def test_the_gcp_engine_gets_no_grant_on_a_lake_it_does_not_have(s):
    member = f"serviceAccount:{processing_account(s).inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
    buckets = {g.inputs["bucket"] for g in s.of_type("gcp:storage/bucketIAMMember:BucketIAMMember")
               if g.inputs["member"] == member}
    assert len(buckets) == 1 and next(iter(buckets)).startswith("blueprint-hybrid-processing-staging-")
    assert s.of_type("gcp:bigquery/datasetIamMember:DatasetIamMember") == []
    assert [r.name for r in s.of_type("gcp:pubsub/subscription:Subscription")] == ["platform-buffer-spark"]
    assert "catalog" not in s.exports["processing"]  # None: no BigQuery dataset holds this lake


def test_only_the_processing_subnet_gets_cloud_nat(s):
    nat = one(s, "gcp:compute/routerNat:RouterNat", f"{EDGE}-nat")
    router = one(s, "gcp:compute/router:Router", f"{EDGE}-router")
    assert nat.inputs["router"] == router.inputs["name"]
    assert router.inputs["network"].startswith("projects/blueprint-learning/global/networks/blueprint-hybrid-foundation-vpc-")
    assert nat.inputs["sourceSubnetworkIpRangesToNat"] == "LIST_OF_SUBNETWORKS"
    (subnet,) = nat.inputs["subnetworks"]
    assert subnet["name"].startswith(
        "projects/blueprint-learning/regions/us-central1/subnetworks/blueprint-hybrid-foundation-processing-")
    assert subnet["sourceIpRangesToNats"] == ["ALL_IP_RANGES"]
    assert nat.inputs["natIpAllocateOption"] == "AUTO_ONLY"
    assert nat.inputs["logConfig"] == {"enable": True, "filter": "ERRORS_ONLY"}
    # Nothing inbound: the ingress rules are the zone matrix's, unchanged.
    assert all(f.inputs["direction"] == "INGRESS" for f in s.of_type("gcp:compute/firewall:Firewall"))
    assert not [f for f in s.of_type("gcp:compute/firewall:Firewall") if f.inputs.get("allows")
                and "0.0.0.0/0" in (f.inputs.get("sourceRanges") or [])]


def test_the_batch_properties_point_s3a_at_the_role_region_and_key_and_hold_no_secret(s):
    edge = s.exports["edges"]["processing-gcp-to-store-aws"]
    properties = edge["spark_properties"]
    key = properties["spark.hadoop.fs.s3a.encryption.key"]
    assert key.startswith("arn:aws:kms:us-east-1:123456789012:key/")
    assert properties == {
        "spark.jars.packages": "org.apache.hadoop:hadoop-aws:3.3.6",
        "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
        "spark.hadoop.fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
        "spark.hadoop.fs.s3.impl.disable.cache": "true",
        "spark.hadoop.fs.s3a.impl.disable.cache": "true",
        "spark.hadoop.fs.s3a.endpoint.region": "us-east-1",
        "spark.hadoop.fs.s3a.connection.ssl.enabled": "true",
        "spark.hadoop.fs.s3a.encryption.algorithm": "SSE-KMS",
        "spark.hadoop.fs.s3a.encryption.key": key,
        "spark.blueprint.aws.roleArn": ROLE_ARN,
        "spark.blueprint.aws.audience": ROLE_ARN,
        "spark.blueprint.aws.region": "us-east-1",
    }
    assert edge["connector"] == "spark-s3a-web-identity"
    assert edge["aws_role"] == ROLE_ARN
    assert not any(k.endswith(("access.key", "secret.key", "session.token")) for k in properties)


def test_the_audience_the_driver_asks_for_is_the_one_the_trust_pins(s):
    role = one(s, "aws:iam/role:Role", f"{EDGE}-role")
    pinned = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Condition"]["StringEquals"]
    properties = s.exports["edges"]["processing-gcp-to-store-aws"]["spark_properties"]
    assert pinned["accounts.google.com:oaud"] == properties["spark.blueprint.aws.audience"]


def test_the_policy_pack_passes_the_stack_and_finds_nothing_on_the_edge(s):
    violations = evaluate(s, "learning")
    assert [v for v in violations if v.mandatory] == []
    assert [v for v in violations if EDGE in v.resource] == []


@pytest.fixture(scope="module")
def prod() -> Synthesis:
    stages = {**STORE_ON_AWS, "buffer": {"consumers": ["spark"], "retentionHours": 168}}
    return synth("hybrid-prod", stack_config("hybrid-prod", stages=stages))


def test_production_logs_every_nat_flow_and_the_staging_bucket_into_a_log_bucket_of_its_own(prod):
    assert one(prod, "gcp:compute/routerNat:RouterNat", f"{EDGE}-nat").inputs["logConfig"] == \
        {"enable": True, "filter": "ALL"}
    staging = one(prod, "gcp:storage/bucket:Bucket", "platform-processing-staging")
    logs = one(prod, "gcp:storage/bucket:Bucket", "platform-processing-logs")
    assert logs.inputs["name"].startswith("blueprint-hybrid-prod-processing-logs-")
    assert staging.inputs["logging"] == {"logBucket": logs.inputs["name"]}
    writer = one(prod, "gcp:storage/bucketIAMMember:BucketIAMMember", "platform-processing-logs-writer")
    assert (writer.inputs["bucket"], writer.inputs["role"], writer.inputs["member"]) == \
        (logs.inputs["name"], "roles/storage.objectCreator", "group:cloud-storage-analytics@google.com")


def test_the_policy_pack_passes_the_production_variant(prod):
    assert [v for v in evaluate(prod, "production") if v.mandatory] == []
