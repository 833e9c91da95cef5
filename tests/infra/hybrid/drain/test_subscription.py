"""The Pub/Sub REST calls the drain makes: pull, acknowledge, hand back; TLS except on loopback."""

from __future__ import annotations

import io
import json
import socket
import urllib.error

import pytest

from infra.hybrid.drain.subscription import Received, Subscription

PATH = "projects/blueprint-learning/subscriptions/blueprint-hybrid-gcp-buffer-drain-0a1b2c"


class FakePubSub:
    def __init__(self, answers=()):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, request, timeout):
        self.calls.append((request.full_url, request.get_header("Authorization"), json.loads(request.data), timeout))
        answer = self.answers.pop(0) if self.answers else {}
        if isinstance(answer, BaseException):
            raise answer
        return io.BytesIO(json.dumps(answer).encode())


def test_pull_asks_for_a_batch_with_the_bearer_token_and_decodes_the_bodies():
    fake = FakePubSub([{"receivedMessages": [
        {"ackId": "ack-1", "message": {"data": "eyJldmVudF9pZCI6ICJlLTEifQ==", "messageId": "11"}, "deliveryAttempt": 2},
        {"ackId": "ack-2", "message": {"messageId": "12"}},
    ]}])
    messages = Subscription(PATH, lambda: "ya29.federated", opener=fake).pull(500)
    assert messages == [Received("ack-1", b'{"event_id": "e-1"}', "11", 2), Received("ack-2", b"", "12", 0)]
    assert fake.calls == [(f"https://pubsub.googleapis.com/v1/{PATH}:pull", "Bearer ya29.federated",
                           {"maxMessages": 500}, 10)]


@pytest.mark.parametrize("timeout", [TimeoutError("timed out"), socket.timeout("timed out"),
                                     urllib.error.URLError(TimeoutError("timed out"))])
def test_a_pull_that_waits_past_its_timeout_counts_as_empty(timeout):
    assert Subscription(PATH, lambda: "t", opener=FakePubSub([timeout])).pull(500) == []


def test_a_failing_pull_is_not_mistaken_for_an_empty_subscription():
    refused = urllib.error.HTTPError(f"https://pubsub.googleapis.com/v1/{PATH}:pull", 403, "Forbidden", {}, None)
    with pytest.raises(urllib.error.HTTPError):
        Subscription(PATH, lambda: "t", opener=FakePubSub([refused])).pull(500)


def test_acknowledge_and_hand_back_name_exactly_the_given_ids():
    fake = FakePubSub()
    subscription = Subscription(PATH, lambda: "t", opener=fake)
    subscription.acknowledge(["ack-1", "ack-3"])
    subscription.hand_back(["ack-2"])
    subscription.acknowledge([])
    assert [(url, body) for url, _, body, _ in fake.calls] == [
        (f"https://pubsub.googleapis.com/v1/{PATH}:acknowledge", {"ackIds": ["ack-1", "ack-3"]}),
        (f"https://pubsub.googleapis.com/v1/{PATH}:modifyAckDeadline", {"ackIds": ["ack-2"], "ackDeadlineSeconds": 0}),
    ]


def test_the_emulator_on_loopback_is_reached_without_a_token():
    fake = FakePubSub()
    Subscription(PATH, lambda: None, endpoint="http://127.0.0.1:8085", opener=fake).pull(10)
    assert fake.calls[0][:2] == (f"http://127.0.0.1:8085/v1/{PATH}:pull", None)


@pytest.mark.parametrize("endpoint", ["http://pubsub.googleapis.com", "http://10.0.0.5:8085", "ftp://127.0.0.1"])
def test_plain_http_off_loopback_is_refused(endpoint):
    with pytest.raises(ValueError, match="over https"):
        Subscription(PATH, lambda: None, endpoint=endpoint)


@pytest.mark.parametrize("path", ["projects/p/subscriptions/abc", "projects/blueprint-learning/topics/events",
                                  "blueprint-hybrid-gcp-buffer-drain-0a1b2c"])
def test_a_malformed_subscription_path_is_refused(path):
    with pytest.raises(ValueError, match="projects/PROJECT/subscriptions/NAME"):
        Subscription(path, lambda: None)
