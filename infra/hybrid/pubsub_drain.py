"""PubSubDrain: Buffer on GCP feeding Processing on AWS, keyless.

Pub/Sub has no native push into Kinesis or Firehose, and Google's templates
that write to AWS need static access keys. So a small function on the AWS
side drains the buffer: an AWS Lambda function (``infra/hybrid/drain``), run
every five minutes by EventBridge Scheduler, exchanges its own role
credentials for a Google access token through a workload identity pool,
pulls the edge's subscription, writes the bodies to AWS Processing's
Firehose delivery stream with ``PutRecordBatch`` and acknowledges only what
Firehose accepted (at least once; the job drops duplicates by ``event_id``).
No key exists on either side.

GCP side (GCP provider), ``stage=buffer, zone=data``:
- a pull subscription on the buffer's topic for this edge only (never
  expires, keeps unacknowledged messages up to the buffer's retention capped at
  7 days, 60-second ack deadline, retry back-off, dead-letters to the buffer's
  dead-letter topic after the buffer's maximum attempts; the Pub/Sub service
  agent may subscribe to it, which dead-lettering needs);
- a workload identity pool with an AWS provider whose attribute condition
  admits only the drain's assumed role (``AwsWorkloadIdentity``);
- one grant: ``roles/pubsub.subscriber`` for that role's ``principalSet``
  on that one subscription. Pull, acknowledge and modifyAckDeadline need only
  ``pubsub.subscriptions.consume``, which the role holds; the topic's CMEK is
  used by the Pub/Sub service agent, not by subscribers, so the member needs no
  key grant. The federated token is used directly (no service account to
  impersonate): nothing else in the project can be granted to it by mistake,
  and there is no ``iam.workloadIdentityUser`` binding to widen.

AWS side (AWS provider), ``stage=processing, zone=processing``:
- the function's log group (stack key, retention per profile) and its role,
  trusted by ``lambda.amazonaws.com`` only (``aws:SourceAccount`` this
  account), which may ``firehose:PutRecordBatch`` on the sink delivery stream
  and write its own log group, nothing else;
- the function (Python 3.13, arm64, 256 MB, 240 s, so one run ends before the
  next starts), outside the VPC: it reaches Google's and AWS's public endpoints
  over TLS, where inside the private subnets it would need a NAT gateway
  ($1.08/day idle);
- the schedule (``rate(5 minutes)``; the schedule itself does not retry, a
  failed run is retried at most twice by Lambda's asynchronous invocation, and
  the messages wait in Pub/Sub either way) and its role, trusted by
  ``scheduler.amazonaws.com`` only (``aws:SourceAccount``), which may invoke
  this one function.

AWS Processing reads ``direct_put``: its Firehose delivery stream is then a
Direct PUT stream (encrypted with the stack key) instead of reading Kinesis.
"""

from __future__ import annotations

from pathlib import Path

import pulumi
import pulumi_aws as aws
import pulumi_gcp as gcp

from components.config import Cloud, PlatformConfig, StageName
from components.edges import EdgeArgs, EdgeImplementation
from components.zones import Zone
from infra.aws.identity import Principals, source_account, stage_role
from infra.gcp.buffer import MAX_DELIVERY_ATTEMPTS, MAX_SUBSCRIPTION_RETENTION_HOURS, dead_letter_retry
from infra.hybrid.drain.handler import CREDENTIALS_ENV, DELIVERY_STREAM_ENV, SUBSCRIPTION_ENV
from infra.hybrid.workload_identity import AwsWorkloadIdentity
from infra.hybrid.workload_identity import names as identity_names

CODE = Path(__file__).resolve().parent / "drain"
HANDLER = "drain.handler.handle"
RUNTIME = "python3.13"
MEMORY_MB = 256
TIMEOUT_SECONDS = 240
SCHEDULE = "rate(5 minutes)"
ACK_DEADLINE_SECONDS = 60
LOG_RETENTION_DAYS = {False: 7, True: 365}
SUBSCRIBER = "roles/pubsub.subscriber"
IDENTITY_ROLE = "drain-aws"
"""Name role of the pool and its provider (``drain-aws-pool``, ``drain-aws-idp``)."""




