"""Each stack rule (relations between resources): a compliant stack passes, each broken relation fails.

A row is (rule, profile, compliant resources, [mutation, ...]); resources are
(token, name, props, {input: [names it was built from]}) and a mutation drops
a resource, changes a prop, or cuts a link.
"""

from __future__ import annotations

import json

import pytest

from policies.catalogue import RULES
from tests.policies.harness import mutate_stack, run_stack

L, P = "learning", "production"
KEY = "arn:aws:kms:us-east-1:123456789012:key/k"
TLS_DENY = json.dumps({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                                      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})
KEY_POLICY = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                        "Action": "kms:*", "Resource": "*"}]})


def s3(token_suffix, name, props, bucket="raw"):
    return (f"aws:s3/{token_suffix}", name, {"bucket": f"{bucket}-id", **props}, {"bucket": [bucket]})


RAW = ("aws:s3/bucket:Bucket", "raw", {"forceDestroy": True}, {})
LOGS = ("aws:s3/bucket:Bucket", "logs", {"forceDestroy": True}, {})

ROWS = [
    ("aws-s3-bucket-encryption-kms", P, [
        RAW, LOGS,
        s3("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "raw-sse", {"rules": [
            {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY},
             "bucketKeyEnabled": True}]}),
        s3("bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "logs-sse",
           {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}, bucket="logs"),
        ("aws:s3/bucketLogging:BucketLogging", "raw-logging", {"bucket": "raw-id", "targetBucket": "logs-id"},
         {"bucket": ["raw"], "targetBucket": ["logs"]}),
    ], [("drop", "raw-sse"), ("set", "raw-sse", "rules.0.bucketKeyEnabled", False),
        ("set", "raw-sse", "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "AES256"),
        ("set", "raw-sse", "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", None),
        ("drop", "raw-logging"), ("unlink", "raw-sse", "bucket")]),
    ("aws-kms-key-policy", L, [
        ("aws:kms/key:Key", "key", {"policy": KEY_POLICY}, {}),
    ], [("set", "key", "policy", None),
        ("set", "key", "policy", json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*",
                                                            "Resource": "*"}]}))]),
    ("aws-s3-bucket-tls-only", L, [RAW, s3("bucketPolicy:BucketPolicy", "raw-policy", {"policy": TLS_DENY})],
     [("drop", "raw-policy"), ("set", "raw-policy", "policy", json.dumps({"Statement": []})),
      ("unlink", "raw-policy", "bucket")]),
    ("aws-s3-bucket-public-access-block", L, [RAW, s3(
        "bucketPublicAccessBlock:BucketPublicAccessBlock", "raw-pab",
        {"blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True})],
     [("drop", "raw-pab"), ("set", "raw-pab", "blockPublicAcls", False), ("set", "raw-pab", "blockPublicPolicy", False),
      ("set", "raw-pab", "ignorePublicAcls", False), ("set", "raw-pab", "restrictPublicBuckets", False)]),
    ("aws-s3-bucket-no-public-acl", L, [RAW, s3("bucketOwnershipControls:BucketOwnershipControls", "raw-own",
                                                {"rule": {"objectOwnership": "BucketOwnerEnforced"}})],
     [("drop", "raw-own"), ("set", "raw-own", "rule.objectOwnership", "ObjectWriter"),
      ("set", "raw", "acl", "public-read")]),
    ("aws-api-exposure", P, [
        ("aws:apigateway/restApi:RestApi", "api", {"endpointConfiguration": {"types": "REGIONAL"}}, {}),
        ("aws:apigateway/stage:Stage", "api-stage", {"restApi": "api-id"}, {"restApi": ["api"]}),
        ("aws:wafv2/webAclAssociation:WebAclAssociation", "api-waf", {"resourceArn": "arn"},
         {"resourceArn": ["api-stage"]}),
    ], [("drop", "api-waf"), ("set", "api", "endpointConfiguration.types", "EDGE")]),
    ("aws-vpc-default-security-group-closed", L, [
        ("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.40.0.0/16"}, {}),
        ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "vpc-default", {"vpcId": "vpc-id"}, {"vpcId": ["vpc"]}),
        ("aws:ec2/subnet:Subnet", "vpc-data", {"vpcId": "vpc-id", "mapPublicIpOnLaunch": False}, {"vpcId": ["vpc"]}),
    ], [("drop", "vpc-default"), ("set", "vpc-default", "ingress", [{"protocol": "-1"}]),
        ("set", "vpc-data", "mapPublicIpOnLaunch", True)]),
    ("aws-vpc-endpoints", P, [
        ("aws:ec2/vpc:Vpc", "vpc", {}, {}),
        ("aws:kinesis/stream:Stream", "stream", {}, {}),
        ("aws:ec2/vpcEndpoint:VpcEndpoint", "vpc-s3", {"vpcId": "v", "serviceName": "com.amazonaws.us-east-1.s3"},
         {"vpcId": ["vpc"]}),
        ("aws:ec2/vpcEndpoint:VpcEndpoint", "vpc-kinesis",
         {"vpcId": "v", "serviceName": "com.amazonaws.us-east-1.kinesis-streams"}, {"vpcId": ["vpc"]}),
    ], [("drop", "vpc-s3"), ("drop", "vpc-kinesis")]),
    ("aws-iam-role-single-policy-management", L, [
        ("aws:iam/role:Role", "role", {"inlinePolicies": [{"name": "p", "policy": "{}"}]}, {}),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "role-attach", {"role": "role-id"}, {"role": ["role"]}),
    ], [("set", "role", "managedPolicyArns", ["arn:aws:iam::1:policy/p"])]),
    ("aws-iam-role-trust", L, [
        ("aws:iam/role:Role", "reader", {"assumeRolePolicy": json.dumps({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]})},
         {}),
        ("aws:iam/role:Role", "firehose", {"assumeRolePolicy": json.dumps({"Statement": [
            {"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole"}]})},
         {}),
        ("aws:kinesis/stream:Stream", "stream", {"arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}, {}),
    ], [("set", "reader", "assumeRolePolicy", json.dumps({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]})),
        ("set", "firehose", "assumeRolePolicy", json.dumps({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})),
        ("drop", "stream")]),
    ("aws-s3-bucket-access-logging", P, [
        RAW, LOGS,
        ("aws:s3/bucketLogging:BucketLogging", "raw-logging", {"bucket": "raw-id", "targetBucket": "logs-id"},
         {"bucket": ["raw"], "targetBucket": ["logs"]}),
    ], [("drop", "raw-logging")]),
    ("aws-vpc-flow-logs", L, [
        ("aws:ec2/vpc:Vpc", "vpc", {}, {}),
        ("aws:ec2/flowLog:FlowLog", "vpc-flow", {"vpcId": "vpc-id", "trafficType": "ALL"}, {"vpcId": ["vpc"]}),
    ], [("drop", "vpc-flow"), ("unlink", "vpc-flow", "vpcId")]),
    ("azure-private-network-access", P, [
        ("azure-native:storage:StorageAccount", "lake", {"publicNetworkAccess": "Disabled",
                                                         "networkRuleSet": {"defaultAction": "Deny"}}, {}),
        ("azure-native:keyvault:Vault", "kv", {"properties": {"publicNetworkAccess": "Disabled",
                                                              "networkAcls": {"defaultAction": "Deny"}}}, {}),
        ("azure-native:network:PrivateEndpoint", "lake-pe", {"privateLinkServiceConnections": [{}]},
         {"privateLinkServiceConnections": ["lake"]}),
        ("azure-native:network:PrivateEndpoint", "kv-pe", {"privateLinkServiceConnections": [{}]},
         {"privateLinkServiceConnections": ["kv"]}),
    ], [("drop", "lake-pe"), ("set", "lake", "publicNetworkAccess", "Enabled"),
        ("set", "lake", "networkRuleSet.defaultAction", "Allow"),
        ("set", "kv", "properties.networkAcls.defaultAction", "Allow")]),
    # the two platform constraints: an internet-facing (edge) ingest namespace, a Capture destination
    ("azure-private-network-access", P, [
        ("azure-native:eventhub:Namespace", "ns", {"publicNetworkAccess": "Enabled", "disableLocalAuth": True,
                                                   "minimumTlsVersion": "1.2", "tags": {"zone": "edge"}}, {}),
        ("azure-native:eventhub:EventHub", "hub", {"captureDescription": {"enabled": True, "destination": {
            "storageAccountResourceId": "lake-id"}}}, {"captureDescription": ["lake"]}),
        ("azure-native:storage:StorageAccount", "lake", {"publicNetworkAccess": "Enabled", "networkRuleSet": {
            "defaultAction": "Deny", "bypass": "AzureServices", "ipRules": [], "virtualNetworkRules": []}}, {}),
        ("azure-native:network:PrivateEndpoint", "ns-pe", {"privateLinkServiceConnections": [{}]},
         {"privateLinkServiceConnections": ["ns"]}),
        ("azure-native:network:PrivateEndpoint", "lake-pe", {"privateLinkServiceConnections": [{}]},
         {"privateLinkServiceConnections": ["lake"]}),
    ], [("set", "ns", "disableLocalAuth", False), ("set", "ns", "minimumTlsVersion", "1.0"),
        ("set", "ns", "tags.zone", "data"), ("drop", "ns-pe"),
        ("set", "lake", "networkRuleSet.ipRules", [{"value": "203.0.113.0/24"}]),
        ("set", "lake", "networkRuleSet.virtualNetworkRules", [{"virtualNetworkResourceId": "subnet"}]),
        ("set", "lake", "networkRuleSet.bypass", "None"), ("set", "lake", "networkRuleSet.defaultAction", "Allow"),
        ("set", "hub", "captureDescription.enabled", False), ("unlink", "hub", "captureDescription"),
        ("drop", "lake-pe")]),
    ("azure-diagnostic-settings", P, [
        ("azure-native:eventhub:Namespace", "ns", {}, {}),
        ("azure-native:monitor:DiagnosticSetting", "ns-diag", {"resourceUri": "x", "workspaceId": "w"},
         {"resourceUri": ["ns"]}),
        ("azure-native:network:FlowLog", "flow", {"retentionPolicy": {"enabled": True, "days": 90}}, {}),
    ], [("drop", "ns-diag"), ("set", "ns-diag", "workspaceId", None), ("set", "flow", "retentionPolicy.days", 30)]),
    ("gcp-storage-access-logging", P, [
        ("gcp:storage/bucket:Bucket", "raw", {"name": "raw-b", "logging": {"logBucket": "logs-b"}}, {}),
        ("gcp:storage/bucket:Bucket", "logs", {"name": "logs-b"}, {}),
    ], [("set", "raw", "logging", None), ("set", "raw", "logging.logBucket", "raw-b")]),
    ("budget-present", L, [
        ("aws:kinesis/stream:Stream", "stream", {}, {}),
        ("aws:budgets/budget:Budget", "budget", {"budgetType": "COST", "notifications": [
            {"notificationType": "ACTUAL", "threshold": 80.0, "subscriberEmailAddresses": ["a@example.com"]},
            {"notificationType": "FORECASTED", "threshold": 100.0, "subscriberSnsTopicArns": ["arn:sns"]}]}, {}),
        ("gcp:pubsub/topic:Topic", "topic", {}, {}),
        ("gcp:billing/budget:Budget", "gbudget", {
            "thresholdRules": [{"thresholdPercent": 0.8}, {"thresholdPercent": 1.0, "spendBasis": "FORECASTED_SPEND"}],
            "allUpdatesRule": {"pubsubTopic": "t"}}, {}),
        ("azure-native:storage:StorageAccount", "lake", {}, {}),
        ("azure-native:consumption:Budget", "abudget", {"notifications": {
            "a80": {"enabled": True, "threshold": 80, "thresholdType": "Actual", "contactEmails": ["a@example.com"]},
            "f100": {"enabled": True, "threshold": 100, "thresholdType": "Forecasted", "contactGroups": ["ag"]}}}, {}),
    ], [("drop", "budget"), ("drop", "gbudget"), ("drop", "abudget"),
        ("set", "budget", "notifications.1.notificationType", "ACTUAL"),
        ("set", "budget", "notifications.0.subscriberEmailAddresses", []),
        ("set", "budget", "budgetType", "USAGE"),
        ("set", "gbudget", "allUpdatesRule", {}), ("set", "gbudget", "thresholdRules.1.spendBasis", "CURRENT_SPEND"),
        ("set", "abudget", "notifications.f100.thresholdType", "Actual"),
        ("set", "abudget", "notifications.a80.contactEmails", [])]),
    ("storage-lifecycle", L, [
        RAW,
        s3("bucketLifecycleConfiguration:BucketLifecycleConfiguration", "raw-lifecycle", {"rules": [
            {"id": "tidy", "status": "Enabled", "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1},
             "noncurrentVersionExpiration": {"noncurrentDays": 30}}]}),
        ("azure-native:storage:StorageAccount", "lake", {}, {}),
        ("azure-native:storage:ManagementPolicy", "lake-mp", {"accountName": "x"}, {"accountName": ["lake"]}),
        ("gcp:storage/bucket:Bucket", "gcs", {"lifecycleRules": [{"action": {"type": "Delete"}}]}, {}),
    ], [("drop", "raw-lifecycle"), ("set", "raw-lifecycle", "rules.0.status", "Disabled"),
        ("set", "raw-lifecycle", "rules.0.noncurrentVersionExpiration", None),
        ("drop", "lake-mp"), ("set", "gcs", "lifecycleRules", [])]),
    ("approved-regions", L, [("pulumi:providers:aws", "aws", {"region": "us-east-1"}, {})],
     [("set", "aws", "region", "ap-southeast-7")]),
    ("versioning", P, [
        RAW, s3("bucketVersioning:BucketVersioning", "raw-ver", {"versioningConfiguration": {"status": "Enabled"}}),
        ("gcp:storage/bucket:Bucket", "gcs", {"versioning": {"enabled": True}}, {}),
        ("azure-native:storage:StorageAccount", "flat", {"isHnsEnabled": False}, {}),
        ("azure-native:storage:BlobServiceProperties", "flat-blob", {"isVersioningEnabled": True},
         {"accountName": ["flat"]}),
        ("azure-native:storage:StorageAccount", "adls", {"isHnsEnabled": True}, {}),
    ], [("drop", "raw-ver"), ("set", "raw-ver", "versioningConfiguration.status", "Suspended"),
        ("set", "gcs", "versioning.enabled", False), ("set", "flat-blob", "isVersioningEnabled", False)]),
    ("soft-delete-retention", P, [
        ("azure-native:storage:StorageAccount", "lake", {}, {}),
        ("azure-native:storage:BlobServiceProperties", "lake-blob", {
            "deleteRetentionPolicy": {"enabled": True, "days": 7},
            "containerDeleteRetentionPolicy": {"enabled": True, "days": 7}}, {"accountName": ["lake"]}),
        ("gcp:storage/bucket:Bucket", "gcs", {"softDeletePolicy": {"retentionDurationSeconds": 604800}}, {}),
    ], [("drop", "lake-blob"), ("set", "lake-blob", "deleteRetentionPolicy.days", 1),
        ("set", "lake-blob", "containerDeleteRetentionPolicy.enabled", False),
        ("set", "gcs", "softDeletePolicy.retentionDurationSeconds", 0)]),
    ("azure-resource-locks", P, [
        ("azure-native:storage:StorageAccount", "lake", {"name": "lake1"}, {}),
        ("azure-native:authorization:ManagementLockAtResourceLevel", "lake-lock",
         {"level": "CanNotDelete", "resourceName": "lake1"}, {"resourceName": ["lake"]}),
    ], [("drop", "lake-lock"), ("set", "lake-lock", "level", "ReadOnly")]),
    ("azure-resource-locks", P, [
        ("azure-native:keyvault:Vault", "kv", {}, {}),
        ("azure-native:authorization:ManagementLockByScope", "kv-lock", {"level": "CanNotDelete", "scope": "kv-id"},
         {"scope": ["kv"]}),
    ], [("drop", "kv-lock"), ("set", "kv-lock", "level", "ReadOnly"), ("unlink", "kv-lock", "scope")]),
    ("redundancy", P, [
        ("azure-native:storage:StorageAccount", "lake", {"sku": {"name": "Standard_ZRS"}}, {}),
        ("azure-native:eventhub:Namespace", "ns", {"zoneRedundant": True}, {}),
    ], [("set", "lake", "sku.name", "Standard_LRS"), ("set", "ns", "zoneRedundant", False)]),
]


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_compliant_stack_passes(row):
    rule, profile, specs, _ = row
    assert run_stack(rule, specs, profile) == []


