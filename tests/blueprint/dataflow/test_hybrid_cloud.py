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


def drained_outputs(raw: str) -> dict:
    """A deployed stack's outputs: Connect and Buffer on GCP, Processing and Store on AWS, the drain between."""
    return {
        "connect": {"endpoint": "https://pubsub.googleapis.com/v1/projects/blueprint-learning/topics/events:publish",
                    "auth": "google-oauth", "cloud": "gcp"},
        "buffer": {"stream": "events", "endpoint": "https://pubsub.googleapis.com", "cloud": "gcp"},
        "processing": {"sink": "arn:aws:firehose:us-east-1:123456789012:deliverystream/sink", "cloud": "aws"},
        "store": {"raw": f"s3://{raw}/", "processed": "s3://processed/", "curated": "s3://curated/", "cloud": "aws"},
        "edges": {"buffer-gcp-to-processing-aws": {
            "subscription": "projects/blueprint-learning/subscriptions/drain"}},
    }


@pytest.fixture
def drained(gcp_endpoints, monkeypatch):
    """The outputs over the Pub/Sub emulator and moto (in-process): each publish is followed by the drain's run
    that the schedule makes, the drain's own code writing moto's Firehose, which lands in moto's raw bucket."""
    import json
    from urllib.request import Request, urlopen

    from google.auth.credentials import AnonymousCredentials
    from moto import mock_aws

    from infra.hybrid.drain.delivery import FirehoseDelivery
    from infra.hybrid.drain.drain import drain
    from infra.hybrid.drain.subscription import Subscription

    pubsub = gcp_endpoints[0]
    for key, value in {"AWS_ACCESS_KEY_ID": "moto", "AWS_SECRET_ACCESS_KEY": "moto", "PUBSUB_EMULATOR_HOST": pubsub}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    raw = f"raw-{uuid.uuid4().hex[:12]}"
    outputs = drained_outputs(raw)
    topic, subscription = "projects/blueprint-learning/topics/events", "projects/blueprint-learning/subscriptions/drain"
    for path, body in ((topic, {}), (subscription, {"topic": topic, "ackDeadlineSeconds": 60})):
        try:
            urlopen(Request(f"http://{pubsub}/v1/{path}", data=json.dumps(body).encode(), method="PUT",
                            headers={"Content-Type": "application/json"}), timeout=30)
        except Exception as exc:  # noqa: BLE001 (a second test on the same emulator: already there)
            if getattr(exc, "code", None) != 409:
                raise
    with mock_aws():
        import boto3

        s3, firehose = boto3.client("s3", region_name="us-east-1"), boto3.client("firehose", region_name="us-east-1")
        for bucket in (raw, "processed"):
            s3.create_bucket(Bucket=bucket)
        now = dt.datetime.now(dt.timezone.utc)
        # The hour folder the real prefix's !{timestamp:..} expressions give (moto stores them unevaluated).
        firehose.create_delivery_stream(
            DeliveryStreamName="sink", DeliveryStreamType="DirectPut",
            ExtendedS3DestinationConfiguration={
                "RoleARN": "arn:aws:iam::123456789012:role/sink", "BucketARN": f"arn:aws:s3:::{raw}",
                "Prefix": f"events/year={now:%Y}/month={now:%m}/day={now:%d}/hour={now:%H}/"})
        real_send, runs = gcp_cloud.send, []

        def send_then_drain(credentials, out, probe, hops):
            real_send(credentials, out, probe, hops)
            runs.append(drain(Subscription(subscription, lambda: None, endpoint=f"http://{pubsub}", pull_timeout=2),
                              FirehoseDelivery(firehose, "sink"), time_left=lambda: 240.0))

        monkeypatch.setattr(gcp_cloud, "send", send_then_drain)
        monkeypatch.setattr(gcp_cloud, "google_credentials", AnonymousCredentials)
        monkeypatch.setattr(aws_cloud, "POLL_SECONDS", 0.1)
        yield outputs, s3, raw, runs


def test_events_published_on_gcp_are_found_in_aws_raw_within_the_route_deadline(drained, capsys):
    outputs, s3, raw, runs = drained
    hops = hybrid_cloud.smoke(outputs, Probe(5), "raw")

    assert [(h.name, h.status) for h in hops.hops] == [("connect", "ran"), ("buffer -> raw", "ran"),
                                                       ("cleanup", "ran")]
    assert "5 messages published to projects/blueprint-learning/topics/events" in hops.hops[0].detail
    assert [(r.pulled, r.acknowledged) for r in runs] == [(5, 5)]
    printed = capsys.readouterr().out
    # The drain's schedule (<= 360 s) and the sink's Firehose buffering (<= 600 s).
    assert ("hops: connect on gcp; buffer on gcp; drain -> delivery stream on buffer-gcp-to-processing-aws "
            "(<= 360s); sink on aws (<= 600s); raw on aws") in printed
    assert f"5/5 in s3://{raw}/events/year=" in hops.hops[1].detail
    assert s3.list_objects_v2(Bucket=raw).get("KeyCount") == 0  # the probe-only raw object is removed


def test_the_drained_route_waits_for_raw_as_long_as_its_hops_add_up_to(drained, monkeypatch):
    outputs, _, _, _ = drained
    waited = []
    monkeypatch.setattr(Probe, "wait", lambda self, files, deadline, poll, sink: waited.append(deadline)
                        or self.search(files()))
    hybrid_cloud.smoke(outputs, Probe(1), "raw")
    assert waited == [960]


def test_without_google_credentials_the_drained_route_sends_nothing(drained, monkeypatch):
    from blueprint.dataflow.unavailable import Unavailable

    outputs, _, _, runs = drained

    def no_credentials():
        raise Unavailable("no Google credentials found")

    monkeypatch.setattr(gcp_cloud, "google_credentials", no_credentials)
    with pytest.raises(Unavailable, match="no Google credentials found"):
        hybrid_cloud.smoke(outputs, Probe(1), "raw")
    assert runs == []
