"""AwsWorkloadIdentity: a GCP workload identity pool that trusts one AWS role, and its credential file.

The building block for edges where a workload on AWS reads or writes GCP
(Spark on EMR reading Cloud Storage, an AWS consumer of a Pub/Sub
subscription). It creates, with the GCP provider:

- a workload identity pool and an AWS provider for the one account, mapping
  ``google.subject`` to the caller's ARN and ``attribute.aws_role`` to the
  assumed-role ARN without the session name; the attribute condition admits
  exactly ``arn:aws:sts::ACCOUNT:assumed-role/ROLE`` (never ``true``, which
  would admit every role of the account);
- ``member``: the ``principalSet://…/attribute.aws_role/…`` the caller binds on
  the GCP resources the stage needs (bucket, subscription), so the foreign
  role gets that stage's least privilege and nothing at project level; or,
  with ``service_account``, ``roles/iam.workloadIdentityUser`` for that member
  on that one account, and the configuration names its impersonation URL;
- ``credential_configuration``: the ``external_account`` JSON the AWS workload
  reads (audience, ``subject_token_type`` for signed AWS GetCallerIdentity
  requests, the STS token URL, the instance-metadata sources). It holds no
  secret: the AWS SDK signs a request with the role's own short-lived
  credentials and Google's STS exchanges it.

Pool and provider ids are 4-32 of ``[a-z0-9-]`` and may not start with ``gcp-``;
the ``gcp-service-account`` name rule (6-30, starting with a letter) is
stricter, so names built with it are valid ids. A deleted pool keeps its id
for 30 days: recreating a stack within that time needs a ``blueprint:names``
override for the pool role.
"""

from __future__ import annotations

import json
from typing import NotRequired, Optional, TypedDict

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext

SUBJECT_TOKEN_TYPE = "urn:ietf:params:aws:token-type:aws4_request"
TOKEN_URL = "https://sts.googleapis.com/v1/token"
ASSUMED_ROLE = ("assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') "
                "+ 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn")
"""Google's mapping of an AWS caller ARN to its role, session name removed."""
METADATA = "http://169.254.169.254"
IMPERSONATION_URL = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{email}:generateAccessToken"
WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"


class AwsWorkloadIdentityArgs(TypedDict):
    context: StageContext
    """The GCP context (project, names, foundation with ``project_number``)."""
    role: str
    """The name role of the pool and provider, for example ``processing-aws``."""
    aws_account_id: pulumi.Input[str]
    aws_role_name: pulumi.Input[str]
    service_account: NotRequired[gcp.serviceaccount.Account]
    """Impersonate this account (for clients that need a service account); default: the role is granted directly."""


def names(role: str) -> set[tuple[str, str]]:
    return {("gcp-service-account", f"{role}-pool"), ("gcp-service-account", f"{role}-idp")}


def credential_configuration(audience: str, impersonate: Optional[str] = None) -> str:
    """The ``external_account`` file for an AWS workload (EC2/EMR instance metadata, IMDSv2)."""
    impersonation = {"service_account_impersonation_url": IMPERSONATION_URL.format(email=impersonate)} \
        if impersonate else {}
    return json.dumps({
        **impersonation,
        "type": "external_account",
        "audience": audience,
        "subject_token_type": SUBJECT_TOKEN_TYPE,
        "token_url": TOKEN_URL,
        "credential_source": {
            "environment_id": "aws1",
            "region_url": f"{METADATA}/latest/meta-data/placement/availability-zone",
            "url": f"{METADATA}/latest/meta-data/iam/security-credentials",
            "regional_cred_verification_url":
                "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15",
            "imdsv2_session_token_url": f"{METADATA}/latest/api/token",
        },
    }, indent=2, sort_keys=True)


class AwsWorkloadIdentity(pulumi.ComponentResource):
    """Children are named ``f"{name}-{role}"``."""

    member: pulumi.Output[str]
    credential_configuration: pulumi.Output[str]

    def __init__(self, name: str, args: AwsWorkloadIdentityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("blueprint:hybrid:AwsWorkloadIdentity", name, None, opts)
        ctx, role = args["context"], args["role"]
        project = ctx.config.gcp.project
        # On a fresh project the pool waits for the IAM API it is created through.
        child = pulumi.ResourceOptions(parent=self, depends_on=ctx.foundation.ready())
        assumed_role = pulumi.Output.concat(
            "arn:aws:sts::", args["aws_account_id"], ":assumed-role/", args["aws_role_name"])
        self.pool = gcp.iam.WorkloadIdentityPool(
            f"{name}-pool", project=project, workload_identity_pool_id=ctx.name("gcp-service-account", f"{role}-pool"),
            display_name=f"blueprint {role}"[:32], description="Trusts one AWS role of this stack", opts=child,
        )
        self.provider = gcp.iam.WorkloadIdentityPoolProvider(
            f"{name}-provider", project=project, workload_identity_pool_id=self.pool.workload_identity_pool_id,
            workload_identity_pool_provider_id=ctx.name("gcp-service-account", f"{role}-idp"),
            aws=gcp.iam.WorkloadIdentityPoolProviderAwsArgs(account_id=args["aws_account_id"]),
            attribute_mapping={"google.subject": "assertion.arn", "attribute.aws_role": ASSUMED_ROLE},
            attribute_condition=assumed_role.apply(lambda arn: f"attribute.aws_role == '{arn}'"),
            opts=child,
        )
        pool_path = pulumi.Output.concat(
            "projects/", ctx.foundation.project_number, "/locations/global/workloadIdentityPools/",
            self.pool.workload_identity_pool_id)
        self.member = pulumi.Output.concat(
            "principalSet://iam.googleapis.com/", pool_path, "/attribute.aws_role/", assumed_role)
        audience = pulumi.Output.concat(
            "//iam.googleapis.com/", pool_path, "/providers/", self.provider.workload_identity_pool_provider_id)
        account = args.get("service_account")
        if account is None:
            self.credential_configuration = audience.apply(credential_configuration)
        else:
            # Only the pinned role may act as the account; the account holds the stage's grants.
            self.impersonation_grant = gcp.serviceaccount.IAMMember(
                f"{name}-workload-identity-user", service_account_id=account.name, role=WORKLOAD_IDENTITY_USER,
                member=self.member, opts=child,
            )
            self.credential_configuration = pulumi.Output.all(audience, account.email).apply(
                lambda v: credential_configuration(v[0], v[1]))
        self.register_outputs({"member": self.member, "credential_configuration": self.credential_configuration})
