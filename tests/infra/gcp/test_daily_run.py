"""The daily run on GCP: a Cloud Scheduler job POSTing ``bp run``'s batch to Dataproc every night.

Production schedules it by default (02:00 UTC), learning only when asked; values are the example stacks'
literal names and the mocks' ids.
"""

from __future__ import annotations

import base64
import json

from infra.gcp.services import required_apis
from tests.conftest import stack_config, synth
from tests.infra.gcp.conftest import LEARNING, PRODUCTION, named, one

JOB = "gcp:cloudscheduler/job:Job"
PROJECT = "blueprint-production"
SCHEDULER = f"bluepr-processing-sched-52c434@{PROJECT}.iam.gserviceaccount.com"
SPARK = f"blueprint-processing-sa-666fc4@{PROJECT}.iam.gserviceaccount.com"


def _job(s):
    return one(r for r in s.resources if r.type == JOB)


def test_learning_has_no_scheduler_job_and_leaves_the_api_off(learning):
    assert [r for r in learning.resources if r.type == JOB] == []
    assert not [r for r in learning.resources if r.name.endswith("-api-cloudscheduler")]
    assert not [r for r in learning.resources if "scheduler" in r.name]


def test_production_runs_daily_at_two_utc(production):
    job = _job(production)
    assert (job.inputs["schedule"], job.inputs["timeZone"]) == ("0 2 * * *", "Etc/UTC")
    assert (job.inputs["project"], job.inputs["region"]) == (PROJECT, "us-central1")


def test_a_configured_time_becomes_minute_and_hour_of_the_cron_expression():
    s = synth(LEARNING, stack_config(LEARNING, stages={"processing": {"schedule": "23:05"}}))
    assert _job(s).inputs["schedule"] == "5 23 * * *"


def test_the_job_posts_bp_runs_batch_for_yesterday_to_batches_create(production):
    target = _job(production).inputs["httpTarget"]
    assert target["uri"] == f"https://dataproc.googleapis.com/v1/projects/{PROJECT}/locations/us-central1/batches"
    assert target["httpMethod"] == "POST"
    assert target["headers"] == {"Content-Type": "application/json"}
    staging = "gs://blueprint-gcp-prod-processing-staging-906172"
    assert json.loads(base64.b64decode(target["body"])) == {
        "pysparkBatch": {
            "mainPythonFileUri": f"{staging}/_jobs/sensor-pipeline/gcp.py",
            "pythonFileUris": [f"{staging}/_jobs/sensor-pipeline/pipeline.zip"],
            "args": ["--raw", "gs://blueprint-gcp-prod-store-raw-4d2ff9",
                     "--processed", "gs://blueprint-gcp-prod-store-processed-46182d",
                     "--curated", "gs://blueprint-gcp-prod-store-curated-cfbbd6", "--day", "yesterday"],
        },
        "runtimeConfig": {"version": "2.3"},
        "environmentConfig": {"executionConfig": {
            "serviceAccount": SPARK,
            "subnetworkUri": f"projects/{PROJECT}/regions/us-central1/subnetworks/"
                             "blueprint-gcp-prod-foundation-processing-2a902e",
            "networkTags": ["zone-processing"],
            "kmsKey": f"projects/{PROJECT}/locations/us-central1/keyRings/platform-gcp-keyring-9451107/"
                      "cryptoKeys/platform-gcp-key-bff79bb",
            "stagingBucket": "blueprint-gcp-prod-processing-staging-906172",
        }},
    }
    # No batchId: Dataproc names each night's batch (a fixed id would be refused the second night).
    assert "batchId" not in target["uri"]


def test_the_request_carries_an_oauth_token_of_the_scheduler_account(production):
    target = _job(production).inputs["httpTarget"]
    assert target["oauthToken"] == {"serviceAccountEmail": SCHEDULER,
                                    "scope": "https://www.googleapis.com/auth/cloud-platform"}
    assert "oidcToken" not in target


def test_retries_are_bounded(production):
    assert _job(production).inputs["retryConfig"] == {
        "retryCount": 3, "minBackoffDuration": "300s", "maxDoublings": 2, "maxRetryDuration": "3600s"}


def test_the_scheduler_account_may_create_batches_and_act_as_the_spark_account_only(production):
    role = named(production, "-scheduler-role")
    assert role.inputs["permissions"] == ["dataproc.batches.create"]
    grant = named(production, "-scheduler-batches")
    assert grant.type == "gcp:projects/iAMMember:IAMMember"
    assert grant.inputs["member"] == f"serviceAccount:{SCHEDULER}"
    assert grant.inputs["role"].startswith(f"projects/{PROJECT}/roles/blueprint_batch_submit_")
    act_as = named(production, "-scheduler-act-as")
    assert act_as.type == "gcp:serviceaccount/iAMMember:IAMMember"
    assert (act_as.inputs["role"], act_as.inputs["member"]) == ("roles/iam.serviceAccountUser",
                                                                f"serviceAccount:{SCHEDULER}")
    spark = named(production, "platform-processing-sa")
    assert act_as.property_dependencies["serviceAccountId"] == [spark.urn]
    # Nothing else is granted to the scheduler's account, on the project or elsewhere.
    granted = [r.name for r in production.resources if r.inputs.get("member") == f"serviceAccount:{SCHEDULER}"]
    assert sorted(granted) == ["platform-processing-scheduler-act-as", "platform-processing-scheduler-batches"]


def test_the_job_waits_for_the_cloud_scheduler_api_and_both_grants(production):
    job = _job(production)
    api = named(production, "-api-cloudscheduler")
    assert api.inputs["service"] == "cloudscheduler.googleapis.com"
    for dependency in (api, named(production, "-scheduler-batches"), named(production, "-scheduler-act-as")):
        assert dependency.urn in job.dependencies, dependency.name
    assert api.urn in named(production, "-scheduler-sa").dependencies


def test_the_api_is_enabled_only_with_a_schedule_on_gcp():
    from components.config import load_config
    from components.context import StageContext

    base = {"owner": "me", "alertEmails": ["a@example.com"],
            "gcp": {"project": "my-project-123", "billingAccount": "012345-6789AB-CDEF01"}}
    def apis(**values):
        return required_apis(StageContext(cloud="gcp", config=load_config({**base, **values}), stack="s"))
    assert "cloudscheduler.googleapis.com" in apis(cloud="gcp", profile="production")
    assert "cloudscheduler.googleapis.com" not in apis(cloud="gcp")
    assert "cloudscheduler.googleapis.com" not in apis(cloud="gcp", profile="production",
                                                      stages={"processing": {"schedule": "off"}})
    # Processing on AWS: its schedule is EventBridge Scheduler's.
    assert "cloudscheduler.googleapis.com" not in apis(cloud="aws", profile="production")
    hybrid = {"connect": {"cloud": "aws"}, "buffer": {"cloud": "aws"}}
    assert "cloudscheduler.googleapis.com" in apis(cloud="gcp", profile="production", stages=hybrid)


def test_new_resources_are_processing_children_named_from_the_component(production):
    processing = one(r for r in production.resources if r.type == "blueprint:stage:Processing")
    names = sorted(r.name for r in production.resources if r.parent == processing.urn and "schedul" in r.name)
    assert names == ["platform-processing-schedule", "platform-processing-scheduler-act-as",
                     "platform-processing-scheduler-batches", "platform-processing-scheduler-role",
                     "platform-processing-scheduler-sa"]
