"""The daily run on GCP: a Cloud Scheduler job that creates the sensor job's Dataproc Serverless batch.

``daily_run`` creates, as children of the processing component, when
``stages.processing.schedule`` is set (``'02:00'`` UTC by default in production):

- the scheduler's service account ``f"{name}-scheduler-sa"``: Cloud Scheduler
  signs each request with an OAuth token of this account;
- a custom role ``f"{name}-scheduler-role"`` holding only
  ``dataproc.batches.create`` (no predefined role is that narrow:
  ``roles/dataproc.editor`` also manages clusters, jobs and sessions), granted
  on the project (``f"{name}-scheduler-batches"``): batches have no parent
  narrower than the project's location. Like the Spark runtime role
  (``infra.gcp.custom_role``) its id ends with the account's numeric unique
  id, because a deleted role's id stays taken for up to 37 days;
- ``roles/iam.serviceAccountUser`` on the Spark service account only
  (``f"{name}-scheduler-act-as"``): a batch runs as that account, and Dataproc
  checks that its creator may act as it;
- the job ``f"{name}-schedule"``: unix-cron ``M H * * *`` in ``Etc/UTC``, an
  HTTP ``POST`` to ``dataproc.googleapis.com/v1/projects/P/locations/R/batches``
  whose body is the batch ``bp run`` creates (``infra.gcp.job.batch``) with
  ``--day yesterday``: each run processes the previous UTC arrival day of raw.
  No ``batchId``: Dataproc names each batch, so every night gets a fresh one
  (a fixed id would be refused from the second night on, and the body cannot
  carry the date). Retries (up to 3, 5 to 20 minutes apart) follow an error
  answer only; the job overwrites only the partitions it computes, so a
  repeated run gives the same tables.

The job waits for the project's APIs, ``cloudscheduler.googleapis.com``
included (``infra.gcp.services``), and for both grants. Where GCP differs:
none of these four resources takes labels; whoever runs ``pulumi up`` needs
``iam.serviceAccounts.actAs`` on the scheduler's account (Cloud Scheduler
checks it when the job is created).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Mapping

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext
from infra.gcp.custom_role import account_role
from infra.gcp.job import batch

DATAPROC_API = "https://dataproc.googleapis.com/v1"
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
BATCH_PERMISSIONS: tuple[str, ...] = ("dataproc.batches.create",)
"""What creating a batch needs of the scheduler's account (acting as the Spark account is granted on it)."""
ROLE_ID_PREFIX = "blueprint_batch_submit_"
RETRY_COUNT = 3
MIN_BACKOFF = "300s"
MAX_DOUBLINGS = 2
"""Retries 5, 10 and 20 minutes after a failed attempt."""
MAX_RETRY_DURATION = "3600s"


def schedule_expression(hour: int, minute: int) -> str:
    """A unix-cron expression (minute, hour, day of month, month, day of week) firing daily at ``hour:minute``."""
    return f"{minute} {hour} * * *"


@dataclass
class DailyRun:
    account: gcp.serviceaccount.Account
    role: gcp.projects.IAMCustomRole
    grants: list[pulumi.CustomResource]
    job: gcp.cloudscheduler.Job


def daily_run(name: str, ctx: StageContext, parent: pulumi.Resource, *, job: Mapping[str, pulumi.Input[str]],
              runtime_account: gcp.serviceaccount.Account, zones: Mapping[str, pulumi.Input[str]],
              at: tuple[int, int], opts: pulumi.ResourceOptions) -> DailyRun:
    """The job and its identity; ``job`` is ``GcpJob.exports``, ``zones`` the raw, processed and curated URIs,
    ``at`` the (hour, minute) UTC of the daily run, ``opts`` the stage's child options (after the APIs)."""
    settings = ctx.config.gcp
    project = settings.project
    account = gcp.serviceaccount.Account(
        f"{name}-scheduler-sa",
        account_id=ctx.name("gcp-service-account", "processing-sched"),
        project=project,
        display_name=f"blueprint daily run ({ctx.stack})",
        description="Cloud Scheduler creates the daily Dataproc batch as this account",
        opts=opts,
    )
    role, batches = account_role(
        f"{name}-scheduler-role", f"{name}-scheduler-batches", ctx, account, id_prefix=ROLE_ID_PREFIX,
        title=f"blueprint daily run ({ctx.stack})", description="Create Dataproc batches; nothing else",
        permissions=BATCH_PERMISSIONS, opts=opts,
    )
    grants: list[pulumi.CustomResource] = [
        batches,
        gcp.serviceaccount.IAMMember(
            f"{name}-scheduler-act-as", service_account_id=runtime_account.name,
            role="roles/iam.serviceAccountUser", member=account.member, opts=opts,
        ),
    ]
    arguments = ["--raw", zones["raw"], "--processed", zones["processed"], "--curated", zones["curated"],
                 "--day", "yesterday"]
    body = pulumi.Output.all(job=pulumi.Output.all(**job), arguments=pulumi.Output.all(*arguments)).apply(
        lambda v: base64.b64encode(json.dumps(batch(v["job"], v["arguments"])).encode()).decode())
    hour, minute = at
    scheduler_job = gcp.cloudscheduler.Job(
        f"{name}-schedule",
        name=ctx.name("cloud-scheduler-job", "processing-daily-run"),
        project=project,
        region=settings.region,
        description="Runs the sensor job every day over the previous UTC day of raw",
        schedule=schedule_expression(hour, minute),
        time_zone="Etc/UTC",
        retry_config=gcp.cloudscheduler.JobRetryConfigArgs(
            retry_count=RETRY_COUNT, min_backoff_duration=MIN_BACKOFF, max_doublings=MAX_DOUBLINGS,
            max_retry_duration=MAX_RETRY_DURATION),
        http_target=gcp.cloudscheduler.JobHttpTargetArgs(
            uri=f"{DATAPROC_API}/projects/{project}/locations/{settings.region}/batches",
            http_method="POST",
            body=body,
            # Without it Cloud Scheduler sends application/octet-stream, which the Dataproc API refuses.
            headers={"Content-Type": "application/json"},
            oauth_token=gcp.cloudscheduler.JobHttpTargetOauthTokenArgs(
                service_account_email=account.email, scope=CLOUD_PLATFORM_SCOPE),
        ),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=grants)),
    )
    return DailyRun(account=account, role=role, grants=grants, job=scheduler_job)
