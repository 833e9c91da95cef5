"""Rules the clouds document but no service model carries.

Each rule names the resource types and input paths it applies to, what is
allowed, and where it was read (URL and date). Add a rule only after reading
it in the cloud's own documentation.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from blueprint.engine import Synthesis
from blueprint.rules import Context, Finding, Severity, checker, covers
from blueprint.rules.coverage import type_key
from blueprint.rules.values import as_number, values_at

Judge = Callable[[object], Optional[str]]
"""Returns what is wrong with a value, or None when it is allowed."""


@dataclass(frozen=True)
class DocumentedRule:
    types: tuple[str, ...]
    paths: tuple[str, ...]
    judge: Judge
    source: str


_EC2_DESCRIPTION = "a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"
_EC2_ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789. _-:/()#,@[]+=&;{}!$*"


def _ec2_description(value: object) -> Optional[str]:
    if not isinstance(value, str):
        return None
    bad = sorted({c for c in value if c not in _EC2_ALLOWED})
    if bad:
        return (f"characters {''.join(bad)!r} not allowed; EC2 allows only {_EC2_DESCRIPTION} "
                f"in security group and rule descriptions")
    if len(value) > 255:
        return f"at most 255 characters (has {len(value)})"
    return None


def _s3_bucket(value: object) -> Optional[str]:
    if not isinstance(value, str):
        return None
    problems = []
    if not 3 <= len(value) <= 63:
        problems.append(f"3 to 63 characters (has {len(value)})")
    if not re.fullmatch(r"[a-z0-9.-]*", value):
        problems.append("only lowercase letters, numbers, periods and hyphens")
    if not re.fullmatch(r"[a-z0-9](.*[a-z0-9])?", value):
        problems.append("begins and ends with a letter or number")
    if ".." in value:
        problems.append("no two adjacent periods")
    if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", value):
        problems.append("not formatted as an IP address")
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if value.startswith(prefix):
            problems.append(f"must not start with {prefix}")
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"):
        if value.endswith(suffix):
            problems.append(f"must not end with {suffix}")
    return "S3 bucket name: " + "; ".join(problems) if problems else None


def _gcs_bucket(value: object) -> Optional[str]:
    if not isinstance(value, str):
        return None
    problems = []
    limit = 222 if "." in value else 63
    if not 3 <= len(value) <= limit:
        problems.append(f"3 to {limit} characters (has {len(value)})")
    if "." in value and any(len(part) > 63 for part in value.split(".")):
        problems.append("each dot-separated part at most 63 characters")
    if not re.fullmatch(r"[a-z0-9._-]*", value):
        problems.append("only lowercase letters, numbers, dashes, underscores and dots")
    if not re.fullmatch(r"[a-z0-9](.*[a-z0-9])?", value):
        problems.append("starts and ends with a number or letter")
    try:
        ipaddress.ip_address(value)
        problems.append("not an IP address")
    except ValueError:
        pass
    if value.startswith("goog"):
        problems.append("must not begin with goog")
    if "google" in value or re.search(r"g00gle", value):
        problems.append("must not contain google")
    return "Cloud Storage bucket name: " + "; ".join(problems) if problems else None


def _gcp_labels(value: object) -> Optional[str]:
    if not isinstance(value, dict):
        return None
    problems = []
    if len(value) > 64:
        problems.append(f"at most 64 labels (has {len(value)})")
    for key, item in value.items():
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", key):
            problems.append(f"key {key!r}: 1 to 63 lowercase letters, digits, _ or -, starting with a letter")
        if isinstance(item, str) and not re.fullmatch(r"[a-z0-9_-]{0,63}", item):
            problems.append(f"value {item!r} of {key!r}: at most 63 lowercase letters, digits, _ or -")
    return "GCP labels: " + "; ".join(problems) if problems else None


def _policy_size(limit: int, what: str) -> Judge:
    def judge(value: object) -> Optional[str]:
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        if not isinstance(value, str):
            return None
        size = len(re.sub(r"\s", "", value))
        if size > limit:
            return f"{what}: at most {limit} characters without white space (has {size})"
        return None
    return judge


def _matches(pattern: str, what: str) -> Judge:
    compiled = re.compile(pattern)

    def judge(value: object) -> Optional[str]:
        if isinstance(value, str) and not compiled.fullmatch(value):
            return what
        return None
    return judge




def _between(low: float, high: float, unit: str) -> Judge:
    def judge(value: object) -> Optional[str]:
        n = as_number(value)
        if n is not None and not low <= n <= high:
            return f"from {low:g} to {high:g} {unit}".rstrip()
        return None
    return judge


def _one_of(allowed: tuple[int, ...], unit: str) -> Judge:
    def judge(value: object) -> Optional[str]:
        n = as_number(value)
        if n is not None and n not in allowed:
            return f"one of {', '.join(str(a) for a in allowed)} {unit}"
        return None
    return judge


def _duration_between(low: int, high: int, what: str) -> Judge:
    """A ``"<seconds>s"`` duration from ``low`` to ``high`` seconds."""
    def judge(value: object) -> Optional[str]:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)s", value) if isinstance(value, str) else None
        if match and not low <= float(match.group(1)) <= high:
            return f"{what}: from {low}s to {high}s"
        return None
    return judge


def _service_account_id(value: object) -> Optional[str]:
    if not isinstance(value, str):
        return None
    if not 6 <= len(value) <= 30:
        return f"service account id: 6 to 30 characters (has {len(value)})"
    if not re.fullmatch(r"[a-z]([-a-z0-9]*[a-z0-9])", value):
        return "service account id: must match [a-z]([-a-z0-9]*[a-z0-9])"
    return None


_LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                       2922, 3288, 3653)

_AZURE_NAMES = "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules"

RULES: tuple[DocumentedRule, ...] = (
    DocumentedRule(
        ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
         "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
        ("description",),
        _ec2_description,
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html (read 2026-11-30)"),
    DocumentedRule(
        ("aws:ec2/securityGroup:SecurityGroup",), ("description", "name"), _ec2_description,
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html (read 2026-11-30)"),
    DocumentedRule(
        ("aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"),
        ("ingress[].description", "egress[].description"),
        _ec2_description,
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html (read 2026-11-30)"),
    DocumentedRule(
        ("aws:s3/bucket:Bucket",), ("bucket",), _s3_bucket,
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (read 2026-11-30)"),
    DocumentedRule(
        ("aws:iam/policy:Policy",), ("policy",), _policy_size(6144, "managed policy"),
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (read 2026-11-30)"),
    DocumentedRule(
        ("aws:iam/role:Role",), ("assumeRolePolicy",), _policy_size(2048, "role trust policy (default quota)"),
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:storage/bucket:Bucket",), ("name",), _gcs_bucket,
        "https://cloud.google.com/storage/docs/buckets#naming (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:storage/bucket:Bucket", "gcp:bigquery/dataset:Dataset", "gcp:bigquery/table:Table",
         "gcp:pubsub/topic:Topic", "gcp:pubsub/subscription:Subscription", "gcp:kms/cryptoKey:CryptoKey",
         "gcp:dataproc/sessionTemplate:SessionTemplate", "gcp:dataproc/cluster:Cluster",
         "gcp:compute/network:Network"),
        ("labels",), _gcp_labels,
        "https://cloud.google.com/resource-manager/docs/labels-overview#requirements (read 2026-11-30)"),
    DocumentedRule(
        ("azure-native:storage:StorageAccount",), ("accountName",),
        _matches(r"[a-z0-9]{3,24}", "storage account name: 3 to 24 lowercase letters and numbers"),
        f"{_AZURE_NAMES} Microsoft.Storage (read 2026-11-30)"),
    DocumentedRule(
        ("azure-native:keyvault:Vault",), ("vaultName",),
        _matches(r"(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]",
                    "key vault name: 3 to 24 alphanumerics and hyphens, starts with a letter, ends with a "
                    "letter or digit, no consecutive hyphens"),
        f"{_AZURE_NAMES} Microsoft.KeyVault (read 2026-11-30)"),
    DocumentedRule(
        ("azure-native:synapse:Workspace",), ("workspaceName",),
        _matches(r"(?!.*-ondemand)[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?",
                    "Synapse workspace name: 1 to 50 lowercase letters, hyphens and numbers, starts and ends "
                    "with a letter or number, must not contain -ondemand"),
        "https://learn.microsoft.com/en-us/azure/templates/microsoft.synapse/workspaces (read 2026-11-30)"),
    DocumentedRule(
        ("azure-native:network:NetworkSecurityGroup",), ("securityRules[].priority",), _between(100, 4096, ""),
        "https://learn.microsoft.com/en-us/python/api/azure-mgmt-network/"
        "azure.mgmt.network.models.securityrulepropertiesformat (priority: between 100 and 4096; read 2026-11-30)"),
    DocumentedRule(
        ("azure-native:network:NetworkSecurityGroup",), ("securityRules[].description",),
        lambda v: f"at most 140 characters (has {len(v)})" if isinstance(v, str) and len(v) > 140 else None,
        "https://learn.microsoft.com/en-us/python/api/azure-mgmt-network/"
        "azure.mgmt.network.models.securityrulepropertiesformat (description: restricted to 140 chars; "
        "read 2026-11-30)"),
    # Limits stated in the models' documentation text rather than as constraints.
    DocumentedRule(
        ("aws:cloudwatch/logGroup:LogGroup",), ("retentionInDays",), _one_of(_LOG_RETENTION_DAYS, "days"),
        "botocore logs PutRetentionPolicy retentionInDays documentation; "
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html "
        "(read 2026-11-30)"),
    DocumentedRule(
        ("aws:kinesis/stream:Stream",), ("retentionPeriod",), _between(24, 8760, "hours"),
        "botocore kinesis IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod documentation; "
        "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html "
        "(read 2026-11-30)"),
    DocumentedRule(
        ("gcp:pubsub/subscription:Subscription", "gcp:pubsub/topic:Topic"), ("messageRetentionDuration",),
        _duration_between(600, 31 * 86400, "message retention"),
        "Google discovery pubsub.v1 Subscription/Topic.messageRetentionDuration description "
        "(no more than 31 days, no less than 10 minutes; read 2026-11-30)"),
    DocumentedRule(
        ("gcp:pubsub/subscription:Subscription",), ("ackDeadlineSeconds",), _between(10, 600, "seconds"),
        "Google discovery pubsub.v1 Subscription.ackDeadlineSeconds description (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:pubsub/subscription:Subscription",), ("deadLetterPolicy.maxDeliveryAttempts",),
        _between(5, 100, "attempts"),
        "Google discovery pubsub.v1 DeadLetterPolicy.maxDeliveryAttempts description (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:pubsub/subscription:Subscription",), ("retryPolicy.minimumBackoff", "retryPolicy.maximumBackoff"),
        _duration_between(0, 600, "retry backoff"),
        "Google discovery pubsub.v1 RetryPolicy description (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:projects/iAMCustomRole:IAMCustomRole",), ("roleId",),
        _matches(r"[a-zA-Z0-9_.]{3,64}", "role id: 3 to 64 letters, digits, underscores and periods"),
        "Google discovery iam.v1 CreateRoleRequest.roleId description (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:serviceaccount/account:Account",), ("accountId",),
        _service_account_id,
        "Google discovery iam.v1 CreateServiceAccountRequest.accountId description (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:cloudscheduler/job:Job",), ("retryConfig.retryCount",), _between(0, 5, "retries"),
        "Google discovery cloudscheduler.v1 RetryConfig.retryCount description (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:cloudscheduler/job:Job",), ("attemptDeadline",), _duration_between(15, 1800, "HTTP target deadline"),
        "Google discovery cloudscheduler.v1 Job.attemptDeadline description (read 2026-11-30)"),
    DocumentedRule(
        ("aws:sqs/queue:Queue",), ("messageRetentionSeconds",), _between(60, 1209600, "seconds"),
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html "
        "(MessageRetentionPeriod; read 2026-11-30)"),
    DocumentedRule(
        ("gcp:bigquery/dataset:Dataset",), ("maxTimeTravelHours",), _between(48, 168, "hours"),
        "Google discovery bigquery.v2 Dataset.maxTimeTravelHours description (read 2026-11-30)"),
    DocumentedRule(
        ("gcp:kms/cryptoKey:CryptoKey",), ("rotationPeriod",),
        _duration_between(24 * 3600, 876000 * 3600, "rotation period"),
        "Google discovery cloudkms.v1 CryptoKey.rotationPeriod description (read 2026-11-30)"),
)


@checker
def documented_rules(synthesis: Synthesis, context: Context) -> Iterator[Finding]:
    for resource in synthesis.custom():
        kind = type_key(resource.type)
        for rule in RULES:
            if kind not in rule.types:
                continue
            for path in rule.paths:
                for at, value in values_at(resource.inputs, path):
                    problem = rule.judge(value)
                    if problem:
                        yield Finding(Severity.ERROR, resource.urn, at, value, problem, rule.source)


covers(t for rule in RULES for t in rule.types)
