"""AwsProcessing: Firehose to raw, EMR Serverless (or an EMR cluster), a Glue database."""

from __future__ import annotations

import json
import re

import pytest

from blueprint.engine import synthesize
from components.config import ConfigError, ProcessingSettings
from tests.conftest import stack_config, synth
from tests.infra.aws.support import (
    LEARNING, PRODUCTION, bucket_named, by_urn, child_types, component, doc, of_type, one, statements, variation,
)

FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
APP = "aws:emrserverless/application:Application"


def test_firehose_reads_the_stream_and_writes_raw_partitioned_by_time():
    s = synth(LEARNING)
    sink = one(s, FIREHOSE)
    stream = one(s, "aws:kinesis/stream:Stream")
    assert sink.inputs["destination"] == "extended_s3"
    assert sink.inputs["kinesisSourceConfiguration"]["kinesisStreamArn"].endswith(f"stream/{stream.inputs['name']}")
    s3 = sink.inputs["extendedS3Configuration"]
    assert s3["bucketArn"] == f"arn:aws:s3:::{bucket_named(s, 'raw').inputs['bucket']}"
    for part in ("year=!{timestamp:yyyy}", "month=!{timestamp:MM}", "day=!{timestamp:dd}"):
        assert part in s3["prefix"]
    assert "!{firehose:error-output-type}" in s3["errorOutputPrefix"]
    assert not s3["errorOutputPrefix"].startswith(s3["prefix"].split("/")[0])
    assert s3["kmsKeyArn"].startswith("arn:aws:kms:")
    assert s3["cloudwatchLoggingOptions"]["enabled"] is True
    assert s3["bufferingSize"] >= 1 and s3["bufferingInterval"] >= 60
    assert component(s, "blueprint:stage:Processing").outputs["sink_delivery"] == "at-least-once"


def test_firehose_error_log_group_is_encrypted_with_retention():
    s = synth(LEARNING)
    sink = one(s, FIREHOSE)
    group = [g for g in of_type(s, "aws:cloudwatch/logGroup:LogGroup")
             if g.inputs["name"] == sink.inputs["extendedS3Configuration"]["cloudwatchLoggingOptions"]["logGroupName"]]
    assert len(group) == 1 and group[0].inputs["kmsKeyId"] and group[0].inputs["retentionInDays"] > 0


def test_serverless_application_secure_and_idle_free():
    s = synth(LEARNING)
    app = one(s, APP)
    assert app.inputs["type"] == "spark"
    assert app.inputs["autoStartConfiguration"]["enabled"] is True
    assert app.inputs["autoStopConfiguration"]["enabled"] is True
    assert 1 <= app.inputs["autoStopConfiguration"]["idleTimeoutMinutes"] <= 60
    assert not app.inputs.get("initialCapacities")
    subnets = [by_urn(s, u) for u in app.property_dependencies["networkConfiguration"]
               if by_urn(s, u).type == "aws:ec2/subnet:Subnet"]
    groups = [by_urn(s, u) for u in app.property_dependencies["networkConfiguration"]
              if by_urn(s, u).type == "aws:ec2/securityGroup:SecurityGroup"]
    assert subnets and {x.inputs["tags"]["tier"] for x in subnets} == {"processing"}
    assert [g.inputs["tags"]["zone"] for g in groups] == ["processing"]
    assert app.inputs["maximumCapacity"]["cpu"] == f"{ProcessingSettings().max_vcpu} vCPU"


def test_max_vcpu_override_wins():
    assert one(variation("overrides"), APP).inputs["maximumCapacity"]["cpu"] == "8 vCPU"


def test_glue_database_and_catalog_output():
    s = synth(LEARNING)
    database = one(s, "aws:glue/catalogDatabase:CatalogDatabase")
    assert component(s, "blueprint:stage:Processing").outputs["catalog"] == database.inputs["name"]


