"""The daily run on AWS: an EventBridge Scheduler schedule that starts the sensor job on EMR Serverless.

``daily_run`` creates, as children of the processing component, when
``stages.processing.schedule`` is set (``'02:00'`` UTC by default in production):

- a schedule group ``f"{name}-schedule-group"``: schedules take no tags, the
  group does (stage and zone, so the teardown sweep finds it), and deleting it
  deletes its schedule;
- the scheduler role ``f"{name}-scheduler-role"``, trusted by
  ``scheduler.amazonaws.com`` only, for schedules of this group in this
  account (``aws:SourceAccount`` and ``aws:SourceArn``); it may start job runs
  on this one application, pass exactly the job role to EMR Serverless, and
  send to the dead-letter queue, nothing else;
- the schedule ``f"{name}-schedule"``: ``cron(M H * * ? *)`` in UTC, no
  flexible window, whose universal target
  (``arn:aws:scheduler:::aws-sdk:emrserverless:startJobRun``) sends the
  request ``bp run`` sends (``infra.aws.job.start_job_run``) with
  ``--day yesterday``: each run processes the previous UTC arrival day of raw
  and registers the curated tables. The job overwrites only the partitions
  it computes and keeps what processed already holds, so a retried or repeated
  run gives the same tables;
- the dead-letter queue ``f"{name}-schedule-dlq"`` (SQS, SSE-SQS, 14 days):
  a run the scheduler could not start after its retries lands there with the
  error; re-run that day with ``bp run STACK --day YYYY-MM-DD``. An idle queue
  bills nothing (SQS bills per request).

Where AWS differs: universal targets take the API's members in PascalCase
(``ApplicationId``), like Step Functions' SDK integrations; ``StartJobRun``
requires a client token, which the SDKs fill in and a universal target does
not: the input passes the scheduler's ``<aws.scheduler.execution-id>``. The
schedule's input holds ARNs and URIs, no secrets, and is encrypted with an
AWS-owned key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

import pulumi
import pulumi_aws as aws

from components.config import StageName
from components.context import StageContext
from infra.aws.identity import Principals, StageRole, stage_role
from infra.aws.job import start_job_run

TARGET_ACTION = "aws-sdk:emrserverless:startJobRun"
"""The universal target: EMR Serverless ``StartJobRun`` (SDK service id ``emrserverless``)."""
EXECUTION_ID = "<aws.scheduler.execution-id>"
"""Replaced by the scheduler at each invocation with an id of letters and digits, a valid client token."""
RETRY_ATTEMPTS = 3
MAXIMUM_EVENT_AGE_SECONDS = 3600
"""Retries (throttling, a service error) end within the hour, long before the next day's run."""
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
"""SQS's maximum, so a failed start is still there after a long weekend."""


def universal_input(request: Mapping[str, Any]) -> dict:
    """``request`` (botocore member names) as a universal target takes it: every member name in PascalCase.

    The StartJobRun request holds structures and lists only (no maps whose keys are data), so every key is
    a member name.
    """
    def convert(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {key[:1].upper() + key[1:]: convert(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(item) for item in value]
        return value
    return convert(request)


def schedule_expression(hour: int, minute: int) -> str:
    """An EventBridge Scheduler cron expression firing every day at ``hour:minute`` (minutes, hours,
    day-of-month, month, day-of-week, year; one of the two day fields must be ``?``)."""
    return f"cron({minute} {hour} * * ? *)"


@dataclass
class DailyRun:
    group: aws.scheduler.ScheduleGroup
    schedule: aws.scheduler.Schedule
    role: StageRole
    dead_letter: aws.sqs.Queue


def daily_run(name: str, ctx: StageContext, parent: pulumi.Resource, *, application_arn: pulumi.Input[str],
              job: Mapping[str, pulumi.Input[str]], job_role_arn: pulumi.Input[str],
              zones: Mapping[str, pulumi.Input[str]], database: pulumi.Input[str],
              at: tuple[int, int]) -> DailyRun:
    """The schedule and what it needs; ``job`` is ``AwsJob.exports``, ``zones`` the raw, processed and curated
    URIs, ``at`` the (hour, minute) UTC of the daily run."""
    foundation = ctx.foundation
    stage = StageName.PROCESSING
    tags = ctx.tags(stage)
    child = pulumi.ResourceOptions(parent=parent)
    fixed_name = pulumi.ResourceOptions(parent=parent, delete_before_replace=True)

    group = aws.scheduler.ScheduleGroup(
        f"{name}-schedule-group", name=ctx.name("eventbridge-scheduler", "processing-schedule"), tags=tags,
        opts=fixed_name,
    )
    # No name: SQS refuses a queue name for 60 s after its deletion, which would fail a destroy-then-up.
    dead_letter = aws.sqs.Queue(
        f"{name}-schedule-dlq", sqs_managed_sse_enabled=True, message_retention_seconds=DLQ_RETENTION_SECONDS,
        tags=tags, opts=child,
    )
    role = stage_role(
        name, ctx, stage, "scheduler",
        principals=Principals(services={"scheduler.amazonaws.com": {"StringEquals": {
            "aws:SourceAccount": foundation.account_id, "aws:SourceArn": group.arn}}}),
        statements=[
            {"Sid": "StartJobRunsOnThisApplication", "Effect": "Allow", "Action": ["emr-serverless:StartJobRun"],
             "Resource": application_arn},
            {"Sid": "PassTheJobRole", "Effect": "Allow", "Action": ["iam:PassRole"], "Resource": job_role_arn,
             "Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}},
            {"Sid": "ReportFailedStarts", "Effect": "Allow", "Action": ["sqs:SendMessage"],
             "Resource": dead_letter.arn},
        ],
        description="Daily run: EventBridge Scheduler starts the sensor job on the processing application",
        parent=parent,
    )
    arguments = ["--raw", zones["raw"], "--processed", zones["processed"], "--curated", zones["curated"],
                 "--database", database, "--day", "yesterday"]
    request = pulumi.Output.all(job=pulumi.Output.all(**job), arguments=pulumi.Output.all(*arguments)).apply(
        lambda v: json.dumps(universal_input({**start_job_run(v["job"], v["arguments"]),
                                              "clientToken": EXECUTION_ID})))
    hour, minute = at
    schedule = aws.scheduler.Schedule(
        f"{name}-schedule",
        name=ctx.name("eventbridge-scheduler", "processing-daily-run"),
        group_name=group.name,
        description="Runs the sensor job every day over the previous UTC day of raw",
        schedule_expression=schedule_expression(hour, minute),
        schedule_expression_timezone="UTC",
        flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
        state="ENABLED",
        target=aws.scheduler.ScheduleTargetArgs(
            arn=pulumi.Output.concat("arn:", foundation.partition, ":scheduler:::", TARGET_ACTION),
            role_arn=role.arn,
            input=request,
            retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                maximum_retry_attempts=RETRY_ATTEMPTS, maximum_event_age_in_seconds=MAXIMUM_EVENT_AGE_SECONDS),
            dead_letter_config=aws.scheduler.ScheduleTargetDeadLetterConfigArgs(arn=dead_letter.arn),
        ),
        # The scheduler checks the role when the schedule is created: its policy must be attached first.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[role.attachment], delete_before_replace=True),
    )
    return DailyRun(group=group, schedule=schedule, role=role, dead_letter=dead_letter)
