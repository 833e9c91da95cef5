"""Resource types that hold data, and the inputs whose change destroys or endangers it.

For each stateful type: what it holds (``kind``), its physical-name inputs,
the inputs the provider replaces the resource for (create new, delete old:
the data goes with the old one), its retention inputs and their unit, and its
encryption-key inputs.

Replace-on-change inputs, as the providers declare them:

* pulumi-aws and pulumi-gcp are bridged from the Terraform providers, whose
  schema marks such attributes ``ForceNew: true``. Read in
  hashicorp/terraform-provider-aws ``internal/service/{s3/bucket.go,
  kinesis/stream.go, kms/key.go, sns/topic.go, ...}`` (2026) and
  hashicorp/terraform-provider-google ``google/services/{storage,pubsub,
  bigquery,kms}/resource_*.go`` at commit e03b7622 (2026-08-21).
* pulumi-azure-native replaces a resource when a segment of its ARM resource
  id changes (the resource group, the parent and the resource's own name) or
  its ``location``; see each resource's ``replaceOnChanges`` in the provider
  schema and the ARM rule that a resource cannot be renamed or moved region.

Retention units: ``h`` hours, ``d`` days, ``sec`` seconds, ``ms``
milliseconds, ``hs`` hours as a string, ``s`` a Google duration string
(``"86400s"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policies.tokens import canonical


@dataclass(frozen=True)
class Stateful:
    kind: str
    names: tuple[str, ...]
    """Inputs that are the resource's physical name."""
    replace_on: tuple[str, ...]
    """Other inputs whose change replaces the resource (the names replace it too)."""
    retention: dict[str, str] = field(default_factory=dict)
    """Flattened input path (a regular expression) -> unit."""
    keys: tuple[str, ...] = ()
    """Inputs naming the encryption key (flattened paths, regular expressions)."""


_AZ = ("resourceGroupName", "location")

