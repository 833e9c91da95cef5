"""AwsProcessing: Firehose to raw, EMR Serverless (or an EMR cluster), a Glue database."""

from __future__ import annotations

import json

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


def test_stage_role_trusts_firehose_and_emr_serverless_with_conditions():
    s = synth(LEARNING)
    trust = statements(doc(one(s, "aws:iam/role:Role", "processing-pipeline-role").inputs["assumeRolePolicy"]))
    assert {st["Principal"]["Service"] for st in trust} == {"firehose.amazonaws.com", "emr-serverless.amazonaws.com"}
    assert all(st.get("Condition") for st in trust)
    role_name = one(s, "aws:iam/role:Role", "processing-pipeline-role").inputs["name"]
    assert one(s, FIREHOSE).inputs["extendedS3Configuration"]["roleArn"].endswith(f"role/{role_name}")


def test_stage_role_is_scoped_to_stream_buckets_key_and_catalog():
    s = synth(LEARNING)
    policy = statements(doc(one(s, "aws:iam/policy:Policy", "processing-pipeline-policy").inputs["policy"]))
    buckets = {z: bucket_named(s, z).inputs["bucket"] for z in ("raw", "processed", "curated", "logs")}
    resources = [r for st in policy for r in (st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]])]
    s3 = [r for r in resources if r.startswith("arn:aws:s3:::")]
    assert s3 and all(r.split(":::")[1].split("/")[0] in {buckets["raw"], buckets["processed"], buckets["curated"]}
                      for r in s3)
    writes_raw = [st for st in policy if "s3:PutObject" in st["Action"] and
                  f"arn:aws:s3:::{buckets['raw']}/*" in (st["Resource"] if isinstance(st["Resource"], list)
                                                         else [st["Resource"]])]
    assert writes_raw and all("s3:DeleteObject" not in st["Action"] for st in writes_raw)


def test_cluster_engine_refused_in_learning_without_accepting_idle_cost():
    with pytest.raises(ConfigError, match=r"blueprint:stages\.processing\.engine"):
        synthesize(LEARNING, stack_config(LEARNING, stages={"processing": {"engine": "cluster"}}))


def test_cluster_engine_when_accepted():
    s = variation("cluster")
    assert of_type(s, APP) == []
    cluster = one(s, "aws:emr/cluster:Cluster")
    assert cluster.inputs["terminationProtection"] is False
    assert cluster.inputs["autoTerminationPolicy"]["idleTimeout"] > 0
    assert cluster.inputs["logUri"] == f"s3://{bucket_named(s, 'logs').inputs['bucket']}/emr/"
    subnet_ids = {x.urn for x in of_type(s, "aws:ec2/subnet:Subnet") if x.inputs["tags"]["tier"] == "processing"}
    assert set(cluster.property_dependencies["ec2Attributes"]) & subnet_ids
    security = one(s, "aws:emr/securityConfiguration:SecurityConfiguration")
    config = json.loads(security.inputs["configuration"])["EncryptionConfiguration"]
    assert config["EnableAtRestEncryption"] is True and config["EnableInTransitEncryption"] is True
    at_rest = config["AtRestEncryptionConfiguration"]
    assert at_rest["S3EncryptionConfiguration"]["EncryptionMode"] == "SSE-KMS"
    assert at_rest["LocalDiskEncryptionConfiguration"]["EnableEbsEncryption"] is True
    assert cluster.inputs["securityConfiguration"] == security.inputs["name"]
    assert component(s, "blueprint:stage:Processing").outputs["engine_kind"] == "emr-cluster"


def test_cluster_in_production_has_termination_protection():
    s = synth(PRODUCTION, stack_config(PRODUCTION, stages={"processing": {"engine": "cluster"}}))
    assert one(s, "aws:emr/cluster:Cluster").inputs["terminationProtection"] is True


def test_exact_children():
    s = synth(LEARNING)
    assert child_types(s, component(s, "blueprint:stage:Processing")) == {
        "LogGroup": 1, "LogStream": 1, "Role": 1, "Policy": 1, "RolePolicyAttachment": 1,
        "FirehoseDeliveryStream": 1, "CatalogDatabase": 1, "Application": 1,
    }
    c = variation("cluster")
    assert child_types(c, component(c, "blueprint:stage:Processing")) == {
        "LogGroup": 1, "LogStream": 1, "Role": 3, "Policy": 3, "RolePolicyAttachment": 4,
        "FirehoseDeliveryStream": 1, "CatalogDatabase": 1, "SecurityGroup": 3, "SecurityGroupIngressRule": 1,
        "InstanceProfile": 1, "SecurityConfiguration": 1, "Cluster": 1,
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


@pytest.mark.parametrize("stack, role", [(LEARNING, "processing-pipeline-policy"),
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
