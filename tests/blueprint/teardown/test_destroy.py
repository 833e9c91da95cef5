"""``bp destroy``: step order, retries of transient failures, refusals, and the AWS stop step on moto."""

from __future__ import annotations

import os

import boto3
import pytest

from blueprint import cli
from blueprint.teardown.aws import AwsCloud
from blueprint.teardown.destroy import destroy_with_retries, execute, transient_cause
from blueprint.teardown.prepare import Step, aws_steps, managed_interfaces
from tests.blueprint.teardown.test_aws_sweep import BASE, moto_endpoint  # noqa: F401 (fixture)


def test_steps_run_in_pipeline_order_then_destroy_then_sweep():
    events = []
    steps = [Step("aws", stage, stage, lambda progress, stage=stage: events.append(stage))
             for stage in ("foundation", "processing", "connect")]

    def destroy():
        events.append("destroy")
        return 0, "Resources: 40 deleted"

    code = execute(steps, destroy, lambda: events.append("sweep") or True, sleep=lambda s: None, progress=lambda m: None)
    assert events == ["connect", "processing", "foundation", "destroy", "sweep"]
    assert code == 0


def test_a_failing_step_is_reported_and_the_destroy_still_runs():
    messages, events = [], []

    def broken(progress):
        raise RuntimeError("throttled")

    code = execute([Step("gcp", "processing", "cancel batches", broken)],
                   lambda: (events.append("destroy") or 0, ""), lambda: True, progress=messages.append)
    assert events == ["destroy"] and code == 0
    assert "  step failed: RuntimeError: throttled" in messages


def test_transient_failures_are_retried_with_doubling_waits():
    answers = iter([(255, "error: deleting subnet-0ab: DependencyViolation: has dependencies"),
                    (255, "googleapi: Error 409: operation in progress"), (0, "done")])
    waits = []
    outcome = destroy_with_retries(lambda: next(answers), attempts=3, backoff_seconds=60, sleep=waits.append,
                                   progress=lambda m: None)
    assert outcome.succeeded and outcome.attempts == 3
    assert waits == [60, 120]
    assert outcome.causes[0].startswith("DependencyViolation")


def test_a_real_failure_is_not_retried_and_attempts_are_bounded():
    waits = []
    outcome = destroy_with_retries(lambda: (255, "error: resource is protected"), sleep=waits.append,
                                   progress=lambda m: None)
    assert (outcome.succeeded, outcome.attempts, waits) == (False, 1, [])
    outcome = destroy_with_retries(lambda: (255, "AnotherOperationInProgress"), attempts=2, sleep=waits.append,
                                   progress=lambda m: None)
    assert (outcome.succeeded, outcome.attempts, waits) == (False, 2, [60])
    assert execute([], lambda: (255, "error: resource is protected"), lambda: True, progress=lambda m: None) == 1


def test_transient_markers_name_their_cause():
    assert transient_cause("Code=InUseSubnetCannotBeDeleted") .startswith("InUseSubnetCannotBeDeleted (Azure")
    assert transient_cause("error: 403 Forbidden") is None


