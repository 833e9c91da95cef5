"""AwsJob: the job code lands in the processed bucket and the stack exports what ``bp run`` needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint.engine import synthesize

PROGRAM = Path(__file__).parent / "programs" / "job"


@pytest.fixture(scope="module")
def synthesis():
    return synthesize("aws", {}, program=PROGRAM)


def objects(synthesis):
    return {r.inputs["key"]: r.inputs for r in synthesis.of_type("aws:s3/bucketObject:BucketObject")}


def test_code_and_entry_point_are_uploaded_to_the_processed_bucket(synthesis):
    got = objects(synthesis)
    assert set(got) == {"_jobs/sensor-pipeline/pipeline.zip", "_jobs/sensor-pipeline/aws.py"}
    assert {o["bucket"] for o in got.values()} == {"lake-processed"}
    assert got["_jobs/sensor-pipeline/aws.py"]["source"]["file"].endswith("pipeline/entry/aws.py")


def test_the_archive_holds_the_package_under_pipeline_for_py_files(synthesis):
    archive = objects(synthesis)["_jobs/sensor-pipeline/pipeline.zip"]["source"]["archive"]
    for module in ("pipeline/__init__.py", "pipeline/job.py", "pipeline/raw.py", "pipeline/avro.py",
                   "pipeline/event.py", "pipeline/main.py", "pipeline/entry/aws.py"):
        assert module in archive, module
    assert not [name for name in archive if "__pycache__" in name or not name.endswith(".py")]
    assert archive["pipeline/job.py"]["file"].endswith("pipeline/job.py")


def test_exports_name_the_engine_role_and_code(synthesis):
    assert synthesis.exports["job"] == {
        "engine_id": "00fabc123", "role": "arn:aws:iam::111122223333:role/job",
        "entry_point": "s3://lake-processed/_jobs/sensor-pipeline/aws.py",
        "py_files": "s3://lake-processed/_jobs/sensor-pipeline/pipeline.zip", "raw_format": "firehose-jsonl",
    }
