"""Each service's name length limits, pinned at the boundary with the numbers the services document.

The limits are facts about the clouds, written here as literals: a change to
the naming table that lets a name one character too long through (or refuses
one that fits) fails here, not at ``pulumi up``.
"""

from __future__ import annotations

import pytest

from components.naming import RULES

# (rule, shortest, longest, source)
LIMITS = [
    ("s3-bucket", 3, 63, "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"),
    ("kinesis-stream", 1, 128, "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html"),
    ("firehose-stream", 1, 64,
     "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html"),
    ("iam-role", 1, 64, "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"),
    ("athena-workgroup", 1, 128, "https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html"),
    ("emr-serverless-application", 1, 64,
     "https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_CreateApplication.html"),
    ("glue-database", 1, 255, "https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html"),
    ("log-group", 1, 512, "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"),
    ("sns-topic", 1, 256, "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html"),
    ("eventbridge-scheduler", 1, 64, "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html"),
    ("dataproc", 1, 51, "https://cloud.google.com/dataproc/docs/guides/create-cluster (cluster name: starts with a "
                        "lower-case letter, up to 51 lower-case letters, digits and hyphens)"),
    ("wafv2-web-acl", 1, 128, "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html"),
    ("azure-storage-account", 3, 24,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage"),
    ("azure-key-vault", 3, 24,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault"),
    ("azure-eventhubs-namespace", 6, 50,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsofteventhub"),
    ("azure-databricks-workspace", 3, 64,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftdatabricks"),
    ("azure-synapse-spark-pool", 1, 15,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftsynapse"),
    ("azure-log-analytics-workspace", 4, 63,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftoperationalinsights"),
    ("gcs-bucket", 3, 63, "https://cloud.google.com/storage/docs/buckets#naming"),
    ("gcp-service-account", 6, 30, "https://cloud.google.com/iam/docs/service-accounts-create"),
    ("cloud-scheduler-job", 1, 500, "https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs"),
    ("pubsub", 3, 255, "https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names"),
    ("emr-cluster", 1, 256, "https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html"),
    ("budget", 1, 100, "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html"),
    ("azure-resource-group", 1, 90,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources"),
    ("azure-eventhub", 1, 256,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsofteventhub"),
    ("azure-grafana", 2, 23,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftdashboard"),
    ("azure-managed-identity", 3, 128,
     "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftmanagedidentity"),
    ("azure-action-group-short", 1, 12,
     "https://learn.microsoft.com/rest/api/monitor/action-groups/create-or-update (groupShortName)"),
    ("bigquery-dataset", 1, 1024, "https://cloud.google.com/bigquery/docs/datasets#dataset-naming"),
    ("gcp-kms", 1, 63, "https://cloud.google.com/kms/docs/create-key-ring (key ring and key ids)"),
    ("gcp-network", 1, 63, "https://cloud.google.com/compute/docs/naming-resources#resource-name-format"),
    ("dataproc-autoscaling-policy", 3, 50,
     "https://cloud.google.com/dataproc/docs/reference/rest/v1/projects.regions.autoscalingPolicies (id)"),
    ("gcp-budget", 1, 60,
     "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets (displayName)"),
]


@pytest.mark.parametrize("rule, shortest, longest, source", LIMITS, ids=[row[0] for row in LIMITS])
def test_length_limits_at_the_boundary(rule, shortest, longest, source):
    check = RULES[rule].check
    assert check("a" * longest) is None, source
    assert check("a" * (longest + 1)) is not None, source
    assert check("a" * shortest) is None, source
    if shortest > 1:
        assert check("a" * (shortest - 1)) is not None, source


def test_generic_azure_names_hold_at_most_63_characters():
    # The generic rule names budgets (1-63, Microsoft.Consumption), virtual networks and private
    # endpoints (2-64) as well as NSGs and subnets (1-80): it must hold the tightest.
    # https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
    check = RULES["azure-generic"].check
    assert check("a" * 63) is None
    assert check("a" * 64) == "length 64 is outside 1-63"


def test_a_web_acl_name_takes_no_dot():
    # WAFV2 names match ^[\w\-]+$; API Gateway names (which the web ACL once borrowed) allow dots.
    assert RULES["wafv2-web-acl"].check("blueprint-dev-connect-waf") is None
    assert RULES["wafv2-web-acl"].check("blueprint.dev-connect-waf") is not None
