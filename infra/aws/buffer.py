"""AwsBuffer: a Kinesis Data Stream, KMS-encrypted, with producer and consumer roles.

Creates the stream (server-side encryption with the stack key; retention
``retention_hours``), a producer role that may put records on this stream
and nothing else, and a consumer role that may read this stream and nothing
else. Both trust this account's root (the account's IAM policies decide who
assumes them); both may use the key only through Kinesis (``kms:ViaService``),
never directly.

Capacity, by profile (prices: ``bp cost``, ``blueprint/cost/prices.yaml``):
- learning: PROVISIONED with one shard (the cheapest hourly unit; 1 MB/s
  or 1,000 records/s in, 2 MB/s out shared by all readers). An ON_DEMAND
  stream bills a per-stream hourly charge even idle, which alone would
  nearly exhaust the $1/day learning goal.
- production: ON_DEMAND (scales without shard management).

Consumers: each named consumer keeps its own read position. The ``sink``
consumer is Firehose, which reads with the shared-throughput API and cannot
use a registered consumer. In learning every consumer reads with shared
throughput (``consumers`` maps it to the stream ARN): enhanced fan-out
consumers bill per consumer-shard-hour even idle, so none are created. In
production every consumer except the sink gets an enhanced fan-out consumer
(dedicated 2 MB/s per shard), and ``consumers`` maps it to that consumer's ARN.

Delivery is at least once: producers retry, and readers see duplicates after
resharding or retries.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.stages.buffer import Buffer, BufferArgs
from infra.aws.identity import Principals, kms_use, stage_role


def kinesis_service(region: str) -> str:
    """The ``kms:ViaService`` value of Kinesis Data Streams in ``region``."""
    return f"kinesis.{region}.amazonaws.com"


SINK_CONSUMER = "sink"
"""The consumer name read by Firehose (shared throughput; no registered consumer)."""


class AwsBuffer(Buffer):
    stream: aws.kinesis.Stream
    stream_consumers: dict[str, aws.kinesis.StreamConsumer]

    def __init__(self, name: str, args: BufferArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        foundation = ctx.foundation
        retention = args.get("retention_hours", ctx.config.buffer_retention_hours)
        consumer_names = list(args.get("consumers", ctx.config.stages.buffer.consumers))
        production = ctx.is_production
        tags = ctx.tags(self.STAGE)

        self.stream = aws.kinesis.Stream(
            f"{name}-stream",
            name=ctx.name("kinesis-stream", "buffer-stream"),
            stream_mode_details=aws.kinesis.StreamStreamModeDetailsArgs(
                stream_mode="ON_DEMAND" if production else "PROVISIONED"),
            shard_count=None if production else 1,
            retention_period=retention,
            encryption_type="KMS",
            kms_key_id=foundation.key_arn,
            enforce_consumer_deletion=True,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect, delete_before_replace=True),
        )
        stream_arn = self.stream.arn
        kinesis = kinesis_service(foundation.region)

        self.stream_consumers = {}
        if production:
            for consumer in consumer_names:
                if consumer == SINK_CONSUMER:
                    continue
                self.stream_consumers[consumer] = aws.kinesis.StreamConsumer(
                    f"{name}-{consumer}-consumer",
                    name=consumer,
                    stream_arn=stream_arn,
                    tags=tags,
                    opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
                )

        self.producer = stage_role(
            name, ctx, self.STAGE, "producer",
            principals=Principals(account=True),
            statements=[
                {"Sid": "PutRecordsOnTheStream", "Effect": "Allow",
                 "Action": ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary",
                            "kinesis:ListShards"],
                 "Resource": stream_arn},
                kms_use(foundation.key_arn, decrypt=False, via=kinesis),
            ],
            description="Send-only: put records on the buffer stream",
            parent=self,
        )
        self.consumer = stage_role(
            name, ctx, self.STAGE, "consumer",
            principals=Principals(account=True),
            statements=[
                {"Sid": "ReadTheStream", "Effect": "Allow",
                 "Action": ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream",
                            "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:ListStreamConsumers",
                            "kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"],
                 "Resource": [stream_arn, pulumi.Output.concat(stream_arn, "/consumer/*")]},
                kms_use(foundation.key_arn, encrypt=False, via=kinesis),
            ],
            description="Read-only: read records from the buffer stream",
            parent=self,
        )

        consumers = {
            consumer: (self.stream_consumers[consumer].arn if consumer in self.stream_consumers else stream_arn)
            for consumer in consumer_names
        }
        self._publish(
            cloud="aws",
            identity=self.consumer.arn,
            stream_name=self.stream.name,
            stream_id=stream_arn,
            endpoint=f"https://kinesis.{foundation.region}.amazonaws.com",
            producer_identity=self.producer.arn,
            consumer_identity=self.consumer.arn,
            consumers=consumers,
            retention_hours=retention,
            delivery="at-least-once",
        )
