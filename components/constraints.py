"""Rules that involve more than one configuration key, and the service limits of each cloud.

``cross_checks`` runs after the model has validated each key on its own; it
returns one ``ConfigIssue`` per problem (the key, the value, what is
allowed), so that ``load_config`` can report them all at once.
"""

from __future__ import annotations

from components.config import (
    MISSING,
    NAMESPACE,
    SCHEDULE_OFF,
    Cloud,
    ConfigIssue,
    PlatformConfig,
    StageName,
)
from components import regions
from components.edges import edge_issues


AZURE_DATABRICKS_APP_ID = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"
"""Application (client) id of the AzureDatabricks first-party application, the same in every tenant."""


def placeholder_guid(value: str) -> bool:
    """A GUID written as a stand-in: its first group all zeros, or every digit the same
    (apart from the version and variant digits), like ``00000000-0000-4000-8000-00000000abcd``
    or ``22222222-2222-4222-8222-222222222222``."""
    digits = value.lower().replace("-", "")
    significant = digits[:12] + digits[13:16] + digits[17:]
    return digits.startswith("00000000") or len(set(significant)) == 1


def cross_checks(cfg: PlatformConfig) -> list[ConfigIssue]:
    """Rules that involve more than one key."""
    issues: list[ConfigIssue] = []
    ns = NAMESPACE
    if cfg.is_production and cfg.ttl is not None:
        issues.append(ConfigIssue(f"{ns}:ttl", cfg.ttl, "production stacks have no expiry; remove ttl"))
    if cfg.is_production and cfg.lease_start is not None:
        issues.append(ConfigIssue(f"{ns}:leaseStart", str(cfg.lease_start), "production stacks have no lease; remove it"))
    if Cloud.GCP in cfg.clouds_in_use:
        if cfg.gcp.project is None:
            issues.append(ConfigIssue(f"{ns}:gcp.project", MISSING, "required when a stage runs on GCP"))
        if cfg.gcp.billing_account is None:
            issues.append(ConfigIssue(
                f"{ns}:gcp.billingAccount", MISSING,
                "required when a stage runs on GCP (the budget is created on it): XXXXXX-XXXXXX-XXXXXX",
            ))
        issues += _gcp_checks(cfg)
    processing = cfg.stages.processing
    if processing.engine == "cluster" and not cfg.is_production and not processing.accept_idle_cost:
        issues.append(ConfigIssue(
            f"{ns}:stages.processing.engine", "cluster",
            "a Spark cluster bills while idle (at least $5.62/day per node); use serverless in learning, "
            "or set stages.processing.acceptIdleCost: true",
        ))
    if processing.schedule not in (None, SCHEDULE_OFF) and cfg.schedule_unavailable is not None:
        issues.append(ConfigIssue(
            f"{ns}:stages.processing.schedule", processing.schedule,
            f"{cfg.schedule_unavailable}; allowed here: '{SCHEDULE_OFF}' or unset. Start the job with "
            f"`bp run STACK` from your own scheduler",
        ))
    if cfg.stage_cloud(StageName.CONNECT) is Cloud.AZURE and cfg.is_production and cfg.stages.connect.auth == "api-key":
        issues.append(ConfigIssue(
            f"{ns}:stages.connect.auth", "api-key",
            "production on Azure uses Entra only (local SAS keys are disabled); use iam",
        ))
    principal = cfg.azure.databricks_principal_id
    if principal is not None and (placeholder_guid(principal) or principal == AZURE_DATABRICKS_APP_ID):
        issues.append(ConfigIssue(
            f"{ns}:azure.databricksPrincipalId", principal,
            "a placeholder or the application id, not a service principal's object id: remove the key "
            "(the stack looks the AzureDatabricks service principal up in the tenant) or set the object id from "
            f"`az ad sp show --id {AZURE_DATABRICKS_APP_ID} --query id -o tsv`",
        ))
    if cfg.stage_cloud(StageName.BUFFER) is Cloud.AZURE and cfg.buffer_retention_hours > 168:
        issues.append(ConfigIssue(
            f"{ns}:stages.buffer.retentionHours", cfg.buffer_retention_hours,
            "Event Hubs Standard keeps events at most 168 hours (7 days) on Azure",
        ))
    issues += _service_region_checks(cfg)
    issues += edge_issues(cfg)
    return issues