STATEFUL: dict[str, Stateful] = {
    # AWS
    "aws:s3/bucket:Bucket": Stateful("bucket", ("bucket", "bucketPrefix"), ("objectLockEnabled",)),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": Stateful(
        "bucket lifecycle", (), ("bucket",),
        retention={r"rules\[\d+\]\.expiration\.days": "d",
                   r"rules\[\d+\]\.noncurrentVersionExpiration\.noncurrentDays": "d"}),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": Stateful(
        "bucket encryption", (), ("bucket",),
        keys=(r"rules\[\d+\]\.applyServerSideEncryptionByDefault\.kmsMasterKeyId",)),
    "aws:kinesis/stream:Stream": Stateful("stream", ("name",), (), retention={r"retentionPeriod": "h"},
                                          keys=(r"kmsKeyId",)),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": Stateful(
        "delivery stream", ("name",), ("destination",),
        keys=(r"serverSideEncryption\.keyArn", r"extendedS3Configuration\.kmsKeyArn")),
    "aws:kms/key:Key": Stateful("key", (), ("customerMasterKeySpec", "keyUsage", "customKeyStoreId"),
                  retention={r"deletionWindowInDays": "d"}),
    "aws:sns/topic:Topic": Stateful("topic", ("name", "namePrefix"), ("fifoTopic",), keys=(r"kmsMasterKeyId",)),
    "aws:sqs/queue:Queue": Stateful("queue", ("name", "namePrefix"), ("fifoQueue",),
                                    retention={r"messageRetentionSeconds": "sec"}, keys=(r"kmsMasterKeyId",)),
    "aws:glue/catalogDatabase:CatalogDatabase": Stateful("database", ("name",), ("catalogId",)),
    "aws:glue/catalogTable:CatalogTable": Stateful("table", ("name",), ("databaseName", "catalogId")),
    "aws:dynamodb/table:Table": Stateful("table", ("name",), ()),
    "aws:cloudwatch/logGroup:LogGroup": Stateful("log group", ("name", "namePrefix"), ("logGroupClass",),
                                                 retention={r"retentionInDays": "d"}, keys=(r"kmsKeyId",)),
    "aws:secretsmanager/secret:Secret": Stateful("secret", ("name", "namePrefix"), (),
                                                 retention={r"recoveryWindowInDays": "d"}, keys=(r"kmsKeyId",)),
    # Azure
    "azure-native:resources:ResourceGroup": Stateful("resource group", ("resourceGroupName",), ("location",)),
    "azure-native:storage:StorageAccount": Stateful("storage account", ("accountName",), _AZ),
    "azure-native:storage:BlobContainer": Stateful("container", ("containerName",), ("accountName", *_AZ)),
    "azure-native:storage:ManagementPolicy": Stateful(
        "storage lifecycle", (), ("accountName", "resourceGroupName"),
        retention={r"policy\.rules\[\d+\]\.definition\.actions\.baseBlob\.delete\."
                   r"daysAfter\w+GreaterThan": "d"}),
    "azure-native:storage:BlobServiceProperties": Stateful(
        "blob service", (), ("accountName", "resourceGroupName"),
        retention={r"deleteRetentionPolicy\.days": "d", r"containerDeleteRetentionPolicy\.days": "d"}),
    "azure-native:eventhub:Namespace": Stateful("namespace", ("namespaceName",), _AZ,
                                                keys=(r"encryption\.keyVaultProperties\[\d+\]\.keyName",)),
    "azure-native:eventhub:EventHub": Stateful(
        "hub", ("eventHubName",), ("namespaceName", "resourceGroupName"),
        retention={r"retentionDescription\.retentionTimeInHours": "h", r"messageRetentionInDays": "d"}),
    "azure-native:keyvault:Vault": Stateful("vault", ("vaultName",), _AZ,
                                            retention={r"properties\.softDeleteRetentionInDays": "d"}),
    "azure-native:keyvault:Key": Stateful("key", ("keyName",), ("vaultName", "resourceGroupName")),
    "azure-native:synapse:Workspace": Stateful("workspace", ("workspaceName",), _AZ,
                                               keys=(r"encryption\.cmk\.key\.keyVaultUrl",)),
    "azure-native:databricks:Workspace": Stateful("workspace", ("workspaceName",), (*_AZ, "managedResourceGroupId")),
    "azure-native:operationalinsights:Workspace": Stateful("log workspace", ("workspaceName",), _AZ,
                                                           retention={r"retentionInDays": "d"}),
    # GCP
    "gcp:storage/bucket:Bucket": Stateful(
        "bucket", ("name",), ("location", "project", "enableObjectRetention", "hierarchicalNamespace"),
        retention={r"retentionPolicy\.retentionPeriod": "sec", r"softDeletePolicy\.retentionDurationSeconds": "sec"},
        keys=(r"encryption\.defaultKmsKeyName",)),
    "gcp:pubsub/topic:Topic": Stateful("topic", ("name",), ("project",),
                                       retention={r"messageRetentionDuration": "s"}, keys=(r"kmsKeyName",)),
    "gcp:pubsub/subscription:Subscription": Stateful(
        "subscription", ("name",), ("topic", "project", "enableMessageOrdering", "filter"),
        retention={r"messageRetentionDuration": "s"}),
    "gcp:bigquery/dataset:Dataset": Stateful(
        "dataset", ("datasetId",), ("location", "project"),
        retention={r"maxTimeTravelHours": "hs", r"defaultTableExpirationMs": "ms"},
        keys=(r"defaultEncryptionConfiguration\.kmsKeyName",)),
    "gcp:bigquery/table:Table": Stateful("table", ("tableId",), ("datasetId", "project"),
                                         keys=(r"encryptionConfiguration\.kmsKeyName",)),
    "gcp:kms/keyRing:KeyRing": Stateful("key ring", ("name",), ("location", "project")),
    "gcp:kms/cryptoKey:CryptoKey": Stateful(
        "key", ("name",), ("keyRing", "purpose", "importOnly", "destroyScheduledDuration",
                           "versionTemplate.protectionLevel"),
        retention={r"destroyScheduledDuration": "s"}),
}

# Inputs that, turned on, let a delete take the data with it; turned off, stop one. (path regex, unsafe value)
GUARDS: tuple[tuple[str, object], ...] = (
    (r"(.*\.)?forceDestroy", True),
    (r"(.*\.)?deleteContentsOnDestroy", True),
    (r"(.*\.)?deletionProtection", False),
    (r"(.*\.)?enablePurgeProtection", False),
    (r"(.*\.)?enableSoftDelete", False),
    (r"versioningConfiguration\.status", "Suspended"),
)

LOCKS = frozenset({
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:authorization:ManagementLockAtResourceGroupLevel",
    "azure-native:authorization:ManagementLockAtResourceLevel",
})
"""Azure management locks: deleting one lets the resources it guarded be deleted."""


def stateful(token: str) -> Stateful | None:
    return STATEFUL.get(canonical(token))


def matches(patterns, path: str) -> bool:
    return any(re.fullmatch(p, path) for p in patterns)


def replaces(token: str, path: str) -> bool:
    """Whether a change of the flattened input ``path`` makes the provider replace a ``token`` resource."""
    spec = stateful(token)
    if spec is None:
        return False
    for name in spec.names + spec.replace_on:
        if path == name or path.startswith(f"{name}.") or path.startswith(f"{name}["):
            return True
    return False
