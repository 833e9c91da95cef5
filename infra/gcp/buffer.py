"""GCP Buffer: a Pub/Sub topic with message retention, one subscription per consumer, a dead-letter topic.

Creates the event topic (CMEK, persisted only in the stack's region,
retention ``retention_hours``), a dead-letter topic (same posture, 7 days
retention so dead letters can be replayed with a seek), one pull
subscription per consumer (never expires, retains unacknowledged messages
up to 7 days, retries with back-off, dead-letters after 5 attempts), and the
stage's service account, which may consume from those subscriptions and
nothing else (``consumer_identity``). The Pub/Sub service agent gets what
dead-lettering needs: publish on the dead-letter topic and subscribe on each
subscription, bound on those resources only.

``producer_identity`` is the Connect stage's publisher account; its e-mail
is deterministic, so Buffer can name it before Connect creates it and binds
publish on this topic.

The consumer named ``sink`` is the stream sink, which on GCP is Processing's
Cloud Storage subscription (Pub/Sub itself writes to the raw bucket): Buffer
creates no pull subscription for it, which nobody would read and whose
backlog would only grow, and ``consumers["sink"]`` names that subscription
(its name is deterministic, like the producer's e-mail).

Where GCP differs: Pub/Sub keeps a topic's messages at most 31 days and a
subscription's unacknowledged messages at most 7 days (config refuses a
longer ``retentionHours`` on GCP); there are no shards or throughput units,
so nothing bills while idle except retained bytes (per GiB-month; ``bp cost``).
Delivery is at least once.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.stages import Buffer, BufferArgs
from components.config import Cloud, StageName
from components.zones import Zone

from infra.gcp.identity import service_account, service_account_email, stage_options

MAX_TOPIC_RETENTION_HOURS = 31 * 24
MAX_SUBSCRIPTION_RETENTION_HOURS = 7 * 24
DEAD_LETTER_RETENTION_HOURS = 7 * 24
MAX_DELIVERY_ATTEMPTS = 5
ENDPOINT = "https://pubsub.googleapis.com"
SINK_CONSUMER = "sink"
"""The consumer served by Processing's Cloud Storage subscription rather than a pull subscription."""


def check_buffer_args(args: BufferArgs) -> tuple[int, list[str]]:
    """(retention hours, consumers), or a ValueError naming the key."""
    ctx = args["context"]
    hours = args.get("retention_hours", ctx.config.buffer_retention_hours)
    consumers = list(args.get("consumers", ctx.config.stages.buffer.consumers))
    if not 1 <= hours <= MAX_TOPIC_RETENTION_HOURS:
        raise ValueError(
            f"blueprint:stages.buffer.retentionHours = {hours}: Pub/Sub keeps messages at most "
            f"{MAX_TOPIC_RETENTION_HOURS} hours (31 days)"
        )
    if not consumers or len(set(consumers)) != len(consumers):
        raise ValueError(f"blueprint:stages.buffer.consumers = {consumers}: need at least one, all distinct")
    return hours, consumers


def seconds(hours: int) -> str:
    return f"{hours * 3600}s"


