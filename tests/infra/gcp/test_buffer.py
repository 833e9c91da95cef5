"""Buffer: topic with retention, a subscription per consumer, a dead-letter topic, the consumer identity."""

from __future__ import annotations

import pytest

from components.config import ConfigError
from tests.infra.gcp.conftest import children_types, in_stage, one, variant

TOPIC = "gcp:pubsub/topic:Topic"
SUB = "gcp:pubsub/subscription:Subscription"
SUB_GRANT = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember"
TOPIC_GRANT = "gcp:pubsub/topicIAMMember:TopicIAMMember"


def _topics(s):
    return {"dead-letter" if t.name.endswith("-dead-letter") else "events": t for t in in_stage(s, "buffer", TOPIC)}


def test_event_topic_keeps_messages_for_the_profile_retention_and_is_encrypted(learning, production):
    for s, hours in ((learning, 24), (production, 168)):
        topic = _topics(s)["events"]
        assert topic.inputs["messageRetentionDuration"] == f"{hours * 3600}s"
        assert topic.inputs["kmsKeyName"].startswith("projects/")
        assert topic.inputs["messageStoragePolicy"]["allowedPersistenceRegions"] == ["us-central1"]
        assert s.exports["buffer"]["retention_hours"] == hours


def test_the_sink_consumer_is_processings_storage_subscription_not_a_pull_subscription(learning, production):
    for s in (learning, production):
        sink = one(in_stage(s, "processing", SUB))
        assert "cloudStorageConfig" in sink.inputs
        assert "sink" not in [sub.name.rsplit("-", 1)[-1] for sub in in_stage(s, "buffer", SUB)]
        buffer = one(r for r in s.resources if r.type == "blueprint:stage:Buffer")
        assert buffer.outputs["consumers"]["sink"].endswith("/subscriptions/" + sink.inputs["name"])


def test_one_subscription_per_consumer_that_dead_letters_and_never_expires(learning, production):
    for s, consumers in ((learning, ["spark"]), (production, ["analytics", "spark"])):
        subs = in_stage(s, "buffer", SUB)
        assert sorted(sub.name.rsplit("-", 1)[-1] for sub in subs) == consumers
        dead_letter = _topics(s)["dead-letter"]
        for sub in subs:
            assert sub.inputs["deadLetterPolicy"]["deadLetterTopic"].endswith("/topics/" + dead_letter.inputs["name"])
            assert sub.inputs["deadLetterPolicy"]["maxDeliveryAttempts"] == 5
            assert sub.inputs["expirationPolicy"] == {"ttl": ""}
            assert sub.inputs["retainAckedMessages"] is False  # acknowledged messages would bill storage
            assert sub.inputs["topic"].endswith("/topics/" + _topics(s)["events"].inputs["name"])


def test_consumers_override_wins():
    s = variant(stages={"buffer": {"consumers": ["alpha"]}})
    assert [sub.name.rsplit("-", 1)[-1] for sub in in_stage(s, "buffer", SUB)] == ["alpha"]


def test_the_pubsub_agent_can_forward_dead_letters_and_nothing_more(learning):
    agent = "serviceAccount:service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com"
    topic_grants = [g for g in in_stage(learning, "buffer", TOPIC_GRANT) if g.inputs["member"] == agent]
    grant = one(topic_grants)
    assert grant.inputs["role"] == "roles/pubsub.publisher"
    assert grant.inputs["topic"] == _topics(learning)["dead-letter"].inputs["name"]
    subs = {s.inputs["name"] for s in in_stage(learning, "buffer", SUB)}
    agent_subs = [g for g in in_stage(learning, "buffer", SUB_GRANT) if g.inputs["member"] == agent]
    assert {g.inputs["subscription"] for g in agent_subs} == subs
    assert {g.inputs["role"] for g in agent_subs} == {"roles/pubsub.subscriber"}


def test_consumer_identity_only_subscribes_to_the_buffer_subscriptions(learning):
    sa = one(in_stage(learning, "buffer", "gcp:serviceaccount/account:Account"))
    member = f"serviceAccount:{sa.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
    grants = [g for g in learning.of_type(SUB_GRANT, TOPIC_GRANT, "gcp:storage/bucketIAMMember:BucketIAMMember",
                                          "gcp:projects/iAMMember:IAMMember") if g.inputs["member"] == member]
    # Only the pull subscriptions (learning: spark); the sink is Processing's storage subscription.
    assert len(grants) == 1 and {g.inputs["role"] for g in grants} == {"roles/pubsub.subscriber"}


def test_producer_identity_is_the_connect_publisher(learning):
    connect_sa = one(in_stage(learning, "connect", "gcp:serviceaccount/account:Account"))
    buffer = one(r for r in learning.resources if r.type == "blueprint:stage:Buffer")
    assert buffer.outputs["producer_identity"] == f"{connect_sa.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
    assert buffer.outputs["delivery"] == "at-least-once"


def test_buffer_exact_children(learning):
    assert children_types(learning, "buffer") == {
        TOPIC: 2, SUB: 1, TOPIC_GRANT: 1, SUB_GRANT: 2, "gcp:serviceaccount/account:Account": 1,
    }


def test_retention_beyond_pubsub_limit_is_refused_before_any_resource():
    with pytest.raises(ConfigError, match=r"blueprint:stages.buffer.retentionHours = 800: Pub/Sub"):
        variant(stages={"buffer": {"retentionHours": 800}})


def test_buffer_validator_names_the_key():
    from infra.gcp.buffer import check_buffer_args
    from tests.infra.gcp.test_store import _context

    with pytest.raises(ValueError, match="retentionHours"):
        check_buffer_args({"context": _context(), "retention_hours": 745})
    with pytest.raises(ValueError, match="consumers"):
        check_buffer_args({"context": _context(), "consumers": ["a", "a"]})
