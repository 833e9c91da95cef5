"""Pack configuration: the profile and the thresholds each rule reads.

Every policy accepts ``profile`` (``learning`` or ``production``) in its
config; thresholds default per profile (``DEFAULTS``) and may be overridden
per policy in the pack config file. The profile also picks each rule's
enforcement level (see ``policies.catalogue``): ``catalogue.pack_config(profile)``
writes the matching config file, and the committed files
``policies/profiles/{learning,production}.json`` are generated from it.

When no profile is configured, the stack's own ``blueprint:profile`` decides
(the Pulumi CLI hands the stack config to the pack), else ``learning``.
"""

from __future__ import annotations

import os
from typing import Any, Mapping

PROFILES: tuple[str, ...] = ("learning", "production")
PROFILE_ENV = "BLUEPRINT_POLICY_PROFILE"
"""Environment variable that selects the profile when the pack starts (overrides the stack's)."""

_SHARED: dict[str, Any] = {
    "maxTtlDays": 31,
    "allowedApiEndpointTypes": ["REGIONAL", "PRIVATE"],
    "publicIngressPorts": [],
    "unauthenticatedRoutes": [],
    "wildcardResourceActions": [],
    "requirePermissionsBoundary": False,
    "requireObjectLock": False,
    "approvedRegions": [
        "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1",
        "eastus", "eastus2", "westus2", "westeurope", "northeurope",
        "us-central1", "us-east1", "us-west1", "europe-west1", "europe-west4",
    ],
}
"""Thresholds that are the same in both profiles."""

DEFAULTS: dict[str, dict[str, Any]] = {
    "learning": {
        **_SHARED,
        "minLogRetentionDays": 1,
        "minKmsDeletionWindowDays": 7,
        "minStreamRetentionHours": 24,
        "minEventHubRetentionDays": 1,
        "maxKinesisShards": 2,
        "maxSparkVcpu": 16,
        "maxEmrInstances": 3,
        "allowedInstanceTypes": ["m5.xlarge", "m6g.xlarge", "m7g.xlarge", "n2-standard-4", "e2-standard-4"],
        "allowedGlueWorkerTypes": ["G.1X", "G.025X"],
        "maxGlueWorkers": 4,
        "maxGlueTimeoutMinutes": 60,
        "maxIdleMinutes": 30,
        "allowedEventHubSkus": ["Basic", "Standard"],
        "maxEventHubThroughputUnits": 1,
        "minSoftDeleteDays": 1,
    },
    "production": {
        **_SHARED,
        "minLogRetentionDays": 365,
        "minKmsDeletionWindowDays": 30,
        "minStreamRetentionHours": 168,
        "minEventHubRetentionDays": 7,
        "maxKinesisShards": 16,
        "maxSparkVcpu": 400,
        "maxEmrInstances": 20,
        "allowedInstanceTypes": [
            "m5.xlarge", "m5.2xlarge", "m6g.xlarge", "m6g.2xlarge", "m7g.xlarge", "m7g.2xlarge",
            "r5.xlarge", "r6g.xlarge", "n2-standard-4", "n2-standard-8", "n2-highmem-4", "e2-standard-4",
        ],
        "allowedGlueWorkerTypes": ["G.1X", "G.2X"],
        "maxGlueWorkers": 20,
        "maxGlueTimeoutMinutes": 480,
        "maxIdleMinutes": 120,
        "allowedEventHubSkus": ["Standard", "Premium"],
        "maxEventHubThroughputUnits": 10,
        "minSoftDeleteDays": 7,
    },
}
"""Thresholds per profile. Lists are allow-lists; ``[]`` for ports and routes means none allowed."""

ALWAYS_ALLOWED_WILDCARD_ACTIONS: tuple[str, ...] = (
    # Actions that do not support resource-level permissions: they only accept Resource "*"
    # (Service Authorization Reference, "Resource types" column empty).
    "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
    "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions",
    "ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables", "ec2:CreateTags",
    "xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData",
    "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:CreateLogDelivery", "logs:GetLogDelivery",
    "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
    "athena:ListWorkGroups", "athena:ListDataCatalogs", "athena:ListEngineVersions",
    "kinesis:ListStreams", "firehose:ListDeliveryStreams", "s3:ListAllMyBuckets",
    "kms:ListAliases", "kms:ListKeys", "sts:GetCallerIdentity", "glue:GetSecurityConfigurations",
    "emr-serverless:ListApplications", "iam:ListRoles", "iam:ListPolicies",
)
"""Actions that may use ``Resource: "*"`` because AWS offers nothing narrower."""


def stack_profile() -> str | None:
    """The ``blueprint:profile`` of the stack the CLI runs the pack for, if it passed the config."""
    env = os.environ.get(PROFILE_ENV)
    if env in PROFILES:
        return env
    try:
        from pulumi.runtime.config import get_config_env

        value = get_config_env().get("blueprint:profile")
    except Exception:  # noqa: BLE001 (no runtime config: not inside the CLI)
        value = None
    return value if value in PROFILES else None


def profile_of(config: Mapping[str, Any] | None) -> str:
    """The profile a rule judges by: pack config, then the stack's, then ``learning``."""
    value = (config or {}).get("profile")
    if value in PROFILES:
        return value
    return stack_profile() or "learning"


def setting(config: Mapping[str, Any] | None, key: str) -> Any:
    """A threshold: the pack config's value, else the profile default."""
    config = config or {}
    if key in config:
        return config[key]
    return DEFAULTS[profile_of(config)][key]


def is_production(config: Mapping[str, Any] | None) -> bool:
    return profile_of(config) == "production"


def schema_for(keys: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """JSON-schema properties for a policy's config: ``profile`` plus its thresholds."""
    properties: dict[str, dict[str, Any]] = {
        "profile": {"type": "string", "enum": list(PROFILES),
                    "description": "learning or production; default: the stack's blueprint:profile"},
    }
    for key in keys:
        sample = DEFAULTS["learning"][key]
        if isinstance(sample, bool):
            properties[key] = {"type": "boolean"}
        elif isinstance(sample, (int, float)):
            properties[key] = {"type": "number", "minimum": 0}
        elif isinstance(sample, list):
            item = {"type": "integer"} if key.endswith("Ports") else {"type": "string"}
            properties[key] = {"type": "array", "items": item}
        else:
            properties[key] = {"type": "string"}
    return properties
