"""Every physical name the AWS implementation builds, as (naming service, role) pairs.

Declared up front so that the platform checks each generated name and each
``blueprint:names`` override before any resource is registered; the stage
context refuses a name that is not declared here, so this list cannot drift
from the code.
"""

from __future__ import annotations

from components.config import PlatformConfig

IAM_ROLES: tuple[str, ...] = (
    "buffer-producer", "buffer-consumer", "connect-integration", "connect-api-logging", "connect-producer",
    "processing-pipeline", "processing-emr-instance", "store-steward", "visualize-reader",
)


def names(config: PlatformConfig) -> set[tuple[str, str]]:
    declared = {
        ("kms-alias-name", "foundation-key"),
        ("log-group", "foundation-flow-logs"), ("iam-role", "foundation-flow-logs"),
        ("iam-role", "foundation-flow-logs-policy"),
        ("sns-topic", "foundation-alerts"), ("budget", "foundation-monthly"),
        ("api-gateway", "connect-api"), ("api-gateway", "connect-producer-key"),
        ("api-gateway", "connect-usage-plan"), ("api-gateway", "connect-waf"),
        ("log-group", "connect-access-logs"),
        ("kinesis-stream", "buffer-stream"),
        ("firehose-stream", "processing-sink"), ("log-group", "processing-firehose-logs"),
        ("emr-serverless-application", "processing-spark"), ("glue-database", "processing-catalog"),
        ("iam-role", "processing-emr-service"), ("iam-role", "processing-emr-service-policy"),
        ("iam-role", "processing-emr-instance-profile"),
        ("emr-cluster", "processing-security"), ("emr-cluster", "processing-cluster"),
        ("athena-workgroup", "visualize-workgroup"),
    }
    declared |= {("s3-bucket", f"store-{zone}") for zone in ("raw", "processed", "curated", "logs")}
    for role in IAM_ROLES:
        declared |= {("iam-role", role), ("iam-role", f"{role}-policy")}
    return declared
