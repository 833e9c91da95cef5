"""The Lambda entry point wires its environment into the drain."""

from __future__ import annotations

import json

from infra.hybrid.drain import handler
from infra.hybrid.drain.drain import DrainReport

CONFIG = {"type": "external_account", "audience": "//iam.googleapis.com/projects/1/locations/global/"
          "workloadIdentityPools/p/providers/q", "subject_token_type": "urn:ietf:params:aws:token-type:aws4_request",
          "token_url": "https://sts.googleapis.com/v1/token",
          "credential_source": {"regional_cred_verification_url": "https://sts.{region}.amazonaws.com?Action=x"}}


class Context:
    def get_remaining_time_in_millis(self):
        return 239_500


def test_the_handler_drains_the_configured_subscription_into_the_configured_stream(monkeypatch, capsys):
    for key, value in {"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s",
                       "AWS_SESSION_TOKEN": "t", "DRAIN_SUBSCRIPTION": "projects/blueprint-learning/subscriptions/sub",
                       "DRAIN_DELIVERY_STREAM": "processing-sink",
                       "DRAIN_CREDENTIAL_CONFIGURATION": json.dumps(CONFIG)}.items():
        monkeypatch.setenv(key, value)
    seen = {}

    def fake_drain(subscription, delivery, *, time_left):
        seen.update(path=subscription.path, endpoint=subscription.endpoint, stream=delivery.stream_name,
                    region=delivery.client.meta.region_name, left=time_left())
        seen["federation"] = subscription._token.__self__
        return DrainReport(rounds=1, pulled=3, acknowledged=3)

    monkeypatch.setattr(handler, "drain", fake_drain)
    assert handler.handle({}, Context()) == {"rounds": 1, "pulled": 3, "acknowledged": 3, "handed_back": 0}
    assert {k: seen[k] for k in ("path", "endpoint", "stream", "region", "left")} == {
        "path": "projects/blueprint-learning/subscriptions/sub", "endpoint": "https://pubsub.googleapis.com",
        "stream": "processing-sink", "region": "eu-west-1", "left": 239.5}
    federation = seen["federation"]
    assert (federation.audience, federation.region) == (CONFIG["audience"], "eu-west-1")
    assert federation._credentials().access_key == "ASIAEXAMPLE"
    assert json.loads(capsys.readouterr().out) == {
        "drained": {"rounds": 1, "pulled": 3, "acknowledged": 3, "handed_back": 0},
        "subscription": "projects/blueprint-learning/subscriptions/sub"}
