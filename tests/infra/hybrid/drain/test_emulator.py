"""The drain end to end on this machine: the Pub/Sub emulator, and moto's Firehose writing to S3.

What runs for real: the drain's Pub/Sub REST calls (pull, acknowledge,
modifyAckDeadline) against the emulator, PutRecordBatch against moto's
Firehose, and moto's delivery of the records into the raw bucket. What is
bypassed: the token exchange. The emulator runs in its no-auth mode, so the
drain reaches it with no token, over plain HTTP on loopback (the only place
the subscription client allows it); the exchange itself is tested against a
fake STS in ``test_federation``. moto runs no Firehose processors, so the
objects hold the bodies without the newline ``AppendDelimiterToRecord`` adds.
"""

from __future__ import annotations

import base64
import json
import shutil
import urllib.request

import pytest

from infra.hybrid.drain.delivery import FirehoseDelivery
from infra.hybrid.drain.drain import DeliveryIncomplete, drain
from infra.hybrid.drain.subscription import Subscription

PROJECT = "blueprint-learning"
REGION = "us-east-1"
BUCKET = "blueprint-raw-drain-test"
EVENTS = [{"event_id": f"e-{i}", "sensor_id": "pump-7", "measurement": "temperature",
           "timestamp": "2026-11-30T04:05:06.250Z", "value": 21.5 + i} for i in range(3)]


@pytest.fixture(scope="module")
def pubsub():
    if shutil.which("gcloud") is None:
        pytest.skip("gcloud (with the Pub/Sub emulator) is not installed")
    from blueprint.dataflow.gcp_local import pubsub_emulator
    from blueprint.dataflow.unavailable import Unavailable

    emulator = pubsub_emulator(PROJECT)
    try:
        emulator.start()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield f"http://127.0.0.1:{emulator.port}"
    emulator.stop()


def rest(endpoint: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(f"{endpoint}/v1/{path}", method=method, data=json.dumps(body or {}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def subscription_with(endpoint: str, name: str, bodies: list[bytes]) -> str:
    topic = f"projects/{PROJECT}/topics/{name}-events"
    path = f"projects/{PROJECT}/subscriptions/{name}-drain"
    rest(endpoint, "PUT", topic)
    rest(endpoint, "PUT", path, {"topic": topic, "ackDeadlineSeconds": 60})
    rest(endpoint, "POST", f"{topic}:publish",
         {"messages": [{"data": base64.b64encode(b).decode()} for b in bodies]})
    return path


@pytest.fixture
def aws(monkeypatch):
    from moto import mock_aws

    for key, value in {"AWS_ACCESS_KEY_ID": "moto", "AWS_SECRET_ACCESS_KEY": "moto", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        s3, firehose = boto3.client("s3", region_name=REGION), boto3.client("firehose", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        firehose.create_delivery_stream(
            DeliveryStreamName="processing-sink", DeliveryStreamType="DirectPut",
            ExtendedS3DestinationConfiguration={"RoleARN": "arn:aws:iam::123456789012:role/sink",
                                                "BucketARN": f"arn:aws:s3:::{BUCKET}", "Prefix": "events/"})
        yield s3, firehose


def raw_text(s3) -> str:
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="events/").get("Contents", [])]
    return "".join(s3.get_object(Bucket=BUCKET, Key=k)["Body"].read().decode() for k in keys)


def test_the_drain_lands_every_message_in_raw_and_empties_the_subscription(pubsub, aws):
    s3, firehose = aws
    bodies = [json.dumps(e).encode() for e in EVENTS]
    path = subscription_with(pubsub, "landed", bodies + bodies[:1])  # the first event retried by its producer
    subscription = Subscription(path, lambda: None, endpoint=pubsub, pull_timeout=2)
    report = drain(subscription, FirehoseDelivery(firehose, "processing-sink"), time_left=lambda: 900.0)
    assert (report.pulled, report.acknowledged, report.handed_back) == (4, 4, 0)
    text = raw_text(s3)
    assert sorted(text.count(json.dumps(e)) for e in EVENTS) == [1, 1, 2]
    assert subscription.pull(10) == []


def test_when_firehose_refuses_the_messages_stay_in_the_subscription(pubsub, aws):
    s3, firehose = aws
    bodies = [json.dumps(e).encode() for e in EVENTS]
    path = subscription_with(pubsub, "refused", bodies)
    subscription = Subscription(path, lambda: None, endpoint=pubsub, pull_timeout=2)
    with pytest.raises(DeliveryIncomplete, match="ResourceNotFoundException"):
        drain(subscription, FirehoseDelivery(firehose, "no-such-stream"), time_left=lambda: 900.0)
    assert raw_text(s3) == ""
    again = []
    for _ in range(5):
        again += subscription.pull(10)
        if len(again) >= len(bodies):
            break
    assert sorted(m.data for m in again) == sorted(bodies)
