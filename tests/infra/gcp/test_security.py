"""Platform-wide GCP properties: IAM hygiene, labels, identities, destroyability."""

from __future__ import annotations

import re

import pytest

from components.config import STAGE_ORDER
from components.tags import required_keys
from infra.gcp.identity import PROJECT_LEVEL_ROLES, project_grant
from tests.infra.gcp.conftest import accepts, in_stage, stage_of
from tests.infra.gcp.test_store import _context

BASIC = {"roles/owner", "roles/editor", "roles/viewer"}
PUBLIC = {"allUsers", "allAuthenticatedUsers"}
LABEL_KEY = re.compile(r"[a-z][a-z0-9_-]{0,62}")
LABEL_VALUE = re.compile(r"[a-z0-9_-]{0,63}")
STATEFUL = {
    "gcp:storage/bucket:Bucket", "gcp:bigquery/dataset:Dataset", "gcp:bigquery/table:Table",
    "gcp:pubsub/topic:Topic", "gcp:pubsub/subscription:Subscription", "gcp:kms/keyRing:KeyRing",
    "gcp:kms/cryptoKey:CryptoKey",
}


def _iam(s):
    return [r for r in s.custom() if "role" in r.inputs]


@pytest.mark.parametrize("stack", ["learning", "production"])
def test_no_basic_roles_and_no_public_members(stack, request):
    s = request.getfixturevalue(stack)
    grants = _iam(s)
    assert grants
    for g in grants:
        assert g.inputs["role"] not in BASIC, g.name
        members = [g.inputs.get("member")] + list(g.inputs.get("members", []))
        assert not PUBLIC & set(members), g.name
    assert not s.of_type("gcp:projects/iAMBinding:IAMBinding", "gcp:projects/iAMPolicy:IAMPolicy")


def test_project_level_grants_are_only_the_documented_exceptions(learning, production):
    for s in (learning, production):
        roles = sorted(g.inputs["role"] for g in s.of_type("gcp:projects/iAMMember:IAMMember"))
        custom = sorted(r.inputs["roleId"] for r in s.of_type("gcp:projects/iAMCustomRole:IAMCustomRole"))
        project = s.config["blueprint:gcp"]["project"]
        assert roles == sorted(["roles/bigquery.jobUser", *(f"projects/{project}/roles/{c}" for c in custom)])
        assert set(PROJECT_LEVEL_ROLES) == {"roles/bigquery.jobUser"}
    # The Spark runtime's role everywhere; production's daily run adds the batch submitter's.
    assert [c.split("_")[1] for c in sorted(r.inputs["roleId"] for r in learning.of_type(
        "gcp:projects/iAMCustomRole:IAMCustomRole"))] == ["spark"]
    assert sorted(r.inputs["permissions"] == ["dataproc.batches.create"] for r in production.of_type(
        "gcp:projects/iAMCustomRole:IAMCustomRole")) == [False, True]


def test_project_grant_refuses_anything_else():
    for role in ("roles/editor", "roles/storage.objectAdmin", "roles/pubsub.publisher", "roles/dataproc.worker"):
        with pytest.raises(ValueError, match="may not be granted at project level"):
            project_grant("x", _context(), role, "serviceAccount:a@b", None)


def test_one_service_account_per_stage(learning, production):
    for s in (learning, production):
        stages = stage_of(s)
        accounts = [stages[r.urn] for r in s.of_type("gcp:serviceaccount/account:Account")
                    if r.name != "platform-processing-scheduler-sa"]
        assert sorted(accounts) == sorted(st.value for st in STAGE_ORDER)
    # The only other account: the daily run's, in production, which may create batches and nothing else.
    assert [r.name for r in learning.of_type("gcp:serviceaccount/account:Account") if "scheduler" in r.name] == []
    assert [r.name for r in production.of_type("gcp:serviceaccount/account:Account") if "scheduler" in r.name] == [
        "platform-processing-scheduler-sa"]


def test_every_stage_identity_is_its_own_account(learning):
    for stage in STAGE_ORDER:
        component = next(r for r in learning.resources if r.type == f"blueprint:stage:{stage.value.capitalize()}")
        sa = next(r for r in in_stage(learning, stage.value, "gcp:serviceaccount/account:Account"))
        assert component.outputs["identity"] == f"{sa.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
        assert 6 <= len(sa.inputs["accountId"]) <= 30


def _labels(r):
    """The resource's labels: ``user_labels`` where ``labels`` is the channel's settings (notification channels)."""
    if accepts(r.type, "user_labels"):
        return r.inputs.get("userLabels")
    return r.inputs.get("labels")


@pytest.mark.parametrize("stack", ["learning", "production"])
def test_every_labelable_resource_carries_valid_common_labels(stack, request):
    s = request.getfixturevalue(stack)
    profile = "production" if stack == "production" else "learning"
    labelable = [r for r in s.custom() if r.type.startswith("gcp:") and accepts(r.type, "labels")]
    assert len(labelable) >= 12
    stages = stage_of(s)
    for r in labelable:
        labels = _labels(r)
        assert labels, f"{r.name} ({r.type}) has no labels"
        assert set(required_keys(profile)) <= set(labels), r.name
        assert len(labels) <= 64
        for key, value in labels.items():
            assert LABEL_KEY.fullmatch(key) and LABEL_VALUE.fullmatch(value), (r.name, key, value)
        assert labels["stage"] == stages[r.urn], r.name
        assert labels["stack"] == s.stack


def test_learning_is_destroyable_in_one_go(learning):
    assert not [r.name for r in learning.custom() if r.protect]
    assert all(b.inputs["forceDestroy"] for b in learning.of_type("gcp:storage/bucket:Bucket"))
    assert all(d.inputs["deleteContentsOnDestroy"] for d in learning.of_type("gcp:bigquery/dataset:Dataset"))
    assert not any(t.inputs.get("deletionProtection") for t in learning.of_type("gcp:bigquery/table:Table"))


def test_production_protects_every_stateful_resource(production):
    stateful = [r for r in production.custom() if r.type in STATEFUL]
    assert {r.type for r in stateful} == STATEFUL
    assert not [r.name for r in stateful if not r.protect]
    assert all(t.inputs["deletionProtection"] for t in production.of_type("gcp:bigquery/table:Table"))
    assert not any(b.inputs["forceDestroy"] for b in production.of_type("gcp:storage/bucket:Bucket"))