def _gcp_checks(cfg: PlatformConfig) -> list[ConfigIssue]:
    """Limits of the GCP services, for stacks that use GCP."""
    issues: list[ConfigIssue] = []
    ns = NAMESPACE
    if len(cfg.alert_emails) > 5:
        issues.append(ConfigIssue(
            f"{ns}:alertEmails", cfg.alert_emails,
            "a GCP billing budget notifies at most 5 e-mail channels; list at most 5 addresses",
        ))
    if cfg.stage_cloud(StageName.BUFFER) is Cloud.GCP and cfg.buffer_retention_hours > 744:
        issues.append(ConfigIssue(
            f"{ns}:stages.buffer.retentionHours", cfg.buffer_retention_hours,
            "Pub/Sub keeps messages at most 744 hours (31 days) on GCP",
        ))
    if cfg.stage_cloud(StageName.CONNECT) is Cloud.GCP and cfg.stages.connect.auth == "api-key":
        issues.append(ConfigIssue(
            f"{ns}:stages.connect.auth", "api-key",
            "Pub/Sub accepts only Google OAuth on GCP; use iam (publish as the Connect service account)",
        ))
    federation = cfg.gcp.producer_federation
    if federation is not None and federation.admits_everyone:
        issues.append(ConfigIssue(
            f"{ns}:gcp.producerFederation.attributeCondition", federation.attribute_condition,
            "must pin the producers (for example assertion.repository == 'org/repo'); a condition that is "
            "always true lets every identity of the issuer publish",
        ))
    if cfg.stage_cloud(StageName.CONNECT) is Cloud.GCP:
        connect = cfg.stages.connect
        for field, key in (("throttle_rate", "throttleRate"), ("throttle_burst", "throttleBurst")):
            if field in connect.model_fields_set:
                issues.append(ConfigIssue(
                    f"{ns}:stages.connect.{key}", getattr(connect, field),
                    "not enforceable on GCP: producers publish to Google's Pub/Sub API, which has no per-endpoint "
                    "throttle (the project's publisher quota and the budget are the limits); remove it",
                ))
    processing = cfg.stages.processing
    if (cfg.stage_cloud(StageName.PROCESSING) is Cloud.GCP and processing.engine == "serverless"
            and processing.max_vcpu < 12):
        issues.append(ConfigIssue(
            f"{ns}:stages.processing.maxVcpu", processing.max_vcpu,
            "Dataproc Serverless needs at least 12 vCPUs (a 4-vCPU driver and two 4-vCPU executors)",
        ))
    return issues


_AWS_SERVICES: dict[StageName, tuple[str, ...]] = {
    StageName.CONNECT: ("apigateway",),
    StageName.BUFFER: ("kinesis",),
    StageName.PROCESSING: ("firehose", "glue"),
    StageName.STORE: ("s3", "kms"),
    StageName.VISUALIZE: ("athena", "glue"),
}
"""botocore endpoint prefixes of the services each stage uses on AWS (the Spark engine is added by choice)."""


def _service_region_checks(cfg: PlatformConfig) -> list[ConfigIssue]:
    """The chosen services run in the chosen region (``components.regions``)."""
    issues: list[ConfigIssue] = []
    ns = NAMESPACE
    aws_stages = [s for s in _AWS_SERVICES if cfg.stage_cloud(s) is Cloud.AWS]
    if aws_stages and cfg.aws.region in regions.aws_regions():
        services = {svc for stage in aws_stages for svc in _AWS_SERVICES[stage]}
        if StageName.PROCESSING in aws_stages:
            engine = cfg.stages.processing.engine
            services.add("emr-serverless" if engine == "serverless" else "elasticmapreduce")
        for service in sorted(services):
            where = regions.aws_service_regions(service)
            if cfg.aws.region not in where:
                issues.append(ConfigIssue(
                    f"{ns}:aws.region", cfg.aws.region,
                    f"{service} has no endpoint in this region; regions where it runs: {', '.join(sorted(where))} "
                    f"(source: {regions.AWS_SOURCE})",
                ))
    # Production on Azure runs Spark on Databricks, learning on Synapse (infra/azure/choices.py).
    if cfg.stage_cloud(StageName.PROCESSING) is Cloud.AZURE and cfg.is_production \
            and cfg.azure.location in regions.AZURE_LOCATIONS:
        problem = regions.one_of(
            cfg.azure.location, regions.DATABRICKS_LOCATIONS,
            "a location Azure Databricks (the production Spark engine) supports", regions.DATABRICKS_SOURCE,
        )
        if problem:
            issues.append(ConfigIssue(f"{ns}:azure.location", cfg.azure.location, problem))
    return issues
