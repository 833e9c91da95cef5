"""The project services (APIs) the platform needs, enabled once per stack.

They are enabled through ``provider.services_provider`` (no user-project
override): on a new project none of these APIs is on yet, and a request
billed to the project itself would be refused (see ``infra.gcp.provider``).
Everything else in the stack depends on them.

Posture: ``disable_on_destroy=False``. Disabling an API on destroy would break
anything else in the project that uses it (and disabling ``compute`` deletes
every VM and disk in the project), so ``pulumi destroy`` leaves the APIs on;
that costs nothing. ``serviceusage`` is in the list although it is the API
that enables the others: the request is billed to the credentials' project,
and the stack's own provider needs it on the project afterwards (service
agents are created through it, and every overridden request is checked
against it).
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.config import Cloud, StageName
from components.context import StageContext
from components.edges import cross_cloud_edges

REQUIRED_APIS: tuple[str, ...] = (
    "bigquery.googleapis.com",
    "billingbudgets.googleapis.com",
    "cloudkms.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "dataproc.googleapis.com",
    "iam.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "serviceusage.googleapis.com",
    "storage.googleapis.com",
)
"""Every API a resource of this stack is created through."""

FEDERATION_APIS: tuple[str, ...] = ("iamcredentials.googleapis.com", "sts.googleapis.com")
"""What producers outside GCP call: token exchange (STS) and impersonation (IAM Credentials)."""


SCHEDULE_APIS: tuple[str, ...] = ("cloudscheduler.googleapis.com",)
"""What the daily run's job is created through (``infra.gcp.daily_run``)."""

TOKEN_EXCHANGE_API = "sts.googleapis.com"


def required_apis(ctx: StageContext) -> tuple[str, ...]:
    config = ctx.config
    federated = config.gcp.producer_federation is not None
    # A stage on another cloud reading GCP exchanges its own token at Google's STS (workload identity pools).
    foreign_reader = any(edge.upstream_cloud is Cloud.GCP for edge in cross_cloud_edges(config))
    scheduled = config.processing_schedule is not None and config.stage_cloud(StageName.PROCESSING) is Cloud.GCP
    return (REQUIRED_APIS + (FEDERATION_APIS if federated else ((TOKEN_EXCHANGE_API,) if foreign_reader else ()))
            + (SCHEDULE_APIS if scheduled else ()))


def enable_services(
    name: str, ctx: StageContext, provider: pulumi.ProviderResource, opts: pulumi.ResourceOptions
) -> dict[str, gcp.projects.Service]:
    """One ``projects.Service`` per API, named ``f"{name}-api-<service>"``, through ``provider``."""
    through = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(provider=provider))
    return {
        api.split(".")[0]: gcp.projects.Service(
            f"{name}-api-{api.split('.')[0]}",
            project=ctx.config.gcp.project,
            service=api,
            disable_on_destroy=False,
            disable_dependent_services=False,
            opts=through,
        )
        for api in required_apis(ctx)
    }