def test_sink_role_trusts_only_firehose_and_reads_the_stream_and_writes_raw():
    s = synth(LEARNING)
    raw = bucket_named(s, "raw").inputs["bucket"]
    stream = one(s, "aws:kinesis/stream:Stream").inputs["name"]
    key = one(s, "aws:kms/key:Key").name
    log_group = one(s, "aws:cloudwatch/logGroup:LogGroup", "processing-firehose-logs").inputs["name"]
    role = one(s, "aws:iam/role:Role", "processing-sink-role")
    assert statements(doc(role.inputs["assumeRolePolicy"])) == [{
        "Sid": "TrustFirehose", "Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"},
        "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "123456789012"}},
    }]
    policy = statements(doc(one(s, "aws:iam/policy:Policy", "processing-sink-policy").inputs["policy"]))
    assert policy == [
        {"Sid": "ReadTheBuffer", "Effect": "Allow",
         "Action": ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator",
                    "kinesis:GetRecords", "kinesis:ListShards"],
         "Resource": f"arn:aws:kinesis:us-east-1:123456789012:stream/{stream}"},
        {"Sid": "ListRaw", "Effect": "Allow",
         "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
         "Resource": f"arn:aws:s3:::{raw}"},
        {"Sid": "WriteRaw", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
         "Resource": f"arn:aws:s3:::{raw}/*"},
        {"Sid": "UseStackKey", "Effect": "Allow",
         "Action": ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
         "Resource": policy[3]["Resource"]},
        {"Sid": "LogDeliveryErrors", "Effect": "Allow", "Action": ["logs:PutLogEvents"],
         "Resource": f"arn:aws:logs:us-east-1:123456789012:log-group:{log_group}:log-stream:S3Delivery"},
    ]
    assert policy[3]["Resource"].startswith("arn:aws:kms:us-east-1:123456789012:key/") and key
    sink = one(s, FIREHOSE)
    role_arn = f"arn:aws:iam::123456789012:role/{role.inputs['name']}"
    assert sink.inputs["extendedS3Configuration"]["roleArn"] == role_arn
    assert sink.inputs["kinesisSourceConfiguration"]["roleArn"] == role_arn


