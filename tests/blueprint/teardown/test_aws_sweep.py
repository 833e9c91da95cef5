"""``bp sweep`` against a moto server: a stack's resources, a state file missing some of them.

The stack ``learn`` has two buckets, a Kinesis stream, a started EMR Serverless
application and a log group; its state file knows one bucket and the log group.
A production-tagged bucket of the same stack, a bucket of stack ``other`` and an
untagged bucket must survive ``--delete``.
"""

from __future__ import annotations

import json
import urllib.request

import boto3
import pytest
from moto.server import ThreadedMotoServer

from blueprint import cli

BASE = {"managed-by": "blueprint", "stack": "learn", "profile": "learning"}


@pytest.fixture
def moto_endpoint(monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    yield endpoint
    # The server keeps its backends in this process: reset them for the next test.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    server.stop()


def _client(service):
    return boto3.client(service, region_name="us-east-1")


def _bucket(name, tags):
    s3 = _client("s3")
    s3.create_bucket(Bucket=name)
    if tags:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]})
    s3.put_object(Bucket=name, Key="raw/part-0.json", Body=b"{}")


@pytest.fixture
def learn_stack(moto_endpoint, tmp_path):
    _bucket("learn-raw", {**BASE, "stage": "store"})
    _bucket("learn-curated", {**BASE, "stage": "store"})
    _bucket("learn-prod-copy", {**BASE, "stage": "store", "profile": "production"})
    _bucket("other-raw", {**BASE, "stack": "other", "stage": "store"})
    _bucket("someone-elses", {})
    kinesis = _client("kinesis")
    kinesis.create_stream(StreamName="learn-events", ShardCount=1)
    kinesis.add_tags_to_stream(StreamName="learn-events", Tags={**BASE, "stage": "buffer"})
    emr = _client("emr-serverless")
    app = emr.create_application(name="learn-spark", releaseLabel="emr-7.5.0", type="SPARK",
                                 tags={**BASE, "stage": "processing"})
    emr.start_application(applicationId=app["applicationId"])
    logs = _client("logs")
    logs.create_log_group(logGroupName="/blueprint/learn/api", tags={**BASE, "stage": "connect"})
    key = _client("kms").create_key(Tags=[{"TagKey": k, "TagValue": v} for k, v in
                                          {**BASE, "stage": "foundation"}.items()])["KeyMetadata"]
    state = {"version": 3, "deployment": {"resources": [
        {"type": "pulumi:pulumi:Stack", "urn": "urn:pulumi:learn::blueprint::pulumi:pulumi:Stack::blueprint-learn"},
        {"type": "aws:s3/bucket:Bucket", "id": "learn-curated", "outputs": {"arn": "arn:aws:s3:::learn-curated"}},
        {"type": "aws:cloudwatch/logGroup:LogGroup", "id": "/blueprint/learn/api",
         "outputs": {"arn": "arn:aws:logs:us-east-1:123456789012:log-group:/blueprint/learn/api"}},
    ]}}
    path = tmp_path / "learn.json"
    path.write_text(json.dumps(state))
    return {"state": path, "application": app["applicationId"], "key": key["Arn"]}


def test_sweep_lists_exactly_the_orphans(learn_stack, capsys):
    assert cli.main(["sweep", "learn", "--cloud", "aws", "--state", str(learn_stack["state"])]) == 0
    out = capsys.readouterr().out
    orphans = sorted(line.split()[-1] if "(" not in line.split()[-1] else line.split()[-2]
                     for line in out.splitlines() if line.strip().startswith("orphan"))
    assert orphans == sorted([
        "arn:aws:s3:::learn-raw",
        "arn:aws:kinesis:us-east-1:123456789012:stream/learn-events",
        f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{learn_stack['application']}",
        learn_stack["key"],
    ])
    assert "refused  s3 arn:aws:s3:::learn-prod-copy: tagged profile: production" in out
    assert "other-raw" not in out and "someone-elses" not in out
    # Dry run: nothing is gone.
    assert "learn-raw" in {b["Name"] for b in _client("s3").list_buckets()["Buckets"]}


def test_delete_removes_orphans_in_pipeline_order_and_spares_the_rest(learn_stack, capsys, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "learn")
    emr = _client("emr-serverless")
    assert cli.main(["sweep", "learn", "--cloud", "aws", "--state", str(learn_stack["state"]), "--delete"]) == 0
    out = capsys.readouterr().out
    deleted = [line.split()[-1] for line in out.splitlines() if line.strip().startswith("deleted")]
    # buffer, processing, store, then the foundation's key
    assert [d.split(":")[2] for d in deleted] == ["kinesis", "emr-serverless", "s3", "kms"]
    key = _client("kms").describe_key(KeyId=learn_stack["key"])["KeyMetadata"]
    assert key["KeyState"] == "PendingDeletion"
    assert (key["DeletionDate"] - key["CreationDate"]).days == 7
    buckets = {b["Name"] for b in _client("s3").list_buckets()["Buckets"]}
    assert buckets == {"learn-curated", "learn-prod-copy", "other-raw", "someone-elses"}
    assert _client("kinesis").list_streams()["StreamNames"] == []
    assert "stopping EMR Serverless application" in out
    # moto, like EMR Serverless, refuses to delete an application that is not CREATED or STOPPED.
    app = emr.get_application(applicationId=learn_stack["application"])["application"]
    assert app["state"] == "TERMINATED"
    assert _client("logs").describe_log_groups()["logGroups"][0]["logGroupName"] == "/blueprint/learn/api"


def test_delete_without_confirmation_deletes_nothing(learn_stack, capsys, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert cli.main(["sweep", "learn", "--cloud", "aws", "--state", str(learn_stack["state"]), "--delete"]) == 1
    assert "nothing deleted" in capsys.readouterr().out
    assert "learn-raw" in {b["Name"] for b in _client("s3").list_buckets()["Buckets"]}


def test_without_pulumi_or_a_state_file_sweep_says_what_to_do(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert cli.main(["sweep", "learn", "--cloud", "aws"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bp sweep: the pulumi CLI is not on PATH: install it, or pass --state FILE")


def test_a_state_file_that_is_not_an_export_is_refused(capsys, tmp_path):
    bad = tmp_path / "state.json"
    bad.write_text('{"outputs": {}}')
    assert cli.main(["sweep", "learn", "--cloud", "aws", "--state", str(bad)]) == 2
    assert "not a stack export: no deployment.resources" in capsys.readouterr().err


def test_a_left_schedule_group_is_deleted_with_its_schedules():
    from blueprint.teardown.aws import AwsCloud, _name_of, _type_of
    from blueprint.teardown.inventory import Found

    calls = []

    class Scheduler:
        def delete_schedule_group(self, **kwargs):
            calls.append(kwargs)

    arn = "arn:aws:scheduler:us-east-1:123456789012:schedule-group/blueprint-learn-processing-schedule-8fedb2"
    assert (_type_of(arn), _name_of(arn)) == ("scheduler:schedule-group", "blueprint-learn-processing-schedule-8fedb2")
    cloud = AwsCloud(lambda service: {"scheduler": Scheduler()}[service])
    assert cloud.delete(Found("aws", arn, _type_of(arn), _name_of(arn), {**BASE, "stage": "processing"})) is None
    assert calls == [{"Name": "blueprint-learn-processing-schedule-8fedb2"}]
