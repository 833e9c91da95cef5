"""Keyless federation between clouds (catalogue IAM-08 to IAM-11).

A federated trust is only as narrow as its conditions: an AWS role that
trusts ``accounts.google.com`` without a pinned ``sub`` can be assumed by
any Google account's token, and a workload identity provider whose
attribute condition is ``true`` admits every role of the foreign account.
These rules ask, on each side, that the subject and the audience be pinned
to literal values, that no grant covers a whole identity pool, and that no
long-lived key exists anywhere in the stack.
"""

from __future__ import annotations

from policies.check import applies_to
from policies.documents import statements
from policies.props import as_list

GOOGLE = "accounts.google.com"
AZURE_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
_WILDCARDS = ("*", "?")
_EXACT = ("StringEquals", "ForAnyValue:StringEquals", "ForAllValues:StringEquals")


def _issuer(federated: str) -> str:
    """The claim prefix of a web identity principal: the issuer host, or the OIDC provider ARN's host path."""
    return federated.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in federated else federated


def _pinned(condition: dict, key: str) -> bool:
    """``key`` is compared for equality with literal values that hold no wildcard."""
    for operator in _EXACT:
        values = as_list((condition.get(operator) or {}).get(key))
        if values and all(isinstance(v, str) and v and not any(w in v for w in _WILDCARDS) for v in values):
            return True
    return False


@applies_to("aws:iam/role:Role")
def aws_web_identity_trust_pinned(args, report) -> None:
    for statement in statements(args.props.get("assumeRolePolicy")):
        if statement.get("Effect", "Allow") != "Allow":
            continue
        principal = statement.get("Principal")
        federated = as_list(principal.get("Federated")) if isinstance(principal, dict) else []
        sid = statement.get("Sid", "(no Sid)")
        for value in federated:
            if value == "*" or not isinstance(value, str):
                report(f"statement {sid!r} trusts any identity provider: name one (accounts.google.com or an OIDC "
                       "provider ARN)")
                continue
            issuer = _issuer(value)
            condition = statement.get("Condition") or {}
            audience = (f"{issuer}:aud", f"{issuer}:oaud")
            missing = [f"{issuer}:sub"] if not _pinned(condition, f"{issuer}:sub") else []
            if not any(_pinned(condition, key) for key in audience):
                missing.append(" or ".join(audience))
            if missing:
                report(f"statement {sid!r} trusts {value} without pinning {', '.join(missing)}: compare each with "
                       "StringEquals to a literal value (for Google, sub is the service account's numeric id)")


@applies_to("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")
def gcp_workload_identity_provider_pinned(args, report) -> None:
    condition = str(args.props.get("attributeCondition") or "").strip()
    if condition in ("", "true") or "*" in condition:
        report(f"attribute_condition {condition or '(none)'!r} admits every identity of the foreign account or "
               "issuer: pin it to the one role ARN or identity allowed")
    mapping = args.props.get("attributeMapping") or {}
    if "google.subject" not in mapping:
        report("attribute_mapping has no google.subject: map it to the foreign identity (assertion.arn, "
               "assertion.sub)")


_MEMBER_TYPES = ("gcp:serviceaccount/iAMMember:IAMMember", "gcp:serviceaccount/iAMBinding:IAMBinding",
                 "gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:storage/bucketIAMBinding:BucketIAMBinding",
                 "gcp:pubsub/topicIAMMember:TopicIAMMember", "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
                 "gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMBinding:IAMBinding")


@applies_to(*_MEMBER_TYPES)
def gcp_no_pool_wide_grant(args, report) -> None:
    members = as_list(args.props.get("member")) + as_list(args.props.get("members"))
    for member in members:
        if isinstance(member, str) and member.startswith("principalSet://") and member.rstrip("/").endswith("/*"):
            report(f"{member} grants every identity of the pool: grant one subject (principal://) or one "
                   "attribute value (principalSet://.../attribute.aws_role/ARN)")


@applies_to("azure-native:managedidentity:FederatedIdentityCredential")
def azure_federated_credential_pinned(args, report) -> None:
    issuer, subject = args.props.get("issuer"), args.props.get("subject")
    audiences = as_list(args.props.get("audiences"))
    if not isinstance(issuer, str) or not issuer.startswith("https://"):
        report(f"issuer {issuer!r}: name the foreign issuer's https URL")
    if not isinstance(subject, str) or not subject or any(w in subject for w in _WILDCARDS):
        report(f"subject {subject!r}: pin the one foreign identity (no wildcard)")
    if audiences != [AZURE_EXCHANGE_AUDIENCE]:
        report(f"audiences {audiences!r}: use exactly [{AZURE_EXCHANGE_AUDIENCE!r}]")


LONG_LIVED_KEYS = {
    "aws:iam/accessKey:AccessKey": "an IAM user access key",
    "gcp:serviceaccount/key:Key": "a service-account key",
    "gcp:storage/hmacKey:HmacKey": "a Cloud Storage HMAC key",
    "azuread:index/applicationPassword:ApplicationPassword": "an application client secret",
    "azuread:index/servicePrincipalPassword:ServicePrincipalPassword": "a service-principal client secret",
}


@applies_to(*LONG_LIVED_KEYS)
def no_long_lived_keys(args, report) -> None:
    what = LONG_LIVED_KEYS.get(args.resource_type, "a long-lived key")
    report(f"{what} is a long-lived secret: federate instead (web identity, workload identity pools, "
           "federated identity credentials)")
