"""Every physical name the GCP implementation builds, as (naming service, role) pairs.

Declared up front so that the platform checks each generated name and each
``blueprint:names`` override before any resource is registered; the stage
context refuses a name that is not declared here, so this list cannot drift
from the code. Roles that depend on config (consumers, optional resources)
are derived from it. The firewall rules are those ``infra.gcp.network``
creates: nothing runs in the edge zone on GCP, so there is no internet rule.
"""

from __future__ import annotations

from components.config import STAGE_ORDER, Cloud, PlatformConfig, StageName
from components.zones import INTERNET, REACHABILITY, Zone


def names(config: PlatformConfig) -> set[tuple[str, str]]:
    declared = {
        ("gcp-budget", "foundation-budget"),
        ("gcp-network", "foundation-vpc"), ("gcp-network", "foundation-fw-deny-all-ingress"),
        ("pubsub", "buffer-events"), ("pubsub", "buffer-dead-letter"),
        ("pubsub", "processing-sink"), ("gcs-bucket", "processing-staging"),
        ("dataproc", "processing-spark"), ("dataproc", "processing-cluster"),
        ("dataproc-autoscaling-policy", "processing-autoscaling"),
        ("bigquery-dataset", "store-lake"),
    }
    declared |= {("gcs-bucket", f"store-{zone}") for zone in ("raw", "processed", "curated")}
    if config.gcp.usage_logs:
        declared.add(("gcs-bucket", "store-logs"))
        if config.stage_cloud(StageName.STORE) is not Cloud.GCP:
            declared.add(("gcs-bucket", "processing-logs"))  # the staging bucket's, with the lake abroad
    if config.gcp.budget_topic:
        declared.add(("pubsub", "foundation-budget-alerts"))
    declared |= {("gcp-network", f"foundation-{zone.value}") for zone in Zone}
    declared |= {("gcp-network", f"foundation-fw-{src}-to-{dst}") for src, dst in REACHABILITY if src != INTERNET}
    declared |= {("gcp-service-account", f"{stage.value}-sa") for stage in STAGE_ORDER}
    declared |= {("pubsub", f"buffer-{consumer}") for consumer in config.stages.buffer.consumers}
    if config.processing_schedule is not None:
        declared |= {("gcp-service-account", "processing-sched"), ("cloud-scheduler-job", "processing-daily-run")}
    return declared
