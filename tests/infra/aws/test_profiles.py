"""Learning is destroyable in one `pulumi destroy`; production protects every stateful resource."""

from __future__ import annotations

import pytest

from tests.conftest import synth
from tests.infra.aws.support import LEARNING, PRODUCTION, of_type, variation

STATEFUL = (
    "aws:s3/bucket:Bucket",
    "aws:kinesis/stream:Stream",
    "aws:kms/key:Key",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:glue/catalogDatabase:CatalogDatabase",
    "aws:athena/workgroup:Workgroup",
)


@pytest.mark.parametrize("name", [None, "overrides", "cluster"])
def test_learning_has_no_protect_and_no_retain(name):
    s = synth(LEARNING) if name is None else variation(name)
    assert [r.name for r in s.resources if r.protect or r.retain_on_delete] == []


def test_learning_deletes_contents_on_destroy():
    s = synth(LEARNING)
    assert all(b.inputs["forceDestroy"] is True for b in of_type(s, "aws:s3/bucket:Bucket"))
    assert all(w.inputs["forceDestroy"] is True for w in of_type(s, "aws:athena/workgroup:Workgroup"))
    assert all(k.inputs["deletionWindowInDays"] == 7 for k in of_type(s, "aws:kms/key:Key"))
    for stream in of_type(s, "aws:kinesis/stream:Stream"):
        assert stream.inputs["enforceConsumerDeletion"] is True
    for group in of_type(s, "aws:cloudwatch/logGroup:LogGroup"):
        assert not group.inputs.get("skipDestroy") and not group.inputs.get("deletionProtectionEnabled")


def test_production_protects_every_stateful_resource():
    s = synth(PRODUCTION)
    for token in STATEFUL:
        resources = of_type(s, token)
        assert resources, token
        assert [r.name for r in resources if not r.protect] == [], token


def test_production_keeps_contents_and_versions():
    s = synth(PRODUCTION)
    assert all(b.inputs["forceDestroy"] is False for b in of_type(s, "aws:s3/bucket:Bucket"))
    assert all(k.inputs["deletionWindowInDays"] == 30 for k in of_type(s, "aws:kms/key:Key"))
    assert all(g.inputs["retentionInDays"] >= 365 for g in of_type(s, "aws:cloudwatch/logGroup:LogGroup"))
    assert len(of_type(s, "aws:s3/bucketVersioning:BucketVersioning")) == len(of_type(s, "aws:s3/bucket:Bucket"))
    assert all(st.inputs["retentionPeriod"] >= 168 for st in of_type(s, "aws:kinesis/stream:Stream"))


def test_production_does_not_protect_stateless_resources():
    s = synth(PRODUCTION)
    assert [r.name for r in s.custom() if r.protect and r.type not in STATEFUL] == []


@pytest.mark.parametrize("stack, days", [(LEARNING, 7), (PRODUCTION, 365)])
def test_every_log_group_keeps_a_week_in_learning_and_a_year_in_production(stack, days):
    groups = of_type(synth(stack), "aws:cloudwatch/logGroup:LogGroup")
    assert len(groups) >= 4 and {g.name: g.inputs["retentionInDays"] for g in groups} == {g.name: days for g in groups}
