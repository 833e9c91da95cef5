"""A GCP workload identity pool trusting exactly one AWS role, and the credential file it hands out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blueprint.engine import Synthesis, synthesize
from tests.conftest import stack_config

PROGRAM = Path(__file__).parent / "programs" / "workload_identity"
POOLS = "projects/123456789/locations/global/workloadIdentityPools/"


@pytest.fixture(scope="module")
def s() -> Synthesis:
    return synthesize("gcp", stack_config("gcp"), program=PROGRAM)


def by_name(s: Synthesis, name: str):
    return next(r for r in s.resources if r.name == name)


def test_the_provider_admits_only_the_one_assumed_role(s):
    provider = by_name(s, "direct-provider")
    assert provider.inputs["aws"] == {"accountId": "123456789012"}
    assert provider.inputs["attributeCondition"] == \
        "attribute.aws_role == 'arn:aws:sts::123456789012:assumed-role/bp-spark'"
    assert provider.inputs["attributeMapping"]["google.subject"] == "assertion.arn"
    assert provider.inputs["workloadIdentityPoolId"] == by_name(s, "direct-pool").inputs["workloadIdentityPoolId"]


def test_pool_and_provider_ids_are_valid(s):
    for name in ("direct-pool", "direct-provider", "impersonated-pool", "impersonated-provider"):
        inputs = by_name(s, name).inputs
        value = inputs.get("workloadIdentityPoolProviderId") or inputs["workloadIdentityPoolId"]
        assert 4 <= len(value) <= 32 and not value.startswith("gcp-")
        assert set(value) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


def test_the_member_is_the_role_not_the_pool(s):
    pool = by_name(s, "direct-pool").inputs["workloadIdentityPoolId"]
    assert s.exports["direct"]["member"] == (
        f"principalSet://iam.googleapis.com/{POOLS}{pool}/attribute.aws_role/"
        "arn:aws:sts::123456789012:assumed-role/bp-spark")


def test_the_credential_file_holds_no_secret_and_names_google_sts(s):
    pool = by_name(s, "direct-pool").inputs["workloadIdentityPoolId"]
    provider = by_name(s, "direct-provider").inputs["workloadIdentityPoolProviderId"]
    config = json.loads(s.exports["direct"]["credentials"])
    assert config["type"] == "external_account"
    assert config["audience"] == f"//iam.googleapis.com/{POOLS}{pool}/providers/{provider}"
    assert config["subject_token_type"] == "urn:ietf:params:aws:token-type:aws4_request"
    assert config["token_url"] == "https://sts.googleapis.com/v1/token"
    assert config["credential_source"]["environment_id"] == "aws1"
    assert config["credential_source"]["regional_cred_verification_url"] == \
        "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15"
    assert "service_account_impersonation_url" not in config
    assert not {"private_key", "client_secret", "secret_access_key"} & set(json.dumps(config).split('"'))


def test_impersonation_is_granted_on_the_one_account_to_the_one_role(s):
    grant = by_name(s, "impersonated-workload-identity-user")
    pool = by_name(s, "impersonated-pool").inputs["workloadIdentityPoolId"]
    assert grant.inputs["role"] == "roles/iam.workloadIdentityUser"
    assert grant.inputs["member"] == (f"principalSet://iam.googleapis.com/{POOLS}{pool}/attribute.aws_role/"
                                      "arn:aws:sts::123456789012:assumed-role/bp-reader")
    email = by_name(s, "reader-sa").inputs["accountId"] + "@blueprint-learning.iam.gserviceaccount.com"
    assert grant.inputs["serviceAccountId"] == f"projects/blueprint-learning/serviceAccounts/{email}"
    config = json.loads(s.exports["impersonated"]["credentials"])
    assert config["service_account_impersonation_url"] == \
        f"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{email}:generateAccessToken"


def test_the_pack_accepts_the_provider_and_the_grants(s):
    from blueprint.policy_check import evaluate
    found = {v.rule for v in evaluate(s, "learning") if v.mandatory}
    assert not found & {"gcp-workload-identity-provider-pinned", "gcp-no-pool-wide-grant", "no-long-lived-keys"}


def test_the_declared_names_are_the_pool_and_provider_ids_the_component_builds(s):
    # The platform checks declared names (and their overrides) before registering anything.
    from components.naming import Namer
    from infra.hybrid.workload_identity import names

    built = {by_name(s, "direct-pool").inputs["workloadIdentityPoolId"],
             by_name(s, "direct-provider").inputs["workloadIdentityPoolProviderId"]}
    assert {Namer("blueprint", "gcp").name(service, role) for service, role in names("spark-aws")} == built
