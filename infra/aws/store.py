"""AwsStore: the lake on S3: raw, processed and curated buckets, a query-results bucket and a log bucket.

Each lake bucket gets: SSE-KMS with the stack key and S3 Bucket Keys on; all
four public-access-block flags; ownership ``BucketOwnerEnforced`` (ACLs off);
a bucket policy denying any request without TLS (``aws:SecureTransport``
false); a lifecycle configuration (abort incomplete multipart uploads after 7
days, expire noncurrent versions, expire raw objects after
``raw_expiration_days`` when set); server access logging to the log bucket
under ``<zone>/``; versioning in production. Learning buckets are
``force_destroy`` (deleted with their contents); production buckets are
``protect``ed.

Where AWS differs: S3 server access logs cannot be delivered to a bucket
whose default encryption is SSE-KMS (the S3 User Guide, "Enabling Amazon S3
server access logging": only SSE-S3 is supported for the target bucket), so
the log bucket uses SSE-S3 (AES256). Its policy lets the S3 logging service
write only on behalf of the three lake buckets of this account. The log
bucket itself is not logged (logging it to itself would loop).

Athena query results go to their own bucket (``results``, hardened like the
lake buckets, objects expire after 7 days in learning and 30 in production),
so that the reader role writes nowhere in the lake. Bucket names are salted
with the account id and region (``infra.aws.names.bucket_name``).

The stage identity is a data-steward role (``store-steward``): this account
may assume it to read and write objects in the three lake buckets, with the
key; it cannot delete objects or change bucket settings.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_aws as aws

from components.stages.store import LAKE_ZONES, Store, StoreArgs
from infra.aws.identity import Principals, kms_use, stage_role
from infra.aws.names import bucket_name

LOG_ZONE = "logs"
RESULTS_ZONE = "results"
"""Athena query results: their own bucket, so that readers never write into the lake."""
ENCRYPTED_ZONES = (*LAKE_ZONES, RESULTS_ZONE)
RESULTS_EXPIRATION_DAYS = {False: 7, True: 30}
MULTIPART_ABORT_DAYS = 7
NONCURRENT_EXPIRATION_DAYS = {False: 7, True: 90}
LOG_EXPIRATION_DAYS = {False: 30, True: 365}


class AwsStore(Store):
    buckets: dict[str, aws.s3.Bucket]
    """Zone (raw, processed, curated, logs) to bucket: the escape hatch."""

    def __init__(self, name: str, args: StoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        foundation = ctx.foundation
        self.raw_expiration_days: Optional[int] = args.get("raw_expiration_days", ctx.config.raw_expiration_days)
        production = ctx.is_production
        tags = ctx.tags(self.STAGE)
        # Fixed names: a replacement deletes the old bucket first, or the create fails ("already exists").
        stateful = pulumi.ResourceOptions(parent=self, protect=ctx.protect, delete_before_replace=True)
        child = pulumi.ResourceOptions(parent=self)

        names = {zone: bucket_name(ctx, f"store-{zone}", foundation.account) for zone in (*ENCRYPTED_ZONES, LOG_ZONE)}
        self.buckets = {
            zone: aws.s3.Bucket(
                f"{name}-{zone}", bucket=names[zone], force_destroy=ctx.force_destroy, tags=tags, opts=stateful
            )
            for zone in (*ENCRYPTED_ZONES, LOG_ZONE)
        }
        self.public_access_blocks = {}
        self.policies = {}
        self.lifecycles = {}
        self.versionings = {}
        self.loggings = {}
        # The log bucket first: the lake buckets' logging waits for its policy.
        for zone in (LOG_ZONE, *ENCRYPTED_ZONES):
            bucket = self.buckets[zone]
            is_log = zone == LOG_ZONE
            aws.s3.BucketServerSideEncryptionConfiguration(
                f"{name}-{zone}-encryption",
                bucket=bucket.id,
                rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=(
                        aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                            sse_algorithm="AES256")
                        if is_log else
                        aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                            sse_algorithm="aws:kms", kms_master_key_id=foundation.key_arn)
                    ),
                    bucket_key_enabled=not is_log,
                )],
                opts=child,
            )
            pab = aws.s3.BucketPublicAccessBlock(
                f"{name}-{zone}-public-access-block",
                bucket=bucket.id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
                opts=child,
            )
            self.public_access_blocks[zone] = pab
            aws.s3.BucketOwnershipControls(
                f"{name}-{zone}-ownership",
                bucket=bucket.id,
                rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
                opts=child,
            )
            statements = [{
                "Sid": "DenyWithoutTls",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }]
            if is_log:
                statements.append({
                    "Sid": "S3ServerAccessLogsOfTheLake",
                    "Effect": "Allow",
                    "Principal": {"Service": "logging.s3.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": pulumi.Output.concat(bucket.arn, "/*"),
                    "Condition": {
                        "ArnLike": {"aws:SourceArn": [self.buckets[z].arn for z in ENCRYPTED_ZONES]},
                        "StringEquals": {"aws:SourceAccount": foundation.account_id},
                    },
                })
            self.policies[zone] = aws.s3.BucketPolicy(
                f"{name}-{zone}-policy",
                bucket=bucket.id,
                policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements}),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[pab]),
            )
            if production:
                self.versionings[zone] = aws.s3.BucketVersioning(
                    f"{name}-{zone}-versioning",
                    bucket=bucket.id,
                    versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
                    opts=child,
                )
            self.lifecycles[zone] = aws.s3.BucketLifecycleConfiguration(
                f"{name}-{zone}-lifecycle",
                bucket=bucket.id,
                rules=self._lifecycle_rules(zone, production),
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=[self.versionings[zone]] if zone in self.versionings else []),
            )
            if not is_log:
                self.loggings[zone] = aws.s3.BucketLogging(
                    f"{name}-{zone}-logging",
                    bucket=bucket.id,
                    target_bucket=self.buckets[LOG_ZONE].id,
                    target_prefix=f"{zone}/",
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[self.policies[LOG_ZONE]]),
                )

        lake_arns = [self.buckets[z].arn for z in LAKE_ZONES]
        self.steward = stage_role(
            name, ctx, self.STAGE, "steward",
            principals=Principals(account=True),
            statements=[
                {"Sid": "ListLake", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                 "Resource": lake_arns},
                {"Sid": "ReadWriteLakeObjects", "Effect": "Allow",
                 "Action": ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
                 "Resource": [pulumi.Output.concat(a, "/*") for a in lake_arns]},
                kms_use(foundation.key_arn),
            ],
            description="Data steward: read and write objects in the raw, processed and curated buckets",
            parent=self,
        )

        def uri(zone: str) -> pulumi.Output[str]:
            return pulumi.Output.concat("s3://", self.buckets[zone].bucket, "/")

        self._publish(
            cloud="aws",
            identity=self.steward.arn,
            raw_uri=uri("raw"),
            processed_uri=uri("processed"),
            curated_uri=uri("curated"),
            key_id=foundation.key_arn,
        )

    def _lifecycle_rules(self, zone: str, production: bool) -> list:
        rules = [
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="abort-incomplete-multipart-uploads",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=MULTIPART_ABORT_DAYS),
            ),
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-noncurrent-versions",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=NONCURRENT_EXPIRATION_DAYS[production]),
            ),
        ]
        expiration_days = {LOG_ZONE: LOG_EXPIRATION_DAYS[production], "raw": self.raw_expiration_days,
                           RESULTS_ZONE: RESULTS_EXPIRATION_DAYS[production]}.get(zone)
        if expiration_days:
            rules.append(aws.s3.BucketLifecycleConfigurationRuleArgs(
                id=f"expire-{zone}-objects",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=expiration_days),
            ))
        return rules
