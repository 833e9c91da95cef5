"""``bp smoke`` and ``bp run`` refuse to run where they cannot, with a reason and exit code 3, never a traceback."""

from __future__ import annotations

import json

import pytest

from blueprint.cli import main


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
