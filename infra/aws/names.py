"""Every physical name the AWS implementation builds, as (naming service, role) pairs.

Declared up front so that the platform checks each generated name and each
``blueprint:names`` override before any resource is registered; the stage
context refuses a name that is not declared here, so this list cannot drift
from the code.
"""

from __future__ import annotations

from components.config import PlatformConfig
from components.context import StageContext

IAM_ROLES: tuple[str, ...] = (
    "buffer-producer", "buffer-consumer", "connect-integration", "connect-api-logging", "connect-producer",
    "processing-sink", "processing-job", "processing-submitter", "processing-emr-instance", "store-steward",
    "visualize-reader",
)


def names(config: PlatformConfig) -> set[tuple[str, str]]:
    declared = {
        ("kms-alias-name", "foundation-key"),
        ("log-group", "foundation-flow-logs"), ("iam-role", "foundation-flow-logs"),
        ("iam-role", "foundation-flow-logs-policy"),
        ("sns-topic", "foundation-alerts"), ("budget", "foundation-monthly"),
        ("api-gateway", "connect-api"), ("api-gateway", "connect-producer-key"),
        ("api-gateway", "connect-usage-plan"), ("wafv2-web-acl", "connect-waf"),
        ("log-group", "connect-access-logs"), ("log-group", "connect-waf-logs"),
        ("kinesis-stream", "buffer-stream"),
        ("firehose-stream", "processing-sink"), ("log-group", "processing-firehose-logs"),
        ("emr-serverless-application", "processing-spark"), ("glue-database", "processing-catalog"),
        ("iam-role", "processing-emr-service"), ("iam-role", "processing-emr-service-policy"),
        ("iam-role", "processing-emr-service-pass-policy"),
        ("emr-cluster", "processing-security"), ("emr-cluster", "processing-cluster"),
        ("athena-workgroup", "visualize-workgroup"),
    }
    declared |= {("s3-bucket", f"store-{zone}") for zone in ("raw", "processed", "curated", "results", "logs")}
    roles = IAM_ROLES
    if config.processing_schedule is not None:
        declared |= {("eventbridge-scheduler", "processing-schedule"),
                     ("eventbridge-scheduler", "processing-daily-run")}
        roles += ("processing-scheduler",)
    for role in roles:
        declared |= {("iam-role", role), ("iam-role", f"{role}-policy")}
    return declared


def bucket_name(ctx: StageContext, role: str, account_id: str) -> str:
    """An S3 bucket name, whose namespace is global across all accounts and regions.

    The hash is salted with the account id and the region: a second adopter (or
    the same stack name in another region) gets other names instead of
    ``BucketAlreadyExists``, and nobody can squat them by knowing only the stack
    name. The salt changes the hash only, so the length and character checks
    made before registration still hold; the name is stable for one stack.
    """
    return ctx.name("s3-bucket", role, salt=f"{account_id}:{ctx.config.aws.region}")


def iam_name(ctx: StageContext, role: str) -> str:
    """An IAM role, policy or instance-profile name: unique per account across every region,
    so the hash is salted with the region (the same stack name in two regions of one account)."""
    return ctx.name("iam-role", role, salt=ctx.config.aws.region)
