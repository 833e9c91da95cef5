"""Identity: one user-assigned managed identity per stage, and scoped role grants.

``stage_identity`` creates the stage's ``UserAssignedIdentity`` (tagged with
the stage and zone) as a child of the stage; ``grant`` assigns it one
built-in data-plane role (``infra.azure.roles``) on one resource. A grant's
scope must be a resource id inside the stack's resource group: never the
subscription, a management group or the resource group itself, which
``check_scope`` refuses before anything is registered when the scope is
known. Azure differs from AWS here: permissions are role assignments on the
resource, not policy documents on the identity, so "least privilege" means
narrow roles on narrow scopes.
"""

from __future__ import annotations

import re

import pulumi
from pulumi_azure_native import authorization, managedidentity

from components.config import StageName
from components.context import StageContext
from components.zones import Zone
from infra.azure.roles import ROLE_NAMES, role_definition_id

_BROAD_SCOPE = re.compile(
    r"^(/|/subscriptions/[^/]+/?|/subscriptions/[^/]+/resourceGroups/[^/]+/?|/providers/Microsoft\.Management/.*)$",
    re.IGNORECASE,
)


def check_scope(scope: str) -> str:
    """Refuse a subscription, management-group or whole-resource-group scope."""
    if _BROAD_SCOPE.match(scope):
        raise ValueError(f"role assignment scope {scope!r} is too broad: scope grants to one resource")
    return scope


def stage_identity(
    name: str, ctx: StageContext, stage: StageName, zone: Zone | None, parent: pulumi.Resource
) -> managedidentity.UserAssignedIdentity:
    """The stage's own managed identity (``f"{name}-identity"``)."""
    foundation = ctx.foundation
    return managedidentity.UserAssignedIdentity(
        f"{name}-identity",
        resource_name_=ctx.name("azure-managed-identity", f"{stage.value}-identity"),
        resource_group_name=foundation.resource_group_name,
        location=foundation.location,
        tags=ctx.tags(stage, zone),
        opts=pulumi.ResourceOptions(parent=parent),
    )


def grant(
    name: str,
    ctx: StageContext,
    identity: managedidentity.UserAssignedIdentity,
    role: str,
    scope: pulumi.Input[str],
    parent: pulumi.Resource,
    depends_on: list[pulumi.Resource] | None = None,
) -> authorization.RoleAssignment:
    """Assign ``role`` (a GUID from ``infra.azure.roles``) to ``identity`` on ``scope``."""
    return grant_principal(name, ctx, identity.principal_id, role, scope, parent, depends_on)


def grant_principal(
    name: str,
    ctx: StageContext,
    principal_id: pulumi.Input[str],
    role: str,
    scope: pulumi.Input[str],
    parent: pulumi.Resource,
    depends_on: list[pulumi.Resource] | None = None,
) -> authorization.RoleAssignment:
    """Assign ``role`` to a service principal that is not a stage identity (an Azure service's own)."""
    if role not in ROLE_NAMES:
        raise ValueError(f"role {role} is not one of the data-plane roles this project may assign")
    checked = pulumi.Output.from_input(scope).apply(check_scope)
    return authorization.RoleAssignment(
        name,
        principal_id=principal_id,
        principal_type="ServicePrincipal",
        role_definition_id=role_definition_id(ctx.foundation.subscription_id, role),
        scope=checked,
        description=f"blueprint {ctx.stack}: {ROLE_NAMES[role]}",
        opts=pulumi.ResourceOptions(parent=parent, depends_on=depends_on),
    )