CASES = [(row, m) for row in ROWS for m in row[3]]


@pytest.mark.parametrize("row,mutation", CASES, ids=[f"{r[0]}-{'-'.join(map(str, m[:3]))}" for r, m in CASES])
def test_each_broken_relation_is_reported(row, mutation):
    rule, profile, specs, _ = row
    assert run_stack(rule, mutate_stack(specs, mutation), profile), f"{rule} missed {mutation}"


def test_every_stack_rule_has_a_row():
    assert {r.name for r in RULES if r.stack} - {row[0] for row in ROWS} == set()


def test_v2_alias_companions_count():
    """A bucket whose encryption config uses the deprecated V2 token is still linked."""
    specs = [RAW, s3("bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "raw-sse",
                     {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"},
                                 "bucketKeyEnabled": True}]})]
    assert run_stack("aws-s3-bucket-encryption-kms", specs, L) == []


def test_links_by_value_when_no_property_dependency():
    specs = [("aws:s3/bucket:Bucket", "raw", {"bucket": "lake-raw"}, {}),
             ("aws:s3/bucketPolicy:BucketPolicy", "raw-policy", {"bucket": "lake-raw", "policy": TLS_DENY}, {})]
    assert run_stack("aws-s3-bucket-tls-only", specs, L) == []


def test_budget_rule_ignores_clouds_not_in_the_stack():
    assert run_stack("budget-present", [("aws:kinesis/stream:Stream", "s", {}, {})], L)
    assert run_stack("budget-present", [("gcp:pubsub/topic:Topic", "t", {}, {})], L)
    assert run_stack("budget-present", [("pulumi:providers:gcp", "p", {}, {})], L) == []
