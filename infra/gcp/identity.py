"""One service account per stage, and the few roles that can only be granted on the project.

Every stage creates exactly one user-managed service account (its
``identity``) and grants it roles on the stage's own resources (topic,
subscription, bucket, dataset, key), never basic roles and never keys: no
``serviceaccount.Key`` is created anywhere, callers impersonate the account
or federate to it (workload identity federation).

Project-level grants of predefined roles are refused unless the role is in
``PROJECT_LEVEL_ROLES``, which says why no narrower binding exists. The other
project-level grants are custom roles holding no storage or data permission:
the Spark runtime's (``infra.gcp.spark_role``) and, with a daily run, the
scheduler account's ``dataproc.batches.create`` (``infra.gcp.daily_run``),
whose account is the one identity besides the stages'.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.config import StageName
from components.context import StageContext

BASIC_ROLES: frozenset[str] = frozenset({"roles/owner", "roles/editor", "roles/viewer"})

PROJECT_LEVEL_ROLES: dict[str, str] = {
    "roles/bigquery.jobUser": (
        "running a query creates a job in a project; bigquery.jobs.create exists only at project level"
    ),
}
"""Roles that must be bound on the project, with the reason."""


def service_account(
    name: str, ctx: StageContext, stage: StageName, purpose: str, opts: pulumi.ResourceOptions
) -> gcp.serviceaccount.Account:
    """The stage's service account, ``f"{name}-sa"``, account id 6-30 characters from ``ctx.name``."""
    return gcp.serviceaccount.Account(
        f"{name}-sa",
        account_id=ctx.name("gcp-service-account", f"{stage.value}-sa"),
        project=ctx.config.gcp.project,
        display_name=f"blueprint {stage.value} ({ctx.stack})",
        description=purpose,
        opts=opts,
    )


def project_grant(
    name: str, ctx: StageContext, role: str, member: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> gcp.projects.IAMMember:
    """A project-level grant of a role listed in ``PROJECT_LEVEL_ROLES``; anything else is refused."""
    if role in BASIC_ROLES or role not in PROJECT_LEVEL_ROLES:
        raise ValueError(
            f"{role} may not be granted at project level; bind it on the resource "
            f"(project-level roles allowed: {', '.join(sorted(PROJECT_LEVEL_ROLES))})"
        )
    return gcp.projects.IAMMember(name, project=ctx.config.gcp.project, role=role, member=member, opts=opts)


def stage_options(
    component: pulumi.Resource, ctx: StageContext, *agents: str, stateful: bool = False
) -> pulumi.ResourceOptions:
    """Options of a stage's child: parented, protected if stateful, and after what it uses of the foundation.

    A child waits for the project's APIs and for the key grants of the service
    ``agents`` that encrypt it (``storage``, ``pubsub``, ``bigquery``,
    ``dataproc``, ``compute``), and for nothing else.
    """
    foundation = ctx.foundation
    ready = list(foundation.ready(*agents)) if foundation is not None else []
    return pulumi.ResourceOptions(
        parent=component, depends_on=ready or None, protect=ctx.protect if stateful else None
    )


def service_account_email(ctx: StageContext, stage: StageName) -> str:
    """The e-mail ``service_account`` gives ``stage``'s account, known before it exists (ids are deterministic)."""
    account_id = ctx.name("gcp-service-account", f"{stage.value}-sa")
    return f"{account_id}@{ctx.config.gcp.project}.iam.gserviceaccount.com"
