"""Each kind of data-loss change, planted into an example stack, is flagged; harmless changes are not."""

from __future__ import annotations

from blueprint.diff import build_report
from tests.blueprint.diff.conftest import named, plant, without


def flagged(base, head) -> list[tuple[str, str]]:
    return [(w.kind, w.resource) for w in build_report(base, head, estimator="off").warnings]


def test_a_stream_removed(example_plan):
    assert flagged(example_plan("aws"), without(example_plan("aws"), "platform-buffer-stream")) == [
        ("removed", "platform-buffer-stream")]


def test_a_key_ring_removed(example_plan):
    assert ("removed", "platform-gcp-keyring") in flagged(
        example_plan("gcp"), without(example_plan("gcp"), "platform-gcp-keyring"))


def test_a_bucket_moved_to_another_location_is_replaced(example_plan):
    head = plant(example_plan("gcp"), "platform-processing-staging", "location", "EU")
    report = build_report(example_plan("gcp"), head, estimator="off")
    change = next(c for c in report.comparison.changes if c.resource.name == "platform-processing-staging")
    assert change.action == "replace"
    assert [(w.kind, w.resource) for w in report.warnings] == [("replaced", "platform-processing-staging")]
    assert "`location`" in report.warnings[0].message


def test_an_event_hub_moved_to_another_namespace_is_replaced(example_plan):
    head = plant(example_plan("azure"), "platform-buffer-hub", "namespaceName", "another-namespace")
    assert flagged(example_plan("azure"), head) == [("replaced", "platform-buffer-hub")]


def test_a_key_usage_change_replaces_the_kms_key(example_plan):
    head = plant(example_plan("aws"), "platform-aws-key-cmk", "keyUsage", "SIGN_VERIFY")
    assert flagged(example_plan("aws"), head) == [("replaced", "platform-aws-key-cmk")]


def test_a_renamed_bucket_is_flagged_renamed_and_replaced(example_plan):
    head = plant(example_plan("aws"), "platform-store-curated", "bucket", "blueprint-aws-store-curated-renamed")
    assert flagged(example_plan("aws"), head) == [("replaced", "platform-store-curated"),
                                                  ("renamed", "platform-store-curated")]


def test_a_renamed_storage_account_is_flagged(example_plan):
    head = plant(example_plan("azure"), "platform-store-account", "accountName", "blueprintstorelakeother")
    assert ("renamed", "platform-store-account") in flagged(example_plan("azure"), head)


def test_retention_shortened_on_each_cloud(example_plan):
    aws = plant(example_plan("aws"), "platform-aws-network-flow-logs", "retentionInDays", 1)
    azure = plant(example_plan("azure"), "platform-buffer-hub", "retentionDescription.retentionTimeInHours", 1)
    gcp = plant(example_plan("gcp"), "platform-gcp-budget-alerts", "messageRetentionDuration", "3600s")
    assert flagged(example_plan("aws"), aws) == [("retention", "platform-aws-network-flow-logs")]
    assert flagged(example_plan("azure"), azure) == [("retention", "platform-buffer-hub")]
    assert flagged(example_plan("gcp"), gcp) == [("retention", "platform-gcp-budget-alerts")]
    message = build_report(example_plan("gcp"), gcp, estimator="off").warnings[0].message
    assert "from 1 d to 1 h" in message


def test_a_stream_retention_of_48_to_24_hours_is_shortened(example_plan):
    base = plant(example_plan("aws"), "platform-buffer-stream", "retentionPeriod", 48)
    assert flagged(base, example_plan("aws")) == [("retention", "platform-buffer-stream")]


def test_retention_lengthened_or_equal_is_not_flagged(example_plan):
    longer = plant(example_plan("aws"), "platform-aws-network-flow-logs", "retentionInDays", 30)
    same_in_other_words = plant(example_plan("gcp"), "platform-gcp-budget-alerts", "messageRetentionDuration",
                                "86400.0s")
    assert flagged(example_plan("aws"), longer) == []
    assert flagged(example_plan("gcp"), same_in_other_words) == []


