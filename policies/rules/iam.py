"""Least-privilege IAM (catalogue group F): AWS policies, attachments, trust, users;
Azure role assignments and local auth; GCP basic roles and service accounts."""

from __future__ import annotations

import json
import re

from policies.check import applies_to, label, of_type, refers_to
from policies.config import ALWAYS_ALLOWED_WILDCARD_ACTIONS, setting
from policies.documents import actions, allows, aws_principals, principals, resources, statements
from policies.props import as_list

POLICY_DOCUMENTS = ("aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role",
                    "aws:iam/groupPolicy:GroupPolicy", "aws:iam/userPolicy:UserPolicy")


def identity_documents(args) -> list:
    if args.resource_type.startswith("aws:iam/role:"):
        return [p.get("policy") for p in as_list(args.props.get("inlinePolicies")) if isinstance(p, dict)]
    return [args.props.get("policy")]


@applies_to(*POLICY_DOCUMENTS)
def iam_no_wildcards(args, report) -> None:
    exempt = set(ALWAYS_ALLOWED_WILDCARD_ACTIONS) | set(setting(args.get_config(), "wildcardResourceActions"))
    for document in identity_documents(args):
        for statement in allows(document):
            sid = statement.get("Sid", "(no Sid)")
            if statement.get("NotAction") or statement.get("NotResource"):
                report(f"statement {sid!r}: replace NotAction/NotResource in an Allow with explicit lists")
            acts = actions(statement)
            broad = [a for a in acts if a == "*" or a.endswith(":*")]
            if broad:
                report(f"statement {sid!r} allows {', '.join(broad)}: list the exact actions the stage needs")
            if "*" in resources(statement):
                narrowable = [a for a in acts if a not in exempt]
                if narrowable:
                    report(f"statement {sid!r} grants {', '.join(narrowable[:4])} on Resource '*': name the ARNs "
                           "(or allow-list an action that has no resource type in wildcardResourceActions)")


ADMIN_POLICIES = ("AdministratorAccess", "IAMFullAccess", "PowerUserAccess")
ESCALATION = ("iam:*", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachRolePolicy",
              "iam:PutRolePolicy", "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:CreateAccessKey",
              "iam:UpdateAssumeRolePolicy", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
              "iam:AddUserToGroup", "iam:PassRole")


@applies_to("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment",
            *POLICY_DOCUMENTS)
def iam_no_admin(args, report) -> None:
    arns = as_list(args.props.get("policyArn")) + as_list(args.props.get("managedPolicyArns"))
    for arn in arns:
        if isinstance(arn, str) and arn.rsplit("/", 1)[-1] in ADMIN_POLICIES:
            report(f"remove {arn}: write a customer-managed policy with the stage's actions")
    for document in identity_documents(args) if not args.resource_type.endswith("Attachment") else []:
        for statement in allows(document):
            for action in actions(statement):
                if action == "iam:PassRole" and "*" not in resources(statement):
                    continue  # PassRole on named roles is how services get their role
                if action in ESCALATION:
                    report(f"{action} lets the holder raise its own privileges: remove it (PassRole only on "
                           "named role ARNs, with iam:PassedToService)")


def _account_of(principal: str) -> str:
    """The account id of an ARN or a bare account id ("" when there is none)."""
    if principal.isdigit():
        return principal
    parts = principal.split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" else ""


_ACCOUNT_IN_ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):")


def own_accounts(resources) -> set[str]:
    """Accounts the stack's own resources live in: every account id in an ARN outside trust policies."""
    accounts: set[str] = set()
    for resource in resources:
        props = {k: v for k, v in dict(resource.props).items() if k != "assumeRolePolicy"}
        accounts |= set(_ACCOUNT_IN_ARN.findall(json.dumps(props, default=str)))
    return accounts


def iam_role_trust(args, report) -> None:
    """Trust policies name principals; trust of another account is conditioned; boundaries when required."""
    own = own_accounts(args.resources)
    for role in of_type(args.resources, "aws:iam/role:Role"):
        for statement in statements(role.props.get("assumeRolePolicy")):
            if statement.get("Effect", "Allow") != "Allow":
                continue
            if "*" in principals(statement) and not statement.get("Condition"):
                report(f"role {label(role)}: the trust policy lets anyone assume the role; name the service "
                       "principal or account", role.urn)
            for principal in aws_principals(statement):
                if principal != "*" and _account_of(principal) not in own and not statement.get("Condition"):
                    report(f"role {label(role)}: cross-account trust of {principal} has no condition; require "
                           "sts:ExternalId or aws:PrincipalArn", role.urn)
        if setting(args.get_config(), "requirePermissionsBoundary") and not role.props.get("permissionsBoundary"):
            report(f"role {label(role)}: set permissions_boundary to the platform's boundary policy", role.urn)


@applies_to("aws:iam/user:User", "aws:iam/accessKey:AccessKey", "aws:iam/userPolicy:UserPolicy",
            "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/userLoginProfile:UserLoginProfile")
def iam_no_users(args, report) -> None:
    report("IAM users and long-lived access keys are not allowed: use a role (OIDC federation for CI, "
           "IAM Identity Center for people)")


