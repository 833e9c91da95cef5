"""Data protection (catalogue group J): versioning, soft delete, retention floors, deletion
protection in production (and destroyability in learning), Azure locks, redundancy."""

from __future__ import annotations

from policies.check import applies_to, companions, label, of_type, refers_to
from policies.config import is_production, setting
from policies.props import duration_seconds, get, number
from policies.tokens import canonical

S3_BUCKET = "aws:s3/bucket:Bucket"
S3_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
S3_OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"


def versioning(args, report) -> None:
    """S3 and GCS buckets are versioned; Azure blob versioning on flat-namespace accounts."""
    for bucket in of_type(args.resources, S3_BUCKET):
        states = [get(v.props, "versioningConfiguration.status")
                  for v in companions(bucket, args.resources, [S3_VERSIONING], "bucket")]
        if get(bucket.props, "versioning.enabled") is True:
            states.append("Enabled")
        if "Enabled" not in states:
            report(f"bucket {label(bucket)}: add aws.s3.BucketVersioning with status 'Enabled'", bucket.urn)
    for bucket in of_type(args.resources, "gcp:storage/bucket:Bucket"):
        if get(bucket.props, "versioning.enabled") is not True:
            report(f"bucket {label(bucket)}: set versioning={{'enabled': True}}", bucket.urn)
    for account in of_type(args.resources, STORAGE_ACCOUNT):
        if account.props.get("isHnsEnabled") is True:
            continue  # ADLS Gen2 (hierarchical namespace) has no blob versioning; soft delete protects it
        services = companions(account, args.resources, [BLOB_SERVICE], "accountName")
        if not any(s.props.get("isVersioningEnabled") is True for s in services):
            report(f"{label(account)}: add storage.BlobServiceProperties with is_versioning_enabled=True",
                   account.urn)


def soft_delete(args, report) -> None:
    """Azure blob and container soft delete, GCS soft delete, S3 Object Lock where configured."""
    floor = setting(args.get_config(), "minSoftDeleteDays")
    for account in of_type(args.resources, STORAGE_ACCOUNT):
        services = companions(account, args.resources, [BLOB_SERVICE], "accountName")
        if not services:
            report(f"{label(account)}: add storage.BlobServiceProperties with delete_retention_policy and "
                   f"container_delete_retention_policy (enabled, days >= {floor})", account.urn)
        for service in services:
            for policy in ("deleteRetentionPolicy", "containerDeleteRetentionPolicy"):
                if get(service.props, f"{policy}.enabled") is not True or \
                        number(get(service.props, f"{policy}.days"), 0.0) < floor:
                    report(f"{label(service)}: set {policy} enabled with days >= {floor}", service.urn)
    for bucket in of_type(args.resources, "gcp:storage/bucket:Bucket"):
        seconds = duration_seconds(get(bucket.props, "softDeletePolicy.retentionDurationSeconds"))
        if seconds is not None and seconds < floor * 86400:
            report(f"bucket {label(bucket)}: soft_delete_policy.retention_duration_seconds must be at least "
                   f"{floor * 86400}", bucket.urn)
    if setting(args.get_config(), "requireObjectLock"):
        for bucket in of_type(args.resources, S3_BUCKET):
            locked = companions(bucket, args.resources, [S3_OBJECT_LOCK], "bucket")
            if not locked and bucket.props.get("objectLockEnabled") is not True:
                report(f"bucket {label(bucket)}: enable Object Lock (governance mode, a default retention)",
                       bucket.urn)


@applies_to("aws:kinesis/stream:Stream", "azure-native:eventhub:EventHub", "gcp:pubsub/topic:Topic",
            "gcp:pubsub/subscription:Subscription")
def retention_floors(args, report) -> None:
    props, config = args.props, args.get_config()
    token = canonical(args.resource_type)
    if token.startswith("aws:kinesis/"):
        hours = number(props.get("retentionPeriod"), 24.0)
        floor = setting(config, "minStreamRetentionHours")
        if hours < floor:
            report(f"retention_period is {hours:g} h: set at least {floor} h in this profile")
    elif token.startswith("azure-native:eventhub"):
        hours = number(get(props, "retentionDescription.retentionTimeInHours"))
        days = hours / 24 if hours is not None else number(props.get("messageRetentionInDays"), 1.0)
        floor = setting(config, "minEventHubRetentionDays")
        if days < floor:
            report(f"retention is {days:g} days: set retention_description.retention_time_in_hours to at least "
                   f"{floor * 24}")
    else:
        if not props.get("messageRetentionDuration"):
            report("set message_retention_duration (for example '86400s' learning, '604800s' production)")
        if token.endswith(":Subscription") and is_production(config) and get(props, "expirationPolicy.ttl") != "":
            report("set expiration_policy={'ttl': ''} so an idle production subscription never expires")


