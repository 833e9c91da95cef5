"""A lake bucket: the one place GCS buckets get their secure defaults.

Defaults (``default_bucket_args``): uniform bucket-level access (no object
ACLs), public access prevention ``enforced``, the stack's CMEK as default
key, a lifecycle that aborts incomplete multipart uploads after a day,
``force_destroy`` and no soft delete in learning (one ``pulumi destroy``
empties and removes it, and deleted objects are not billed for a week);
versioning, 7-day soft delete, expiry of noncurrent versions after 30
days and ``protect`` in production. ``expiration_days`` adds a delete rule;
``log_bucket`` turns on usage logs into the lake's log bucket.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext

SOFT_DELETE_PRODUCTION_SECONDS = 7 * 24 * 3600
NONCURRENT_DAYS = 30


def _rule(action: str, **condition: Any) -> gcp.storage.BucketLifecycleRuleArgs:
    return gcp.storage.BucketLifecycleRuleArgs(
        action=gcp.storage.BucketLifecycleRuleActionArgs(type=action),
        condition=gcp.storage.BucketLifecycleRuleConditionArgs(**condition),
    )


def default_bucket_args(ctx: StageContext, key_id: pulumi.Input[str], expiration_days: Optional[int]) -> dict[str, Any]:
    production = ctx.is_production
    rules = [_rule("AbortIncompleteMultipartUpload", age=1)]
    if expiration_days is not None:
        rules.append(_rule("Delete", age=expiration_days))
    if production:
        rules.append(_rule("Delete", days_since_noncurrent_time=NONCURRENT_DAYS, with_state="ARCHIVED"))
    return {
        "location": ctx.config.gcp.region.upper(),
        "storage_class": "STANDARD",
        "uniform_bucket_level_access": True,
        "public_access_prevention": "enforced",
        "encryption": gcp.storage.BucketEncryptionArgs(default_kms_key_name=key_id),
        "versioning": gcp.storage.BucketVersioningArgs(enabled=production),
        "soft_delete_policy": gcp.storage.BucketSoftDeletePolicyArgs(
            retention_duration_seconds=SOFT_DELETE_PRODUCTION_SECONDS if production else 0
        ),
        "lifecycle_rules": rules,
        "force_destroy": ctx.force_destroy,
    }


def lake_bucket(
    name: str,
    ctx: StageContext,
    role: str,
    *,
    key_id: pulumi.Input[str],
    labels: dict[str, str],
    opts: pulumi.ResourceOptions,
    expiration_days: Optional[int] = None,
    log_bucket: Optional[pulumi.Input[str]] = None,
) -> gcp.storage.Bucket:
    """A bucket named ``ctx.name("gcs-bucket", role)``; ``role`` is ``"<stage>-<purpose>"``.

    Bucket names are global across every GCP customer, and the example stacks
    have the same Pulumi project and stack names for everyone, so the name's
    hash is salted with the GCP project id: two people deploying ``gcp`` into
    their own projects get different bucket names instead of "already exists".
    """
    logging = gcp.storage.BucketLoggingArgs(log_bucket=log_bucket) if log_bucket is not None else None
    return gcp.storage.Bucket(
        name,
        name=ctx.name("gcs-bucket", role, salt=ctx.config.gcp.project),
        project=ctx.config.gcp.project,
        labels=labels,
        logging=logging,
        opts=opts,
        **default_bucket_args(ctx, key_id, expiration_days),
    )


def bucket_uri(bucket: gcp.storage.Bucket) -> pulumi.Output[str]:
    return bucket.name.apply(lambda n: f"gs://{n}/")


USAGE_LOG_WRITER = "group:cloud-storage-analytics@google.com"
"""The Google group that delivers GCS usage logs; it needs object create on the log bucket."""
LOG_RETENTION_DAYS = {False: 30, True: 365}


def usage_log_bucket(
    name: str, ctx: StageContext, role: str, *, key_id: pulumi.Input[str], labels: dict[str, str],
    opts: pulumi.ResourceOptions, writer_opts: pulumi.ResourceOptions,
) -> tuple[gcp.storage.Bucket, gcp.storage.BucketIAMMember]:
    """A usage-log bucket ``f"{name}-logs"`` (not itself logged) and the log writer's grant on it."""
    bucket = lake_bucket(f"{name}-logs", ctx, role, key_id=key_id, labels=labels, opts=opts,
                         expiration_days=LOG_RETENTION_DAYS[ctx.is_production])
    writer = gcp.storage.BucketIAMMember(
        f"{name}-logs-writer", bucket=bucket.name, role="roles/storage.objectCreator", member=USAGE_LOG_WRITER,
        opts=writer_opts,
    )
    return bucket, writer
