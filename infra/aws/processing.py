"""AwsProcessing: Firehose from the stream to S3 raw, a Spark engine, a Glue database.

Creates:
- the sink role, trusted by Firehose only (``sts:ExternalId`` = this
  account): it may read the buffer stream, list and write the raw bucket, use
  the stack key and write the Firehose error log stream, nothing else;
- the job role, trusted by EMR Serverless only (``aws:SourceAccount``): Spark
  may read raw, read and write processed and curated, use the stack key and
  this stack's Glue database (plus open or create ``default``), never write
  raw nor read the stream; with ``engine: cluster`` the nodes' instance role
  holds these statements instead;
- the submitter role (people and CI assume it, see ``trustedPrincipals``): it
  may start, watch and cancel job runs of this application only, and pass
  exactly the job role to EMR Serverless;
- a Firehose delivery stream reading the Kinesis stream
  (``KinesisStreamAsSource``), or, where the buffer is on another cloud and
  its edge connector writes the records (``buffer.direct_put``), a Direct PUT
  stream encrypted with the stack key; either writes GZIP objects to the raw
  bucket under
  ``events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/``,
  failed records under ``errors/!{firehose:error-output-type}/...``, encrypted
  with the stack key, errors logged to a KMS-encrypted log group;
- the Spark engine: by default an EMR Serverless application (Spark on
  Graviton, in the processing subnets with the processing security group,
  auto-start on, auto-stop after 15 idle minutes, capacity capped at
  ``max_vcpu``, no pre-initialized capacity, so it bills nothing while idle;
  its ``spark-defaults`` make the Glue Data Catalog Spark's metastore);
  with ``engine: cluster`` an EMR on EC2 cluster instead (see below);
- a Glue Data Catalog database for the lake's tables, and in production the
  catalog's encryption settings (metadata and connection passwords with the
  stack key; one setting per account and region);
- with ``stages.processing.schedule`` (production default ``'02:00'`` UTC),
  the daily run: an EventBridge Scheduler schedule starting the sensor job over
  the previous day (``infra.aws.daily_run``).

Where AWS differs:
- Firehose reading a Kinesis stream cannot encrypt its own buffer with a
  CMK (the source stream's encryption applies); the S3 objects use the key.
- The ``!{timestamp:...}`` prefixes use the record's arrival time at
  Firehose, not a field of the event.
- EMR Serverless keeps job logs in its managed storage by default (30 days,
  encrypted by the service); sending them to S3 or CloudWatch with the stack
  key is a per-job setting (``monitoringConfiguration`` of the job run).
- In learning the only interface endpoint is Glue's, so a job in the private
  subnets reaches S3 (gateway endpoint) and the Glue catalog, but not STS,
  CloudWatch Logs or the Kinesis APIs. The EMR Serverless application itself
  bills nothing idle.
- Firehose concatenates records without a separator; the built-in
  ``AppendDelimiterToRecord`` processor ends each with a newline, so raw
  objects are JSON Lines that Spark and Athena read one event per line.
- Spark creates the catalog's ``default`` database when the account has none
  (a fresh account has none), so the role may create that one database.
- ``engine: cluster`` (refused in learning unless ``acceptIdleCost``): one
  m5.xlarge primary and one core node (each billed around the clock; ``bp
  cost``), in the first processing subnet, with EMR-managed security groups (EMR
  adds their rules itself when the cluster starts), a security configuration
  with at-rest (S3 SSE-KMS, local disks and EBS with the key) and in-transit
  encryption, logs to the log bucket under ``emr/``, termination after 30
  idle minutes in learning (an hour in production), termination protection in production. In-transit encryption
  reads a PEM certificate zip at ``TLS_CERTIFICATES_KEY`` in the processed
  bucket: the stack makes a self-signed certificate (``pulumi-tls``) and
  uploads the zip before the security configuration is created. The
  instance profile has its role's name (EMR refuses any other), and the
  service role may pass that role to EC2 (the managed policy passes only
  ``EMR_EC2_DefaultRole``). EBS encryption with the stack key
  needs the service role to create KMS grants for the volumes (a small
  customer-managed policy beside the AWS-managed one). The EMR service role uses the
  AWS-managed ``AmazonEMRServicePolicy_v2`` (it can only touch resources tagged
  ``for-use-with-amazon-emr-managed-policies``); a hand-written copy would go
  stale with every EMR release; every subnet and security group the cluster
  uses, the processing zone's included, carries that tag. Clusters in
  private subnets without NAT also need ``elasticmapreduce`` and ``kms``
  interface endpoints: the network creates them with ``engine: cluster``
  (billed per AZ-hour each; ``bp cost``).
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.stages.processing import Processing, ProcessingArgs
from components.zones import Zone
from infra.aws.certificates import emr_tls_certificates
from infra.aws.daily_run import DailyRun, daily_run
from infra.aws.job import GLUE_METASTORE_FACTORY, AwsJob
from infra.aws.identity import Principals, kms_use, stage_role
from infra.aws.network import rule_description
from infra.aws.names import bucket_name, iam_name

RAW_PREFIX = "events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
ERROR_PREFIX = ("errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/"
                "day=!{timestamp:dd}/hour=!{timestamp:HH}/")
BUFFERING_SIZE_MB = 5
BUFFERING_INTERVAL_SECONDS = 300
FIREHOSE_LOG_STREAM = "S3Delivery"
RECORD_DELIMITER_PROCESSOR = "AppendDelimiterToRecord"
"""Firehose's built-in processor that ends each record with a newline (its default delimiter)."""
CATALOG_ACTIONS: tuple[str, ...] = (
    "glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:CreateTable",
    "glue:UpdateTable", "glue:DeleteTable", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition",
    "glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:DeletePartition",
    "glue:BatchDeletePartition", "glue:GetUserDefinedFunctions",
)
"""What Spark's Glue catalog client calls on the lake database (overwrite drops and recreates tables)."""
STREAM_READ_ACTIONS: tuple[str, ...] = (
    "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords",
    "kinesis:ListShards",
)
"""What Firehose calls on a Kinesis stream it reads (shared throughput)."""
SPARK_DEFAULTS = {"spark.hadoop.hive.metastore.client.factory.class": GLUE_METASTORE_FACTORY}
"""The application's ``spark-defaults``: Spark's metastore is the Glue Data Catalog for every job."""
SUBMIT_ACTIONS: tuple[str, ...] = (
    "emr-serverless:StartJobRun", "emr-serverless:GetJobRun", "emr-serverless:ListJobRuns",
    "emr-serverless:CancelJobRun", "emr-serverless:GetDashboardForJobRun", "emr-serverless:GetApplication",
)
"""What a job submitter needs on this one application and its job runs."""
DEFAULT_DATABASE_ACTIONS: tuple[str, ...] = ("glue:GetDatabase", "glue:CreateDatabase")
"""Spark opens the catalog's ``default`` database at start-up and creates it when the account has none."""
LOG_RETENTION_DAYS = {False: 7, True: 365}

