"""S3Federation: Processing on GCP (Dataproc) reading and writing the Store on AWS (S3), keyless.

Spark on Dataproc reads raw and writes processed and curated in the S3 lake
with Hadoop's S3A connector. Its credentials are a one-hour AWS session that
the batch's driver obtains itself (``pipeline.aws_federation``): it asks the
metadata server for a Google-signed ID token of the runtime service account
(audience: the edge role's ARN) and exchanges it with
``sts:AssumeRoleWithWebIdentity``. No key is stored anywhere.

AWS side (AWS provider):
- the role: trusted by ``accounts.google.com`` web identity only, with
  ``accounts.google.com:sub`` and ``accounts.google.com:aud`` pinned to the
  processing service account's numeric unique id (AWS matches ``:aud``
  against the token's ``azp``, which is that id) and
  ``accounts.google.com:oaud`` pinned to the role's own ARN (the audience the
  driver asks for, so a token minted for anything else is refused);
- its policy: list the three lake buckets, read raw objects, read, write and
  delete processed and curated objects (Spark's committer renames by copy and
  delete), and use the stack key only through S3 in the stack's region
  (``kms:ViaService``) for those three buckets (``kms:EncryptionContext:aws:s3:arn``).
  Nothing else: no bucket settings, no other bucket.

The S3 bucket policies are unchanged: they grant nobody (a role of the same
account is admitted by its own IAM policy) and deny every request without TLS,
which holds for this role too.

GCP side (GCP provider):
- a Cloud Router and Cloud NAT for the processing subnet only: Dataproc VMs
  have no public IP and Private Google Access reaches only Google APIs, so
  without NAT the batch cannot reach S3, STS or Maven Central (for the S3A
  jar). Nothing inbound is opened; the NAT's IPs are allocated by Google.

``exports()`` carries the batch properties (``spark_properties``) a submitter
adds to the Dataproc batch: the S3A jar pinned to the runtime's Hadoop, the
credential provider, region, SSE-KMS key, and the role and audience the driver
uses. None of them is a secret.
"""

from __future__ import annotations


import pulumi
import pulumi_aws as aws
import pulumi_gcp as gcp

from components.config import Cloud, PlatformConfig, StageName
from components.edges import EdgeArgs, EdgeImplementation
from components.zones import Zone
from infra.aws.identity import check_statements
from infra.gcp.identity import stage_options
from infra.hybrid.google_trust import google_account_trust

HADOOP_AWS = "org.apache.hadoop:hadoop-aws:3.3.6"
"""S3A matching Hadoop 3.3.6, which Dataproc's 2.3 line builds Spark 3.5.3 on (the runtime lists no hadoop-aws);
its POM pins the AWS SDK bundle it was built with."""
SESSION_SECONDS = 3600
LIST_ACTIONS = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
READ_ACTIONS = ["s3:GetObject"]
WRITE_ACTIONS = ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"]




def names(config: PlatformConfig) -> set[tuple[str, str]]:
    return {
        ("iam-role", "processing-s3"), ("iam-role", "processing-s3-policy"),
        ("gcp-network", "processing-s3-router"), ("gcp-network", "processing-s3-nat"),
    }


def s3_service(region: str) -> str:
    """The ``kms:ViaService`` value of S3 in ``region``."""
    return f"s3.{region}.amazonaws.com"



def lake_statements(buckets: dict[str, pulumi.Input[str]], key_arn: pulumi.Input[str], region: str) -> list[dict]:
    """Processing's least privilege on the S3 lake, by bucket ARN (``raw``, ``processed``, ``curated``)."""
    objects = {zone: pulumi.Output.concat(arn, "/*") for zone, arn in buckets.items()}
    return [
        {"Sid": "ListTheLake", "Effect": "Allow", "Action": LIST_ACTIONS,
         "Resource": [buckets["raw"], buckets["processed"], buckets["curated"]]},
        {"Sid": "ReadRaw", "Effect": "Allow", "Action": READ_ACTIONS, "Resource": objects["raw"]},
        {"Sid": "ReadWriteProcessedAndCurated", "Effect": "Allow", "Action": WRITE_ACTIONS,
         "Resource": [objects["processed"], objects["curated"]]},
        # With S3 Bucket Keys the encryption context is the bucket's ARN; without, the object's.
        {"Sid": "UseStackKeyThroughS3", "Effect": "Allow", "Action": KEY_ACTIONS, "Resource": key_arn,
         "Condition": {"StringEquals": {"kms:ViaService": s3_service(region)},
                       "ArnLike": {"kms:EncryptionContext:aws:s3:arn": [
                           arn for zone in ("raw", "processed", "curated") for arn in (buckets[zone], objects[zone])]}}},
    ]


