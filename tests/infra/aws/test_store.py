"""AwsStore: five buckets with encryption, no public access, TLS only, lifecycle, logging."""

from __future__ import annotations

import pytest

from components.config import PROFILE_DEFAULTS, Profile
from tests.conftest import synth
from tests.infra.aws.support import (
    LEARNING, PRODUCTION, attached_to, bucket_named, child_types, component, doc, of_type, statements, variation,
)

LAKE = ("raw", "processed", "curated")
ENCRYPTED = (*LAKE, "results")
ALL = (*ENCRYPTED, "logs")


def companion(s, token, zone):
    found = attached_to(s, token, bucket_named(s, zone))
    assert len(found) == 1, (token, zone, found)
    return found[0]


def test_five_buckets_with_valid_distinct_names():
    s = synth(LEARNING)
    names = [bucket_named(s, zone).inputs["bucket"] for zone in ALL]
    assert len(set(names)) == 5
    assert all(3 <= len(n) <= 63 and n == n.lower() for n in names)


def test_lake_buckets_use_the_key_with_bucket_keys():
    s = synth(LEARNING)
    key_arn = "arn:aws:kms:us-east-1:123456789012:key/"
    for zone in ENCRYPTED:
        rule = companion(s, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                         zone).inputs["rules"][0]
        assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
        assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith(key_arn)
        assert rule["bucketKeyEnabled"] is True


def test_log_bucket_uses_sse_s3_because_access_logs_refuse_sse_kms():
    rule = companion(synth(LEARNING),
                     "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                     "logs").inputs["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "AES256"


@pytest.mark.parametrize("zone", ALL)
def test_public_access_blocked_and_acls_disabled(zone):
    s = synth(LEARNING)
    block = companion(s, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", zone).inputs
    assert all(block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                           "restrictPublicBuckets"))
    ownership = companion(s, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", zone).inputs
    assert ownership["rule"]["objectOwnership"] == "BucketOwnerEnforced"


@pytest.mark.parametrize("zone", ALL)
def test_bucket_policy_denies_requests_without_tls(zone):
    s = synth(LEARNING)
    policy = doc(companion(s, "aws:s3/bucketPolicy:BucketPolicy", zone).inputs["policy"])
    bucket = bucket_named(s, zone).inputs["bucket"]
    deny = [st for st in statements(policy) if st["Effect"] == "Deny"]
    assert len(deny) == 1
    assert deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert sorted(deny[0]["Resource"]) == sorted([f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"])
    for allow in (st for st in statements(policy) if st["Effect"] == "Allow"):
        assert allow["Principal"] != "*" and "Condition" in allow


def test_log_bucket_accepts_access_logs_only_from_the_lake_buckets():
    s = synth(LEARNING)
    policy = doc(companion(s, "aws:s3/bucketPolicy:BucketPolicy", "logs").inputs["policy"])
    (allow,) = [st for st in statements(policy) if st["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    sources = allow["Condition"]["ArnLike"]["aws:SourceArn"]
    assert sorted(sources) == sorted(f"arn:aws:s3:::{bucket_named(s, z).inputs['bucket']}" for z in ENCRYPTED)
    assert allow["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"


@pytest.mark.parametrize("zone", LAKE)
def test_lake_buckets_log_to_the_log_bucket(zone):
    s = synth(LEARNING)
    logging = companion(s, "aws:s3/bucketLogging:BucketLogging", zone)
    assert logging.property_dependencies["targetBucket"] == [bucket_named(s, "logs").urn]
    assert logging.inputs["targetPrefix"] == f"{zone}/"


def test_log_bucket_is_not_logged_to_itself():
    s = synth(LEARNING)
    assert attached_to(s, "aws:s3/bucketLogging:BucketLogging", bucket_named(s, "logs")) == []


def lifecycle_rules(s, zone):
    return {r["id"]: r for r in companion(s, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                                           zone).inputs["rules"]}


@pytest.mark.parametrize("zone", ALL)
def test_lifecycle_aborts_uploads_and_expires_noncurrent_versions(zone):
    rules = lifecycle_rules(synth(LEARNING), zone)
    assert any(r.get("abortIncompleteMultipartUpload", {}).get("daysAfterInitiation", 0) > 0 for r in rules.values())
    assert any(r.get("noncurrentVersionExpiration", {}).get("noncurrentDays", 0) > 0 for r in rules.values())
    assert all(r["status"] == "Enabled" for r in rules.values())


def expiration(s, zone):
    days = [r["expiration"]["days"] for r in lifecycle_rules(s, zone).values() if r.get("expiration")]
    return days[0] if days else None


def test_raw_expiration_follows_the_profile_and_the_override():
    assert expiration(synth(LEARNING), "raw") == PROFILE_DEFAULTS[Profile.LEARNING].raw_expiration_days
    assert expiration(synth(PRODUCTION), "raw") is None  # production keeps raw data
    assert expiration(variation("overrides"), "raw") == 5
    for zone in ("processed", "curated"):
        assert expiration(synth(LEARNING), zone) is None


def test_versioning_only_in_production():
    assert of_type(synth(LEARNING), "aws:s3/bucketVersioning:BucketVersioning") == []
    s = synth(PRODUCTION)
    for zone in ALL:
        assert companion(s, "aws:s3/bucketVersioning:BucketVersioning", zone).inputs[
            "versioningConfiguration"]["status"] == "Enabled"


def test_force_destroy_in_learning_only():
    assert all(bucket_named(synth(LEARNING), z).inputs["forceDestroy"] is True for z in ALL)
    assert all(bucket_named(synth(PRODUCTION), z).inputs["forceDestroy"] is False for z in ALL)


def test_outputs_are_s3_uris_of_the_lake_buckets():
    s = synth(LEARNING)
    exports = s.exports["store"]
    for zone in LAKE:
        assert exports[zone] == f"s3://{bucket_named(s, zone).inputs['bucket']}/"


@pytest.mark.parametrize("stack,versioned", [(LEARNING, 0), (PRODUCTION, 5)])
def test_exact_children(stack, versioned):
    s = synth(stack)
    expected = {
        "Bucket": 5, "BucketServerSideEncryptionConfiguration": 5, "BucketPublicAccessBlock": 5,
        "BucketOwnershipControls": 5, "BucketPolicy": 5, "BucketLifecycleConfiguration": 5, "BucketLogging": 4,
        "Role": 1, "Policy": 1, "RolePolicyAttachment": 1,
    }
    if versioned:
        expected["BucketVersioning"] = versioned
    assert child_types(s, component(s, "blueprint:stage:Store")) == expected


@pytest.mark.parametrize("stack,days", [(LEARNING, 7), (PRODUCTION, 30)])
def test_query_results_expire(stack, days):
    s = synth(stack)
    rules = companion(s, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "results").inputs["rules"]
    expire = [r for r in rules if r["id"] == "expire-results-objects"]
    assert expire == [{"id": "expire-results-objects", "status": "Enabled", "filter": {"prefix": ""},
                       "expiration": {"days": days}}]
