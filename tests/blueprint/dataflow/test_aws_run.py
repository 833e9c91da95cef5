"""``bp run aws``: the job is submitted to the stack's EMR Serverless application with the stack's code and zones."""

from __future__ import annotations

import json

import boto3

from blueprint.cli import main


def test_run_submits_the_exported_code_over_the_stack_zones_and_prints_the_query(moto_endpoint, monkeypatch,
                                                                                   tmp_path, capsys):
    for name, value in {"AWS_ENDPOINT_URL": moto_endpoint, "AWS_ACCESS_KEY_ID": "moto",
                        "AWS_SECRET_ACCESS_KEY": "moto", "AWS_EC2_METADATA_DISABLED": "true"}.items():
        monkeypatch.setenv(name, value)
    emr = boto3.client("emr-serverless", region_name="eu-west-1")
    app = emr.create_application(name="spark", releaseLabel="emr-7.5.0", type="SPARK")["applicationId"]
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({
        "connect": {"cloud": "aws"},
        "processing": {"sink": "arn:aws:firehose:eu-west-1:123456789012:deliverystream/sink", "catalog": "lake_db",
                       "job": {"engine_id": app, "role": "arn:aws:iam::123456789012:role/job",
                               "entry_point": "s3://proc/_jobs/sensor-pipeline/aws.py",
                               "py_files": "s3://proc/_jobs/sensor-pipeline/pipeline.zip"}},
        "store": {"raw": "s3://raw/", "processed": "s3://proc/", "curated": "s3://cur/"},
        "visualize": {"query_endpoint": "wg"},
    }))

    assert main(["run", "aws", "--outputs", str(outputs), "--day", "2026-11-30"]) == 0

    printed = capsys.readouterr().out
    assert "job: SUCCESS" in printed
    assert "database lake_db" in printed and "FROM sensor_daily" in printed
    [listed] = emr.list_job_runs(applicationId=app)["jobRuns"]
    run = emr.get_job_run(applicationId=app, jobRunId=listed["id"])["jobRun"]
    assert run["executionRole"] == "arn:aws:iam::123456789012:role/job"
    submit = run["jobDriver"]["sparkSubmit"]
    assert submit["entryPoint"] == "s3://proc/_jobs/sensor-pipeline/aws.py"
    assert submit["entryPointArguments"] == ["--raw", "s3://raw", "--processed", "s3://proc", "--curated", "s3://cur",
                                             "--database", "lake_db", "--day", "2026-11-30"]
    assert submit["sparkSubmitParameters"].startswith("--py-files s3://proc/_jobs/sensor-pipeline/pipeline.zip ")