def spark_properties(role_arn: pulumi.Input[str], region: str, key_arn: pulumi.Input[str]) -> dict:
    """The batch's Spark properties: S3A for ``s3://`` URIs with the driver's federated session."""
    return {
        "spark.jars.packages": HADOOP_AWS,
        # The store exports s3:// URIs; Dataproc maps no filesystem to that scheme.
        "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
        "spark.hadoop.fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
        # A fresh filesystem per use, so that a renewed session reaches every new task.
        "spark.hadoop.fs.s3.impl.disable.cache": "true",
        "spark.hadoop.fs.s3a.impl.disable.cache": "true",
        "spark.hadoop.fs.s3a.endpoint.region": region,
        "spark.hadoop.fs.s3a.connection.ssl.enabled": "true",
        "spark.hadoop.fs.s3a.encryption.algorithm": "SSE-KMS",
        "spark.hadoop.fs.s3a.encryption.key": key_arn,
        "spark.blueprint.aws.roleArn": role_arn,
        "spark.blueprint.aws.audience": role_arn,
        "spark.blueprint.aws.region": region,
    }


class S3Federation(pulumi.ComponentResource):
    """Both sides of the trust and the network path. Children are named ``f"{name}-{role}"``.

    ``args["upstream"]`` is GCP Processing (``service_account``), ``args["downstream"]`` the AWS
    Store (``buckets``).
    """

    def __init__(self, name: str, args: EdgeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("blueprint:hybrid:S3Federation", name, None, opts)
        aws_ctx, gcp_ctx = args["contexts"][Cloud.AWS], args["contexts"][Cloud.GCP]
        processing, store = args["upstream"], args["downstream"]
        child = pulumi.ResourceOptions(parent=self)
        self.service_account = processing.service_account
        """The Dataproc runtime's account, the federated subject (Processing creates it)."""
        foundation = aws_ctx.foundation
        region, key_arn = foundation.region, foundation.key_arn
        tags = aws_ctx.tags(StageName.STORE, Zone.DATA)

        role_name = aws_ctx.name("iam-role", "processing-s3")
        self.role_arn = pulumi.Output.concat("arn:", foundation.partition, ":iam::", foundation.account_id,
                                             ":role/", role_name)
        """Known before the role exists: the trust pins it as the token's audience."""
        statements = lake_statements({zone: store.buckets[zone].arn for zone in ("raw", "processed", "curated")},
                                     key_arn, region)
        check_statements("processing-s3", statements)
        self.role = aws.iam.Role(
            f"{name}-role", name=role_name,
            description="Spark on GCP Dataproc reads raw and writes processed and curated (web identity, no keys)",
            assume_role_policy=pulumi.Output.json_dumps(
                google_account_trust("TrustTheProcessingServiceAccount", self.service_account.unique_id,
                                     self.role_arn)),
            max_session_duration=SESSION_SECONDS, tags=tags, opts=child,
        )
        self.policy = aws.iam.Policy(
            f"{name}-policy", name=aws_ctx.name("iam-role", "processing-s3-policy"),
            description="Least privilege for processing-s3: the lake's objects and the key through S3",
            policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements}),
            tags=tags, opts=child,
        )
        self.attachment = aws.iam.RolePolicyAttachment(
            f"{name}-attachment", role=self.role.name, policy_arn=self.policy.arn, opts=child,
        )

        settings = gcp_ctx.config.gcp
        network = gcp_ctx.foundation.network
        gcp_opts = stage_options(self, gcp_ctx, "compute")
        self.router = gcp.compute.Router(
            f"{name}-router", name=gcp_ctx.name("gcp-network", "processing-s3-router"), project=settings.project,
            region=settings.region, network=network.network.id,
            description="Carries the processing subnet's Cloud NAT (Spark to S3 and STS)", opts=gcp_opts,
        )
        self.nat = gcp.compute.RouterNat(
            f"{name}-nat", name=gcp_ctx.name("gcp-network", "processing-s3-nat"), project=settings.project,
            region=settings.region, router=self.router.name,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="LIST_OF_SUBNETWORKS",
            subnetworks=[gcp.compute.RouterNatSubnetworkArgs(
                name=network.subnets[Zone.PROCESSING].id, source_ip_ranges_to_nats=["ALL_IP_RANGES"],
            )],
            log_config=gcp.compute.RouterNatLogConfigArgs(
                enable=True, filter="ALL" if gcp_ctx.is_production else "ERRORS_ONLY"),
            opts=gcp_opts,
        )
        self.spark_properties = spark_properties(self.role_arn, region, key_arn)
        self.register_outputs({})

    def exports(self) -> dict[str, pulumi.Input]:
        """Who trusts whom across the edge and what the batch carries; no secret (there is none)."""
        return {
            "connector": "spark-s3a-web-identity",
            "aws_role": self.role.arn,
            "gcp_service_account": self.service_account.email,
            "gcp_service_account_id": self.service_account.unique_id,
            "spark_properties": self.spark_properties,
            "nat": self.nat.id,
        }


IMPLEMENTATION = EdgeImplementation(factory=S3Federation, names=names)
