"""``bp smoke hybrid`` against a deployed stack: sent on AWS, awaited in GCP raw for the route's deadline.

The clouds are stood in for at their boundary: the signed POSTs to the AWS
Connect endpoint are captured, and what the import topic and the Cloud
Storage subscription would write lands in a fake-gcs-server raw bucket.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from blueprint.dataflow import aws_cloud, gcp_cloud, hybrid_cloud, sink_files
from blueprint.dataflow.probe import Probe
from tests.blueprint.dataflow.conftest import hybrid_outputs


@pytest.fixture
def deployed(gcp_endpoints, monkeypatch):
    """The hybrid outputs, a raw bucket in fake-gcs-server, and the POSTs the probe sends (delivered to raw)."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    gcs_endpoint = gcp_endpoints[1]
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_endpoint)
    gcs = storage.Client(project="p", credentials=AnonymousCredentials())
    raw = gcs.create_bucket(f"raw-{uuid.uuid4().hex[:12]}")
    outputs = hybrid_outputs(raw=f"gs://{raw.name}/")
    sent = []

    def post(session, out, bodies):
        sent.append((out["connect"]["endpoint"], bodies))
        # What the import topic and the sink's Cloud Storage subscription write for these records.
        name, data = sink_files.pubsub_avro([(str(i), b) for i, b in enumerate(bodies)], "sink",
                                            dt.datetime.now(dt.timezone.utc))
        raw.blob(name).upload_from_string(data)

    monkeypatch.setattr(aws_cloud, "session", lambda region: region)
    monkeypatch.setattr(aws_cloud, "_post", post)
    monkeypatch.setattr(gcp_cloud, "google_credentials", AnonymousCredentials)
    monkeypatch.setattr(gcp_cloud, "POLL_SECONDS", 0.1)
    return outputs, raw, sent


def test_events_sent_on_aws_are_found_in_gcp_raw_within_the_route_deadline(deployed, capsys):
    outputs, raw, sent = deployed
    hops = hybrid_cloud.smoke(outputs, Probe(6), "raw")

    assert [(h.name, h.status) for h in hops.hops] == [("connect", "ran"), ("buffer -> raw", "ran"),
                                                       ("cleanup", "ran")]
    assert [(endpoint, len(bodies)) for endpoint, bodies in sent] == [
        ("https://abc123.execute-api.us-east-1.amazonaws.com/v1/events", 6)]
    printed = capsys.readouterr().out
    # The hop chain with each deadline: the edge's 300 s and the sink's 600 s.
    assert ("hops: connect on aws; buffer on aws; buffer -> import topic on buffer-aws-to-processing-gcp (<= 300s); "
            "sink on gcp (<= 600s); raw on gcp") in printed
    assert f"6/6 in gs://{raw.name}/events/" in next(h.detail for h in hops.hops if h.name == "buffer -> raw")
    assert list(raw.list_blobs()) == []  # the probe-only raw file is removed


def test_events_missing_from_raw_fail_after_the_summed_deadline(deployed, monkeypatch):
    outputs, raw, _ = deployed
    monkeypatch.setattr(aws_cloud, "_post", lambda *args: None)  # nothing arrives
    waited = []
    monkeypatch.setattr(Probe, "wait", lambda self, files, deadline, poll, sink: waited.append(deadline)
                        or self.search(files()))

    hops = hybrid_cloud.smoke(outputs, Probe(3), "raw")

    assert waited == [900]
    assert [(h.name, h.status) for h in hops.hops] == [("connect", "ran"), ("buffer -> raw", "FAILED")]
    assert not hops.ok
