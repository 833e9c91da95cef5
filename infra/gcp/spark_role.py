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

Naming: a custom role id (``[a-zA-Z0-9_.]{3,64}``) is not freed when the role
is deleted: it can be undeleted for 7 days, then takes up to 30 more days to
purge, and no new role may take the id meanwhile. A fixed id would make
``pulumi up`` after ``pulumi destroy`` fail for up to 37 days. The id
therefore ends with the numeric ``unique_id`` of the stage's service
account, which Google assigns anew each time the account is created: the
role belongs to one incarnation of the Spark identity, a recreated stack
gets a fresh id, and two stacks in one project never share one.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext

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
    project = ctx.config.gcp.project
    role = gcp.projects.IAMCustomRole(
        f"{name}-spark-role",
        project=project,
        role_id=account.unique_id.apply(lambda uid: f"{ROLE_ID_PREFIX}{uid}"),
        title=f"blueprint Spark runtime ({ctx.stack})",
        description="Dataproc agent/task reporting, logs and metrics for the Spark service account; no storage",
        permissions=list(SPARK_RUNTIME_PERMISSIONS),
        stage="GA",
        opts=opts,
    )
    grant = gcp.projects.IAMMember(
        f"{name}-spark-runtime",
        project=project,
        role=pulumi.Output.concat("projects/", project, "/roles/", role.role_id),
        member=account.member,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[role])),
    )
    return role, grant
