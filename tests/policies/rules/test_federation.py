"""Federation rules: each passes its compliant fixture and reports every planted fault."""

from __future__ import annotations

import json

import pytest

from tests.policies.harness import DROP, run_resource, with_change

ROLE = "aws:iam/role:Role"
PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"
CREDENTIAL = "azure-native:managedidentity:FederatedIdentityCredential"
SA_ID = "112233445566778899001"
POOL = "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/bp"


def trust(principal, condition):
    return {"assumeRolePolicy": json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "T", "Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRoleWithWebIdentity",
        **({"Condition": condition} if condition is not None else {}),
    }]})}


GOOGLE = {"Federated": "accounts.google.com"}
PINNED = {"StringEquals": {"accounts.google.com:sub": SA_ID, "accounts.google.com:aud": SA_ID}}


def test_google_trust_with_sub_and_aud_pinned_passes():
    assert run_resource("aws-web-identity-trust-pinned", ROLE, trust(GOOGLE, PINNED)) == []


def test_google_trust_with_oaud_instead_of_aud_passes():
    condition = {"StringEquals": {"accounts.google.com:sub": SA_ID, "accounts.google.com:oaud": "https://x.example"}}
    assert run_resource("aws-web-identity-trust-pinned", ROLE, trust(GOOGLE, condition)) == []


def test_oidc_provider_trust_is_read_by_its_host():
    principal = {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}
    host = "token.actions.githubusercontent.com"
    ok = {"StringEquals": {f"{host}:sub": "repo:o/r:ref:refs/heads/main", f"{host}:aud": "sts.amazonaws.com"}}
    assert run_resource("aws-web-identity-trust-pinned", ROLE, trust(principal, ok)) == []
    wrong_issuer = {"StringEquals": {"accounts.google.com:sub": SA_ID, "accounts.google.com:aud": SA_ID}}
    assert run_resource("aws-web-identity-trust-pinned", ROLE, trust(principal, wrong_issuer))


@pytest.mark.parametrize("condition", [
    None,
    {"StringEquals": {"accounts.google.com:aud": SA_ID}},
    {"StringEquals": {"accounts.google.com:sub": SA_ID}},
    {"StringLike": {"accounts.google.com:sub": SA_ID, "accounts.google.com:aud": SA_ID}},
    {"StringEquals": {"accounts.google.com:sub": "*", "accounts.google.com:aud": SA_ID}},
    {"StringEquals": {"accounts.google.com:sub": "1122*", "accounts.google.com:aud": SA_ID}},
    {"StringEquals": {"accounts.google.com:sub": SA_ID, "accounts.google.com:aud": ""}},
], ids=["no-condition", "no-sub", "no-aud", "like-not-equals", "sub-star", "sub-prefix", "aud-empty"])
def test_google_trust_without_pinned_sub_and_audience_fails(condition):
    assert run_resource("aws-web-identity-trust-pinned", ROLE, trust(GOOGLE, condition))


def test_any_identity_provider_fails():
    assert run_resource("aws-web-identity-trust-pinned", ROLE, trust({"Federated": "*"}, PINNED))
    # Conditions cannot narrow a wildcard provider, not even ones keyed as if "*" were an issuer.
    keyed_on_star = {"StringEquals": {"*:sub": SA_ID, "*:aud": SA_ID}}
    assert run_resource("aws-web-identity-trust-pinned", ROLE, trust({"Federated": "*"}, keyed_on_star)) == [
        "statement 'T' trusts any identity provider: name one (accounts.google.com or an OIDC provider ARN)"]


def test_service_trust_is_not_this_rules_business():
    assert run_resource("aws-web-identity-trust-pinned", ROLE, trust({"Service": "firehose.amazonaws.com"}, None)) == []


PROVIDER_OK = {
    "attributeCondition": "attribute.aws_role == 'arn:aws:sts::123456789012:assumed-role/bp-processing'",
    "attributeMapping": {"google.subject": "assertion.arn", "attribute.aws_role": "assertion.arn"},
    "aws": {"accountId": "123456789012"},
}


def test_pinned_workload_identity_provider_passes():
    assert run_resource("gcp-workload-identity-provider-pinned", PROVIDER, PROVIDER_OK) == []


@pytest.mark.parametrize("path,value", [
    ("attributeCondition", DROP), ("attributeCondition", "true"), ("attributeCondition", " true "),
    ("attributeCondition", "attribute.aws_role.startsWith('arn:aws:sts::123456789012:assumed-role/*')"),
    ("attributeMapping", {"attribute.aws_role": "assertion.arn"}),
])
def test_unpinned_workload_identity_provider_fails(path, value):
    assert run_resource("gcp-workload-identity-provider-pinned", PROVIDER, with_change(PROVIDER_OK, path, value))


@pytest.mark.parametrize("member,ok", [
    (f"principalSet:{POOL}/attribute.aws_role/arn:aws:sts::123456789012:assumed-role/bp-processing", True),
    (f"principal:{POOL}/subject/arn:aws:sts::123456789012:assumed-role/bp-processing", True),
    ("serviceAccount:sa@p.iam.gserviceaccount.com", True),
    (f"principalSet:{POOL}/*", False),
])
def test_grants_to_a_whole_pool_fail(member, ok):
    props = {"bucket": "b", "role": "roles/storage.objectViewer", "member": member}
    assert (run_resource("gcp-no-pool-wide-grant", "gcp:storage/bucketIAMMember:BucketIAMMember", props) == []) is ok


CREDENTIAL_OK = {"issuer": "https://accounts.google.com", "subject": SA_ID,
                 "audiences": ["api://AzureADTokenExchange"], "resourceName": "processing-id"}


def test_pinned_federated_identity_credential_passes():
    assert run_resource("azure-federated-credential-pinned", CREDENTIAL, CREDENTIAL_OK) == []


@pytest.mark.parametrize("path,value", [
    ("issuer", "http://accounts.google.com"), ("issuer", DROP), ("subject", "*"), ("subject", "repo:o/*"),
    ("subject", DROP), ("audiences", ["api://AzureADTokenExchange", "sts.amazonaws.com"]),
    ("audiences", ["sts.amazonaws.com"]), ("audiences", DROP),
])
def test_unpinned_federated_identity_credential_fails(path, value):
    assert run_resource("azure-federated-credential-pinned", CREDENTIAL, with_change(CREDENTIAL_OK, path, value))


@pytest.mark.parametrize("token", [
    "aws:iam/accessKey:AccessKey", "gcp:serviceaccount/key:Key", "gcp:storage/hmacKey:HmacKey",
    "azuread:index/applicationPassword:ApplicationPassword",
    "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
])
def test_long_lived_keys_fail(token):
    assert run_resource("no-long-lived-keys", token, {})


def test_a_role_is_not_a_key():
    assert run_resource("no-long-lived-keys", ROLE, trust(GOOGLE, PINNED)) == []