def test_a_stream_key_changed(example_plan):
    head = plant(example_plan("aws"), "platform-buffer-stream", "kmsKeyId",
                 "arn:aws:kms:us-east-1:123456789012:key/another")
    assert flagged(example_plan("aws"), head) == [("key", "platform-buffer-stream")]


def test_a_dataset_key_changed(example_plan):
    head = plant(example_plan("gcp"), "platform-store-dataset", "defaultEncryptionConfiguration.kmsKeyName",
                 "projects/p/locations/us-central1/keyRings/r/cryptoKeys/other")
    assert flagged(example_plan("gcp"), head) == [("key", "platform-store-dataset")]


def test_protect_removed_and_a_protected_resource_deleted(example_plan):
    base = example_plan("aws")
    named(base, "platform-store-curated").protect = True
    named(base, "platform-buffer-stream").protect = True
    head = without(example_plan("aws"), "platform-buffer-stream")
    assert flagged(base, head) == [("removed", "platform-buffer-stream"), ("protection", "platform-buffer-stream"),
                                   ("protection", "platform-store-curated")]


def test_deletion_protection_off_and_force_destroy_on(example_plan):
    base = plant(example_plan("gcp"), "platform-store-sensor-daily", "deletionProtection", True)
    head = example_plan("gcp")  # deletionProtection false
    assert flagged(base, head) == [("protection", "platform-store-sensor-daily")]
    aws_base = plant(example_plan("aws"), "platform-store-curated", "forceDestroy", False)
    assert flagged(aws_base, example_plan("aws")) == [("protection", "platform-store-curated")]


def test_harmless_changes_warn_of_nothing(example_plan):
    head = plant(example_plan("aws"), "platform-buffer-stream", "tags.owner", "platform-team")
    head = plant(head, "platform-buffer-stream", "shardCount", 2)
    report = build_report(example_plan("aws"), head, estimator="off")
    assert report.warnings == []
    assert [c.action for c in report.comparison.changes] == ["update"]


def test_a_production_lock_deleted(example_plan):
    head = without(example_plan("azure-prod"), "platform-store-lock")
    assert flagged(example_plan("azure-prod"), head) == [("protection", "platform-store-lock")]


def test_versioning_suspended(example_plan):
    head = plant(example_plan("aws-prod"), "platform-store-curated-versioning", "versioningConfiguration.status",
                 "Suspended")
    assert flagged(example_plan("aws-prod"), head) == [("protection", "platform-store-curated-versioning")]


def test_a_protected_production_workspace_removed(example_plan):
    head = without(example_plan("azure-prod"), "platform-processing-workspace")
    assert flagged(example_plan("azure-prod"), head) == [("removed", "platform-processing-workspace"),
                                                         ("protection", "platform-processing-workspace")]


def test_the_stateful_types_of_the_example_stacks(example_plan):
    """Every type that holds data in the examples is in the table (other types may join it)."""
    from blueprint.diff.stateful import stateful

    types = {r.type for stack in ("aws", "aws-prod", "azure", "azure-prod", "gcp", "gcp-prod")
             for r in example_plan(stack).custom_resources}
    flagged_types = {t for t in types if stateful(t)}
    assert flagged_types >= {
        "aws:cloudwatch/logGroup:LogGroup", "aws:glue/catalogDatabase:CatalogDatabase",
        "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "aws:kinesis/stream:Stream", "aws:kms/key:Key",
        "aws:s3/bucket:Bucket", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:sns/topic:Topic", "azure-native:databricks:Workspace", "azure-native:eventhub:EventHub",
        "azure-native:eventhub:Namespace", "azure-native:keyvault:Key", "azure-native:keyvault:Vault",
        "azure-native:operationalinsights:Workspace", "azure-native:resources:ResourceGroup",
        "azure-native:storage:BlobContainer", "azure-native:storage:BlobServiceProperties",
        "azure-native:storage:ManagementPolicy", "azure-native:storage:StorageAccount",
        "azure-native:synapse:Workspace", "gcp:bigquery/dataset:Dataset", "gcp:bigquery/table:Table",
        "gcp:kms/cryptoKey:CryptoKey", "gcp:kms/keyRing:KeyRing", "gcp:pubsub/subscription:Subscription",
        "gcp:pubsub/topic:Topic", "gcp:storage/bucket:Bucket",
    }