def names(config: PlatformConfig) -> set[tuple[str, str]]:
    return {
        ("pubsub", "processing-drain"),
        ("iam-role", "processing-drain"), ("iam-role", "processing-drain-policy"),
        ("iam-role", "processing-drain-scheduler"), ("iam-role", "processing-drain-scheduler-policy"),
        ("log-group", "processing-drain-logs"), ("lambda-function", "processing-drain"),
        ("eventbridge-scheduler", "processing-drain"),
        *identity_names(IDENTITY_ROLE),
    }


def code_archive() -> pulumi.AssetArchive:
    """The ``drain`` package, as the function's deployment package (its modules only, in a stable order)."""
    return pulumi.AssetArchive({
        f"drain/{path.relative_to(CODE).as_posix()}": pulumi.FileAsset(str(path))
        for path in sorted(CODE.rglob("*.py")) if "__pycache__" not in path.parts
    })


class PubSubDrain(pulumi.ComponentResource):
    """The connector and both sides of its trust. Children are named ``f"{name}-{role}"``.

    ``args["upstream"]`` is the GCP buffer (``topic``, ``stream_id``, ``dead_letter_topic``,
    ``agent_member``, ``dead_letter_grant``).
    """

    direct_put = True
    """AWS Processing's delivery stream is written by this connector (Direct PUT), not read from Kinesis."""

    def __init__(self, name: str, args: EdgeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("blueprint:hybrid:PubSubDrain", name, None, opts)
        aws_ctx, gcp_ctx = args["contexts"][Cloud.AWS], args["contexts"][Cloud.GCP]
        buffer = args["upstream"]
        aws_foundation, gcp_foundation = aws_ctx.foundation, gcp_ctx.foundation
        project = gcp_ctx.config.gcp.project
        child = pulumi.ResourceOptions(parent=self)
        # On a fresh project the subscription waits for the APIs it is created through.
        after_apis = pulumi.ResourceOptions(parent=self, depends_on=gcp_foundation.ready())
        labels = gcp_ctx.labels(StageName.BUFFER, Zone.DATA)
        tags = aws_ctx.tags(StageName.PROCESSING, Zone.PROCESSING)

        hours = min(gcp_ctx.config.buffer_retention_hours, MAX_SUBSCRIPTION_RETENTION_HOURS)
        self.subscription = gcp.pubsub.Subscription(
            f"{name}-subscription",
            name=gcp_ctx.name("pubsub", "processing-drain"),
            project=project,
            topic=buffer.stream_id,
            ack_deadline_seconds=ACK_DEADLINE_SECONDS,
            message_retention_duration=f"{hours * 3600}s",
            retain_acked_messages=False,
            expiration_policy=gcp.pubsub.SubscriptionExpirationPolicyArgs(ttl=""),
            retry_policy=dead_letter_retry(),
            dead_letter_policy=gcp.pubsub.SubscriptionDeadLetterPolicyArgs(
                dead_letter_topic=buffer.dead_letter_topic.id, max_delivery_attempts=MAX_DELIVERY_ATTEMPTS),
            labels=labels,
            opts=pulumi.ResourceOptions.merge(after_apis, pulumi.ResourceOptions(
                protect=gcp_ctx.protect, depends_on=[buffer.dead_letter_grant])),
        )
        self.agent_subscriber = gcp.pubsub.SubscriptionIAMMember(
            f"{name}-agent-subscriber", project=project, subscription=self.subscription.name,
            role=SUBSCRIBER, member=buffer.agent_member, opts=child,
        )

        log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=aws_ctx.name("log-group", "processing-drain-logs"),
            retention_in_days=LOG_RETENTION_DAYS[aws_ctx.is_production],
            kms_key_id=aws_foundation.key_arn,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=aws_ctx.protect, delete_before_replace=True),
        )
        sink = aws_ctx.name("firehose-stream", "processing-sink")
        self.role = stage_role(
            name, aws_ctx, StageName.PROCESSING, "drain",
            principals=Principals(services={"lambda.amazonaws.com": source_account(aws_foundation.account_id)}),
            statements=[
                {"Sid": "WriteTheSinkDeliveryStream", "Effect": "Allow", "Action": ["firehose:PutRecordBatch"],
                 "Resource": aws_foundation.arn("firehose", f"deliverystream/{sink}")},
                {"Sid": "WriteItsOwnLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                 "Resource": pulumi.Output.concat(log_group.arn, ":*")},
            ],
            description="Drain of the GCP buffer: write the sink delivery stream and its own logs",
            parent=self, zone=Zone.PROCESSING,
        )

        self.identity = AwsWorkloadIdentity(f"{name}-identity", {
            "context": gcp_ctx, "role": IDENTITY_ROLE,
            "aws_account_id": aws_foundation.account_id, "aws_role_name": self.role.role.name,
        }, opts=child)
        self.subscriber = gcp.pubsub.SubscriptionIAMMember(
            f"{name}-subscriber", project=project, subscription=self.subscription.name,
            role=SUBSCRIBER, member=self.identity.member, opts=child,
        )

        self.function = aws.lambda_.Function(
            f"{name}-function",
            name=aws_ctx.name("lambda-function", "processing-drain"),
            description="Moves the GCP buffer's edge subscription into the processing delivery stream",
            role=self.role.arn,
            runtime=RUNTIME,
            architectures=["arm64"],
            handler=HANDLER,
            code=code_archive(),
            memory_size=MEMORY_MB,
            timeout=TIMEOUT_SECONDS,
            environment=aws.lambda_.FunctionEnvironmentArgs(variables={
                SUBSCRIPTION_ENV: self.subscription.id,
                DELIVERY_STREAM_ENV: sink,
                CREDENTIALS_ENV: self.identity.credential_configuration,
            }),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="Text", log_group=log_group.name),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.role.attachment, self.subscriber]),
        )

        self.scheduler_role = stage_role(
            name, aws_ctx, StageName.PROCESSING, "drain-scheduler",
            principals=Principals(services={"scheduler.amazonaws.com": source_account(aws_foundation.account_id)}),
            statements=[{"Sid": "InvokeTheDrain", "Effect": "Allow", "Action": ["lambda:InvokeFunction"],
                         "Resource": self.function.arn}],
            description="Schedule of the drain: invoke that one function",
            parent=self, zone=Zone.PROCESSING,
        )
        self.schedule = aws.scheduler.Schedule(
            f"{name}-schedule",
            name=aws_ctx.name("eventbridge-scheduler", "processing-drain"),
            description="Runs the drain of the GCP buffer",
            schedule_expression=SCHEDULE,
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(
                arn=self.function.arn, role_arn=self.scheduler_role.arn,
                retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                    maximum_retry_attempts=0, maximum_event_age_in_seconds=300)),
            state="ENABLED",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.scheduler_role.attachment]),
        )

        # What AWS Processing reads of its buffer, where the buffer is on GCP.
        self.stream_id = self.subscription.id
        self.register_outputs({})

    def exports(self) -> dict[str, pulumi.Input]:
        """Who trusts whom across the edge, and the credential file: no secret (there is none)."""
        return {
            "connector": "lambda-pubsub-drain",
            "subscription": self.subscription.id,
            "workload_identity_pool": self.identity.pool.name,
            "workload_identity_provider": self.identity.provider.name,
            "aws_role": self.role.arn,
            "function": self.function.name,
            "schedule": self.schedule.name,
            "credential_configuration": self.identity.credential_configuration,
        }


IMPLEMENTATION = EdgeImplementation(factory=PubSubDrain, names=names)
