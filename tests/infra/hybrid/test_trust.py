"""Who can assume or impersonate whom across clouds, derived from the synthesized resources.

For every example stack and the hybrid stack, the federated trusts found in
the resources (AWS roles trusting a web identity, GCP workload identity
providers, Azure federated credentials, and who may mint the tokens of the
trusted GCP account) must be exactly the ones the declared edges call for.
"""

from __future__ import annotations

import json

import pytest

from blueprint.engine import Synthesis
from tests.conftest import EXAMPLE_STACKS, stack_config, synth

FOREIGN_TRUST_TYPES = ("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
                       "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
                       "azure-native:managedidentity:FederatedIdentityCredential")

IMPERSONATION_ROLES = ("roles/iam.serviceAccountTokenCreator", "roles/iam.serviceAccountUser",
                       "roles/iam.workloadIdentityUser", "roles/iam.serviceAccountOpenIdTokenCreator")
STACKS = sorted({*EXAMPLE_STACKS, "hybrid", "hybrid-prod"})


def _kinesis_import(stack: str) -> set[tuple[str, str, str, str, str]]:
    """Buffer on AWS -> Processing on GCP: Pub/Sub's agent mints the edge account's token, which the
    import role accepts; nobody else takes part."""
    return {
        ("gcp-service-account", "bluepr-buffer-import-sa-", "assumes", "aws-role", f"blueprint-{stack}-buffer-import-"),
        ("gcp-pubsub-agent", "service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com", "impersonates",
         "gcp-service-account", "bluepr-buffer-import-sa-"),
    }


EXPECTED = {"hybrid": _kinesis_import("hybrid"), "hybrid-prod": _kinesis_import("hybrid-prod")}


def _statements(document: str) -> list[dict]:
    return json.loads(document)["Statement"]


def _strip_suffix(name: str) -> str:
    """Physical names end in a 6-hex stack hash; relations compare the part before it."""
    return name[:-6] if len(name) > 7 and name[-7] == "-" else name


def federated_relations(s: Synthesis) -> set[tuple[str, str, str, str, str]]:
    accounts = {r.inputs["accountId"]: r for r in s.of_type("gcp:serviceaccount/account:Account")}
    ids = {edge["gcp_service_account_id"]: edge["gcp_service_account"].split("@")[0]
           for edge in (s.exports.get("edges") or {}).values()}
    relations = set()
    trusted_accounts = set()
    for role in s.of_type("aws:iam/role:Role"):
        for statement in _statements(role.inputs["assumeRolePolicy"]):
            principal = statement.get("Principal")
            if not isinstance(principal, dict) or "Federated" not in principal:
                continue
            assert principal == {"Federated": "accounts.google.com"}, principal
            assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
            sub = statement["Condition"]["StringEquals"]["accounts.google.com:sub"]
            account = ids[sub]
            assert account in accounts, f"trusted subject {sub} is no service account of the stack"
            trusted_accounts.add(accounts[account].name)
            relations.add(("gcp-service-account", _strip_suffix(account), "assumes", "aws-role",
                           _strip_suffix(role.inputs["name"])))
    for grant in s.of_type("gcp:serviceaccount/iAMMember:IAMMember"):
        account = next(r for r in s.of_type("gcp:serviceaccount/account:Account")
                       if grant.inputs["serviceAccountId"] == f"projects/{r.inputs['project']}/serviceAccounts/"
                       f"{r.inputs['accountId']}@{r.inputs['project']}.iam.gserviceaccount.com")
        if account.name in trusted_accounts:
            member = grant.inputs["member"].removeprefix("serviceAccount:")
            relations.add(("gcp-pubsub-agent" if "gcp-sa-pubsub" in member else "member", member, "impersonates",
                           "gcp-service-account", _strip_suffix(account.inputs["accountId"])))
    # A project-level grant of these roles would let its member act as every account, the edge's included.
    for grant in s.of_type("gcp:projects/iAMMember:IAMMember"):
        if grant.inputs["role"] in IMPERSONATION_ROLES:
            relations.add(("member", grant.inputs["member"], "impersonates", "gcp-service-account", "*"))
    return relations


@pytest.mark.parametrize("stack", STACKS)
def test_federated_trust_is_exactly_what_the_edges_declare(stack):
    s = synth(stack)
    assert federated_relations(s) == EXPECTED.get(stack, set())
    assert s.of_type(*FOREIGN_TRUST_TYPES) == []


STORE_ON_AWS = {"store": {"cloud": "aws"}, "visualize": {"cloud": "aws"}, "buffer": {"consumers": ["spark"]}}
"""Connect, Buffer and Processing on GCP; Store and Visualize on AWS."""


def test_a_store_on_aws_trusts_exactly_the_processing_account_of_gcp():
    s = synth("hybrid", stack_config("hybrid", stages=STORE_ON_AWS))
    assert federated_relations(s) == {
        ("gcp-service-account", "blueprint-processing-sa-", "assumes", "aws-role", "blueprint-hybrid-processing-s3-"),
    }
    assert s.of_type(*FOREIGN_TRUST_TYPES) == []


@pytest.mark.parametrize("stack", STACKS)
def test_no_aws_role_trusts_a_web_identity_other_than_google(stack):
    for role in synth(stack).of_type("aws:iam/role:Role"):
        for statement in _statements(role.inputs["assumeRolePolicy"]):
            principal = statement.get("Principal")
            federated = principal.get("Federated") if isinstance(principal, dict) else None
            assert federated in (None, "accounts.google.com"), (role.name, federated)
