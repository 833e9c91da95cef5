"""Every bucket and the budget topic refuse plain HTTP, for every caller: whole statements pinned."""

from __future__ import annotations

import pytest

from policies.documents import statements
from tests.conftest import synth
from tests.infra.aws.support import LEARNING, PRODUCTION, doc, of_type


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_each_bucket_policy_denies_every_s3_action_without_tls_to_everyone(stack):
    s = synth(stack)
    buckets = {b.inputs["bucket"] for b in of_type(s, "aws:s3/bucket:Bucket")}
    policies = [doc(p.inputs["policy"]) for p in of_type(s, "aws:s3/bucketPolicy:BucketPolicy")]
    assert len(policies) == len(buckets) >= 4
    for policy in policies:
        deny = [st for st in statements(policy) if st.get("Sid") == "DenyWithoutTls"]
        assert len(deny) == 1
        bucket = deny[0]["Resource"][0].removeprefix("arn:aws:s3:::")
        assert bucket in buckets
        assert deny[0] == {
            "Sid": "DenyWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }


def test_budget_topic_denies_publishing_without_tls_to_everyone():
    policy = doc(of_type(synth(LEARNING), "aws:sns/topicPolicy:TopicPolicy")[0].inputs["policy"])
    deny = [st for st in statements(policy) if st["Effect"] == "Deny"]
    assert len(deny) == 1
    assert {k: deny[0][k] for k in ("Principal", "Action", "Condition")} == {
        "Principal": "*", "Action": "SNS:Publish", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
