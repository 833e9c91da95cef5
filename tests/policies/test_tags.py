"""Tag rules: the common tags (provider defaults count), consistent values, the expiry tag in learning."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pulumi_policy import PolicyProviderResource

from policies.rules.cost import parse_expiry
from policies.rules.tags import tag_argument
from tests.policies.harness import run_resource

SOON = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%MZ")
TAGS = {"owner": "data-team", "stack": "dev", "stage": "store", "zone": "data", "profile": "learning",
        "managed-by": "blueprint", "expires-at": SOON}
BUCKET = "aws:s3/bucket:Bucket"


def test_complete_tags_pass():
    for rule in ("required-tags", "tag-values", "ttl-tag"):
        assert run_resource(rule, BUCKET, {"tags": TAGS}) == []


def test_each_missing_tag_is_reported():
    for key in ("owner", "stack", "stage", "zone", "profile", "managed-by"):
        tags = {k: v for k, v in TAGS.items() if k != key}
        assert any(key in m for m in run_resource("required-tags", BUCKET, {"tags": tags})), key


def test_untagged_taggable_resource_is_reported_but_untaggable_is_not():
    assert tag_argument(BUCKET) == "tags" and tag_argument("gcp:storage/bucket:Bucket") == "labels"
    assert run_resource("required-tags", BUCKET, {})
    assert run_resource("required-tags", "aws:s3/bucketPolicy:BucketPolicy", {"policy": "{}"}) == []


def test_provider_default_tags_count_as_json_or_object():
    own = {k: TAGS[k] for k in ("stage", "zone")}
    defaults = {k: v for k, v in TAGS.items() if k not in own}
    for value in ({"tags": defaults}, '{"tags": %s}' % __import__("json").dumps(defaults)):
        provider = PolicyProviderResource("pulumi:providers:aws", {"defaultTags": value}, "urn:p", "p")
        assert run_resource("required-tags", BUCKET, {"tags": own}, provider=provider) == []


def test_gcp_labels_must_be_lower_case():
    labels = {k: v.lower().replace(":", "-") for k, v in TAGS.items()}
    assert run_resource("required-tags", "gcp:storage/bucket:Bucket", {"labels": labels}) == []
    assert run_resource("required-tags", "gcp:storage/bucket:Bucket", {"labels": {**labels, "owner": "Data"}})


def test_tag_values_match_the_stack():
    for key, value in (("stack", "other"), ("profile", "production"), ("managed-by", "hand"), ("stage", "x"),
                       ("zone", "dmz")):
        assert run_resource("tag-values", BUCKET, {"tags": {**TAGS, key: value}}), key


def test_ttl_tag_missing_malformed_or_too_far():
    far = (datetime.now(timezone.utc) + timedelta(days=90)).strftime("%Y-%m-%dT%H:%MZ")
    for value in (None, "next week", far):
        tags = {k: v for k, v in TAGS.items() if k != "expires-at"}
        if value:
            tags["expires-at"] = value
        assert run_resource("ttl-tag", BUCKET, {"tags": tags}), value
    assert run_resource("ttl-tag", BUCKET, {"tags": {"owner": "x"}}, "production") == []


def test_expiry_parses_tag_and_label_forms():
    assert parse_expiry("2025-01-04T00:00Z") == parse_expiry("2025-01-04t00-00z") is not None
