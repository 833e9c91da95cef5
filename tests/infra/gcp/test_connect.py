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


GCP = {"project": "blueprint-learning", "region": "us-central1", "billingAccount": "012345-6789AB-CDEF01"}
GITHUB = {"issuerUri": "https://token.actions.githubusercontent.com",
          "attributeCondition": "assertion.repository == 'data-team/sensors'"}


@pytest.fixture(scope="module")
def federated():
    return variant(gcp={**GCP, "producerFederation": GITHUB})


def test_producers_outside_gcp_federate_through_a_pinned_oidc_provider(federated):
    pool = one(federated.of_type("gcp:iam/workloadIdentityPool:WorkloadIdentityPool"))
    provider = one(federated.of_type("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"))
    assert provider.inputs["oidc"] == {"issuerUri": "https://token.actions.githubusercontent.com"}
    assert provider.inputs["attributeCondition"] == "assertion.repository == 'data-team/sensors'"
    assert provider.inputs["attributeMapping"] == {"google.subject": "assertion.sub"}
    assert provider.inputs["workloadIdentityPoolId"] == pool.inputs["workloadIdentityPoolId"]
    import re

    assert re.fullmatch(r"[a-z0-9-]{4,32}", pool.inputs["workloadIdentityPoolId"])
    assert not pool.inputs["workloadIdentityPoolId"].startswith("gcp-")


def test_pool_identities_may_only_impersonate_the_connect_account(federated):
    sa = one(in_stage(federated, "connect", "gcp:serviceaccount/account:Account"))
    pool = one(federated.of_type("gcp:iam/workloadIdentityPool:WorkloadIdentityPool"))
    grant = one(federated.of_type("gcp:serviceaccount/iAMMember:IAMMember"))
    assert grant.inputs["role"] == "roles/iam.workloadIdentityUser"
    assert grant.inputs["serviceAccountId"] == (
        f"projects/blueprint-learning/serviceAccounts/{sa.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com")
    assert grant.inputs["member"] == ("principalSet://iam.googleapis.com/projects/123456789/locations/global/"
                                      f"workloadIdentityPools/{pool.inputs['workloadIdentityPoolId']}/*")
    apis = {s.inputs["service"] for s in federated.of_type("gcp:projects/service:Service")}
    assert {"sts.googleapis.com", "iamcredentials.googleapis.com"} <= apis


def test_no_pool_without_federation(learning):
    assert not learning.of_type("gcp:iam/workloadIdentityPool:WorkloadIdentityPool")
    assert not learning.of_type("gcp:serviceaccount/iAMMember:IAMMember")


@pytest.mark.parametrize("condition", ["true", " TRUE ", "(true)", "1 == 1"])
def test_a_condition_that_admits_everyone_is_refused(condition):
    with pytest.raises(ConfigError, match=r"blueprint:gcp.producerFederation.attributeCondition .*must pin"):
        variant(gcp={**GCP, "producerFederation": {**GITHUB, "attributeCondition": condition}})


def test_the_condition_is_required_and_the_issuer_must_be_https():
    with pytest.raises(ConfigError, match=r"blueprint:gcp.producerFederation.attributeCondition = \(not set\)"):
        variant(gcp={**GCP, "producerFederation": {"issuerUri": GITHUB["issuerUri"]}})
    with pytest.raises(ConfigError, match=r"blueprint:gcp.producerFederation.issuerUri = 'http://issuer.example'"):
        variant(gcp={**GCP, "producerFederation": {**GITHUB, "issuerUri": "http://issuer.example"}})


@pytest.mark.parametrize("key, value", [("throttleRate", 50.0), ("throttleBurst", 100)])
def test_throttle_settings_are_refused_on_gcp_not_ignored(key, value):
    with pytest.raises(ConfigError, match=rf"blueprint:stages.connect.{key} = {value}: not enforceable on GCP"):
        variant(stages={"connect": {key: value}})


def test_throttle_settings_stay_allowed_on_other_clouds():
    from components.config import load_config

    cfg = load_config({"cloud": "aws", "owner": "a", "alertEmails": ["a@example.com"],
                       "stages": {"connect": {"throttleRate": 50, "throttleBurst": 100}}})
    assert cfg.stages.connect.throttle_rate == 50
