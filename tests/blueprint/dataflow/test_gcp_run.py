"""``bp run`` on GCP submits batches on a runtime Google still supports: the stack's own pin."""

from __future__ import annotations

import datetime as dt

from blueprint.dataflow import gcp_cloud
from blueprint.rules.releases import DATAPROC_SERVERLESS


def test_batches_use_the_runtime_the_stack_pins_and_it_is_supported_today():
    from infra.gcp.engine import RUNTIME_VERSION

    assert gcp_cloud.RUNTIME_VERSION == RUNTIME_VERSION
    release = DATAPROC_SERVERLESS.find(gcp_cloud.RUNTIME_VERSION)
    assert release is not None and release.supported_until > dt.date(2026, 11, 30)


def test_a_batch_carries_the_spark_properties_of_the_stack_edges(monkeypatch):
    import google.auth.transport.requests as requests

    posted = []

    class Response:
        status_code = 200

        def json(self):
            return {"state": "SUCCEEDED"}

    class Session:
        def __init__(self, credentials):
            pass

        def post(self, url, params, json, timeout):
            posted.append((url, json))
            return Response()

        def get(self, url, timeout):
            return Response()

    monkeypatch.setattr(requests, "AuthorizedSession", Session)
    monkeypatch.setattr(gcp_cloud, "google_credentials", lambda: None)
    job = {"entry_point": "gs://staging/_jobs/sensor-pipeline/gcp.py", "py_files": "gs://staging/p.zip",
           "subnet": "projects/blueprint-learning/regions/us-central1/subnetworks/processing",
           "service_account": "sa@blueprint-learning.iam.gserviceaccount.com", "kms_key": "k", "staging_bucket": "staging"}
    out = {"processing": {"job": job},
           "store": {"raw": "s3://raw/", "processed": "s3://processed/", "curated": "s3://curated/"},
           "edges": {"buffer-aws-to-processing-gcp": {"connector": "pubsub-import-topic"},
                     "processing-gcp-to-store-aws": {"spark_properties": {
                         "spark.jars.packages": "org.apache.hadoop:hadoop-aws:3.3.6",
                         "spark.blueprint.aws.roleArn": "arn:aws:iam::123456789012:role/r"}}}}
    assert gcp_cloud.run(out, None) == 0
    (url, body), = posted
    assert url == "https://dataproc.googleapis.com/v1/projects/blueprint-learning/locations/us-central1/batches"
    assert body["runtimeConfig"]["properties"] == {"spark.jars.packages": "org.apache.hadoop:hadoop-aws:3.3.6",
                                                   "spark.blueprint.aws.roleArn": "arn:aws:iam::123456789012:role/r"}
    assert body["pysparkBatch"]["args"] == ["--raw", "s3://raw", "--processed", "s3://processed",
                                            "--curated", "s3://curated"]


def test_a_stack_without_edges_submits_no_properties():
    assert gcp_cloud.edge_properties({"processing": {}}) == {}
