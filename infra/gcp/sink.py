"""The stream sink: a Pub/Sub Cloud Storage subscription from the buffer's topic to the raw bucket.

The Pub/Sub service agent writes Avro files (with message metadata) under
``events/YYYY-MM-DD/hh_mm_ssZ`` in the raw bucket every 5 minutes or 100 MB,
at least once: a failed write is retried with back-off (10 s to 600 s) and
may duplicate, so deduplicate on ``message_id`` downstream; after the
buffer's maximum delivery attempts a message goes to the buffer's
dead-letter topic. The agent gets object create and bucket read on the raw
bucket only, before the subscription exists. The objects are encrypted by
the Cloud Storage agent with the bucket's default key, so the subscription
waits for both agents' key grants.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext

from infra.gcp.buffer import MAX_DELIVERY_ATTEMPTS, MAX_SUBSCRIPTION_RETENTION_HOURS, dead_letter_retry
from infra.gcp.identity import stage_options

SINK_PREFIX = "events/"
SINK_MAX_DURATION = "300s"
SINK_MAX_BYTES = 100 * 1024 * 1024


@dataclass
class StorageSink:
    subscription: gcp.pubsub.Subscription
    grants: list[gcp.storage.BucketIAMMember]
    agent_subscriber: gcp.pubsub.SubscriptionIAMMember


def storage_sink(
    name: str, ctx: StageContext, parent: pulumi.Resource, buffer, raw: gcp.storage.Bucket, labels: dict[str, str]
) -> StorageSink:
    """The subscription ``f"{name}-sink"`` and the Pub/Sub agent's grants, children of ``parent``."""
    project = ctx.config.gcp.project
    child = stage_options(parent, ctx)
    agent = buffer.agent_member
    grants = [
        gcp.storage.BucketIAMMember(
            f"{name}-sink-agent-{role.split('.')[-1].lower()}", bucket=raw.name, role=role, member=agent,
            opts=child,
        )
        for role in ("roles/storage.objectCreator", "roles/storage.legacyBucketReader")
    ]
    hours = min(ctx.config.buffer_retention_hours, MAX_SUBSCRIPTION_RETENTION_HOURS)
    subscription = gcp.pubsub.Subscription(
        f"{name}-sink",
        name=ctx.name("pubsub", "processing-sink"),
        project=project,
        topic=buffer.stream_id,
        ack_deadline_seconds=300,
        message_retention_duration=f"{hours * 3600}s",
        expiration_policy=gcp.pubsub.SubscriptionExpirationPolicyArgs(ttl=""),
        cloud_storage_config=gcp.pubsub.SubscriptionCloudStorageConfigArgs(
            bucket=raw.name,
            filename_prefix=SINK_PREFIX,
            filename_datetime_format="YYYY-MM-DD/hh_mm_ssZ",
            filename_suffix=".avro",
            max_duration=SINK_MAX_DURATION,
            max_bytes=SINK_MAX_BYTES,
            avro_config=gcp.pubsub.SubscriptionCloudStorageConfigAvroConfigArgs(write_metadata=True),
        ),
        # A failed write (bucket briefly unreachable, a key grant still propagating) is retried with
        # back-off rather than at once, then dead-lettered after the buffer's maximum attempts.
        retry_policy=dead_letter_retry(),
        dead_letter_policy=gcp.pubsub.SubscriptionDeadLetterPolicyArgs(
            dead_letter_topic=buffer.dead_letter_topic.id, max_delivery_attempts=MAX_DELIVERY_ATTEMPTS
        ),
        labels=labels,
        opts=pulumi.ResourceOptions.merge(
            stage_options(parent, ctx, "pubsub", "storage", stateful=True),
            pulumi.ResourceOptions(depends_on=grants),
        ),
    )
    agent_subscriber = gcp.pubsub.SubscriptionIAMMember(
        f"{name}-sink-agent-subscriber", project=project, subscription=subscription.name,
        role="roles/pubsub.subscriber", member=agent, opts=child,
    )
    return StorageSink(subscription=subscription, grants=grants, agent_subscriber=agent_subscriber)
