"""Role policies pinned statement by statement: the Store's steward and the VPC flow-log writer."""

from __future__ import annotations

from tests.conftest import synth
from tests.infra.aws.support import LEARNING, doc, of_type


def test_steward_lists_reads_and_writes_the_three_lake_zones_and_uses_the_key():
    s = synth(LEARNING)
    buckets = {b.name.rsplit("-", 1)[-1]: b.inputs["bucket"] for b in of_type(s, "aws:s3/bucket:Bucket")}
    lake = [f"arn:aws:s3:::{buckets[zone]}" for zone in ("raw", "processed", "curated")]
    (policy,) = [p for p in of_type(s, "aws:iam/policy:Policy") if p.name == "platform-store-steward-policy"]
    statements = doc(policy.inputs["policy"])["Statement"]
    assert [st["Sid"] for st in statements] == ["ListLake", "ReadWriteLakeObjects", "UseStackKey"]
    assert statements[0] == {"Sid": "ListLake", "Effect": "Allow",
                             "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": lake}
    assert statements[1] == {"Sid": "ReadWriteLakeObjects", "Effect": "Allow",
                             "Action": ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
                             "Resource": [f"{arn}/*" for arn in lake]}
    key = statements[2]
    assert (key["Effect"], key["Action"]) == ("Allow", ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Encrypt",
                                                        "kms:Decrypt"])
    assert key["Resource"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    # No delete: a steward curates the lake but cannot empty it.
    assert not [a for st in statements for a in st["Action"] if "Delete" in a]


def test_flow_log_role_may_write_its_log_group_only():
    s = synth(LEARNING)
    (policy,) = [p for p in of_type(s, "aws:iam/policy:Policy") if p.name.endswith("-flow-logs-policy")]
    (group,) = [g for g in of_type(s, "aws:cloudwatch/logGroup:LogGroup") if g.name.endswith("-flow-logs")]
    arn = f"arn:aws:logs:us-east-1:123456789012:log-group:{group.inputs['name']}"
    assert doc(policy.inputs["policy"])["Statement"] == [{
        "Sid": "WriteFlowLogs", "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        "Resource": [arn, f"{arn}:log-stream:*"],
    }]
