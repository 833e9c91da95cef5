"""The per-cloud entry points differ only in the raw format they default to."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("cloud", "default"), [("aws", "firehose-jsonl"), ("azure", "drain-jsonl"),
                                                ("gcp", "pubsub-avro")])
def test_each_entry_point_reads_its_cloud_raw_format(cloud, default):
    done = subprocess.run([sys.executable, str(ROOT / "pipeline" / "entry" / f"{cloud}.py"), "--help"],
                          capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert f"(default: {default})" in " ".join(done.stdout.split())


def test_a_day_that_is_not_a_date_is_refused_with_the_allowed_form():
    done = subprocess.run([sys.executable, str(ROOT / "pipeline" / "entry" / "aws.py"), "--raw", "r", "--processed",
                           "p", "--curated", "c", "--day", "30/11/2026"],
                          capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    assert "--day '30/11/2026' is not a date; allowed: YYYY-MM-DD" in done.stderr


def test_the_drain_entry_point_names_what_it_needs_and_refuses_an_unbounded_wait():
    entry = str(ROOT / "pipeline" / "entry" / "azure_drain.py")
    helped = subprocess.run([sys.executable, entry, "--help"], capture_output=True, text=True, cwd=ROOT,
                            env={"PYTHONPATH": str(ROOT)})
    assert helped.returncode == 0, helped.stderr
    for option in ("--namespace", "--hub", "--consumer-group", "--raw", "--wait"):
        assert option in helped.stdout
    refused = subprocess.run([sys.executable, entry, "--namespace", "n", "--hub", "h", "--consumer-group", "sink",
                              "--raw", "/tmp/raw", "--wait", "0"], capture_output=True, text=True, cwd=ROOT,
                             env={"PYTHONPATH": str(ROOT)})
    assert refused.returncode == 2
    assert "--wait '0' is not allowed; allowed: 1 to 3600 seconds" in refused.stderr


def test_the_drain_writes_through_hadoop_under_spark_submit_and_with_the_blob_sdk_elsewhere(monkeypatch, tmp_path):
    from pipeline import drain_main, lake

    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    assert isinstance(drain_main.store_for(str(tmp_path), None), lake.DirectoryStore)
    blob = drain_main.store_for("abfss://raw@lake1.dfs.core.windows.net/sub/", None)
    assert isinstance(blob, lake.BlobStore)
    assert blob.container.url == "https://lake1.blob.core.windows.net/raw" and blob.prefix == "sub/"
    with pytest.raises(ValueError, match="allowed without Spark: abfss://"):
        drain_main.store_for("s3://bucket/", None)
