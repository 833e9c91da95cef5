"""The project services (APIs) the platform needs, enabled once per stack.

Posture: ``disable_on_destroy=False``. Disabling an API on destroy would break
anything else in the project that uses it (and disabling ``compute`` deletes
every VM and disk in the project), so ``pulumi destroy`` leaves the APIs on;
that costs nothing. ``serviceusage.googleapis.com`` itself must already be
enabled (it is on every new project): it is the API that enables the others.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext

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
    "storage.googleapis.com",
)
"""Every API a resource of this stack is created through."""


def enable_services(name: str, ctx: StageContext, opts: pulumi.ResourceOptions) -> list[gcp.projects.Service]:
    """One ``projects.Service`` per API in ``REQUIRED_APIS``, named ``f"{name}-api-<service>"``."""
    return [
        gcp.projects.Service(
            f"{name}-api-{api.split('.')[0]}",
            project=ctx.config.gcp.project,
            service=api,
            disable_on_destroy=False,
            disable_dependent_services=False,
            opts=opts,
        )
        for api in REQUIRED_APIS
    ]
