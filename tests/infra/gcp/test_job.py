"""GcpJob: the job code lands in the staging bucket and the batch settings are exported."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint.engine import synthesize

PROGRAM = Path(__file__).parent / "programs" / "job"


@pytest.fixture(scope="module")
def synthesis():
    return synthesize("gcp", {}, program=PROGRAM)


def test_code_and_entry_point_are_uploaded_to_the_staging_bucket(synthesis):
    got = {r.inputs["name"]: r.inputs for r in synthesis.of_type("gcp:storage/bucketObject:BucketObject")}
    assert set(got) == {"_jobs/sensor-pipeline/pipeline.zip", "_jobs/sensor-pipeline/gcp.py"}
    assert {o["bucket"] for o in got.values()} == {"proc-staging"}
    assert got["_jobs/sensor-pipeline/gcp.py"]["source"]["file"].endswith("pipeline/entry/gcp.py")
    assert "pipeline/raw.py" in got["_jobs/sensor-pipeline/pipeline.zip"]["source"]["archive"]


def test_exports_carry_the_batch_environment(synthesis):
    assert synthesis.exports["job"] == {
        "entry_point": "gs://proc-staging/_jobs/sensor-pipeline/gcp.py",
        "py_files": "gs://proc-staging/_jobs/sensor-pipeline/pipeline.zip", "raw_format": "pubsub-avro",
        "subnet": "projects/p/regions/europe-west1/subnetworks/processing",
        "service_account": "processing@p.iam.gserviceaccount.com",
        "kms_key": "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k", "staging_bucket": "proc-staging",
    }