def test_job_role_trusts_only_emr_serverless_and_never_writes_raw_nor_reads_the_stream():
    s = synth(LEARNING)
    lake = {z: bucket_named(s, z).inputs["bucket"] for z in ("raw", "processed", "curated")}
    database = one(s, "aws:glue/catalogDatabase:CatalogDatabase").inputs["name"]
    role = one(s, "aws:iam/role:Role", "processing-job-role")
    assert statements(doc(role.inputs["assumeRolePolicy"])) == [{
        "Sid": "TrustEmrServerless", "Effect": "Allow", "Principal": {"Service": "emr-serverless.amazonaws.com"},
        "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
    }]
    policy = statements(doc(one(s, "aws:iam/policy:Policy", "processing-job-policy").inputs["policy"]))
    glue = "arn:aws:glue:us-east-1:123456789012:"
    assert [st for st in policy if st["Sid"] != "UseStackKey"] == [
        {"Sid": "ListTheLake", "Effect": "Allow",
         "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
         "Resource": [f"arn:aws:s3:::{lake['raw']}", f"arn:aws:s3:::{lake['processed']}",
                      f"arn:aws:s3:::{lake['curated']}"]},
        {"Sid": "ReadRaw", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::{lake['raw']}/*"},
        {"Sid": "ReadWriteProcessedAndCurated", "Effect": "Allow",
         "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
         "Resource": [f"arn:aws:s3:::{lake['processed']}/*", f"arn:aws:s3:::{lake['curated']}/*"]},
        {"Sid": "UseTheCatalog", "Effect": "Allow",
         "Action": ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:CreateTable",
                    "glue:UpdateTable", "glue:DeleteTable", "glue:GetPartition", "glue:GetPartitions",
                    "glue:BatchGetPartition", "glue:CreatePartition", "glue:BatchCreatePartition",
                    "glue:UpdatePartition", "glue:DeletePartition", "glue:BatchDeletePartition",
                    "glue:GetUserDefinedFunctions"],
         "Resource": [f"{glue}catalog", f"{glue}database/{database}", f"{glue}table/{database}/*",
                      f"{glue}userDefinedFunction/{database}/*"]},
        {"Sid": "OpenOrCreateTheDefaultDatabase", "Effect": "Allow",
         "Action": ["glue:GetDatabase", "glue:CreateDatabase"],
         "Resource": [f"{glue}catalog", f"{glue}database/default"]},
    ]
    assert component(s, "blueprint:stage:Processing").outputs["identity"] == (
        f"arn:aws:iam::123456789012:role/{role.inputs['name']}")


def test_spark_uses_the_glue_catalog_as_its_metastore():
    app = one(synth(LEARNING), APP)
    assert app.inputs["runtimeConfigurations"] == [{
        "classification": "spark-defaults",
        "properties": {"spark.hadoop.hive.metastore.client.factory.class":
                       "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"},
    }]


def test_a_submitter_may_run_jobs_on_this_application_and_pass_only_the_job_role():
    s = synth(LEARNING)
    app = one(s, APP)
    job_role = one(s, "aws:iam/role:Role", "processing-job-role").inputs["name"]
    role = one(s, "aws:iam/role:Role", "processing-submitter-role")
    assert statements(doc(role.inputs["assumeRolePolicy"])) == [{
        "Sid": "TrustThisAccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "sts:AssumeRole",
    }]
    record = one(s, "aws:iam/policy:Policy", "processing-submitter-policy")
    assert app.urn in record.property_dependencies["policy"]
    policy = statements(doc(record.inputs["policy"]))
    application = policy[0]["Resource"][0]
    assert re.fullmatch(r"arn:aws:emr-serverless:us-east-1:123456789012:/applications/[a-z0-9]+", application)
    assert policy == [
        {"Sid": "RunJobsOnThisApplication", "Effect": "Allow",
         "Action": ["emr-serverless:StartJobRun", "emr-serverless:GetJobRun", "emr-serverless:ListJobRuns",
                    "emr-serverless:CancelJobRun", "emr-serverless:GetDashboardForJobRun",
                    "emr-serverless:GetApplication"],
         "Resource": [application, f"{application}/jobruns/*"]},
        {"Sid": "PassTheJobRole", "Effect": "Allow", "Action": ["iam:PassRole"],
         "Resource": f"arn:aws:iam::123456789012:role/{job_role}",
         "Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}},
    ]


def test_production_encrypts_the_data_catalog_with_the_stack_key():
    assert of_type(synth(LEARNING), "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings") == []
    s = synth(PRODUCTION)
    settings = one(s, "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings")
    key = one(s, "aws:kms/key:Key")
    assert settings.inputs["catalogId"] == "123456789012"
    encryption = settings.inputs["dataCatalogEncryptionSettings"]
    assert encryption["encryptionAtRest"]["catalogEncryptionMode"] == "SSE-KMS"
    assert encryption["connectionPasswordEncryption"]["returnConnectionPasswordEncrypted"] is True
    assert set(settings.property_dependencies["dataCatalogEncryptionSettings"]) == {key.urn}


def test_cluster_engine_refused_in_learning_without_accepting_idle_cost():
    with pytest.raises(ConfigError, match=r"blueprint:stages\.processing\.engine"):
        synthesize(LEARNING, stack_config(LEARNING, stages={"processing": {"engine": "cluster"}}))


def test_cluster_engine_when_accepted():
    s = variation("cluster")
    assert of_type(s, APP) == []
    cluster = one(s, "aws:emr/cluster:Cluster")
    assert cluster.inputs["terminationProtection"] is False
    # A learning cluster ends itself after 30 idle minutes, as the policy pack's learning limit asks.
    assert cluster.inputs["autoTerminationPolicy"] == {"idleTimeout": 1800}
    assert cluster.inputs["logUri"] == f"s3://{bucket_named(s, 'logs').inputs['bucket']}/emr/"
    subnet_ids = {x.urn for x in of_type(s, "aws:ec2/subnet:Subnet") if x.inputs["tags"]["tier"] == "processing"}
    assert set(cluster.property_dependencies["ec2Attributes"]) & subnet_ids
    security = one(s, "aws:emr/securityConfiguration:SecurityConfiguration")
    config = json.loads(security.inputs["configuration"])["EncryptionConfiguration"]
    assert config["EnableAtRestEncryption"] is True and config["EnableInTransitEncryption"] is True
    # EMRFS data and the nodes' local and EBS disks are encrypted with the stack key, the one the stack's
    # other encrypted objects (here the TLS bundle) use.
    key = one(s, "aws:s3/bucketObject:BucketObject").inputs["kmsKeyId"]
    assert key.startswith("arn:aws:kms:us-east-1:123456789012:key/")
    assert config["AtRestEncryptionConfiguration"] == {
        "S3EncryptionConfiguration": {"EncryptionMode": "SSE-KMS", "AwsKmsKey": key},
        "LocalDiskEncryptionConfiguration": {
            "EncryptionKeyProviderType": "AwsKms", "AwsKmsKey": key, "EnableEbsEncryption": True},
    }
    assert cluster.inputs["securityConfiguration"] == security.inputs["name"]
    assert component(s, "blueprint:stage:Processing").outputs["engine_kind"] == "emr-cluster"


def test_cluster_in_production_has_termination_protection():
    s = synth(PRODUCTION, stack_config(PRODUCTION, stages={"processing": {"engine": "cluster"}}))
    assert one(s, "aws:emr/cluster:Cluster").inputs["terminationProtection"] is True


def test_exact_children():
    s = synth(LEARNING)
    assert child_types(s, component(s, "blueprint:stage:Processing")) == {
        "LogGroup": 1, "LogStream": 1, "Role": 3, "Policy": 3, "RolePolicyAttachment": 3,
        "FirehoseDeliveryStream": 1, "CatalogDatabase": 1, "Application": 1, "AwsJob": 1,
    }
    c = variation("cluster")
    assert child_types(c, component(c, "blueprint:stage:Processing")) == {
        "LogGroup": 1, "LogStream": 1, "Role": 3, "Policy": 4, "RolePolicyAttachment": 5,
        "FirehoseDeliveryStream": 1, "CatalogDatabase": 1, "SecurityGroup": 3, "SecurityGroupIngressRule": 1,
        "InstanceProfile": 1, "SecurityConfiguration": 1, "Cluster": 1,
        "PrivateKey": 1, "SelfSignedCert": 1, "BucketObject": 1,
    }


def test_firehose_ends_every_record_with_a_newline():
    # Without a delimiter Firehose writes {"a":1}{"b":2}: no JSON reader (Spark, Athena) splits that.
    s3 = one(synth(LEARNING), FIREHOSE).inputs["extendedS3Configuration"]
    processing = s3["processingConfiguration"]
    assert processing["enabled"] is True
    assert [p["type"] for p in processing["processors"]] == ["AppendDelimiterToRecord"]
    assert not any(p.get("parameters") for p in processing["processors"])  # default delimiter: newline


def _grants(policy: list[dict], action: str) -> list[str]:
    return [r for st in policy if action in st["Action"]
            for r in (st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]])]


@pytest.mark.parametrize("stack, role", [(LEARNING, "processing-job-policy"),
                                         ("cluster", "processing-emr-instance-policy")])
def test_spark_may_create_the_default_database_and_manage_lake_tables(stack, role):
    s = variation(stack) if stack == "cluster" else synth(stack)
    database = one(s, "aws:glue/catalogDatabase:CatalogDatabase").inputs["name"]
    policy = statements(doc(one(s, "aws:iam/policy:Policy", role).inputs["policy"]))
    prefix = "arn:aws:glue:us-east-1:123456789012:"
    # Spark creates "default" at start-up in an account that has none; nothing else may be created.
    assert sorted(_grants(policy, "glue:CreateDatabase")) == [f"{prefix}catalog", f"{prefix}database/default"]
    for action in ("glue:CreateTable", "glue:DeleteTable", "glue:GetDatabases"):
        granted = _grants(policy, action)
        assert f"{prefix}catalog" in granted
        assert all(r == f"{prefix}catalog" or f"/{database}" in r for r in granted), (action, granted)


def test_cluster_service_role_may_encrypt_ebs_volumes_with_the_stack_key():
    s = variation("cluster")
    key = one(s, "aws:kms/key:Key")
    role = one(s, "aws:iam/role:Role", "emr-service-role")
    policies = [one(s, "aws:iam/policy:Policy", a.name.replace("-attachment", "-policy"))
                for a in of_type(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                if role.urn in a.property_dependencies["role"] and "service-key" in a.name]
    assert len(policies) == 1
    policy = statements(doc(policies[0].inputs["policy"]))
    grant = [st for st in policy if "kms:CreateGrant" in st["Action"]]
    assert grant and grant[0]["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}
    assert "kms:GenerateDataKeyWithoutPlaintext" in [a for st in policy for a in st["Action"]]
    assert all(st["Resource"].startswith("arn:aws:kms:us-east-1:123456789012:key/") for st in policy)
    assert key.name  # the one stack key
    cluster = one(s, "aws:emr/cluster:Cluster")
    attachment = one(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "emr-service-key-attachment")
    assert attachment.urn in cluster.dependencies


def test_spark_runs_on_a_supported_emr_release():
    # emr-7.5.0 left standard support on 2026-11-20 (EMR Release Guide); 7.9.0 is supported.
    assert one(synth(LEARNING), APP).inputs["releaseLabel"] == "emr-7.9.0"
    assert one(variation("cluster"), "aws:emr/cluster:Cluster").inputs["releaseLabel"] == "emr-7.9.0"


def test_a_learning_cluster_keeps_within_the_packs_idle_limit():
    from blueprint.policy_check import evaluate

    assert [v.message for v in evaluate(variation("cluster"), "learning") if v.rule == "idle-termination"] == []
