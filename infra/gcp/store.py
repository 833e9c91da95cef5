"""GCP Store: the lake as three GCS buckets (raw, processed, curated) and its BigQuery catalog.

Creates the three buckets with the defaults of ``infra.gcp.bucket`` (uniform
access, public access prevention enforced, CMEK with the stack key,
lifecycle, versioning and ``protect`` in production, ``force_destroy`` in
learning), the BigQuery dataset with an external table over the curated
zone (``infra.gcp.catalog``), and the stage's service account: read-only on
the three buckets, for backup, audit and inventory tools.

Outputs: ``gs://<bucket>/`` URIs and the key id. Escape hatches: ``buckets``
(zone to bucket), ``log_bucket`` (None without usage logs), ``catalog`` (dataset and tables), ``service_account``.

Where GCP differs: encryption is done by the Cloud Storage service agent
with the key (granted in the foundation); a caller needs no KMS permission,
only bucket permissions. GCS has no bucket policy: TLS is always required
by the JSON and XML APIs, so there is no "deny non-TLS" statement to write.
Access: with ``blueprint:gcp.usageLogs`` (default on) every lake bucket
writes usage logs to a fourth bucket, ``logs`` (kept 30 days in learning,
365 in production), which Google's ``cloud-storage-analytics`` group may only
create objects in. That group is outside the customer's domain: where the
organization enforces ``iam.allowedPolicyMemberDomains`` the grant is refused
unless the project has the exception docs/clouds/gcp.md describes; with
``usageLogs: false`` neither the log bucket nor the grant is created.
Who-did-what audit trails are Cloud Audit Logs (a project setting, outside
this stack).
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_gcp as gcp

from components.stages import Store, StoreArgs
from components.stages.store import LAKE_ZONES
from components.zones import Zone

from infra.gcp.bucket import bucket_uri, lake_bucket, usage_log_bucket
from infra.gcp.catalog import create_catalog
from infra.gcp.identity import service_account, stage_options

READ_ONLY = "roles/storage.objectViewer"


def check_store_args(args: StoreArgs) -> Optional[int]:
    """The raw expiration in days (None: never), or a ValueError naming the key."""
    ctx = args["context"]
    days = args.get("raw_expiration_days", ctx.config.raw_expiration_days)
    if days is not None and (not isinstance(days, int) or days < 1):
        raise ValueError(f"blueprint:stages.store.rawExpirationDays = {days!r}: must be a whole number of days >= 1")
    return days


class GcpStore(Store):
    def __init__(self, name: str, args: StoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        raw_days = check_store_args(args)
        super().__init__(name, opts)
        ctx = args["context"]
        foundation = ctx.foundation
        key_id = foundation.key_id
        labels = ctx.labels(self.STAGE, Zone.DATA)
        # Buckets are encrypted by the Cloud Storage agent, the dataset by BigQuery's: each waits for its grant.
        stateful = stage_options(self, ctx, "storage", stateful=True)
        child = stage_options(self, ctx)
        self.log_bucket: Optional[gcp.storage.Bucket] = None
        self.log_writer: Optional[gcp.storage.BucketIAMMember] = None
        if ctx.config.gcp.usage_logs:
            self.log_bucket, self.log_writer = usage_log_bucket(
                name, ctx, "store-logs", key_id=key_id, labels=labels, opts=stateful, writer_opts=child,
            )
        log_bucket = self.log_bucket.name if self.log_bucket is not None else None
        self.buckets: dict[str, gcp.storage.Bucket] = {
            zone: lake_bucket(
                f"{name}-{zone}", ctx, f"store-{zone}", key_id=key_id, labels=labels, opts=stateful,
                expiration_days=raw_days if zone == "raw" else None, log_bucket=log_bucket,
            )
            for zone in LAKE_ZONES
        }
        self.catalog = create_catalog(
            name, ctx, self.buckets["curated"], key_id=key_id, labels=labels,
            opts=stage_options(self, ctx, "bigquery", stateful=True),
        )
        self.service_account = service_account(
            name, ctx, self.STAGE, "Read-only access to the lake buckets (backup, audit, inventory)", child
        )
        self.grants = [
            gcp.storage.BucketIAMMember(
                f"{name}-{zone}-reader", bucket=bucket.name, role=READ_ONLY,
                member=self.service_account.member, opts=child,
            )
            for zone, bucket in self.buckets.items()
        ]
        self._publish(
            raw_uri=bucket_uri(self.buckets["raw"]),
            processed_uri=bucket_uri(self.buckets["processed"]),
            curated_uri=bucket_uri(self.buckets["curated"]),
            key_id=key_id,
            cloud="gcp",
            identity=self.service_account.email,
        )
