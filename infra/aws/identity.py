"""Identity: one least-privilege IAM role per stage (and per workload identity).

``stage_role`` creates, as children of the calling component:

- an ``aws.iam.Role`` whose trust policy names the principals that may assume
  it: AWS service principals (each with its confused-deputy condition, for
  example ``aws:SourceAccount``), or, for producer, consumer, steward and
  reader identities that people and applications assume, the principals in
  ``blueprint:aws.trustedPrincipals`` (validated ARNs), by default this
  account's root, which delegates the decision to the account's own IAM
  policies. Never ``"*"``;
- one customer-managed ``aws.iam.Policy`` with the role's statements (no
  inline policies, no AWS-managed policies: NIST ``IAMNoInlinePolicy`` and
  AwsSolutions-IAM4 both hold);
- the ``aws.iam.RolePolicyAttachment`` between them.

Statements are plain dicts in IAM JSON shape; values may be Outputs. The
rules every statement keeps: no ``*`` action, no ``service:*`` action, and no
``*`` resource unless the action is in ``WILDCARD_RESOURCE_ACTIONS`` with the
reason AWS gives. ``check_statements`` enforces this before anything is
registered, so a mistake fails the preview, not an audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from components.config import StageName
from components.context import StageContext
from components.zones import Zone
from infra.aws.names import iam_name

WILDCARD_RESOURCE_ACTIONS: dict[str, str] = {
    # An entry documents why an action cannot be narrowed to a resource ARN (the
    # "Resource types" column of the Service Authorization Reference is empty for it).
    "athena:ListWorkGroups": "Athena lists workgroups account-wide; no resource-level permissions",
    "athena:ListDataCatalogs": "Athena lists data catalogs account-wide; no resource-level permissions",
}
"""Actions that may use ``Resource: "*"``, each with the reason the service gives."""


class PolicyError(ValueError):
    """A statement breaks the least-privilege rules."""


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def check_statements(role: str, statements: Sequence[Mapping[str, Any]]) -> None:
    """Refuse wildcard actions and unjustified wildcard resources (pure, offline)."""
    for index, statement in enumerate(statements):
        where = f"role {role!r}, statement {statement.get('Sid', index)}"
        actions = _as_list(statement.get("Action", []))
        if not actions:
            raise PolicyError(f"{where}: no Action")
        for action in actions:
            if not isinstance(action, str):
                raise PolicyError(f"{where}: actions must be literal strings, got {action!r}")
            if action == "*" or action.endswith(":*"):
                raise PolicyError(f"{where}: wildcard action {action!r}; list the actions the role needs")
        for resource in _as_list(statement.get("Resource", [])):
            if resource == "*":
                unjustified = [a for a in actions if a not in WILDCARD_RESOURCE_ACTIONS]
                if unjustified:
                    raise PolicyError(
                        f"{where}: Resource '*' for {', '.join(unjustified)}; narrow it to ARNs or add the "
                        "action to WILDCARD_RESOURCE_ACTIONS with the reason"
                    )


@dataclass(frozen=True)
class Principals:
    """Who may assume a role."""

    services: Mapping[str, Optional[Mapping[str, Any]]] = None  # type: ignore[assignment]
    """Service principal to the trust condition for it (None: no condition)."""
    account: bool = False
    """Trust this account's root: the account's IAM policies decide who may assume the role."""


@dataclass
class StageRole:
    """The role and its policy (escape hatch)."""

    role: aws.iam.Role
    policy: aws.iam.Policy
    attachment: aws.iam.RolePolicyAttachment

    @property
    def arn(self) -> pulumi.Output[str]:
        return self.role.arn


def source_account(account_id: pulumi.Input[str]) -> dict:
    """The confused-deputy condition most service principals support."""
    return {"StringEquals": {"aws:SourceAccount": account_id}}


def trust_policy(
    principals: Principals, account_id: pulumi.Input[str], partition: pulumi.Input[str],
    trusted: Sequence[str] = (),
) -> dict:
    """The role's trust policy. ``trusted`` (``blueprint:aws.trustedPrincipals``) replaces this
    account's root for roles that people and applications assume."""
    statements: list[dict] = []
    for service, condition in sorted((principals.services or {}).items()):
        statement: dict[str, Any] = {
            "Sid": "Trust" + "".join(p.capitalize() for p in service.split(".")[0].split("-")),
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
        }
        if condition:
            statement["Condition"] = dict(condition)
        statements.append(statement)
    if principals.account and trusted:
        statements.append({
            "Sid": "TrustConfiguredPrincipals",
            "Effect": "Allow",
            "Principal": {"AWS": sorted(trusted)},
            "Action": "sts:AssumeRole",
        })
    elif principals.account:
        statements.append({
            "Sid": "TrustThisAccount",
            "Effect": "Allow",
            "Principal": {"AWS": pulumi.Output.concat("arn:", partition, ":iam::", account_id, ":root")},
            "Action": "sts:AssumeRole",
        })
    if not statements:
        raise PolicyError("a role needs at least one trusted principal")
    return {"Version": "2012-10-17", "Statement": statements}


def stage_role(
    name: str,
    ctx: StageContext,
    stage: StageName,
    role: str,
    *,
    principals: Principals,
    statements: Sequence[Mapping[str, Any]],
    description: str,
    parent: pulumi.Resource,
    zone: Zone | None = None,
) -> StageRole:
    """Create ``{name}-{role}-role`` with one customer-managed policy.

    ``role`` is also the physical-name role key (``blueprint:names`` override
    ``"<stage>-<role>"``).
    """
    check_statements(role, statements)
    foundation = ctx.foundation
    tags = ctx.tags(stage, zone)
    key = f"{stage.value}-{role}"
    iam_role = aws.iam.Role(
        f"{name}-{role}-role",
        name=iam_name(ctx, key),
        description=description,
        assume_role_policy=pulumi.Output.json_dumps(
            trust_policy(principals, foundation.account_id, foundation.partition, ctx.config.aws.trusted_principals)
        ),
        max_session_duration=3600,
        tags=tags,
        # A fixed name: a replacement must delete the old role first, or the create fails ("already exists").
        opts=pulumi.ResourceOptions(parent=parent, delete_before_replace=True),
    )
    policy = aws.iam.Policy(
        f"{name}-{role}-policy",
        name=iam_name(ctx, f"{key}-policy"),
        description=f"Least privilege for {key}: {description}",
        policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [dict(s) for s in statements]}),
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent, delete_before_replace=True),
    )
    attachment = aws.iam.RolePolicyAttachment(
        f"{name}-{role}-attachment",
        role=iam_role.name,
        policy_arn=policy.arn,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return StageRole(iam_role, policy, attachment)


def kms_use(
    key_arn: pulumi.Input[str], *, encrypt: bool = True, decrypt: bool = True, via: str | None = None,
) -> dict:
    """A statement for using the stack key (data keys for SSE-KMS, Kinesis and logs).

    ``via`` (for example ``kinesis.us-east-1.amazonaws.com``) limits the use to requests that
    service makes on the role's behalf (``kms:ViaService``).
    """
    actions = ["kms:DescribeKey"]
    if encrypt:
        actions += ["kms:GenerateDataKey", "kms:Encrypt"]
    if decrypt:
        actions += ["kms:Decrypt"]
    statement = {"Sid": "UseStackKey", "Effect": "Allow", "Action": actions, "Resource": key_arn}
    if via:
        statement["Condition"] = {"StringEquals": {"kms:ViaService": via}}
    return statement
