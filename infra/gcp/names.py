"""Every physical name the GCP implementation builds, as (naming service, role) pairs.

Declared up front so that the platform checks each generated name and each
``blueprint:names`` override before any resource is registered; the stage
context refuses a name that is not declared here, so this list cannot drift
from the code. Roles that depend on config (consumers) are derived from it.
"""

from __future__ import annotations

from components.config import STAGE_ORDER, PlatformConfig
from components.zones import REACHABILITY, Zone


def names(config: PlatformConfig) -> set[tuple[str, str]]:
    declared = {
        ("pubsub", "foundation-budget-alerts"), ("gcp-budget", "foundation-budget"),
        ("gcp-network", "foundation-vpc"), ("gcp-network", "foundation-fw-deny-all-ingress"),
        ("pubsub", "buffer-events"), ("pubsub", "buffer-dead-letter"),
        ("pubsub", "processing-sink"), ("gcs-bucket", "processing-staging"),
        ("dataproc", "processing-spark"), ("dataproc", "processing-cluster"),
        ("dataproc-autoscaling-policy", "processing-autoscaling"),
        ("bigquery-dataset", "store-lake"),
    }
    declared |= {("gcs-bucket", f"store-{zone}") for zone in ("raw", "processed", "curated", "logs")}
    declared |= {("gcp-network", f"foundation-{zone.value}") for zone in Zone}
    declared |= {("gcp-network", f"foundation-fw-{src}-to-{dst}") for src, dst in REACHABILITY}
    declared |= {("gcp-service-account", f"{stage.value}-sa") for stage in STAGE_ORDER}
    declared |= {("pubsub", f"buffer-{consumer}") for consumer in config.stages.buffer.consumers}
    return declared
