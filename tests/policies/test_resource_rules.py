"""Each resource rule: a compliant fixture passes, and each condition it checks fails when broken.

Props are camelCase, as a policy sees them. A row is
(rule, token, profile, compliant props, [(path, broken value), ...]).
"""

from __future__ import annotations

import json

import pytest

from policies.catalogue import BY_NAME, RULES
from tests.policies.harness import DROP, run_resource, with_change

L, P = "learning", "production"
KEY = "arn:aws:kms:us-east-1:123456789012:key/k"
TAGS = {"owner": "data-team", "stack": "dev", "stage": "store", "zone": "data", "profile": "learning",
        "managed-by": "blueprint", "expires-at": "2000-01-01T00:00Z"}


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


EMR_SECURITY = json.dumps({"EncryptionConfiguration": {
    "EnableAtRestEncryption": True, "EnableInTransitEncryption": True,
    "InTransitEncryptionConfiguration": {"TLSCertificateConfiguration": {"CertificateProviderType": "PEM"}},
    "AtRestEncryptionConfiguration": {
        "S3EncryptionConfiguration": {"EncryptionMode": "SSE-KMS", "AwsKmsKey": KEY},
        "LocalDiskEncryptionConfiguration": {"EncryptionKeyProviderType": "AwsKms", "AwsKmsKey": KEY,
                                             "EnableEbsEncryption": True}}}})


def emr_security(**changes):
    data = json.loads(EMR_SECURITY)
    enc = data["EncryptionConfiguration"]
    for path, value in changes.items():
        node = enc
        parts = path.split("__")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return json.dumps(data)


