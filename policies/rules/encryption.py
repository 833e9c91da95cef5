"""Encryption at rest (catalogue group A): S3, Kinesis, Firehose, EMR, Glue, Athena,
SNS, CloudWatch Logs, Azure Storage / Event Hubs / Databricks, GCP CMEK."""

from __future__ import annotations

from policies.check import applies_to, companions, label, of_type, refers_to
from policies.config import is_production
from policies.props import as_json, as_list, get, is_computed
from policies.tokens import canonical

S3_BUCKET = "aws:s3/bucket:Bucket"
S3_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
S3_LOGGING = "aws:s3/bucketLogging:BucketLogging"
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _sse_rules(resource) -> list[dict]:
    """SSE rules from a standalone configuration or the deprecated inline Bucket field."""
    if canonical(resource.resource_type) == S3_BUCKET:
        return as_list(get(resource.props, "serverSideEncryptionConfiguration.rules"))
    return as_list(resource.props.get("rules"))


def s3_bucket_encryption(args, report) -> None:
    """Every bucket: SSE-KMS with the bucket key on (a CMK in production); log targets may use SSE-S3."""
    config = args.get_config()
    for bucket in of_type(args.resources, S3_BUCKET):
        configs = companions(bucket, args.resources, [S3_SSE], "bucket")
        rules = [rule for c in configs for rule in _sse_rules(c)] + _sse_rules(bucket)
        if not rules:
            report(f"bucket {label(bucket)} has no default encryption: add an "
                   "aws.s3.BucketServerSideEncryptionConfiguration with sse_algorithm 'aws:kms' and "
                   "bucket_key_enabled=True", bucket.urn)
            continue
        is_log_target = any(refers_to(log, "targetBucket", bucket) for log in of_type(args.resources, S3_LOGGING))
        for rule in rules:
            algorithm = get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
            if algorithm == "AES256" and is_log_target:
                continue  # S3 server access logs cannot be delivered to an SSE-KMS bucket.
            if algorithm not in KMS_ALGORITHMS:
                report(f"bucket {label(bucket)} uses sse_algorithm {algorithm!r}: set 'aws:kms' "
                       "(only a server-access-log target bucket may use AES256)", bucket.urn)
                continue
            if rule.get("bucketKeyEnabled") is not True:
                report(f"bucket {label(bucket)}: set bucket_key_enabled=True to cut KMS request costs", bucket.urn)
            if is_production(config) and not get(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId"):
                report(f"bucket {label(bucket)}: production buckets use the stack's CMK; set "
                       "kms_master_key_id to the key ARN", bucket.urn)


@applies_to("aws:kinesis/stream:Stream")
def kinesis_stream_encrypted(args, report) -> None:
    if args.props.get("encryptionType") != "KMS":
        report("set encryption_type='KMS' and kms_key_id to the stack's key")
    elif not args.props.get("kmsKeyId"):
        report("set kms_key_id (the stack's CMK, or 'alias/aws/kinesis')")


@applies_to("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
def firehose_encrypted(args, report) -> None:
    props = args.props
    from_stream = bool(props.get("kinesisSourceConfiguration"))
    if not from_stream and get(props, "serverSideEncryption.enabled") is not True:
        report("set server_side_encryption={'enabled': True, 'key_type': 'CUSTOMER_MANAGED_CMK', 'key_arn': ...} "
               "(or read from an encrypted Kinesis stream)")
    if props.get("destination") == "extended_s3" and not get(props, "extendedS3Configuration.kmsKeyArn"):
        report("set extended_s3_configuration.kms_key_arn so delivered objects are encrypted with the CMK")


@applies_to("aws:emr/cluster:Cluster", "aws:emr/securityConfiguration:SecurityConfiguration")
def emr_encryption_at_rest(args, report) -> None:
    if args.resource_type.endswith(":Cluster"):
        if not args.props.get("securityConfiguration"):
            report("set security_configuration to an EMR security configuration with at-rest and in-transit "
                   "encryption")
        return
    doc = as_json(args.props.get("configuration"))
    if doc is None:
        return
    enc = doc.get("EncryptionConfiguration") or {}
    at_rest = enc.get("AtRestEncryptionConfiguration") or {}
    if enc.get("EnableAtRestEncryption") is not True:
        report("set EncryptionConfiguration.EnableAtRestEncryption to true")
    if get(at_rest, "S3EncryptionConfiguration.EncryptionMode") not in ("SSE-KMS", "CSE-KMS"):
        report("set AtRestEncryptionConfiguration.S3EncryptionConfiguration.EncryptionMode to SSE-KMS")
    disk = at_rest.get("LocalDiskEncryptionConfiguration") or {}
    if disk.get("EncryptionKeyProviderType") != "AwsKms" or disk.get("EnableEbsEncryption") is not True:
        report("set LocalDiskEncryptionConfiguration to EncryptionKeyProviderType 'AwsKms' with "
               "EnableEbsEncryption true")


@applies_to("aws:glue/job:Job", "aws:glue/crawler:Crawler", "aws:glue/securityConfiguration:SecurityConfiguration",
            "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings")
def glue_encryption(args, report) -> None:
    props, kind = args.props, args.resource_type.rsplit(":", 1)[1]
    if kind in ("Job", "Crawler"):
        if not props.get("securityConfiguration"):
            report(f"set security_configuration on the Glue {kind.lower()} (SSE-KMS for S3, CloudWatch, bookmarks)")
    elif kind == "SecurityConfiguration":
        enc = props.get("encryptionConfiguration") or {}
        modes = {
            "s3Encryption.s3EncryptionMode": "SSE-KMS",
            "cloudwatchEncryption.cloudwatchEncryptionMode": "SSE-KMS",
            "jobBookmarksEncryption.jobBookmarksEncryptionMode": "CSE-KMS",
        }
        for path, wanted in modes.items():
            if get(enc, path) != wanted:
                report(f"set encryption_configuration.{path} to {wanted} with the stack's key")
    else:
        if get(props, "dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode") != "SSE-KMS":
            report("set data_catalog_encryption_settings.encryption_at_rest.catalog_encryption_mode='SSE-KMS'")


@applies_to("aws:athena/workgroup:Workgroup", "aws:athena/database:Database")
def athena_encryption(args, report) -> None:
    props = args.props
    if args.resource_type.endswith(":Database"):
        if get(props, "encryptionConfiguration.encryptionOption") not in ("SSE_KMS", "CSE_KMS"):
            report("set encryption_configuration={'encryption_option': 'SSE_KMS', 'kms_key': ...}")
        return
    conf = props.get("configuration") or {}
    option = get(conf, "resultConfiguration.encryptionConfiguration.encryptionOption")
    if option not in ("SSE_KMS", "CSE_KMS"):
        report("encrypt query results: configuration.result_configuration.encryption_configuration "
               "encryption_option='SSE_KMS' with kms_key_arn")
    elif not get(conf, "resultConfiguration.encryptionConfiguration.kmsKeyArn"):
        report("set configuration.result_configuration.encryption_configuration.kms_key_arn to the stack's key")
    if conf.get("enforceWorkgroupConfiguration") is not True:
        report("set configuration.enforce_workgroup_configuration=True so clients cannot bypass encryption")


@applies_to("aws:sns/topic:Topic")
def sns_topic_encrypted(args, report) -> None:
    if not args.props.get("kmsMasterKeyId"):
        report("set kms_master_key_id to the stack's key (grant the publishing services kms:GenerateDataKey)")


@applies_to("aws:cloudwatch/logGroup:LogGroup")
def log_group_encrypted(args, report) -> None:
    if not args.props.get("kmsKeyId"):
        report("set kms_key_id to the stack's key (the key policy must allow logs.<region>.amazonaws.com)")


EVENT_HUBS_CMK_TIERS = ("Premium",)
"""Event Hubs tiers that offer customer-managed keys (besides namespaces on a Dedicated cluster)."""


def eventhub_cmk_available(props) -> bool:
    """Whether Event Hubs lets this namespace use a customer-managed key: Premium, or a Dedicated cluster."""
    tier = get(props, "sku.tier") or get(props, "sku.name")
    return str(tier) in EVENT_HUBS_CMK_TIERS or bool(props.get("clusterArmId"))


@applies_to("azure-native:storage:StorageAccount", "azure-native:eventhub:Namespace")
def azure_cmk(args, report) -> None:
    """Storage always; Event Hubs only where the tier offers a CMK (Premium or Dedicated).

    Basic and Standard namespaces cannot take a customer-managed key at all
    (Azure refuses ``encryption`` there), so requiring one would only force a
    tier change; ``eventhub_cmk_tier`` reports those as advisory instead. A
    Premium or Dedicated namespace without a CMK still fails here.
    """
    if args.resource_type.endswith(":Namespace") and not eventhub_cmk_available(args.props):
        return
    enc = args.props.get("encryption") or {}
    if str(enc.get("keySource", "")).lower() != "microsoft.keyvault":
        report("set encryption.key_source='Microsoft.Keyvault' with key_vault_properties (a Key Vault key) and a "
               "managed identity that may use it")
    elif not enc.get("keyVaultProperties"):
        report("set encryption.key_vault_properties (key name and vault URI)")
    if args.resource_type.endswith(":StorageAccount") and enc.get("requireInfrastructureEncryption") is not True:
        report("set encryption.require_infrastructure_encryption=True (double encryption; only at creation)")


@applies_to("azure-native:eventhub:Namespace")
def eventhub_cmk_tier(args, report) -> None:
    """Production namespaces on Basic/Standard: encrypted with Microsoft-managed keys only (advisory)."""
    if not is_production(args.get_config()) or eventhub_cmk_available(args.props):
        return
    tier = get(args.props, "sku.tier") or get(args.props, "sku.name") or "Standard"
    report(f"Event Hubs {tier} encrypts with Microsoft-managed keys only: a customer-managed key needs the Premium "
           "tier or a Dedicated cluster; keep the retention short and land events in CMK-encrypted storage")


@applies_to("azure-native:databricks:Workspace")
def databricks_cmk(args, report) -> None:
    props = args.props
    for entity in ("managedServices", "managedDisk"):
        if str(get(props, f"encryption.entities.{entity}.keySource", "")).lower() != "microsoft.keyvault":
            report(f"set encryption.entities.{entity}.key_source='Microsoft.Keyvault' with a Key Vault key")
    if get(props, "parameters.prepareEncryption.value") is not True:
        report("set parameters.prepare_encryption.value=True so DBFS root can use a CMK")
    if get(props, "parameters.requireInfrastructureEncryption.value") is not True:
        report("set parameters.require_infrastructure_encryption.value=True")


def _cmek(args, report, path: str, what: str) -> None:
    value = get(args.props, path)
    if not value and not is_computed(value):
        report(f"set {what} to the stack's Cloud KMS key (grant the service agent "
               "roles/cloudkms.cryptoKeyEncrypterDecrypter on it)")


@applies_to("gcp:storage/bucket:Bucket")
def gcs_cmek(args, report) -> None:
    _cmek(args, report, "encryption.defaultKmsKeyName", "encryption.default_kms_key_name")


@applies_to("gcp:bigquery/dataset:Dataset", "gcp:bigquery/table:Table")
def bigquery_cmek(args, report) -> None:
    if args.resource_type.endswith(":Dataset"):
        _cmek(args, report, "defaultEncryptionConfiguration.kmsKeyName",
              "default_encryption_configuration.kms_key_name")
    elif args.props.get("externalDataConfiguration"):
        # An external table keeps no data in BigQuery storage: its files are
        # encrypted by their bucket's key (checked by the GCS CMEK rule), and
        # BigQuery manages no table data a table key could protect.
        return
    else:
        _cmek(args, report, "encryptionConfiguration.kmsKeyName", "encryption_configuration.kms_key_name")


@applies_to("gcp:pubsub/topic:Topic", "gcp:dataproc/cluster:Cluster")
def pubsub_dataproc_cmek(args, report) -> None:
    if args.resource_type.endswith(":Topic"):
        _cmek(args, report, "kmsKeyName", "kms_key_name")
    else:
        _cmek(args, report, "clusterConfig.encryptionConfig.kmsKeyName", "cluster_config.encryption_config.kms_key_name")