def test_without_pulumi_on_path_destroy_exits_with_a_reason(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert cli.main(["destroy", "aws", "--yes"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bp destroy: the pulumi CLI is not on PATH") and "Traceback" not in err


def test_production_stacks_are_refused(monkeypatch, capsys, tmp_path):
    fake = tmp_path / "pulumi"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert cli.main(["destroy", "aws-prod", "--yes"]) == 2
    assert "aws-prod is a production stack" in capsys.readouterr().err


def test_aws_stop_step_cancels_jobs_and_stops_the_application(moto_endpoint):  # noqa: F811
    emr = boto3.client("emr-serverless", region_name="us-east-1")
    app = emr.create_application(name="learn-spark", releaseLabel="emr-7.5.0", type="SPARK",
                                 tags={**BASE, "stage": "processing"})["applicationId"]
    other = emr.create_application(name="other-spark", releaseLabel="emr-7.5.0", type="SPARK",
                                   tags={**BASE, "stack": "other"})["applicationId"]
    for application in (app, other):
        emr.start_application(applicationId=application)
    run = emr.start_job_run(applicationId=app, executionRoleArn="arn:aws:iam::123456789012:role/spark",
                            jobDriver={"sparkSubmit": {"entryPoint": "s3://learn-code/job.py"}})["jobRunId"]
    cloud = AwsCloud(lambda service: boto3.client(service, region_name="us-east-1"), poll_seconds=0)
    stop = next(s for s in aws_steps(cloud, "learn") if s.stage == "processing")
    messages = []
    stop.run(messages.append)
    # moto finishes job runs at once (SUCCESS), so only a finished run is seen here: it is left alone.
    assert emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["state"] == "SUCCESS"
    assert emr.get_application(applicationId=app)["application"]["state"] == "STOPPED"
    assert emr.get_application(applicationId=other)["application"]["state"] == "STARTED"
    assert messages == [f"stopping EMR Serverless application {app}", f"EMR Serverless application {app} is STOPPED"]


class _Emr:
    """An EMR Serverless client with one running job; records the calls in order."""

    class exceptions:
        ResourceNotFoundException = KeyError

    def __init__(self):
        self.calls, self.state = [], "STARTED"

    def get_paginator(self, name):
        calls = self.calls

        class Pages:
            def paginate(self, **kwargs):
                calls.append(("list_job_runs", tuple(kwargs["states"])))
                return [{"jobRuns": [{"id": "run-1", "state": "RUNNING"}]}]

        return Pages()

    def cancel_job_run(self, applicationId, jobRunId):
        self.calls.append(("cancel_job_run", jobRunId))

    def get_application(self, applicationId):
        return {"application": {"state": self.state}}

    def stop_application(self, applicationId):
        self.calls.append(("stop_application", applicationId))
        self.state = "STOPPED"


def test_running_jobs_are_cancelled_before_the_application_stops():
    from blueprint.teardown.inventory import Found

    emr = _Emr()
    app = Found("aws", "arn:aws:emr-serverless:us-east-1:1:/applications/app-1", "emr-serverless:applications",
                "app-1", {**BASE, "stage": "processing"}, "STARTED")
    cloud = AwsCloud(lambda service: emr, poll_seconds=0)
    cloud.inventory = lambda stack: [app]
    next(s for s in aws_steps(cloud, "learn") if s.stage == "processing").run(lambda m: None)
    assert emr.calls == [
        ("list_job_runs", ("SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "QUEUED")),
        ("cancel_job_run", "run-1"),
        ("stop_application", "app-1"),
    ]


class _Ec2:
    """Answers describe_network_interfaces from a script of successive listings."""

    def __init__(self, listings):
        self.listings = iter(listings)
        self.filters = []

    def describe_vpcs(self, Filters):
        return {"Vpcs": [{"VpcId": "vpc-0learn"}]}

    def describe_network_interfaces(self, Filters):
        self.filters.append(Filters)
        return {"NetworkInterfaces": next(self.listings)}


def test_wait_for_managed_interfaces_until_gone_with_progress():
    emr_eni = {"NetworkInterfaceId": "eni-emr", "InterfaceType": "interface", "RequesterManaged": True}
    endpoint = {"NetworkInterfaceId": "eni-vpce", "InterfaceType": "vpc_endpoint", "RequesterManaged": True}
    ec2 = _Ec2([[emr_eni, endpoint], [emr_eni, endpoint], [endpoint]])
    cloud = type("C", (), {"client": lambda self, s: ec2, "inventory": lambda self, s: []})()
    wait = next(s for s in aws_steps(cloud, "learn", poll_seconds=0, sleep=lambda s: None) if s.stage == "foundation")
    messages = []
    wait.run(messages.append)
    assert messages == ["waiting for 1 managed network interfaces to go: eni-emr"] * 2
    assert ec2.filters[0] == [{"Name": "vpc-id", "Values": ["vpc-0learn"]},
                              {"Name": "requester-managed", "Values": ["true"]}]


def test_wait_for_managed_interfaces_is_bounded():
    eni = {"NetworkInterfaceId": "eni-stuck", "InterfaceType": "interface"}
    ec2 = _Ec2([[eni]] * 5)
    cloud = type("C", (), {"client": lambda self, s: ec2, "inventory": lambda self, s: []})()
    wait = next(s for s in aws_steps(cloud, "learn", wait_seconds=0, poll_seconds=0, sleep=lambda s: None)
                if s.stage == "foundation")
    with pytest.raises(TimeoutError, match="1 managed network interfaces still in vpc-0learn after 0s: eni-stuck"):
        wait.run(lambda m: None)
    assert managed_interfaces(_Ec2([[eni]]), ["vpc-0learn"]) == ["eni-stuck"]


def test_without_cloud_credentials_destroy_exits_with_a_reason(monkeypatch, capsys, tmp_path):
    fake = tmp_path / "pulumi"
    fake.write_text("#!/bin/sh\necho 'pulumi must not run' >&2\nexit 99\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert cli.main(["destroy", "aws", "--yes"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bp destroy: aws: no usable credentials (NoCredentialsError")
    assert "Traceback" not in err and "pulumi must not run" not in err


def test_azure_waits_for_service_interfaces_in_the_stack_networks():
    from blueprint.teardown.inventory import Found
    from blueprint.teardown.prepare import azure_steps

    vnet = "/subscriptions/s/resourceGroups/rg-learn/providers/Microsoft.Network/virtualNetworks/vnet-learn"
    listings = iter([[{"id": "/x/nic-databricks"}], []])
    queries = []

    class Azure:
        def inventory(self, stack):
            return [Found("azure", vnet, "microsoft.network/virtualnetworks", "vnet-learn", dict(BASE))]

        def query(self, kql):
            queries.append(kql)
            return next(listings)

    wait = next(s for s in azure_steps(Azure(), None, "learn", poll_seconds=0, sleep=lambda s: None)
                if s.stage == "foundation")
    messages = []
    wait.run(messages.append)
    assert messages == ["waiting for 1 service network interfaces to go: /x/nic-databricks"]
    assert f"has_any ('{vnet.lower()}/subnets/')" in queries[0]
    assert "isnull(properties.privateEndpoint)" in queries[0] and "tags['stack']) != 'learn'" in queries[0]