STATEFUL = (
    "aws:s3/bucket:Bucket", "aws:kinesis/stream:Stream", "aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup",
    "aws:glue/catalogDatabase:CatalogDatabase", "aws:athena/workgroup:Workgroup", "aws:dynamodb/table:Table",
    "azure-native:storage:StorageAccount", "azure-native:keyvault:Vault", "azure-native:keyvault:Key",
    "azure-native:eventhub:Namespace", "azure-native:databricks:Workspace",
    "gcp:storage/bucket:Bucket", "gcp:bigquery/dataset:Dataset", "gcp:bigquery/table:Table",
    "gcp:pubsub/topic:Topic", "gcp:kms/keyRing:KeyRing", "gcp:kms/cryptoKey:CryptoKey",
)
DESTROY_FLAGS = {
    "aws:s3/bucket:Bucket": ("forceDestroy", True), "gcp:storage/bucket:Bucket": ("forceDestroy", True),
    "aws:athena/workgroup:Workgroup": ("forceDestroy", True),
    "gcp:bigquery/dataset:Dataset": ("deleteContentsOnDestroy", True),
    "gcp:bigquery/table:Table": ("deletionProtection", False),
}
"""Property and the value that lets ``pulumi destroy`` delete a non-empty store."""


@applies_to(*STATEFUL, "aws:emr/cluster:Cluster")
def deletion_protection(args, report) -> None:
    if not is_production(args.get_config()):
        return
    token = canonical(args.resource_type)
    if token in STATEFUL and not args.opts.protect:
        report("production state: create it with ResourceOptions(protect=True) (ctx.protect)")
    if token in DESTROY_FLAGS:
        prop, destroys = DESTROY_FLAGS[token]
        if args.props.get(prop) == destroys:
            report(f"set {prop}={not destroys} in production (ctx.force_destroy)")
    if token == "aws:kms/key:Key" and number(args.props.get("deletionWindowInDays"), 30.0) < 30:
        report("set deletion_window_in_days=30 in production")
    if token == "aws:emr/cluster:Cluster" and args.props.get("terminationProtection") is not True:
        report("set termination_protection=True on a production cluster")


@applies_to(*STATEFUL)
def learning_destroyable(args, report) -> None:
    if is_production(args.get_config()):
        return
    if args.opts.protect:
        report("learning stacks are destroyed in one `pulumi destroy`: remove protect (ctx.protect is False here)")
    token = canonical(args.resource_type)
    if token in DESTROY_FLAGS:
        prop, destroys = DESTROY_FLAGS[token]
        if args.props.get(prop) != destroys:
            report(f"set {prop}={destroys} in learning so destroy empties the store (ctx.force_destroy)")


LOCK = "azure-native:authorization:ManagementLockAtResourceLevel"
SCOPE_LOCK = "azure-native:authorization:ManagementLockByScope"
"""The same lock addressed by the resource's id (``scope``) instead of its name and parents."""


def _locks(lock, resource) -> bool:
    if canonical(lock.resource_type) == SCOPE_LOCK:
        return refers_to(lock, "scope", resource)
    return refers_to(lock, "resourceName", resource)


def azure_resource_locks(args, report) -> None:
    """In production, each Storage account and Key Vault has a CanNotDelete lock (by name or by scope)."""
    if not is_production(args.get_config()):
        return
    locks = [l for l in of_type(args.resources, LOCK, SCOPE_LOCK) if l.props.get("level") == "CanNotDelete"]
    for resource in of_type(args.resources, STORAGE_ACCOUNT, "azure-native:keyvault:Vault"):
        if not any(_locks(l, resource) for l in locks):
            report(f"{label(resource)}: add an authorization.ManagementLockByScope (scope=its id) or "
                   "ManagementLockAtResourceLevel with level 'CanNotDelete'", resource.urn)


def redundancy(args, report) -> None:
    """Production raw and curated data survives a zone (Azure ZRS/GRS, zone-redundant Event Hubs, S3 replication)."""
    if not is_production(args.get_config()):
        return
    for account in of_type(args.resources, STORAGE_ACCOUNT):
        sku = str(get(account.props, "sku.name", ""))
        if sku.endswith("_LRS"):
            report(f"{label(account)}: use Standard_ZRS, Standard_GZRS or Standard_GRS in production", account.urn)
    for namespace in of_type(args.resources, "azure-native:eventhub:Namespace"):
        if namespace.props.get("zoneRedundant") is False:
            report(f"{label(namespace)}: set zone_redundant=True", namespace.urn)
    replications = of_type(args.resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    for bucket in of_type(args.resources, S3_BUCKET):
        if not any(refers_to(r, "bucket", bucket) for r in replications):
            report(f"bucket {label(bucket)}: consider aws.s3.BucketReplicationConfig to a second region", bucket.urn)
