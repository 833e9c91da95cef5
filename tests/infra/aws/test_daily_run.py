"""The daily run on AWS: an EventBridge Scheduler schedule replaying ``bp run``'s StartJobRun every night.

Production schedules it by default (02:00 UTC), learning only when asked; the values below are the
example stacks' literal names and the mocks' ARNs.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import stack_config, synth
from tests.infra.aws.support import LEARNING, PRODUCTION, component, doc, of_type, one

SCHEDULE = "aws:scheduler/schedule:Schedule"
ACCOUNT = "123456789012"
JOB_ROLE = f"arn:aws:iam::{ACCOUNT}:role/blueprint-aws-prod-processing-job-9d5ae5"
APPLICATION = f"arn:aws:emr-serverless:us-east-1:{ACCOUNT}:/applications/5089f13"
GROUP = "blueprint-aws-prod-processing-schedule-8fedb2"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:platform-processing-schedule-dlq-cfc2503"


@pytest.fixture(scope="module")
def prod():
    return synth(PRODUCTION)


def test_learning_has_no_schedule_by_default():
    s = synth(LEARNING)
    assert of_type(s, SCHEDULE) == []
    assert of_type(s, "aws:scheduler/scheduleGroup:ScheduleGroup") == []
    assert of_type(s, "aws:sqs/queue:Queue") == []
    assert not [r for r in of_type(s, "aws:iam/role:Role") if "scheduler" in r.name]


def test_production_runs_daily_at_two_utc_without_a_flexible_window(prod):
    schedule = one(prod, SCHEDULE)
    assert schedule.inputs["scheduleExpression"] == "cron(0 2 * * ? *)"
    assert schedule.inputs["scheduleExpressionTimezone"] == "UTC"
    assert schedule.inputs["flexibleTimeWindow"] == {"mode": "OFF"}
    assert schedule.inputs["state"] == "ENABLED"
    assert schedule.inputs["groupName"] == GROUP


def test_a_configured_time_becomes_minute_and_hour_of_the_cron_expression():
    s = synth(LEARNING, stack_config(LEARNING, stages={"processing": {"schedule": "04:45"}}))
    assert one(s, SCHEDULE).inputs["scheduleExpression"] == "cron(45 4 * * ? *)"


def test_the_target_is_emr_serverless_start_job_run_with_bp_runs_request_for_yesterday(prod):
    target = one(prod, SCHEDULE).inputs["target"]
    assert target["arn"] == "arn:aws:scheduler:::aws-sdk:emrserverless:startJobRun"
    assert target["roleArn"] == f"arn:aws:iam::{ACCOUNT}:role/blueprint-aws-prod-processing-scheduler-83a540"
    processed = "s3://blueprint-aws-prod-store-processed-462247"
    assert json.loads(target["input"]) == {
        "ApplicationId": "platform-processing-spark-id",
        "ExecutionRoleArn": JOB_ROLE,
        "Name": "blueprint-sensor-pipeline",
        "ClientToken": "<aws.scheduler.execution-id>",
        "JobDriver": {"SparkSubmit": {
            "EntryPoint": f"{processed}/_jobs/sensor-pipeline/aws.py",
            "EntryPointArguments": [
                "--raw", "s3://blueprint-aws-prod-store-raw-fd4ebf", "--processed", processed,
                "--curated", "s3://blueprint-aws-prod-store-curated-a30ddd",
                "--database", "blueprint_aws_prod_processing_catalog_72ba8d", "--day", "yesterday"],
            "SparkSubmitParameters": (
                f"--py-files {processed}/_jobs/sensor-pipeline/pipeline.zip --conf spark.hadoop.hive.metastore."
                "client.factory.class=com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"),
        }},
    }


def test_failed_starts_are_retried_within_the_hour_then_kept_in_an_encrypted_queue(prod):
    target = one(prod, SCHEDULE).inputs["target"]
    assert target["retryPolicy"] == {"maximumRetryAttempts": 3, "maximumEventAgeInSeconds": 3600}
    assert target["deadLetterConfig"] == {"arn": QUEUE}
    queue = one(prod, "aws:sqs/queue:Queue")
    assert queue.inputs["sqsManagedSseEnabled"] is True
    assert queue.inputs["messageRetentionSeconds"] == 1209600


def test_the_scheduler_role_is_trusted_by_the_scheduler_for_this_group_in_this_account_only(prod):
    role = one(prod, "aws:iam/role:Role", "-scheduler-role")
    assert doc(role.inputs["assumeRolePolicy"]) == {"Version": "2012-10-17", "Statement": [{
        "Sid": "TrustScheduler", "Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {
            "aws:SourceAccount": ACCOUNT,
            "aws:SourceArn": f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group/{GROUP}"}},
    }]}


def test_the_scheduler_role_may_start_runs_of_this_application_pass_the_job_role_and_report_failures(prod):
    policy = one(prod, "aws:iam/policy:Policy", "-scheduler-policy")
    assert doc(policy.inputs["policy"]) == {"Version": "2012-10-17", "Statement": [
        {"Sid": "StartJobRunsOnThisApplication", "Effect": "Allow", "Action": ["emr-serverless:StartJobRun"],
         "Resource": APPLICATION},
        {"Sid": "PassTheJobRole", "Effect": "Allow", "Action": ["iam:PassRole"], "Resource": JOB_ROLE,
         "Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}},
        {"Sid": "ReportFailedStarts", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": QUEUE},
    ]}


def test_the_schedule_waits_for_its_role_policy(prod):
    schedule = one(prod, SCHEDULE)
    attachment = one(prod, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "-scheduler-attachment")
    assert attachment.urn in schedule.dependencies


def test_new_resources_are_processing_children_named_from_the_component_and_tagged(prod):
    processing = component(prod, "blueprint:stage:Processing")
    names = {r.name: r for r in prod.resources if r.parent == processing.urn and "schedul" in r.name}
    assert set(names) == {"platform-processing-schedule", "platform-processing-schedule-group",
                          "platform-processing-schedule-dlq", "platform-processing-scheduler-role",
                          "platform-processing-scheduler-policy", "platform-processing-scheduler-attachment"}
    for name in ("platform-processing-schedule-group", "platform-processing-schedule-dlq",
                 "platform-processing-scheduler-role", "platform-processing-scheduler-policy"):
        tags = names[name].inputs["tags"]
        assert (tags["stage"], tags["zone"]) == ("processing", "processing"), name


def test_off_in_production_removes_the_schedule():
    s = synth(PRODUCTION, stack_config(PRODUCTION, stages={
        "buffer": {"retentionHours": 168, "consumers": ["sink", "spark", "analytics"]},
        "processing": {"schedule": "off"}}))
    assert of_type(s, SCHEDULE) == [] and of_type(s, "aws:sqs/queue:Queue") == []
