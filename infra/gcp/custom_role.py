"""A custom project role for one service account, and its project-level grant.

A custom role id (``[a-zA-Z0-9_.]{3,64}``) is not freed when the role is
deleted: it can be undeleted for 7 days, then takes up to 30 more days to
purge, and no new role may take the id meanwhile. A fixed id would make
``pulumi up`` after ``pulumi destroy`` fail for up to 37 days. The id
therefore ends with the numeric ``unique_id`` of the account it is granted
to, which Google assigns anew each time the account is created: the role
belongs to one incarnation of that identity, a recreated stack gets a fresh
id, and two stacks in one project never share one.
"""

from __future__ import annotations

from typing import Sequence

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext


def account_role(
    role_name: str, grant_name: str, ctx: StageContext, account: gcp.serviceaccount.Account, *,
    id_prefix: str, title: str, description: str, permissions: Sequence[str], opts: pulumi.ResourceOptions,
) -> tuple[gcp.projects.IAMCustomRole, gcp.projects.IAMMember]:
    """The role ``role_name`` (id ``id_prefix`` + the account's unique id) and ``grant_name``, its grant to
    ``account`` on the project."""
    project = ctx.config.gcp.project
    role = gcp.projects.IAMCustomRole(
        role_name,
        project=project,
        role_id=account.unique_id.apply(lambda uid: f"{id_prefix}{uid}"),
        title=title,
        description=description,
        permissions=list(permissions),
        stage="GA",
        opts=opts,
    )
    grant = gcp.projects.IAMMember(
        grant_name,
        project=project,
        role=pulumi.Output.concat("projects/", project, "/roles/", role.role_id),
        member=account.member,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[role])),
    )
    return role, grant
