"""Which AWS API request each Pulumi resource type becomes, and where its inputs go.

One row per type: the botocore service and operation the provider calls to
create it (read in the Terraform AWS provider, which pulumi-aws wraps) and
each input path mapped to the request member it fills. Paths use the
program's wire names; ``[]`` steps into list items, ``*`` into map values.
A mapped object is checked member by member (members matched by name,
case-insensitively), so only differently named members need a row.
"""

from __future__ import annotations

from typing import NamedTuple


class Request(NamedTuple):
    service: str
    operation: str
    members: dict[str, str]


_TAGS_EC2 = {"tags.*": "TagSpecifications[].Tags[].Value"}

REQUESTS: dict[str, Request] = {
    "aws:apigateway/deployment:Deployment": Request("apigateway", "CreateDeployment", {
        "description": "description", "stageName": "stageName", "stageDescription": "stageDescription",
    }),
    "aws:apigateway/model:Model": Request("apigateway", "CreateModel", {
        "name": "name", "description": "description", "schema": "schema", "contentType": "contentType",
    }),
    "aws:apigateway/requestValidator:RequestValidator": Request("apigateway", "CreateRequestValidator", {
        "name": "name",
    }),
    "aws:apigateway/integration:Integration": Request("apigateway", "PutIntegration", {
        "httpMethod": "httpMethod", "type": "type", "integrationHttpMethod": "integrationHttpMethod",
        "uri": "uri", "passthroughBehavior": "passthroughBehavior", "connectionType": "connectionType",
        "contentHandling": "contentHandling", "timeoutMilliseconds": "timeoutInMillis",
    }),
    "aws:apigateway/integrationResponse:IntegrationResponse": Request("apigateway", "PutIntegrationResponse", {
        "httpMethod": "httpMethod", "statusCode": "statusCode", "contentHandling": "contentHandling",
        "selectionPattern": "selectionPattern",
    }),
    "aws:apigateway/method:Method": Request("apigateway", "PutMethod", {
        "httpMethod": "httpMethod", "authorization": "authorizationType", "operationName": "operationName",
    }),
    "aws:apigateway/methodResponse:MethodResponse": Request("apigateway", "PutMethodResponse", {
        "httpMethod": "httpMethod", "statusCode": "statusCode",
    }),
    "aws:apigateway/methodSettings:MethodSettings": Request("apigateway", "UpdateStage", {
        "stageName": "stageName",
    }),
    "aws:apigateway/resource:Resource": Request("apigateway", "CreateResource", {"pathPart": "pathPart"}),
    "aws:apigateway/restApi:RestApi": Request("apigateway", "CreateRestApi", {
        "name": "name", "description": "description", "apiKeySource": "apiKeySource",
        "minimumCompressionSize": "minimumCompressionSize", "endpointConfiguration.types": "endpointConfiguration.types[]",
    }),
    "aws:apigateway/stage:Stage": Request("apigateway", "CreateStage", {
        "stageName": "stageName", "description": "description", "cacheClusterSize": "cacheClusterSize",
        "xrayTracingEnabled": "tracingEnabled",
    }),
    "aws:athena/workgroup:Workgroup": Request("athena", "CreateWorkGroup", {
        "name": "Name", "description": "Description", "configuration": "Configuration",
    }),
    "aws:budgets/budget:Budget": Request("budgets", "CreateBudget", {
        "name": "Budget.BudgetName", "budgetType": "Budget.BudgetType", "timeUnit": "Budget.TimeUnit",
        "limitAmount": "Budget.BudgetLimit.Amount", "limitUnit": "Budget.BudgetLimit.Unit",
        "notifications[].notificationType": "NotificationsWithSubscribers[].Notification.NotificationType",
        "notifications[].comparisonOperator": "NotificationsWithSubscribers[].Notification.ComparisonOperator",
        "notifications[].threshold": "NotificationsWithSubscribers[].Notification.Threshold",
        "notifications[].thresholdType": "NotificationsWithSubscribers[].Notification.ThresholdType",
        "notifications[].subscriberEmailAddresses[]": "NotificationsWithSubscribers[].Subscribers[].Address",
        "notifications[].subscriberSnsTopicArns[]": "NotificationsWithSubscribers[].Subscribers[].Address",
    }),
    "aws:cloudwatch/logGroup:LogGroup": Request("logs", "CreateLogGroup", {
        "name": "logGroupName", "kmsKeyId": "kmsKeyId", "logGroupClass": "logGroupClass",
        "retentionInDays": "PutRetentionPolicy:retentionInDays",
    }),
    "aws:cloudwatch/logStream:LogStream": Request("logs", "CreateLogStream", {
        "name": "logStreamName", "logGroupName": "logGroupName",
    }),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": Request("ec2", "AuthorizeSecurityGroupIngress", {
        "ingress[].protocol": "IpPermissions[].IpProtocol", "ingress[].fromPort": "IpPermissions[].FromPort",
        "ingress[].toPort": "IpPermissions[].ToPort", "ingress[].cidrBlocks[]": "IpPermissions[].IpRanges[].CidrIp",
        "ingress[].description": "IpPermissions[].IpRanges[].Description",
        "egress[].protocol": "IpPermissions[].IpProtocol", "egress[].fromPort": "IpPermissions[].FromPort",
        "egress[].toPort": "IpPermissions[].ToPort", "egress[].description": "IpPermissions[].IpRanges[].Description",
    }),
    "aws:ec2/flowLog:FlowLog": Request("ec2", "CreateFlowLogs", {
        "trafficType": "TrafficType", "logDestinationType": "LogDestinationType",
        "maxAggregationInterval": "MaxAggregationInterval", "logFormat": "LogFormat",
        "iamRoleArn": "DeliverLogsPermissionArn", **_TAGS_EC2,
    }),
    "aws:ec2/routeTable:RouteTable": Request("ec2", "CreateRouteTable", {"vpcId": "VpcId", **_TAGS_EC2}),
    "aws:ec2/securityGroup:SecurityGroup": Request("ec2", "CreateSecurityGroup", {
        "name": "GroupName", "description": "Description", **_TAGS_EC2,
    }),
    "aws:ec2/subnet:Subnet": Request("ec2", "CreateSubnet", {
        "cidrBlock": "CidrBlock", "availabilityZone": "AvailabilityZone", **_TAGS_EC2,
    }),
    "aws:ec2/vpc:Vpc": Request("ec2", "CreateVpc", {
        "cidrBlock": "CidrBlock", "instanceTenancy": "InstanceTenancy", **_TAGS_EC2,
    }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": Request("ec2", "CreateVpcEndpoint", {
        "vpcEndpointType": "VpcEndpointType", "serviceName": "ServiceName", "ipAddressType": "IpAddressType",
        "privateDnsEnabled": "PrivateDnsEnabled", **_TAGS_EC2,
    }),
    "aws:emr/cluster:Cluster": Request("emr", "RunJobFlow", {
        "name": "Name", "logUri": "LogUri", "releaseLabel": "ReleaseLabel",
        "applications[]": "Applications[].Name", "serviceRole": "ServiceRole",
        "securityConfiguration": "SecurityConfiguration", "scaleDownBehavior": "ScaleDownBehavior",
        "masterInstanceGroup.instanceType": "Instances.MasterInstanceType",
        "coreInstanceGroup.instanceType": "Instances.SlaveInstanceType",
        "coreInstanceGroup.instanceCount": "Instances.InstanceCount",
        "ec2Attributes.subnetId": "Instances.Ec2SubnetId",
        "autoTerminationPolicy.idleTimeout": "AutoTerminationPolicy.IdleTimeout",
        "stepConcurrencyLevel": "StepConcurrencyLevel",
    }),
    "aws:emr/securityConfiguration:SecurityConfiguration": Request("emr", "CreateSecurityConfiguration", {
        "name": "Name", "configuration": "SecurityConfiguration",
    }),
    "aws:emrserverless/application:Application": Request("emr-serverless", "CreateApplication", {
        "name": "name", "releaseLabel": "releaseLabel", "type": "type", "architecture": "architecture",
        "maximumCapacity": "maximumCapacity", "autoStartConfiguration": "autoStartConfiguration",
        "autoStopConfiguration": "autoStopConfiguration", "networkConfiguration": "networkConfiguration",
    }),
    "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": Request(
        "glue", "PutDataCatalogEncryptionSettings", {
            "catalogId": "CatalogId", "dataCatalogEncryptionSettings": "DataCatalogEncryptionSettings",
        }),
    "aws:glue/catalogDatabase:CatalogDatabase": Request("glue", "CreateDatabase", {
        "name": "DatabaseInput.Name", "description": "DatabaseInput.Description",
        "locationUri": "DatabaseInput.LocationUri", "catalogId": "CatalogId",
    }),
    "aws:iam/instanceProfile:InstanceProfile": Request("iam", "CreateInstanceProfile", {
        "name": "InstanceProfileName", "path": "Path",
    }),
    "aws:iam/policy:Policy": Request("iam", "CreatePolicy", {
        "name": "PolicyName", "description": "Description", "policy": "PolicyDocument", "path": "Path",
    }),
    "aws:iam/role:Role": Request("iam", "CreateRole", {
        "name": "RoleName", "description": "Description", "assumeRolePolicy": "AssumeRolePolicyDocument",
        "maxSessionDuration": "MaxSessionDuration", "path": "Path", "permissionsBoundary": "PermissionsBoundary",
    }),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": Request("iam", "AttachRolePolicy", {
        "role": "RoleName", "policyArn": "PolicyArn",
    }),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": Request("firehose", "CreateDeliveryStream", {
        "name": "DeliveryStreamName",
        "extendedS3Configuration": "ExtendedS3DestinationConfiguration",
        "extendedS3Configuration.bufferingInterval": "ExtendedS3DestinationConfiguration.BufferingHints.IntervalInSeconds",
        "extendedS3Configuration.bufferingSize": "ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs",
        "extendedS3Configuration.kmsKeyArn":
            "ExtendedS3DestinationConfiguration.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN",
        "kinesisSourceConfiguration.kinesisStreamArn": "KinesisStreamSourceConfiguration.KinesisStreamARN",
        "kinesisSourceConfiguration.roleArn": "KinesisStreamSourceConfiguration.RoleARN",
    }),
    "aws:kinesis/stream:Stream": Request("kinesis", "CreateStream", {
        "name": "StreamName", "shardCount": "ShardCount", "streamModeDetails": "StreamModeDetails",
        "retentionPeriod": "IncreaseStreamRetentionPeriod:RetentionPeriodHours",
    }),
    "aws:kinesis/streamConsumer:StreamConsumer": Request("kinesis", "RegisterStreamConsumer", {
        "name": "ConsumerName", "streamArn": "StreamARN",
    }),
    "aws:lambda/function:Function": Request("lambda", "CreateFunction", {
        "name": "FunctionName", "description": "Description", "role": "Role", "runtime": "Runtime",
        "handler": "Handler", "memorySize": "MemorySize", "timeout": "Timeout", "architectures": "Architectures",
        "environment.variables": "Environment.Variables", "loggingConfig": "LoggingConfig", "kmsKeyArn": "KMSKeyArn",
    }),
    "aws:kms/alias:Alias": Request("kms", "CreateAlias", {"name": "AliasName", "targetKeyId": "TargetKeyId"}),
    "aws:kms/key:Key": Request("kms", "CreateKey", {
        "description": "Description", "keyUsage": "KeyUsage", "customerMasterKeySpec": "KeySpec",
        "policy": "Policy", "multiRegion": "MultiRegion",
        "rotationPeriodInDays": "EnableKeyRotation:RotationPeriodInDays",
        "deletionWindowInDays": "ScheduleKeyDeletion:PendingWindowInDays",
    }),
    "aws:s3/bucket:Bucket": Request("s3", "CreateBucket", {"bucket": "Bucket"}),
    "aws:s3/bucketObject:BucketObject": Request("s3", "PutObject", {
        "key": "Key", "contentType": "ContentType", "serverSideEncryption": "ServerSideEncryption",
        "kmsKeyId": "SSEKMSKeyId", "storageClass": "StorageClass", "acl": "ACL",
    }),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": Request(
        "s3", "PutBucketLifecycleConfiguration", {
            "rules[].id": "LifecycleConfiguration.Rules[].ID", "rules[].status": "LifecycleConfiguration.Rules[].Status",
            "rules[].abortIncompleteMultipartUpload": "LifecycleConfiguration.Rules[].AbortIncompleteMultipartUpload",
            "rules[].expiration.days": "LifecycleConfiguration.Rules[].Expiration.Days",
            "rules[].noncurrentVersionExpiration.noncurrentDays":
                "LifecycleConfiguration.Rules[].NoncurrentVersionExpiration.NoncurrentDays",
            "rules[].transitions[].storageClass": "LifecycleConfiguration.Rules[].Transitions[].StorageClass",
        }),
    "aws:s3/bucketLogging:BucketLogging": Request("s3", "PutBucketLogging", {
        "targetPrefix": "BucketLoggingStatus.LoggingEnabled.TargetPrefix",
    }),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": Request("s3", "PutBucketOwnershipControls", {
        "rule.objectOwnership": "OwnershipControls.Rules[].ObjectOwnership",
    }),
    "aws:s3/bucketPolicy:BucketPolicy": Request("s3", "PutBucketPolicy", {"policy": "Policy"}),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": Request("s3", "PutPublicAccessBlock", {
        "blockPublicAcls": "PublicAccessBlockConfiguration.BlockPublicAcls",
        "blockPublicPolicy": "PublicAccessBlockConfiguration.BlockPublicPolicy",
        "ignorePublicAcls": "PublicAccessBlockConfiguration.IgnorePublicAcls",
        "restrictPublicBuckets": "PublicAccessBlockConfiguration.RestrictPublicBuckets",
    }),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": Request(
        "s3", "PutBucketEncryption", {
            "rules[].applyServerSideEncryptionByDefault":
                "ServerSideEncryptionConfiguration.Rules[].ApplyServerSideEncryptionByDefault",
            "rules[].bucketKeyEnabled": "ServerSideEncryptionConfiguration.Rules[].BucketKeyEnabled",
        }),
    "aws:s3/bucketVersioning:BucketVersioning": Request("s3", "PutBucketVersioning", {
        "versioningConfiguration.status": "VersioningConfiguration.Status",
        "versioningConfiguration.mfaDelete": "VersioningConfiguration.MFADelete",
    }),
    "aws:scheduler/schedule:Schedule": Request("scheduler", "CreateSchedule", {
        "name": "Name", "groupName": "GroupName", "description": "Description",
        "scheduleExpression": "ScheduleExpression", "scheduleExpressionTimezone": "ScheduleExpressionTimezone",
        "state": "State", "kmsKeyArn": "KmsKeyArn", "flexibleTimeWindow": "FlexibleTimeWindow", "target": "Target",
    }),
    "aws:scheduler/scheduleGroup:ScheduleGroup": Request("scheduler", "CreateScheduleGroup", {
        "name": "Name", "tags.*": "Tags[].Value",
    }),
    "aws:sns/topic:Topic": Request("sns", "CreateTopic", {"name": "Name"}),
    "aws:sns/topicPolicy:TopicPolicy": Request("sns", "SetTopicAttributes", {"policy": "AttributeValue"}),
    "aws:sns/topicSubscription:TopicSubscription": Request("sns", "Subscribe", {
        "protocol": "Protocol", "endpoint": "Endpoint",
    }),
    "aws:sqs/queue:Queue": Request("sqs", "CreateQueue", {"name": "QueueName", "tags.*": "tags.*"}),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": Request("ec2", "AuthorizeSecurityGroupEgress", {
        "ipProtocol": "IpPermissions[].IpProtocol", "fromPort": "IpPermissions[].FromPort",
        "toPort": "IpPermissions[].ToPort", "cidrIpv4": "IpPermissions[].IpRanges[].CidrIp",
        "description": "IpPermissions[].UserIdGroupPairs[].Description", **_TAGS_EC2,
    }),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": Request("ec2", "AuthorizeSecurityGroupIngress", {
        "ipProtocol": "IpPermissions[].IpProtocol", "fromPort": "IpPermissions[].FromPort",
        "toPort": "IpPermissions[].ToPort", "cidrIpv4": "IpPermissions[].IpRanges[].CidrIp",
        "description": "IpPermissions[].UserIdGroupPairs[].Description", **_TAGS_EC2,
    }),
    "aws:wafv2/webAcl:WebAcl": Request("wafv2", "CreateWebACL", {
        "name": "Name", "description": "Description", "scope": "Scope", "rules": "Rules",
        "visibilityConfig": "VisibilityConfig", "defaultAction": "DefaultAction",
    }),
    "aws:wafv2/webAclAssociation:WebAclAssociation": Request("wafv2", "AssociateWebACL", {
        "webAclArn": "WebACLArn", "resourceArn": "ResourceArn",
    }),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": Request("wafv2", "PutLoggingConfiguration", {
        "resourceArn": "LoggingConfiguration.ResourceArn",
        "logDestinationConfigs": "LoggingConfiguration.LogDestinationConfigs",
        "redactedFields": "LoggingConfiguration.RedactedFields",
        "loggingFilter": "LoggingConfiguration.LoggingFilter",
    }),
}

UNIVERSAL_TARGETS: dict[str, tuple[str, str]] = {
    "emrserverless:startJobRun": ("emr-serverless", "StartJobRun"),
}
"""EventBridge Scheduler universal targets (``aws-sdk:<SDK service id>:<action>``) the program uses, and the
botocore service and operation whose request their ``Input`` is (the SDK id can differ from botocore's name)."""