def iam_role_single_policy_management(args, report) -> None:
    """No role is managed both inline (inlinePolicies / managedPolicyArns) and through standalone resources."""
    role_policies = of_type(args.resources, "aws:iam/rolePolicy:RolePolicy")
    attachments = of_type(args.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    for role in of_type(args.resources, "aws:iam/role:Role"):
        if role.props.get("inlinePolicies") and any(refers_to(p, "role", role) for p in role_policies):
            report(f"role {label(role)} has inline_policies and aws.iam.RolePolicy resources: the two fight over "
                   "the role's inline policies; use one", role.urn)
        if role.props.get("managedPolicyArns") and any(refers_to(a, "role", role) for a in attachments):
            report(f"role {label(role)} has managed_policy_arns and RolePolicyAttachment resources: use one",
                   role.urn)


PRIVILEGED_ROLE_IDS = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
}


def _is_broad_scope(scope: object) -> bool:
    if not isinstance(scope, str):
        return False
    parts = [p for p in scope.lower().split("/") if p]
    return scope.strip() == "/" or (len(parts) == 2 and parts[0] == "subscriptions") or "managementgroups" in parts


@applies_to("azure-native:authorization:RoleAssignment", "azure-native:authorization:RoleDefinition")
def azure_no_privileged_roles(args, report) -> None:
    props = args.props
    if args.resource_type.endswith(":RoleDefinition"):
        for permission in as_list(props.get("permissions")):
            if "*" in as_list(permission.get("actions")) or "*" in as_list(permission.get("dataActions")):
                report("the custom role allows '*': list the actions")
        return
    role_id = str(props.get("roleDefinitionId", "")).rsplit("/", 1)[-1].lower()
    name = PRIVILEGED_ROLE_IDS.get(role_id)
    if name and _is_broad_scope(props.get("scope")):
        report(f"{name} at subscription or management-group scope: assign a data-plane role on the resource")
    elif name == "Owner" or name == "User Access Administrator":
        report(f"{name} lets the holder grant access: assign a narrower built-in role on the resource")


@applies_to("azure-native:storage:StorageAccount", "azure-native:eventhub:Namespace",
            "azure-native:eventhub:NamespaceAuthorizationRule", "azure-native:eventhub:EventHubAuthorizationRule")
def azure_local_auth_disabled(args, report) -> None:
    props, kind = args.props, args.resource_type.rsplit(":", 1)[1]
    if kind == "StorageAccount":
        if props.get("allowSharedKeyAccess") is not False:
            report("set allow_shared_key_access=False (Entra ID auth only)")
    elif kind == "Namespace":
        if props.get("disableLocalAuth") is not True:
            report("set disable_local_auth=True (Entra ID auth only; no SAS keys)")
    elif "Manage" in as_list(props.get("rights")):
        report("remove 'Manage' from rights: a SAS rule sends or listens, nothing more")


BASIC_ROLES = ("roles/owner", "roles/editor", "roles/viewer")
PROJECT_SA_ROLES = ("roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator")
PROJECT_STORAGE_WIDE_ROLES = ("roles/dataproc.worker",)
"""Predefined roles that carry storage.objects.* for every bucket when bound on the project."""
PROJECT_IAM = ("gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMBinding:IAMBinding",
               "gcp:projects/iAMPolicy:IAMPolicy", "gcp:serviceaccount/iAMMember:IAMMember",
               "gcp:serviceaccount/iAMBinding:IAMBinding")


@applies_to(*PROJECT_IAM)
def gcp_no_basic_roles(args, report) -> None:
    role = args.props.get("role")
    members = as_list(args.props.get("member")) + as_list(args.props.get("members"))
    if role in BASIC_ROLES:
        report(f"{role} is a basic role: grant predefined roles on the resources instead")
    if args.resource_type.startswith("gcp:projects/") and role in PROJECT_SA_ROLES:
        report(f"{role} at project level lets the member act as every service account: grant it on one "
               "service account")
    if args.resource_type.startswith("gcp:projects/") and role in PROJECT_STORAGE_WIDE_ROLES:
        report(f"{role} at project level includes storage.objects.* on every bucket: bind a custom role with "
               "its dataproc.agents/tasks, logging and monitoring permissions, and grant storage per bucket")
    if isinstance(role, str) and role.endswith("Admin") and any(str(m).startswith("serviceAccount:") for m in members):
        report(f"{role} for a service account: workloads get the narrow roles they use, not admin roles")


@applies_to("gcp:serviceaccount/key:Key", "gcp:dataproc/cluster:Cluster")
def gcp_service_account_hygiene(args, report) -> None:
    if args.resource_type.endswith(":Key"):
        report("user-managed service-account keys are long-lived secrets: use workload identity federation or "
               "service-account impersonation")
        return
    gce = (args.props.get("clusterConfig") or {}).get("gceClusterConfig") or {}
    account = gce.get("serviceAccount")
    if not account or str(account).endswith("-compute@developer.gserviceaccount.com"):
        report("set cluster_config.gce_cluster_config.service_account to the stage's dedicated service account")
    scopes = as_list(gce.get("serviceAccountScopes"))
    broad = [s for s in scopes if "cloud-platform" not in str(s)]
    if broad:
        report("use only the 'cloud-platform' scope and control access with IAM (remove legacy scopes)")
