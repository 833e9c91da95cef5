"""KinesisImport: Buffer on AWS feeding Processing on GCP, keyless.

A Pub/Sub import topic on GCP reads the Kinesis stream itself
(``ingestionDataSourceSettings.awsKinesis``): Pub/Sub's service agent mints a
Google-signed ID token for the edge's own service account and calls
``sts:AssumeRoleWithWebIdentity`` on an AWS role that trusts exactly that
account. Nothing stores a key, and no process of ours runs between clouds.

AWS side (AWS provider):
- an enhanced fan-out consumer registered on the stream for this edge only
  (Pub/Sub requires one: ``consumerArn``);
- the import role: trusted by ``accounts.google.com`` web identity only, with
  ``accounts.google.com:sub`` and ``accounts.google.com:aud`` pinned to the
  service account's numeric unique id (for a service account's token, ``aud``
  is matched against its ``azp``, that same id); it may list the stream's
  shards and subscribe through the edge's consumer, and decrypt with the stack
  key only through Kinesis (``kms:ViaService``). Nothing else.

GCP side (GCP provider):
- the edge's service account, which holds no role on any resource: it exists
  to be the federated subject. Only the Pub/Sub service agent may mint its
  tokens (``roles/iam.serviceAccountTokenCreator`` bound on the account);
- the import topic (stack key, region-pinned storage, the buffer's retention)
  and a dead-letter topic the agent may publish to. GCP Processing reads the
  import topic as it would read a GCP buffer: ``stream_id``, ``agent_member``
  and ``dead_letter_topic`` have the same meaning.

In transit the records cross the internet inside TLS: Kinesis SubscribeToShard
is HTTPS/HTTP2 only, and STS and Pub/Sub accept only TLS.
"""

from __future__ import annotations


import pulumi
import pulumi_aws as aws
import pulumi_gcp as gcp

from components.config import Cloud, PlatformConfig, StageName
from components.edges import EdgeArgs, EdgeImplementation
from components.zones import Zone
from infra.aws.buffer import kinesis_service
from infra.aws.identity import check_statements, kms_use
from infra.hybrid.google_trust import google_account_trust

"""The web identity provider AWS knows natively for Google-signed ID tokens."""
TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"
DEAD_LETTER_RETENTION_SECONDS = 7 * 24 * 3600




def names(config: PlatformConfig) -> set[tuple[str, str]]:
    return {
        ("kinesis-stream", "buffer-import-consumer"),
        ("iam-role", "buffer-import"), ("iam-role", "buffer-import-policy"),
        ("gcp-service-account", "buffer-import-sa"),
        ("pubsub", "buffer-import"), ("pubsub", "buffer-import-dead-letter"),
    }



