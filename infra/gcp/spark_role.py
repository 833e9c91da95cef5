"""The Spark runtime role: a custom project role with what a Dataproc workload reports, nothing else.

Dataproc VMs and Serverless workloads register with the Dataproc control
plane (agents), lease and report tasks, and write logs and metrics, all as
their service account and all at project level (these permissions have no
narrower resource). Google's predefined ``roles/dataproc.worker`` holds
those, but also ``storage.objects.*`` on every bucket of the project: bound
at project level it would let Spark read, overwrite and delete any object
(the usage logs included) and make the read-only grant on raw meaningless.
So the stack binds a custom role with exactly ``SPARK_RUNTIME_PERMISSIONS``:
the seven ``dataproc.agents.*``/``dataproc.tasks.*`` permissions Dataproc
itself checks for a VM service account ("must have either 'Dataproc Worker'
role or all permissions granted by the role"), ``dataproc.agents.list``, and
the logging and monitoring permissions the role holds. Storage stays granted
per bucket by ``infra.gcp.processing``.

Naming: the role id ends with the Spark account's unique id (``infra.gcp.custom_role``
explains why a fixed id would break ``pulumi up`` after ``pulumi destroy``).
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext
from infra.gcp.custom_role import account_role

SPARK_RUNTIME_PERMISSIONS: tuple[str, ...] = (
    "dataproc.agents.create",
    "dataproc.agents.delete",
    "dataproc.agents.get",
    "dataproc.agents.list",
    "dataproc.agents.update",
    "dataproc.tasks.lease",
    "dataproc.tasks.listInvalidatedLeases",
    "dataproc.tasks.reportStatus",
    "logging.logEntries.create",
    "monitoring.metricDescriptors.create",
    "monitoring.metricDescriptors.get",
    "monitoring.metricDescriptors.list",
    "monitoring.monitoredResourceDescriptors.get",
    "monitoring.monitoredResourceDescriptors.list",
    "monitoring.timeSeries.create",
)
"""The Dataproc agent and task, logging and monitoring permissions of ``roles/dataproc.worker``."""

ROLE_ID_PREFIX = "blueprint_spark_"


def spark_runtime_role(
    name: str, ctx: StageContext, account: gcp.serviceaccount.Account, opts: pulumi.ResourceOptions
) -> tuple[gcp.projects.IAMCustomRole, gcp.projects.IAMMember]:
    """The custom role ``f"{name}-spark-role"`` and its project-level grant ``f"{name}-spark-runtime"``."""
    return account_role(
        f"{name}-spark-role", f"{name}-spark-runtime", ctx, account, id_prefix=ROLE_ID_PREFIX,
        title=f"blueprint Spark runtime ({ctx.stack})",
        description="Dataproc agent/task reporting, logs and metrics for the Spark service account; no storage",
        permissions=SPARK_RUNTIME_PERMISSIONS, opts=opts,
    )
