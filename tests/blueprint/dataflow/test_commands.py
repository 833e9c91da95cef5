"""``bp smoke`` and ``bp run`` refuse to run where they cannot, with a reason and exit code 3, never a traceback."""

from __future__ import annotations

import json

import pytest

from blueprint.cli import main
from tests.blueprint.dataflow.conftest import hybrid_outputs


@pytest.fixture
def aws_outputs(tmp_path):
    """What ``pulumi stack output --json`` gives for a deployed learning AWS stack (no ``processing.job`` yet)."""
    path = tmp_path / "aws.json"
    path.write_text(json.dumps({
        "connect": {"endpoint": "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/events", "auth": "iam",
                    "producer_identity": "arn:aws:iam::111122223333:role/producer", "cloud": "aws"},
        "processing": {"sink": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/sink", "cloud": "aws"},
        "store": {"raw": "s3://raw-bucket/", "processed": "s3://processed-bucket/", "curated": "s3://curated-bucket/"},
    }))
    return str(path)


@pytest.fixture
def no_aws_credentials(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_without_the_pulumi_cli_the_reason_is_given(monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert main(["smoke", "aws"]) == 3
    assert "the pulumi CLI is not installed" in capsys.readouterr().out


def test_a_missing_outputs_file_is_named(capsys, tmp_path):
    assert main(["run", "aws", "--outputs", str(tmp_path / "gone.json")]) == 3
    assert f"--outputs {tmp_path / 'gone.json'}: no such file" in capsys.readouterr().out


def test_without_credentials_smoke_says_so(aws_outputs, no_aws_credentials, capsys):
    assert main(["smoke", "aws", "--outputs", aws_outputs]) == 3
    assert "no AWS credentials found" in capsys.readouterr().out


def test_run_names_the_output_the_stack_does_not_export(aws_outputs, no_aws_credentials, capsys):
    assert main(["run", "aws", "--outputs", aws_outputs]) == 3
    assert "the stack exports no processing.job" in capsys.readouterr().out


def test_smoke_through_curated_is_refused_before_any_event_is_sent(aws_outputs, capsys):
    assert main(["smoke", "aws", "--through", "curated", "--outputs", aws_outputs]) == 3
    assert "the stack exports no processing.job" in capsys.readouterr().out


@pytest.mark.parametrize("events", ["0", "501"])
def test_the_probe_size_is_bounded(events, capsys):
    assert main(["smoke", "aws", "--local", "--events", events]) == 2
    assert f"--events {events}: allowed 1 to 500" in capsys.readouterr().out


@pytest.fixture
def hybrid_file(tmp_path):
    def write(**changes) -> str:
        outputs = {**hybrid_outputs(), **changes}
        outputs["processing"]["job"] = {"entry_point": "gs://s/gcp.py", "py_files": "gs://s/pipeline.zip",
                                        "subnet": "projects/p/regions/us-central1/subnetworks/n",
                                        "service_account": "sa", "staging_bucket": "s"}
        path = tmp_path / "hybrid.json"
        path.write_text(json.dumps({k: v for k, v in outputs.items() if v is not None}))
        return str(path)
    return write


def test_hybrid_smoke_without_aws_credentials_says_so(hybrid_file, no_aws_credentials, capsys):
    assert main(["smoke", "hybrid", "--outputs", hybrid_file()]) == 3
    assert "no AWS credentials found" in capsys.readouterr().out


def test_hybrid_smoke_without_google_credentials_sends_nothing(hybrid_file, monkeypatch, capsys):
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    from blueprint.dataflow import aws_cloud

    for name, value in {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(google.auth, "default", lambda *a, **k: (_ for _ in ()).throw(DefaultCredentialsError("none")))
    sent = []
    monkeypatch.setattr(aws_cloud, "_post", lambda *args: sent.append(args))

    assert main(["smoke", "hybrid", "--outputs", hybrid_file()]) == 3
    assert "no Google credentials found" in capsys.readouterr().out
    assert sent == []


def test_hybrid_smoke_needs_the_edge_import_topic_export(hybrid_file, capsys):
    assert main(["smoke", "hybrid", "--outputs", hybrid_file(edges=None)]) == 3
    assert "the stack exports no edges" in capsys.readouterr().out


def test_run_on_a_hybrid_stack_submits_where_processing_runs(hybrid_file, capsys):
    # Processing runs on GCP: the Dataproc submission names what it misses (EMR's would name engine_id).
    assert main(["run", "hybrid", "--outputs", hybrid_file()]) == 3
    assert "the stack exports no processing.job.kms_key" in capsys.readouterr().out
