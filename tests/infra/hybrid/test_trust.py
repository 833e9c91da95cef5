"""Who can assume or impersonate whom across clouds, derived from the synthesized resources.

For every example stack, the hybrid stacks and the AWS stacks with their
buffer on GCP, the federated trusts found in the resources (AWS roles
trusting a web identity, GCP workload identity providers and who may become
the AWS role they admit, grants to a pool's principals, Azure federated
credentials, and who may mint the tokens of the trusted GCP account) must be
exactly the ones the declared edges call for.
"""

from __future__ import annotations

import json
import re

import pytest

from blueprint.engine import Synthesis
from tests.conftest import EXAMPLE_STACKS, stack_config, synth
from tests.infra.hybrid.stacks import gcp_buffer

FOREIGN_TRUST_TYPES = ("azure-native:managedidentity:FederatedIdentityCredential",)
POOL = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool"
PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"
ADMITS_ONE_ROLE = re.compile(r"attribute\.aws_role == 'arn:aws:sts::(\d{12}):assumed-role/([^'/]+)'")
POOL_PRINCIPAL = re.compile(r"principalSet://iam\.googleapis\.com/projects/\d+/locations/global/workloadIdentityPools/"
                            r"([^/]+)/attribute\.aws_role/arn:aws:sts::\d{12}:assumed-role/([^/]+)")

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


def _pubsub_drain(stack: str) -> set[tuple[str, str, str, str, str]]:
    """Buffer on GCP -> Processing on AWS: only Lambda (in this account) becomes the drain role, only that role
    is admitted by the pool, and its principals hold subscriber on the edge subscription only."""
    return {
        ("aws-service", "lambda.amazonaws.com in 123456789012", "assumes", "aws-role", f"blueprint-{stack}-processing-drain-"),
        ("aws-role", f"blueprint-{stack}-processing-drain-", "federates into", "gcp-workload-identity-pool",
         "blueprin-drain-aws-pool-"),
        ("gcp-pool-principals", f"blueprint-{stack}-processing-drain-", "roles/pubsub.subscriber",
         "gcp-subscription", f"blueprint-{stack}-processing-drain-"),
    }


EXPECTED = {"hybrid": _kinesis_import("hybrid"), "hybrid-prod": _kinesis_import("hybrid-prod"),
            "aws+gcp-buffer": _pubsub_drain("aws"), "aws-prod+gcp-buffer": _pubsub_drain("aws-prod")}
VARIANTS = {"aws+gcp-buffer": lambda: gcp_buffer("aws"), "aws-prod+gcp-buffer": lambda: gcp_buffer("aws-prod")}
STACKS = STACKS + sorted(VARIANTS)


def synthesis_of(stack: str) -> Synthesis:
    return VARIANTS[stack]() if stack in VARIANTS else synth(stack)


def _statements(document: str) -> list[dict]:
    return json.loads(document)["Statement"]


def _strip_suffix(name: str) -> str:
    """Physical names end in a 6-hex stack hash; relations compare the part before it."""
    return name[:-6] if len(name) > 7 and name[-7] == "-" else name


def federated_relations(s: Synthesis) -> set[tuple[str, str, str, str, str]]:
    accounts = {r.inputs["accountId"]: r for r in s.of_type("gcp:serviceaccount/account:Account")}
    ids = {edge["gcp_service_account_id"]: edge["gcp_service_account"].split("@")[0]
           for edge in (s.exports.get("edges") or {}).values() if "gcp_service_account_id" in edge}
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
    return relations | _pool_relations(s)


def _pool_relations(s: Synthesis) -> set[tuple[str, str, str, str, str]]:
    """Who the stack's workload identity pools admit, who may become that AWS role, and what its principals hold."""
    relations = set()
    roles = {r.inputs["name"]: r for r in s.of_type("aws:iam/role:Role")}
    pools = {r.inputs["workloadIdentityPoolId"] for r in s.of_type(POOL)}
    # A pool without a provider trusts nobody yet, but nothing declares it either.
    assert pools == {p.inputs["workloadIdentityPoolId"] for p in s.of_type(PROVIDER)}
    for provider in s.of_type(PROVIDER):
        admitted = ADMITS_ONE_ROLE.fullmatch(provider.inputs["attributeCondition"])
        assert admitted, f"{provider.name} admits more than one role: {provider.inputs['attributeCondition']!r}"
        account, role_name = admitted.groups()
        assert provider.inputs["aws"] == {"accountId": account}
        role = roles[role_name]  # a role of this stack, or the lookup fails
        relations.add(("aws-role", _strip_suffix(role_name), "federates into", "gcp-workload-identity-pool",
                       _strip_suffix(provider.inputs["workloadIdentityPoolId"])))
        for statement in _statements(role.inputs["assumeRolePolicy"]):
            (service,) = statement["Principal"].values()  # a service principal, not an account or "*"
            assert list(statement["Principal"]) == ["Service"], statement
            condition = statement["Condition"]
            assert list(condition) == ["StringEquals"] and list(condition["StringEquals"]) == ["aws:SourceAccount"]
            relations.add(("aws-service", f"{service} in {condition['StringEquals']['aws:SourceAccount']}",
                           "assumes", "aws-role", _strip_suffix(role_name)))
    for grant in s.resources:
        members = [grant.inputs.get("member"), *(grant.inputs.get("members") or [])] if grant.custom else []
        for member in (m for m in members if isinstance(m, str) and m.startswith(("principal://", "principalSet://"))):
            principal = POOL_PRINCIPAL.fullmatch(member)
            assert principal, f"{grant.name} grants {member!r}, which is not one AWS role of a pool"
            target = grant.inputs.get("subscription") or grant.inputs.get("topic") or grant.inputs.get("bucket") \
                or grant.inputs.get("serviceAccountId") or "project"
            kind = {"SubscriptionIAMMember": "gcp-subscription"}.get(grant.type.rsplit(":", 1)[1], grant.type)
            relations.add(("gcp-pool-principals", _strip_suffix(principal.group(2)), grant.inputs["role"], kind,
                           _strip_suffix(target)))
    return relations


@pytest.mark.parametrize("stack", STACKS)
def test_federated_trust_is_exactly_what_the_edges_declare(stack):
    s = synthesis_of(stack)
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
    for role in synthesis_of(stack).of_type("aws:iam/role:Role"):
        for statement in _statements(role.inputs["assumeRolePolicy"]):
            principal = statement.get("Principal")
            federated = principal.get("Federated") if isinstance(principal, dict) else None
            assert federated in (None, "accounts.google.com"), (role.name, federated)