EMR_RELEASE = "emr-7.9.0"
SERVERLESS_IDLE_MINUTES = 15
MEMORY_GB_PER_VCPU = 4
DISK_GB_PER_VCPU = 20
CLUSTER_INSTANCE_TYPE = "m5.xlarge"
CLUSTER_IDLE_SECONDS = {False: 1800, True: 3600}
"""Auto-termination after this many idle seconds, by production: learning stays within the policy pack's
30 idle minutes (``maxIdleMinutes``)."""
TLS_CERTIFICATES_KEY = "_emr/tls/certificates.zip"
EMR_MANAGED_TAG = "for-use-with-amazon-emr-managed-policies"
EMR_SERVICE_POLICY = "service-role/AmazonEMRServicePolicy_v2"
EBS_KEY_ACTIONS: tuple[str, ...] = (
    "kms:DescribeKey", "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
    "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
)
"""What EBS needs of the key for the volumes EMR creates (with the grant, limited to AWS resources)."""


def bucket_of(uri: pulumi.Input[str]) -> pulumi.Output[str]:
    """``s3://bucket/`` to ``bucket``."""
    return pulumi.Output.from_input(uri).apply(lambda u: u.removeprefix("s3://").split("/")[0])


class AwsProcessing(Processing):
    sink_role: object
    job_role: object
    submitter_role: object | None
    firehose: aws.kinesis.FirehoseDeliveryStream
    application: aws.emrserverless.Application | None
    daily_run: DailyRun | None
    cluster: aws.emr.Cluster | None
    database: aws.glue.CatalogDatabase

    def __init__(self, name: str, args: ProcessingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        foundation = ctx.foundation
        buffer, store = args["buffer"], args["store"]
        # A buffer on another cloud: its edge connector writes the delivery stream itself (Direct PUT).
        direct_put = bool(getattr(buffer, "direct_put", False))
        engine = args.get("engine", ctx.config.stages.processing.engine)
        max_vcpu = args.get("max_vcpu", ctx.config.stages.processing.max_vcpu)
        production = ctx.is_production
        tags = ctx.tags(self.STAGE)
        child = pulumi.ResourceOptions(parent=self)
        # Every stateful resource here has a fixed name: a replacement deletes the old one first.
        stateful = pulumi.ResourceOptions(parent=self, protect=ctx.protect, delete_before_replace=True)

        buckets = {zone: bucket_of(getattr(store, f"{zone}_uri")) for zone in ("raw", "processed", "curated")}
        bucket_arns = {zone: pulumi.Output.concat("arn:", foundation.partition, ":s3:::", b) for zone, b in buckets.items()}
        objects = {zone: pulumi.Output.concat(arn, "/*") for zone, arn in bucket_arns.items()}
        log_bucket = bucket_name(ctx, "store-logs", foundation.account)
        log_bucket_arn = pulumi.Output.concat("arn:", foundation.partition, ":s3:::", log_bucket)
        database_name = ctx.name("glue-database", "processing-catalog")

        self.firehose_log_group = aws.cloudwatch.LogGroup(
            f"{name}-firehose-logs",
            name=ctx.name("log-group", "processing-firehose-logs"),
            retention_in_days=LOG_RETENTION_DAYS[production],
            kms_key_id=foundation.key_arn,
            tags=tags,
            opts=stateful,
        )
        log_stream = aws.cloudwatch.LogStream(
            f"{name}-firehose-log-stream", log_group_name=self.firehose_log_group.name, name=FIREHOSE_LOG_STREAM,
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
        )

        glue = [
            {"Sid": "UseTheCatalog", "Effect": "Allow", "Action": list(CATALOG_ACTIONS),
             "Resource": [foundation.arn("glue", "catalog"),
                          foundation.arn("glue", f"database/{database_name}"),
                          foundation.arn("glue", f"table/{database_name}/*"),
                          foundation.arn("glue", f"userDefinedFunction/{database_name}/*")]},
            {"Sid": "OpenOrCreateTheDefaultDatabase", "Effect": "Allow", "Action": list(DEFAULT_DATABASE_ACTIONS),
             "Resource": [foundation.arn("glue", "catalog"), foundation.arn("glue", "database/default")]},
        ]
        self.sink_role = stage_role(
            name, ctx, self.STAGE, "sink",
            principals=Principals(services={
                "firehose.amazonaws.com": {"StringEquals": {"sts:ExternalId": foundation.account_id}},
            }),
            statements=[
                *([] if direct_put else [{"Sid": "ReadTheBuffer", "Effect": "Allow",
                                          "Action": list(STREAM_READ_ACTIONS), "Resource": buffer.stream_id}]),
                {"Sid": "ListRaw", "Effect": "Allow",
                 "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
                 "Resource": bucket_arns["raw"]},
                {"Sid": "WriteRaw", "Effect": "Allow",
                 "Action": ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"], "Resource": objects["raw"]},
                kms_use(foundation.key_arn),
                {"Sid": "LogDeliveryErrors", "Effect": "Allow", "Action": ["logs:PutLogEvents"],
                 "Resource": pulumi.Output.concat(self.firehose_log_group.arn, ":log-stream:", FIREHOSE_LOG_STREAM)},
            ],
            description=("Processing sink: Firehose writes the raw bucket" if direct_put else
                         "Processing sink: Firehose reads the buffer stream and writes the raw bucket"),
            parent=self,
        )
        job_statements = [
            {"Sid": "ListTheLake", "Effect": "Allow",
             "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
             "Resource": list(bucket_arns.values())},
            {"Sid": "ReadRaw", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": objects["raw"]},
            {"Sid": "ReadWriteProcessedAndCurated", "Effect": "Allow",
             "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
             "Resource": [objects["processed"], objects["curated"]]},
            kms_use(foundation.key_arn),
            *glue,
        ]
        self.job_role = None if engine == "cluster" else stage_role(
            name, ctx, self.STAGE, "job",
            principals=Principals(services={
                "emr-serverless.amazonaws.com": {"StringEquals": {"aws:SourceAccount": foundation.account_id}},
            }),
            statements=job_statements,
            description="Processing jobs: Spark reads raw, writes processed and curated, uses the lake database",
            parent=self,
        )
        role = self.sink_role

        self.firehose = aws.kinesis.FirehoseDeliveryStream(
            f"{name}-sink",
            name=ctx.name("firehose-stream", "processing-sink"),
            destination="extended_s3",
            kinesis_source_configuration=None if direct_put else (
                aws.kinesis.FirehoseDeliveryStreamKinesisSourceConfigurationArgs(
                    kinesis_stream_arn=buffer.stream_id, role_arn=role.arn)),
            # Direct PUT holds records in Firehose's own buffer: encrypt it with the stack key.
            server_side_encryption=aws.kinesis.FirehoseDeliveryStreamServerSideEncryptionArgs(
                enabled=True, key_type="CUSTOMER_MANAGED_CMK", key_arn=foundation.key_arn) if direct_put else None,
            extended_s3_configuration=aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs(
                role_arn=role.arn,
                bucket_arn=bucket_arns["raw"],
                prefix=RAW_PREFIX,
                error_output_prefix=ERROR_PREFIX,
                buffering_size=BUFFERING_SIZE_MB,
                buffering_interval=BUFFERING_INTERVAL_SECONDS,
                compression_format="GZIP",
                kms_key_arn=foundation.key_arn,
                # Firehose concatenates records as they come; one per line makes raw objects JSON Lines
                # that Spark and Athena can read (no Lambda, no dynamic partitioning needed).
                processing_configuration=(
                    aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationArgs(
                        enabled=True,
                        processors=[aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorArgs(
                            type=RECORD_DELIMITER_PROCESSOR)])),
                cloudwatch_logging_options=(
                    aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationCloudwatchLoggingOptionsArgs(
                        enabled=True, log_group_name=self.firehose_log_group.name, log_stream_name=log_stream.name)),
            ),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role.attachment], delete_before_replace=True),
        )

        self.database = aws.glue.CatalogDatabase(
            f"{name}-catalog",
            name=database_name,
            description="Tables of the lake (raw, processed, curated)",
            location_uri=store.curated_uri,
            tags=tags,
            opts=stateful,
        )

        self.catalog_encryption = None
        if production:
            # Catalog metadata (table definitions, partitions) and connection passwords encrypted with the key.
            # One setting per account and region, like the catalog itself.
            self.catalog_encryption = aws.glue.DataCatalogEncryptionSettings(
                f"{name}-catalog-encryption",
                catalog_id=foundation.account_id,
                data_catalog_encryption_settings={
                    "encryption_at_rest": {"catalog_encryption_mode": "SSE-KMS",
                                           "sse_aws_kms_key_id": foundation.key_arn},
                    "connection_password_encryption": {"return_connection_password_encrypted": True,
                                                       "aws_kms_key_id": foundation.key_arn},
                },
                opts=child,
            )

        processing_sg = foundation.security_group(Zone.PROCESSING)
        processing_subnets = foundation.network.subnet_ids(Zone.PROCESSING)
        self.application = None
        self.cluster = None
        self.submitter_role = None
        self.daily_run = None
        if engine == "cluster":
            identity = self._cluster(name, ctx, tags, buckets, bucket_arns, objects, log_bucket, log_bucket_arn,
                                     job_statements, processing_sg, processing_subnets)
            engine_id, engine_kind = self.cluster.id, "emr-cluster"
        else:
            self.application = aws.emrserverless.Application(
                f"{name}-spark",
                name=ctx.name("emr-serverless-application", "processing-spark"),
                release_label=EMR_RELEASE,
                type="spark",
                architecture="ARM64",
                maximum_capacity=aws.emrserverless.ApplicationMaximumCapacityArgs(
                    cpu=f"{max_vcpu} vCPU", memory=f"{max_vcpu * MEMORY_GB_PER_VCPU} GB",
                    disk=f"{max_vcpu * DISK_GB_PER_VCPU} GB"),
                auto_start_configuration=aws.emrserverless.ApplicationAutoStartConfigurationArgs(enabled=True),
                auto_stop_configuration=aws.emrserverless.ApplicationAutoStopConfigurationArgs(
                    enabled=True, idle_timeout_minutes=SERVERLESS_IDLE_MINUTES),
                network_configuration=aws.emrserverless.ApplicationNetworkConfigurationArgs(
                    subnet_ids=processing_subnets, security_group_ids=[processing_sg.id]),
                runtime_configurations=[aws.emrserverless.ApplicationRuntimeConfigurationArgs(
                    classification="spark-defaults", properties=SPARK_DEFAULTS)],
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
            )
            engine_id, engine_kind = self.application.id, "emr-serverless"
            identity = self.job_role.arn
            # Someone must be able to run jobs: this role may start and watch runs of this application
            # only, and pass exactly the job role to EMR Serverless.
            self.submitter_role = stage_role(
                name, ctx, self.STAGE, "submitter",
                principals=Principals(account=True),
                statements=[
                    {"Sid": "RunJobsOnThisApplication", "Effect": "Allow", "Action": list(SUBMIT_ACTIONS),
                     "Resource": [self.application.arn, pulumi.Output.concat(self.application.arn, "/jobruns/*")]},
                    {"Sid": "PassTheJobRole", "Effect": "Allow", "Action": ["iam:PassRole"],
                     "Resource": self.job_role.arn,
                     "Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}},
                ],
                description="Job submitter: start Spark jobs on the processing application with the job role",
                parent=self,
            )
            # The sensor job's code in the processed bucket, and what `bp run` submits it with (infra.aws.job).
            self.job_exports = AwsJob(
                f"{name}-job", bucket=buckets["processed"], engine_id=self.application.id,
                role_arn=self.job_role.arn, tags=tags, opts=pulumi.ResourceOptions(parent=self),
            ).exports
            at = ctx.config.processing_schedule
            # The optional daily run (off in learning by default): EventBridge Scheduler starts the same job.
            self.daily_run = None if at is None else daily_run(
                name, ctx, self, application_arn=self.application.arn, job=self.job_exports,
                job_role_arn=self.job_role.arn, database=self.database.name, at=at,
                zones={zone: pulumi.Output.concat("s3://", bucket) for zone, bucket in buckets.items()},
            )

        self._publish(
            cloud="aws",
            identity=identity,
            sink_id=self.firehose.arn,
            sink_delivery="at-least-once",
            engine_id=engine_id,
            engine_kind=engine_kind,
            catalog=self.database.name,
        )

    def _cluster(self, name, ctx, tags, buckets, bucket_arns, objects, log_bucket, log_bucket_arn, job_statements,
                 processing_sg, processing_subnets) -> pulumi.Output[str]:
        foundation = ctx.foundation
        child = pulumi.ResourceOptions(parent=self)
        emr_tags = {**tags, EMR_MANAGED_TAG: "true"}
        fixed_name = pulumi.ResourceOptions(parent=self, delete_before_replace=True)
        vpc_id = foundation.network.vpc.id

        self.cluster_security_groups = {
            role: aws.ec2.SecurityGroup(
                f"{name}-emr-{role}-sg", vpc_id=vpc_id, revoke_rules_on_delete=True,
                description=rule_description(
                    f"EMR-managed {role} group (processing zone); EMR adds its own rules at start"),
                tags=emr_tags, opts=child,
            )
            for role in ("primary", "core", "service")
        }
        # Private-subnet clusters: the service-access group must accept the primary on 9443.
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-emr-primary-to-service-in",
            security_group_id=self.cluster_security_groups["service"].id,
            referenced_security_group_id=self.cluster_security_groups["primary"].id,
            ip_protocol="tcp", from_port=9443, to_port=9443,
            description=rule_description("processing to processing on 9443: EMR primary to the service-access group"),
            tags=emr_tags, opts=child,
        )

        service_role = aws.iam.Role(
            f"{name}-emr-service-role",
            name=iam_name(ctx, "processing-emr-service"),
            description="EMR service role (AWS-managed v2 policy, limited to resources tagged for EMR)",
            assume_role_policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [{
                "Sid": "TrustElasticmapreduce", "Effect": "Allow",
                "Principal": {"Service": "elasticmapreduce.amazonaws.com"}, "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": foundation.account_id}},
            }]}),
            tags=tags,
            opts=fixed_name,
        )
        service_attachment = aws.iam.RolePolicyAttachment(
            f"{name}-emr-service-attachment", role=service_role.name,
            policy_arn=pulumi.Output.concat("arn:", foundation.partition, ":iam::aws:policy/", EMR_SERVICE_POLICY),
            opts=child,
        )
        # EBS encryption with the stack key: EMR's service role creates the volume grants (the managed
        # v2 policy grants no KMS use), so the cluster fails to start without this.
        service_key_policy = aws.iam.Policy(
            f"{name}-emr-service-key-policy",
            name=iam_name(ctx, "processing-emr-service-policy"),
            description="EMR service role: encrypt the cluster's EBS volumes with the stack key",
            policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [
                {"Sid": "EncryptClusterVolumes", "Effect": "Allow", "Action": list(EBS_KEY_ACTIONS),
                 "Resource": foundation.key_arn},
                {"Sid": "GrantVolumesTheKey", "Effect": "Allow", "Action": ["kms:CreateGrant"],
                 "Resource": foundation.key_arn,
                 "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
            ]}),
            tags=tags,
            opts=fixed_name,
        )
        service_key_attachment = aws.iam.RolePolicyAttachment(
            f"{name}-emr-service-key-attachment", role=service_role.name, policy_arn=service_key_policy.arn,
            opts=child,
        )
        instance = stage_role(
            name, ctx, self.STAGE, "emr-instance",
            principals=Principals(services={"ec2.amazonaws.com": None}),
            statements=[
                *job_statements,
                {"Sid": "WriteClusterLogs", "Effect": "Allow", "Action": ["s3:PutObject"],
                 "Resource": pulumi.Output.concat(log_bucket_arn, "/emr/*")},
                {"Sid": "ReadTlsCertificates", "Effect": "Allow", "Action": ["s3:GetObject"],
                 "Resource": pulumi.Output.concat(bucket_arns["processed"], "/", TLS_CERTIFICATES_KEY)},
            ],
            description="EMR cluster nodes: Spark on the lake",
            parent=self,
        )
        # EMR refuses an instance profile whose name differs from its role's ("invalid instance profile").
        profile = aws.iam.InstanceProfile(
            f"{name}-emr-instance-profile", name=instance.role.name,
            role=instance.role.name, tags=tags, opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
        )
        # The managed v2 policy passes only EMR_EC2_DefaultRole; EMR must be allowed to pass this one.
        pass_instance_role = aws.iam.Policy(
            f"{name}-emr-service-pass-policy",
            name=iam_name(ctx, "processing-emr-service-pass-policy"),
            description="EMR service role: pass the cluster's instance role to EC2",
            policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [
                {"Sid": "PassTheInstanceRole", "Effect": "Allow", "Action": ["iam:PassRole"],
                 "Resource": instance.role.arn,
                 "Condition": {"StringLike": {"iam:PassedToService": "ec2.amazonaws.com*"}}},
            ]}),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
        )
        pass_attachment = aws.iam.RolePolicyAttachment(
            f"{name}-emr-service-pass-attachment", role=service_role.name, policy_arn=pass_instance_role.arn,
            opts=child,
        )
        certificates = emr_tls_certificates(
            name, ctx, buckets["processed"], TLS_CERTIFICATES_KEY, tags, pulumi.ResourceOptions(parent=self))
        key = foundation.key_arn
        self.security_configuration = aws.emr.SecurityConfiguration(
            f"{name}-emr-security",
            name=ctx.name("emr-cluster", "processing-security"),
            configuration=pulumi.Output.all(key, buckets["processed"]).apply(lambda v: json.dumps({
                "EncryptionConfiguration": {
                    "EnableAtRestEncryption": True,
                    "EnableInTransitEncryption": True,
                    "AtRestEncryptionConfiguration": {
                        "S3EncryptionConfiguration": {"EncryptionMode": "SSE-KMS", "AwsKmsKey": v[0]},
                        "LocalDiskEncryptionConfiguration": {
                            "EncryptionKeyProviderType": "AwsKms", "AwsKmsKey": v[0], "EnableEbsEncryption": True},
                    },
                    "InTransitEncryptionConfiguration": {"TLSCertificateConfiguration": {
                        "CertificateProviderType": "PEM", "S3Object": f"s3://{v[1]}/{TLS_CERTIFICATES_KEY}"}},
                },
            }, sort_keys=True)),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[certificates], delete_before_replace=True),
        )
        sgs = self.cluster_security_groups
        self.cluster = aws.emr.Cluster(
            f"{name}-cluster",
            name=ctx.name("emr-cluster", "processing-cluster"),
            release_label=EMR_RELEASE,
            applications=["Spark"],
            service_role=service_role.arn,
            security_configuration=self.security_configuration.name,
            log_uri=f"s3://{log_bucket}/emr/",
            log_encryption_kms_key_id=key,
            ec2_attributes=aws.emr.ClusterEc2AttributesArgs(
                subnet_id=processing_subnets[0],
                instance_profile=profile.arn,
                emr_managed_master_security_group=sgs["primary"].id,
                emr_managed_slave_security_group=sgs["core"].id,
                service_access_security_group=sgs["service"].id,
                additional_master_security_groups=processing_sg.id,
                additional_slave_security_groups=processing_sg.id,
            ),
            master_instance_group=aws.emr.ClusterMasterInstanceGroupArgs(instance_type=CLUSTER_INSTANCE_TYPE),
            core_instance_group=aws.emr.ClusterCoreInstanceGroupArgs(
                instance_type=CLUSTER_INSTANCE_TYPE, instance_count=1),
            keep_job_flow_alive_when_no_steps=True,
            auto_termination_policy=aws.emr.ClusterAutoTerminationPolicyArgs(
                idle_timeout=CLUSTER_IDLE_SECONDS[ctx.is_production]),
            termination_protection=ctx.is_production,
            tags=emr_tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[service_attachment, service_key_attachment,
                                                                 pass_attachment, instance.attachment, certificates]),
        )
        return instance.arn