ROWS = [
    ("aws-kinesis-stream-encrypted", "aws:kinesis/stream:Stream", L, {"encryptionType": "KMS", "kmsKeyId": KEY},
     [("encryptionType", "NONE"), ("kmsKeyId", DROP)]),
    ("aws-firehose-encrypted", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", L,
     {"destination": "extended_s3", "kinesisSourceConfiguration": {"kinesisStreamArn": "a"},
      "extendedS3Configuration": {"kmsKeyArn": KEY}},
     [("extendedS3Configuration.kmsKeyArn", DROP), ("kinesisSourceConfiguration", DROP)]),
    ("aws-emr-encryption-at-rest", "aws:emr/cluster:Cluster", L, {"securityConfiguration": "sc"},
     [("securityConfiguration", DROP)]),
    ("aws-emr-encryption-at-rest", "aws:emr/securityConfiguration:SecurityConfiguration", L,
     {"configuration": EMR_SECURITY},
     [("configuration", emr_security(EnableAtRestEncryption=False)),
      ("configuration", emr_security(AtRestEncryptionConfiguration__S3EncryptionConfiguration__EncryptionMode="SSE-S3")),
      ("configuration", emr_security(AtRestEncryptionConfiguration__LocalDiskEncryptionConfiguration__EnableEbsEncryption=False))]),
    ("aws-glue-encryption", "aws:glue/job:Job", L, {"securityConfiguration": "sc"}, [("securityConfiguration", DROP)]),
    ("aws-glue-encryption", "aws:glue/securityConfiguration:SecurityConfiguration", L,
     {"encryptionConfiguration": {"s3Encryption": {"s3EncryptionMode": "SSE-KMS"},
                                  "cloudwatchEncryption": {"cloudwatchEncryptionMode": "SSE-KMS"},
                                  "jobBookmarksEncryption": {"jobBookmarksEncryptionMode": "CSE-KMS"}}},
     [("encryptionConfiguration.s3Encryption.s3EncryptionMode", "DISABLED"),
      ("encryptionConfiguration.cloudwatchEncryption.cloudwatchEncryptionMode", "DISABLED"),
      ("encryptionConfiguration.jobBookmarksEncryption.jobBookmarksEncryptionMode", "DISABLED")]),
    ("aws-glue-encryption", "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings", L,
     {"dataCatalogEncryptionSettings": {"encryptionAtRest": {"catalogEncryptionMode": "SSE-KMS"}}},
     [("dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode", "DISABLED")]),
    ("aws-athena-encryption", "aws:athena/workgroup:Workgroup", L,
     {"configuration": {"enforceWorkgroupConfiguration": True, "resultConfiguration": {
         "encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKeyArn": KEY}}}},
     [("configuration.enforceWorkgroupConfiguration", False),
      ("configuration.resultConfiguration.encryptionConfiguration.encryptionOption", "SSE_S3"),
      ("configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn", DROP)]),
    ("aws-athena-encryption", "aws:athena/database:Database", L,
     {"encryptionConfiguration": {"encryptionOption": "SSE_KMS"}}, [("encryptionConfiguration", DROP)]),
    ("aws-sns-topic-encrypted", "aws:sns/topic:Topic", L, {"kmsMasterKeyId": KEY}, [("kmsMasterKeyId", DROP)]),
    ("aws-log-group-encrypted", "aws:cloudwatch/logGroup:LogGroup", L, {"kmsKeyId": KEY}, [("kmsKeyId", DROP)]),
    ("azure-storage-eventhub-cmk", "azure-native:storage:StorageAccount", P,
     {"encryption": {"keySource": "Microsoft.Keyvault", "keyVaultProperties": {"keyName": "k"},
                     "requireInfrastructureEncryption": True}},
     [("encryption.keySource", "Microsoft.Storage"), ("encryption.keyVaultProperties", DROP),
      ("encryption.requireInfrastructureEncryption", False)]),
    ("azure-storage-eventhub-cmk", "azure-native:eventhub:Namespace", P,
     {"sku": {"name": "Premium", "tier": "Premium"},
      "encryption": {"keySource": "Microsoft.KeyVault", "keyVaultProperties": [{"keyName": "k"}]}},
     [("encryption", DROP), ("encryption.keySource", "Microsoft.EventHub")]),
    ("azure-storage-eventhub-cmk", "azure-native:eventhub:Namespace", P,
     {"sku": {"name": "Standard"}, "clusterArmId": "/subscriptions/s/resourceGroups/g/providers/"
      "Microsoft.EventHub/clusters/c", "encryption": {"keySource": "Microsoft.KeyVault",
                                                       "keyVaultProperties": [{"keyName": "k"}]}},
     [("encryption", DROP)]),
    ("azure-eventhub-cmk-needs-premium", "azure-native:eventhub:Namespace", P,
     {"sku": {"name": "Premium", "tier": "Premium"}},
     [("sku.tier", "Standard"), ("sku", {"name": "Basic"}), ("sku", DROP)]),
    ("azure-databricks-cmk", "azure-native:databricks:Workspace", P,
     {"encryption": {"entities": {"managedServices": {"keySource": "Microsoft.Keyvault"},
                                  "managedDisk": {"keySource": "Microsoft.Keyvault"}}},
      "parameters": {"prepareEncryption": {"value": True}, "requireInfrastructureEncryption": {"value": True}}},
     [("encryption.entities.managedServices", DROP), ("encryption.entities.managedDisk.keySource", "Default"),
      ("parameters.prepareEncryption.value", False), ("parameters.requireInfrastructureEncryption", DROP)]),
    ("gcp-storage-bucket-cmek", "gcp:storage/bucket:Bucket", P, {"encryption": {"defaultKmsKeyName": "k"}},
     [("encryption", DROP)]),
    ("gcp-bigquery-cmek", "gcp:bigquery/dataset:Dataset", P, {"defaultEncryptionConfiguration": {"kmsKeyName": "k"}},
     [("defaultEncryptionConfiguration", DROP)]),
    ("gcp-bigquery-cmek", "gcp:bigquery/table:Table", P, {"encryptionConfiguration": {"kmsKeyName": "k"}},
     [("encryptionConfiguration.kmsKeyName", "")]),
    ("gcp-pubsub-dataproc-cmek", "gcp:pubsub/topic:Topic", P, {"kmsKeyName": "k"}, [("kmsKeyName", DROP)]),
    ("gcp-pubsub-dataproc-cmek", "gcp:dataproc/cluster:Cluster", P,
     {"clusterConfig": {"encryptionConfig": {"kmsKeyName": "k"}}}, [("clusterConfig.encryptionConfig", DROP)]),
    # B
    ("aws-kms-key-rotation", "aws:kms/key:Key", P, {"enableKeyRotation": True, "deletionWindowInDays": 30},
     [("enableKeyRotation", False), ("deletionWindowInDays", 7), ("bypassPolicyLockoutSafetyCheck", True)]),
    ("gcp-kms-key-rotation", "gcp:kms/cryptoKey:CryptoKey", L, {"rotationPeriod": "7776000s"},
     [("rotationPeriod", "7776001s"), ("rotationPeriod", DROP)]),
    ("gcp-kms-key-not-public", "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", L,
     {"member": "serviceAccount:sa@p.iam.gserviceaccount.com", "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter"},
     [("member", "allUsers"), ("member", "allAuthenticatedUsers")]),
    ("azure-key-vault-access", "azure-native:keyvault:Vault", L,
     {"properties": {"enableRbacAuthorization": True, "softDeleteRetentionInDays": 7}},
     [("properties.enableRbacAuthorization", False), ("properties.enableSoftDelete", False),
      ("properties.softDeleteRetentionInDays", 3)]),
    ("azure-key-vault-purge-protection", "azure-native:keyvault:Vault", P,
     {"properties": {"enablePurgeProtection": True}}, [("properties.enablePurgeProtection", DROP)]),
    ("azure-key-vault-expiry", "azure-native:keyvault:Key", L,
     {"properties": {"attributes": {"expires": 1900000000}, "rotationPolicy": {"lifetimeActions": []}}},
     [("properties.attributes.expires", DROP), ("properties.rotationPolicy", DROP)]),
    ("azure-key-vault-expiry", "azure-native:keyvault:Secret", L,
     {"properties": {"attributes": {"expires": 1900000000}, "contentType": "text/plain"}},
     [("properties.attributes", DROP), ("properties.contentType", DROP)]),
    # C
    ("aws-sns-topic-tls-only", "aws:sns/topicPolicy:TopicPolicy", L,
     {"policy": doc({"Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": "t",
                     "Condition": {"Bool": {"aws:SecureTransport": "false"}}})},
     [("policy", doc({"Effect": "Allow", "Principal": {"Service": "budgets.amazonaws.com"}, "Action": "sns:Publish",
                      "Resource": "t"}))]),
    ("aws-api-domain-tls12", "aws:apigateway/domainName:DomainName", L, {"securityPolicy": "TLS_1_2"},
     [("securityPolicy", "TLS_1_0"), ("securityPolicy", DROP)]),
    ("aws-api-domain-tls12", "aws:apigatewayv2/domainName:DomainName", L,
     {"domainNameConfiguration": {"securityPolicy": "TLS_1_2"}}, [("domainNameConfiguration.securityPolicy", "TLS_1_0")]),
    ("aws-emr-in-transit-encryption", "aws:emr/securityConfiguration:SecurityConfiguration", P,
     {"configuration": EMR_SECURITY},
     [("configuration", emr_security(EnableInTransitEncryption=False))]),
    ("azure-minimum-tls12", "azure-native:storage:StorageAccount", L, {"minimumTlsVersion": "TLS1_2"},
     [("minimumTlsVersion", "TLS1_0"), ("enableHttpsTrafficOnly", False)]),
    ("azure-minimum-tls12", "azure-native:eventhub:Namespace", L, {"minimumTlsVersion": "1.2"},
     [("minimumTlsVersion", "1.0"), ("minimumTlsVersion", DROP)]),
    # D
    ("aws-resource-policy-not-public", "aws:s3/bucketPolicy:BucketPolicy", L,
     {"policy": doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "b/*",
                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}})},
     [("policy", doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "b/*"}))]),
    ("aws-resource-policy-not-public", "aws:ec2/vpcEndpoint:VpcEndpoint", L,
     {"policy": doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:*",
                     "Resource": "*"})},
     [("policy", doc({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}))]),
    ("aws-api-authorization", "aws:apigateway/method:Method", L, {"authorization": "AWS_IAM"},
     [("authorization", "NONE")]),
    ("aws-api-authorization", "aws:apigatewayv2/route:Route", L, {"authorizationType": "JWT"},
     [("authorizationType", "NONE")]),
    ("azure-storage-no-anonymous-access", "azure-native:storage:StorageAccount", L, {"allowBlobPublicAccess": False},
     [("allowBlobPublicAccess", True), ("allowBlobPublicAccess", DROP)]),
    ("azure-storage-no-anonymous-access", "azure-native:storage:BlobContainer", L, {"publicAccess": "None"},
     [("publicAccess", "Blob"), ("publicAccess", "Container")]),
    ("gcp-storage-public-access-prevention", "gcp:storage/bucket:Bucket", L,
     {"publicAccessPrevention": "enforced", "uniformBucketLevelAccess": True},
     [("publicAccessPrevention", "inherited"), ("uniformBucketLevelAccess", False)]),
    ("gcp-no-public-members", "gcp:storage/bucketIAMMember:BucketIAMMember", L,
     {"member": "group:data@example.com", "role": "roles/storage.objectViewer"}, [("member", "allUsers")]),
    ("gcp-no-public-members", "gcp:storage/bucketIAMBinding:BucketIAMBinding", L,
     {"members": ["group:data@example.com"], "role": "roles/storage.objectViewer"},
     [("members", ["allAuthenticatedUsers"])]),
    ("gcp-no-public-members", "gcp:bigquery/dataset:Dataset", L,
     {"accesses": [{"role": "OWNER", "userByEmail": "sa@p.iam.gserviceaccount.com"}]},
     [("accesses.0", {"role": "READER", "specialGroup": "allAuthenticatedUsers"})]),
    # E
    ("aws-security-group-no-public-ingress", "aws:ec2/securityGroup:SecurityGroup", L,
     {"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["10.40.0.0/16"]}]},
     [("ingress.0", {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}),
      ("ingress.0", {"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": ["::/0"]})]),
    ("aws-security-group-no-public-ingress", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", L,
     {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "referencedSecurityGroupId": "sg-1"},
     [("cidrIpv4", "0.0.0.0/0")]),
    ("aws-security-group-no-public-ingress", "aws:ec2/securityGroupRule:SecurityGroupRule", L,
     {"type": "ingress", "protocol": "tcp", "fromPort": 443, "toPort": 443, "sourceSecurityGroupId": "sg-1"},
     [("cidrBlocks", ["0.0.0.0/0"])]),
    ("aws-security-group-descriptions", "aws:ec2/securityGroup:SecurityGroup", L,
     {"description": "processing zone", "ingress": [{"description": "intra-zone", "protocol": "-1"}]},
     [("description", DROP), ("ingress.0", {"protocol": "-1"})]),
    ("aws-emr-private-network", "aws:emr/cluster:Cluster", L,
     {"ec2Attributes": {"subnetId": "subnet-1", "emrManagedMasterSecurityGroup": "sg-1"}},
     [("ec2Attributes.subnetId", DROP), ("ec2Attributes.emrManagedMasterSecurityGroup", DROP)]),
    ("aws-emr-private-network", "aws:emrserverless/application:Application", L,
     {"networkConfiguration": {"subnetIds": ["subnet-1"], "securityGroupIds": ["sg-1"]}},
     [("networkConfiguration.subnetIds", []), ("networkConfiguration.securityGroupIds", DROP)]),
    ("azure-databricks-network-isolation", "azure-native:databricks:Workspace", P,
     {"publicNetworkAccess": "Disabled", "parameters": {
         "enableNoPublicIp": {"value": True}, "customVirtualNetworkId": {"value": "v"},
         "customPrivateSubnetName": {"value": "a"}, "customPublicSubnetName": {"value": "b"}}},
     [("publicNetworkAccess", "Enabled"), ("parameters.enableNoPublicIp.value", False),
      ("parameters.customVirtualNetworkId", DROP), ("parameters.customPrivateSubnetName", DROP),
      ("parameters.customPublicSubnetName", DROP)]),
    ("azure-nsg-no-internet-ingress", "azure-native:network:NetworkSecurityGroup", L,
     {"securityRules": [{"name": "https", "access": "Allow", "direction": "Inbound", "protocol": "Tcp",
                         "sourceAddressPrefix": "Internet", "destinationPortRange": "443"}]},
     [("securityRules.0.destinationPortRange", "22"), ("securityRules.0.destinationPortRange", "*"),
      ("securityRules.0.destinationPortRange", "3000-3400"), ("securityRules.0.protocol", "Udp")]),
    ("azure-nsg-no-internet-ingress", "azure-native:network:SecurityRule", L,
     {"name": "ssh", "access": "Allow", "direction": "Inbound", "protocol": "Tcp",
      "sourceAddressPrefix": "10.0.0.0/24", "destinationPortRange": "22"},
     [("sourceAddressPrefix", "*"), ("sourceAddressPrefix", "0.0.0.0/0")]),
    ("azure-nsg-no-internet-ingress", "azure-native:network:Subnet", L, {"networkSecurityGroup": {"id": "nsg"}},
     [("networkSecurityGroup", DROP)]),
    ("gcp-network-private", "gcp:compute/network:Network", L, {"autoCreateSubnetworks": False},
     [("autoCreateSubnetworks", True), ("autoCreateSubnetworks", DROP)]),
    ("gcp-network-private", "gcp:compute/subnetwork:Subnetwork", L, {"privateIpGoogleAccess": True},
     [("privateIpGoogleAccess", False)]),
    ("gcp-network-private", "gcp:dataproc/cluster:Cluster", L,
     {"clusterConfig": {"gceClusterConfig": {"internalIpOnly": True}}},
     [("clusterConfig.gceClusterConfig.internalIpOnly", False)]),
    ("gcp-firewall-no-public-ingress", "gcp:compute/firewall:Firewall", L,
     {"direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp", "ports": ["443"]}]},
     [("allows.0", {"protocol": "tcp", "ports": ["22"]}), ("allows.0", {"protocol": "all"}),
      ("allows.0", {"protocol": "tcp", "ports": ["3000-4000"]})]),
    # F
    ("aws-iam-no-wildcards", "aws:iam/rolePolicy:RolePolicy", L,
     {"policy": doc({"Effect": "Allow", "Action": ["kinesis:PutRecord"], "Resource": "arn:aws:kinesis:s"},
                    {"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": "*"})},
     [("policy", doc({"Effect": "Allow", "Action": "*", "Resource": "arn:x"})),
      ("policy", doc({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:x"})),
      ("policy", doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})),
      ("policy", doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:x"}))]),
    ("aws-iam-no-wildcards", "aws:iam/role:Role", L,
     {"inlinePolicies": [{"name": "p", "policy": doc({"Effect": "Allow", "Action": "s3:GetObject",
                                                        "Resource": "arn:aws:s3:::b/*"})}]},
     [("inlinePolicies.0", {"name": "p", "policy": doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})})]),
    ("aws-iam-no-admin", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", L,
     {"policyArn": "arn:aws:iam::123456789012:policy/stage-read"},
     [("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"),
      ("policyArn", "arn:aws:iam::aws:policy/PowerUserAccess")]),
    ("aws-iam-no-admin", "aws:iam/policy:Policy", L,
     {"policy": doc({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/r"})},
     [("policy", doc({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})),
      ("policy", doc({"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::1:role/r"}))]),
    ("azure-no-privileged-role-assignments", "azure-native:authorization:RoleAssignment", P,
     {"roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
      "scope": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/s"},
     [("roleDefinitionId", "/x/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
      ("roleDefinitionId", "/x/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")]),
    ("azure-no-privileged-role-assignments", "azure-native:authorization:RoleAssignment", P,
     {"roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
      "scope": "/subscriptions/x/resourceGroups/rg"},
     [("scope", "/subscriptions/x"), ("scope", "/providers/Microsoft.Management/managementGroups/mg")]),
    ("azure-no-privileged-role-assignments", "azure-native:authorization:RoleDefinition", P,
     {"permissions": [{"actions": ["Microsoft.Storage/storageAccounts/read"]}]},
     [("permissions.0", {"actions": ["*"]})]),
    ("azure-local-auth-disabled", "azure-native:storage:StorageAccount", P, {"allowSharedKeyAccess": False},
     [("allowSharedKeyAccess", True), ("allowSharedKeyAccess", DROP)]),
    ("azure-local-auth-disabled", "azure-native:eventhub:Namespace", P, {"disableLocalAuth": True},
     [("disableLocalAuth", False)]),
    ("azure-local-auth-disabled", "azure-native:eventhub:EventHubAuthorizationRule", P, {"rights": ["Send"]},
     [("rights", ["Send", "Listen", "Manage"])]),
    ("gcp-no-basic-roles", "gcp:projects/iAMMember:IAMMember", L,
     {"role": "roles/pubsub.publisher", "member": "serviceAccount:sa@p.iam.gserviceaccount.com"},
     [("role", "roles/editor"), ("role", "roles/iam.serviceAccountUser"), ("role", "roles/storage.Admin"),
      ("role", "roles/dataproc.worker")]),
    ("gcp-service-account-hygiene", "gcp:dataproc/cluster:Cluster", L,
     {"clusterConfig": {"gceClusterConfig": {"serviceAccount": "spark@p.iam.gserviceaccount.com",
                                              "serviceAccountScopes": ["https://www.googleapis.com/auth/cloud-platform"]}}},
     [("clusterConfig.gceClusterConfig.serviceAccount", "123-compute@developer.gserviceaccount.com"),
      ("clusterConfig.gceClusterConfig.serviceAccountScopes", ["https://www.googleapis.com/auth/devstorage.full_control"])]),
    # G
    ("aws-api-stage-logging", "aws:apigateway/stage:Stage", L,
     {"accessLogSettings": {"destinationArn": "arn:logs", "format": '{"requestId":"$context.requestId"}'},
      "xrayTracingEnabled": True},
     [("accessLogSettings.destinationArn", DROP), ("accessLogSettings.format", "$context.requestId"),
      ("xrayTracingEnabled", False)]),
    ("aws-api-stage-logging", "aws:apigateway/methodSettings:MethodSettings", L,
     {"settings": {"loggingLevel": "ERROR", "dataTraceEnabled": False}},
     [("settings.loggingLevel", "OFF"), ("settings.dataTraceEnabled", True)]),
    ("aws-pipeline-logging", "aws:emr/cluster:Cluster", L, {"logUri": "s3://logs/emr/"}, [("logUri", DROP)]),
    ("aws-pipeline-logging", "aws:glue/job:Job", L, {"defaultArguments": {"--enable-continuous-cloudwatch-log": "true"}},
     [("defaultArguments", {})]),
    ("aws-pipeline-logging", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", L,
     {"extendedS3Configuration": {"cloudwatchLoggingOptions": {"enabled": True}}},
     [("extendedS3Configuration.cloudwatchLoggingOptions.enabled", False)]),
    ("aws-log-group-retention", "aws:cloudwatch/logGroup:LogGroup", P, {"retentionInDays": 365},
     [("retentionInDays", 90), ("retentionInDays", DROP), ("retentionInDays", 0)]),
    ("gcp-network-logging", "gcp:compute/subnetwork:Subnetwork", P, {"logConfig": {"flowSampling": 0.5}},
     [("logConfig", DROP)]),
    ("gcp-network-logging", "gcp:compute/firewall:Firewall", P, {"logConfig": {"metadata": "INCLUDE_ALL_METADATA"}},
     [("logConfig", DROP)]),
    # H
    ("aws-size-caps", "aws:kinesis/stream:Stream", L, {"shardCount": 1, "streamModeDetails": {"streamMode": "PROVISIONED"}},
     [("shardCount", 8)]),
    ("aws-size-caps", "aws:emrserverless/application:Application", L, {"maximumCapacity": {"cpu": "16 vCPU"}},
     [("maximumCapacity.cpu", "64 vCPU"), ("maximumCapacity", DROP)]),
    ("aws-size-caps", "aws:emr/cluster:Cluster", L,
     {"masterInstanceGroup": {"instanceType": "m5.xlarge"}, "coreInstanceGroup": {"instanceType": "m5.xlarge",
                                                                                  "instanceCount": 2}},
     [("coreInstanceGroup.instanceType", "p4d.24xlarge"), ("coreInstanceGroup.instanceCount", 10)]),
    ("aws-size-caps", "aws:glue/job:Job", L, {"workerType": "G.1X", "numberOfWorkers": 2},
     [("workerType", "G.8X"), ("numberOfWorkers", 50)]),
    ("azure-size-caps", "azure-native:eventhub:Namespace", L, {"sku": {"name": "Standard", "capacity": 1}},
     [("sku.name", "Premium"), ("sku.capacity", 4), ("maximumThroughputUnits", 20)]),
    ("gcp-size-caps", "gcp:dataproc/cluster:Cluster", L,
     {"clusterConfig": {"masterConfig": {"machineType": "n2-standard-4", "numInstances": 1},
                        "workerConfig": {"machineType": "n2-standard-4", "numInstances": 2}}},
     [("clusterConfig.workerConfig.machineType", "a2-ultragpu-8g"), ("clusterConfig.workerConfig.numInstances", 30)]),
    ("idle-termination", "aws:emrserverless/application:Application", L,
     {"autoStopConfiguration": {"enabled": True, "idleTimeoutMinutes": 15}},
     [("autoStopConfiguration.enabled", False), ("autoStopConfiguration.idleTimeoutMinutes", 240),
      ("initialCapacities", [{"initialCapacityType": "Driver"}])]),
    ("idle-termination", "aws:emr/cluster:Cluster", L, {"autoTerminationPolicy": {"idleTimeout": 1800}},
     [("autoTerminationPolicy", DROP), ("autoTerminationPolicy.idleTimeout", 86400)]),
    ("idle-termination", "gcp:dataproc/cluster:Cluster", L, {"clusterConfig": {"lifecycleConfig": {"idleDeleteTtl": "1800s"}}},
     [("clusterConfig.lifecycleConfig", DROP), ("clusterConfig.lifecycleConfig.idleDeleteTtl", "86400s")]),
    ("idle-termination", "aws:glue/job:Job", L, {"timeout": 30}, [("timeout", DROP), ("timeout", 600)]),
    ("query-and-throttle-caps", "aws:athena/workgroup:Workgroup", L,
     {"configuration": {"bytesScannedCutoffPerQuery": 10737418240, "publishCloudwatchMetricsEnabled": True}},
     [("configuration.bytesScannedCutoffPerQuery", DROP), ("configuration.publishCloudwatchMetricsEnabled", False)]),
    ("query-and-throttle-caps", "aws:apigateway/methodSettings:MethodSettings", L,
     {"settings": {"throttlingRateLimit": 100, "throttlingBurstLimit": 200}},
     [("settings.throttlingRateLimit", -1), ("settings.throttlingBurstLimit", DROP)]),
    # J
    ("retention-floors", "aws:kinesis/stream:Stream", P, {"retentionPeriod": 168}, [("retentionPeriod", 24)]),
    ("retention-floors", "azure-native:eventhub:EventHub", P, {"retentionDescription": {"retentionTimeInHours": 168}},
     [("retentionDescription.retentionTimeInHours", 24)]),
    ("retention-floors", "gcp:pubsub/subscription:Subscription", P,
     {"messageRetentionDuration": "604800s", "expirationPolicy": {"ttl": ""}},
     [("messageRetentionDuration", DROP), ("expirationPolicy.ttl", "2678400s")]),
    ("deletion-protection", "aws:emr/cluster:Cluster", P, {"terminationProtection": True},
     [("terminationProtection", False)]),
    ("deletion-protection", "gcp:bigquery/table:Table", P, {"deletionProtection": True},
     [("deletionProtection", False)]),
    ("learning-destroyable", "aws:s3/bucket:Bucket", L, {"forceDestroy": True}, [("forceDestroy", False)]),
    ("learning-destroyable", "gcp:bigquery/dataset:Dataset", L, {"deleteContentsOnDestroy": True},
     [("deleteContentsOnDestroy", DROP)]),
]


def _ids(row):
    return f"{row[0]}[{row[1].rsplit(':', 1)[1]}]"


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_compliant_fixture_passes(row):
    rule, token, profile, props, _ = row
    assert run_resource(rule, token, props, profile, protect=rule == "deletion-protection") == []


CASES = [(row, path, value) for row in ROWS for path, value in row[4]]


@pytest.mark.parametrize("row,path,value", CASES, ids=[f"{_ids(r)}-{p}" for r, p, _ in CASES])
def test_each_broken_condition_is_reported(row, path, value):
    rule, token, profile, props, _ = row
    broken = with_change(props, path, value)
    assert run_resource(rule, token, broken, profile, protect=rule == "deletion-protection"), f"{rule} missed {path}"


@pytest.mark.parametrize("token", ["aws:iam/user:User", "aws:iam/accessKey:AccessKey"])
def test_forbidden_iam_users(token):
    assert run_resource("aws-iam-no-users", token, {})


def test_forbidden_service_account_keys():
    assert run_resource("gcp-service-account-hygiene", "gcp:serviceaccount/key:Key", {"serviceAccountId": "sa"})


def test_external_bigquery_tables_need_no_table_key_but_native_ones_do():
    external = {"externalDataConfiguration": {"sourceFormat": "PARQUET", "sourceUris": ["gs://lake/events/*"]}}
    assert run_resource("gcp-bigquery-cmek", "gcp:bigquery/table:Table", external, P) == []
    assert run_resource("gcp-bigquery-cmek", "gcp:bigquery/table:Table", {"schema": "[]"}, P)


def test_event_hubs_cmk_is_mandatory_only_where_azure_offers_it():
    """Standard cannot take a CMK: advisory 'needs Premium'; Premium or Dedicated without one stays mandatory."""
    standard = {"sku": {"name": "Standard", "tier": "Standard"}, "minimumTlsVersion": "1.2"}
    assert run_resource("azure-storage-eventhub-cmk", "azure-native:eventhub:Namespace", standard, P) == []
    assert run_resource("azure-eventhub-cmk-needs-premium", "azure-native:eventhub:Namespace", standard, P)
    assert BY_NAME["azure-eventhub-cmk-needs-premium"].enforcement(P).value == "advisory"
    assert run_resource("azure-eventhub-cmk-needs-premium", "azure-native:eventhub:Namespace", standard, L) == []
    premium = {"sku": {"name": "Premium", "tier": "Premium"}}
    assert run_resource("azure-storage-eventhub-cmk", "azure-native:eventhub:Namespace", premium, P)
    dedicated = {**standard, "clusterArmId": "/subscriptions/s/resourceGroups/g/providers/Microsoft.EventHub/clusters/c"}
    assert run_resource("azure-storage-eventhub-cmk", "azure-native:eventhub:Namespace", dedicated, P)
    assert BY_NAME["azure-storage-eventhub-cmk"].enforcement(P).value == "mandatory"
    # storage accounts are not narrowed
    assert run_resource("azure-storage-eventhub-cmk", "azure-native:storage:StorageAccount", {}, P)


def test_other_types_are_ignored():
    assert run_resource("aws-kinesis-stream-encrypted", "aws:sns/topic:Topic", {}) == []


def test_azure_api_versioned_tokens_are_matched():
    token = "azure-native:storage/v20230101:StorageAccount"
    assert run_resource("azure-storage-no-anonymous-access", token, {"allowBlobPublicAccess": True})
    assert run_resource("azure-no-preview-api", "azure-native:storage/v20230101preview:StorageAccount", {})
    assert run_resource("azure-no-preview-api", "azure-native:storage:StorageAccount", {}) == []


def test_profile_changes_thresholds():
    assert run_resource("aws-log-group-retention", "aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 7}, L) == []
    assert run_resource("aws-log-group-retention", "aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 7}, P)
    override = {"minLogRetentionDays": 30}
    assert run_resource("aws-log-group-retention", "aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 7}, L,
                        config=override)


def test_protect_rules_follow_the_profile():
    bucket = {"forceDestroy": False}
    assert run_resource("deletion-protection", "aws:s3/bucket:Bucket", bucket, P, protect=True) == []
    assert run_resource("deletion-protection", "aws:s3/bucket:Bucket", bucket, P, protect=False)
    assert run_resource("learning-destroyable", "aws:s3/bucket:Bucket", {"forceDestroy": True}, L, protect=True)
    assert run_resource("gcp-kms-key-rotation", "gcp:kms/cryptoKey:CryptoKey", {"rotationPeriod": "86400s"}, P)


def test_every_resource_rule_has_a_row_or_a_dedicated_test():
    covered = {row[0] for row in ROWS} | {"ttl-tag", "required-tags", "tag-values", "azure-no-preview-api",
                                         "aws-iam-no-users"}
    covered |= {"aws-web-identity-trust-pinned", "gcp-workload-identity-provider-pinned", "gcp-no-pool-wide-grant",
                "azure-federated-credential-pinned", "no-long-lived-keys"}  # tests/policies/rules/test_federation.py
    resource_rules = {r.name for r in RULES if not r.stack}
    assert resource_rules - covered == set()