class GcpBuffer(Buffer):
    def __init__(self, name: str, args: BufferArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        hours, consumers = check_buffer_args(args)
        super().__init__(name, opts)
        ctx = args["context"]
        settings = ctx.config.gcp
        foundation = ctx.foundation
        labels = ctx.labels(self.STAGE, Zone.DATA)
        # The topics are encrypted by the Pub/Sub agent: they wait for its key grant, and only for that one.
        stateful = stage_options(self, ctx, "pubsub", stateful=True)
        child = stage_options(self, ctx)
        storage = gcp.pubsub.TopicMessageStoragePolicyArgs(allowed_persistence_regions=[settings.region])

        self.topic = gcp.pubsub.Topic(
            f"{name}-events",
            name=ctx.name("pubsub", "buffer-events"),
            project=settings.project,
            kms_key_name=foundation.key_id,
            message_retention_duration=seconds(hours),
            message_storage_policy=storage,
            labels=labels,
            opts=stateful,
        )
        self.dead_letter_topic = gcp.pubsub.Topic(
            f"{name}-dead-letter",
            name=ctx.name("pubsub", "buffer-dead-letter"),
            project=settings.project,
            kms_key_name=foundation.key_id,
            message_retention_duration=seconds(DEAD_LETTER_RETENTION_HOURS),
            message_storage_policy=storage,
            labels=labels,
            opts=stateful,
        )
        self.agent_member = foundation.agent_member("pubsub")
        """The Pub/Sub service agent (it forwards dead letters and writes Cloud Storage subscriptions)."""
        self.dead_letter_grant = gcp.pubsub.TopicIAMMember(
            f"{name}-dead-letter-agent-publisher",
            project=settings.project, topic=self.dead_letter_topic.name,
            role="roles/pubsub.publisher", member=self.agent_member, opts=child,
        )
        self.service_account = service_account(
            name, ctx, self.STAGE, "Consumes the buffer's subscriptions (pull and acknowledge only)", child
        )
        self.subscriptions: dict[str, gcp.pubsub.Subscription] = {}
        self.grants: list[gcp.pubsub.SubscriptionIAMMember] = []
        for consumer in consumers:
            if consumer == SINK_CONSUMER:
                continue
            sub = gcp.pubsub.Subscription(
                f"{name}-{consumer}",
                name=ctx.name("pubsub", f"buffer-{consumer}"),
                project=settings.project,
                topic=self.topic.id,
                ack_deadline_seconds=60,
                message_retention_duration=seconds(min(hours, MAX_SUBSCRIPTION_RETENTION_HOURS)),
                retain_acked_messages=False,
                expiration_policy=gcp.pubsub.SubscriptionExpirationPolicyArgs(ttl=""),
                retry_policy=dead_letter_retry(),
                dead_letter_policy=gcp.pubsub.SubscriptionDeadLetterPolicyArgs(
                    dead_letter_topic=self.dead_letter_topic.id, max_delivery_attempts=MAX_DELIVERY_ATTEMPTS
                ),
                labels=labels,
                opts=pulumi.ResourceOptions.merge(
                    stateful, pulumi.ResourceOptions(depends_on=[self.dead_letter_grant])
                ),
            )
            self.subscriptions[consumer] = sub
            self.grants.append(gcp.pubsub.SubscriptionIAMMember(
                f"{name}-{consumer}-subscriber", project=settings.project, subscription=sub.name,
                role="roles/pubsub.subscriber", member=self.service_account.member, opts=child,
            ))
            self.grants.append(gcp.pubsub.SubscriptionIAMMember(
                f"{name}-{consumer}-agent-subscriber", project=settings.project, subscription=sub.name,
                role="roles/pubsub.subscriber", member=self.agent_member, opts=child,
            ))
        self.consumer_names = tuple(consumers)
        """The configured consumers (``sink`` among them when Processing should create the stream sink)."""
        self._publish(
            stream_name=self.topic.name,
            stream_id=self.topic.id,
            endpoint=ENDPOINT,
            producer_identity=service_account_email(ctx, StageName.CONNECT),
            consumer_identity=self.service_account.email,
            consumers=self._consumer_ids(ctx, consumers),
            retention_hours=hours,
            delivery="at-least-once",
            cloud="gcp",
            identity=self.service_account.email,
        )


    def _consumer_ids(self, ctx, consumers: list[str]) -> dict[str, pulumi.Input[str]]:
        ids: dict[str, pulumi.Input[str]] = {c: sub.id for c, sub in self.subscriptions.items()}
        if SINK_CONSUMER in consumers:
            # The sink is Processing's: its Cloud Storage subscription here, or, with Processing on
            # another cloud, the edge's drain subscription (infra.hybrid.pubsub_drain).
            on_gcp = ctx.config.stage_cloud(StageName.PROCESSING) is Cloud.GCP
            sink = ctx.name("pubsub", "processing-sink" if on_gcp else "processing-drain")
            ids[SINK_CONSUMER] = f"projects/{ctx.config.gcp.project}/subscriptions/{sink}"
        return dict(sorted(ids.items()))


def dead_letter_retry() -> gcp.pubsub.SubscriptionRetryPolicyArgs:
    """Back-off between redeliveries, so a poison message does not spin before it is dead-lettered."""
    return gcp.pubsub.SubscriptionRetryPolicyArgs(minimum_backoff="10s", maximum_backoff="600s")