class KinesisImport(pulumi.ComponentResource):
    """The connector and both sides of its trust. Children are named ``f"{name}-{role}"``.

    ``args["upstream"]`` is the AWS buffer (``stream``, ``stream_id`` ARN).
    """

    def __init__(self, name: str, args: EdgeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("blueprint:hybrid:KinesisImport", name, None, opts)
        aws_ctx, gcp_ctx = args["contexts"][Cloud.AWS], args["contexts"][Cloud.GCP]
        buffer = args["upstream"]
        stage = StageName.BUFFER
        child = pulumi.ResourceOptions(parent=self)
        stateful = pulumi.ResourceOptions(parent=self, protect=gcp_ctx.protect)
        aws_key, region = aws_ctx.foundation.key_arn, aws_ctx.foundation.region
        project = gcp_ctx.config.gcp.project
        tags, labels = aws_ctx.tags(stage, Zone.DATA), gcp_ctx.labels(stage, Zone.DATA)

        self.consumer = aws.kinesis.StreamConsumer(
            f"{name}-consumer", name=aws_ctx.name("kinesis-stream", "buffer-import-consumer"),
            stream_arn=buffer.stream_id, tags=tags, opts=child,
        )
        self.service_account = gcp.serviceaccount.Account(
            f"{name}-sa", account_id=gcp_ctx.name("gcp-service-account", "buffer-import-sa"), project=project,
            display_name=f"blueprint buffer import ({gcp_ctx.stack})",
            description="Federated subject of the Kinesis import; holds no role on any resource", opts=child,
        )
        self.agent_member = gcp_ctx.foundation.pubsub_agent.member
        """The Pub/Sub service agent: it mints the account's tokens and writes subscriptions."""
        self.token_grant = gcp.serviceaccount.IAMMember(
            f"{name}-agent-token-creator", service_account_id=self.service_account.name, role=TOKEN_CREATOR,
            member=self.agent_member, opts=child,
        )
        statements = [
            {"Sid": "ListTheStreamShards", "Effect": "Allow",
             "Action": ["kinesis:ListShards", "kinesis:DescribeStreamSummary"], "Resource": buffer.stream_id},
            {"Sid": "ReadThroughTheEdgeConsumer", "Effect": "Allow",
             "Action": ["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"],
             "Resource": self.consumer.arn},
            kms_use(aws_key, encrypt=False, via=kinesis_service(region)),
        ]
        check_statements("buffer-import", statements)
        self.role = aws.iam.Role(
            f"{name}-role", name=aws_ctx.name("iam-role", "buffer-import"),
            description="Read the buffer stream from the GCP Pub/Sub import topic (web identity, no keys)",
            assume_role_policy=pulumi.Output.json_dumps(
                google_account_trust("TrustOneGoogleServiceAccount", self.service_account.unique_id)),
            max_session_duration=3600, tags=tags, opts=child,
        )
        self.policy = aws.iam.Policy(
            f"{name}-policy", name=aws_ctx.name("iam-role", "buffer-import-policy"),
            description="Least privilege for buffer-import: subscribe through the edge consumer",
            policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements}),
            tags=tags, opts=child,
        )
        self.attachment = aws.iam.RolePolicyAttachment(
            f"{name}-attachment", role=self.role.name, policy_arn=self.policy.arn, opts=child,
        )

        storage = gcp.pubsub.TopicMessageStoragePolicyArgs(allowed_persistence_regions=[gcp_ctx.config.gcp.region])
        key_id = gcp_ctx.foundation.key_id
        self.topic = gcp.pubsub.Topic(
            f"{name}-topic", name=gcp_ctx.name("pubsub", "buffer-import"), project=project, kms_key_name=key_id,
            message_retention_duration=f"{gcp_ctx.config.buffer_retention_hours * 3600}s",
            message_storage_policy=storage, labels=labels,
            ingestion_data_source_settings=gcp.pubsub.TopicIngestionDataSourceSettingsArgs(
                aws_kinesis=gcp.pubsub.TopicIngestionDataSourceSettingsAwsKinesisArgs(
                    stream_arn=buffer.stream_id, consumer_arn=self.consumer.arn, aws_role_arn=self.role.arn,
                    gcp_service_account=self.service_account.email,
                ),
            ),
            opts=pulumi.ResourceOptions.merge(
                stateful, pulumi.ResourceOptions(depends_on=[self.token_grant, self.attachment])
            ),
        )
        self.dead_letter_topic = gcp.pubsub.Topic(
            f"{name}-dead-letter", name=gcp_ctx.name("pubsub", "buffer-import-dead-letter"), project=project,
            kms_key_name=key_id, message_retention_duration=f"{DEAD_LETTER_RETENTION_SECONDS}s",
            message_storage_policy=storage, labels=labels, opts=stateful,
        )
        self.dead_letter_grant = gcp.pubsub.TopicIAMMember(
            f"{name}-dead-letter-agent-publisher", project=project, topic=self.dead_letter_topic.name,
            role="roles/pubsub.publisher", member=self.agent_member, opts=child,
        )
        self.stream_id = self.topic.id
        """What GCP Processing subscribes to."""
        self.register_outputs({})

    def exports(self) -> dict[str, pulumi.Input]:
        """Who trusts whom across the edge; no secret (there is none)."""
        return {
            "connector": "pubsub-import-topic",
            "import_topic": self.topic.id,
            "kinesis_consumer": self.consumer.arn,
            "aws_role": self.role.arn,
            "gcp_service_account": self.service_account.email,
            "gcp_service_account_id": self.service_account.unique_id,
        }


IMPLEMENTATION = EdgeImplementation(factory=KinesisImport, names=names)
