"""Connect: the Pub/Sub publish endpoint and a publisher-only, keyless service account."""

from __future__ import annotations

import pytest

from components.config import ConfigError
from infra.gcp.connect import check_connect_args
from tests.infra.gcp.conftest import children_types, in_stage, one, variant
from tests.infra.gcp.test_store import _context


def test_publisher_may_publish_to_the_buffer_topic_and_nothing_else(learning):
    sa = one(in_stage(learning, "connect", "gcp:serviceaccount/account:Account"))
    member = f"serviceAccount:{sa.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
    grants = [r for r in learning.custom() if r.inputs.get("member") == member or member in r.inputs.get("members", [])]
    grant = one(grants)
    assert grant.type == "gcp:pubsub/topicIAMMember:TopicIAMMember"
    assert grant.inputs["role"] == "roles/pubsub.publisher"
    assert grant.inputs["topic"] == learning.exports["buffer"]["stream"]


def test_endpoint_is_the_topic_publish_url_with_google_oauth(learning):
    exports = learning.exports["connect"]
    stream = learning.exports["buffer"]["stream"]
    assert exports["endpoint"] == f"https://pubsub.googleapis.com/v1/projects/blueprint-learning/topics/{stream}:publish"
    assert exports["auth"] == "google-oauth"


def test_no_service_account_key_anywhere(learning, production):
    for s in (learning, production):
        assert not s.of_type("gcp:serviceaccount/key:Key")


def test_connect_exact_children(learning):
    assert children_types(learning, "connect") == {
        "gcp:serviceaccount/account:Account": 1, "gcp:pubsub/topicIAMMember:TopicIAMMember": 1,
    }


def test_api_key_auth_is_refused_on_gcp():
    with pytest.raises(ConfigError, match=r"blueprint:stages.connect.auth = 'api-key'"):
        variant(stages={"connect": {"auth": "api-key"}})
    with pytest.raises(ValueError, match="stages.connect.auth"):
        check_connect_args({"context": _context(), "buffer": None, "auth": "api-key"})
