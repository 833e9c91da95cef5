"""Cost rules: the budget against the price table, and every size, idle and expiry cap at its boundary."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.policies.harness import run_resource, run_stack

SUBSCRIBER = ["arn:aws:sns:us-east-1:123456789012:alerts"]


def _budget(amount: str) -> tuple:
    return ("aws:budgets/budget:Budget", "budget", {"budgetType": "COST", "limitAmount": amount, "notifications": [
        {"notificationType": "ACTUAL", "threshold": 80, "subscriberSnsTopicArns": SUBSCRIBER},
        {"notificationType": "FORECASTED", "threshold": 100, "subscriberSnsTopicArns": SUBSCRIBER}]}, {})


IDLE = [
    ("pulumi:providers:aws", "provider", {"region": "us-east-1"}, {}),
    # one shard ($0.015/h) and a NAT gateway ($0.045/h): $43.80/month idle
    ("aws:kinesis/stream:Stream", "stream", {"shardCount": 1, "streamModeDetails": {"streamMode": "PROVISIONED"}}, {}),
    ("aws:ec2/natGateway:NatGateway", "nat", {}, {}),
]


def test_budget_below_one_and_a_half_times_idle_is_reported():
    assert run_stack("budget-present", [*IDLE, _budget("50.00")], "learning") == [
        "budget budget (aws:budgets/budget:Budget) is 50 USD/month, below 1.5 x the stack's idle cost "
        "($43.80/month by list prices): its alerts would fire for doing nothing; set at least 66"]


def test_budget_covering_idle_passes():
    assert run_stack("budget-present", [*IDLE, _budget("66.00")], "learning") == []


def test_unknown_region_prices_nothing_so_nothing_is_reported():
    specs = [("pulumi:providers:aws", "provider", {"region": "ap-south-2"}, {}), *IDLE[1:], _budget("1.00")]
    assert run_stack("budget-present", specs, "learning") == []


# (rule, token, profile, props exactly at the profile's limit, the same one step past it)
AT_AND_PAST_THE_LIMIT = [
    # learning: at most 2 Kinesis shards, 16 Spark vCPU, 3 EMR or Dataproc nodes, 4 Glue workers, 1 throughput unit
    ("aws-size-caps", "aws:kinesis/stream:Stream", "learning",
     {"shardCount": 2, "streamModeDetails": {"streamMode": "PROVISIONED"}},
     {"shardCount": 3, "streamModeDetails": {"streamMode": "PROVISIONED"}}),
    ("aws-size-caps", "aws:kinesis/stream:Stream", "production",
     {"shardCount": 16, "streamModeDetails": {"streamMode": "PROVISIONED"}},
     {"shardCount": 17, "streamModeDetails": {"streamMode": "PROVISIONED"}}),
    ("aws-size-caps", "aws:emrserverless/application:Application", "learning",
     {"maximumCapacity": {"cpu": "16 vCPU"}}, {"maximumCapacity": {"cpu": "17 vCPU"}}),
    ("aws-size-caps", "aws:emr/cluster:Cluster", "learning",
     {"masterInstanceGroup": {"instanceType": "m5.xlarge"},
      "coreInstanceGroup": {"instanceType": "m5.xlarge", "instanceCount": 2}},
     {"masterInstanceGroup": {"instanceType": "m5.xlarge"},
      "coreInstanceGroup": {"instanceType": "m5.xlarge", "instanceCount": 3}}),
    ("aws-size-caps", "aws:glue/job:Job", "learning",
     {"workerType": "G.1X", "numberOfWorkers": 4}, {"workerType": "G.1X", "numberOfWorkers": 5}),
    ("azure-size-caps", "azure-native:eventhub:Namespace", "learning",
     {"sku": {"name": "Standard", "capacity": 1}}, {"sku": {"name": "Standard", "capacity": 2}}),
    ("gcp-size-caps", "gcp:dataproc/cluster:Cluster", "learning",
     {"clusterConfig": {"masterConfig": {"numInstances": 1}, "workerConfig": {"numInstances": 2}}},
     {"clusterConfig": {"masterConfig": {"numInstances": 1}, "workerConfig": {"numInstances": 3}}}),
    # learning engines stop after at most 30 idle minutes; a Glue job runs at most 60 minutes
    ("idle-termination", "aws:emr/cluster:Cluster", "learning",
     {"autoTerminationPolicy": {"idleTimeout": 1800}}, {"autoTerminationPolicy": {"idleTimeout": 1801}}),
    ("idle-termination", "aws:emrserverless/application:Application", "learning",
     {"autoStopConfiguration": {"enabled": True, "idleTimeoutMinutes": 30}},
     {"autoStopConfiguration": {"enabled": True, "idleTimeoutMinutes": 31}}),
    ("idle-termination", "gcp:dataproc/cluster:Cluster", "learning",
     {"clusterConfig": {"lifecycleConfig": {"idleDeleteTtl": "1800s"}}},
     {"clusterConfig": {"lifecycleConfig": {"idleDeleteTtl": "1801s"}}}),
    ("idle-termination", "aws:glue/job:Job", "learning", {"timeout": 60}, {"timeout": 61}),
    # API Gateway's "not set" is -1; 0 is an explicit (closed) throttle
    ("query-and-throttle-caps", "aws:apigateway/methodSettings:MethodSettings", "learning",
     {"settings": {"throttlingRateLimit": 0, "throttlingBurstLimit": 0}},
     {"settings": {"throttlingRateLimit": 0, "throttlingBurstLimit": -1}}),
]


@pytest.mark.parametrize("rule, token, profile, at_limit, past_limit", AT_AND_PAST_THE_LIMIT,
                         ids=[f"{row[0]}-{row[1].rsplit(':', 1)[1]}-{row[2]}" for row in AT_AND_PAST_THE_LIMIT])
def test_cost_caps_allow_the_limit_and_report_one_step_past_it(rule, token, profile, at_limit, past_limit):
    assert run_resource(rule, token, at_limit, profile) == []
    assert run_resource(rule, token, past_limit, profile)


class _FixedNow(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc)


def test_a_learning_expiry_may_lie_31_days_ahead_and_not_a_minute_more(monkeypatch):
    monkeypatch.setattr("policies.rules.cost.datetime", _FixedNow)
    tags = {"expires-at": "2026-02-01T00:00Z"}
    assert run_resource("ttl-tag", "aws:s3/bucket:Bucket", {"tags": tags}, "learning") == []
    assert run_resource("ttl-tag", "aws:s3/bucket:Bucket", {"tags": {"expires-at": "2026-02-01T00:01Z"}}, "learning")


def test_unset_sizes_and_timeouts_count_as_the_services_defaults():
    # An Event Hubs namespace without capacity has 1 throughput unit: the learning cap.
    assert run_resource("azure-size-caps", "azure-native:eventhub:Namespace", {"sku": {"name": "Standard"}}) == []
    # EMR Serverless stops after 15 idle minutes unless told otherwise.
    assert run_resource("idle-termination", "aws:emrserverless/application:Application",
                        {"autoStopConfiguration": {"enabled": True}}, config={"maxIdleMinutes": 15}) == []
    assert run_resource("idle-termination", "aws:emrserverless/application:Application",
                        {"autoStopConfiguration": {"enabled": True}}, config={"maxIdleMinutes": 14})
    # A Glue job runs for up to 2,880 minutes (48 hours) unless given a timeout.
    assert run_resource("idle-termination", "aws:glue/job:Job", {}, config={"maxGlueTimeoutMinutes": 2880}) == []
    assert run_resource("idle-termination", "aws:glue/job:Job", {}, config={"maxGlueTimeoutMinutes": 2879})


def _aws_budget(actual, forecast) -> list:
    return [("aws:kinesis/stream:Stream", "stream", {}, {}),
            ("aws:budgets/budget:Budget", "budget", {"budgetType": "COST", "notifications": [
                {"notificationType": "ACTUAL", "threshold": actual, "subscriberSnsTopicArns": SUBSCRIBER},
                {"notificationType": "FORECASTED", "threshold": forecast, "subscriberSnsTopicArns": SUBSCRIBER}]}, {})]


def _azure_budget(actual, forecast) -> list:
    return [("azure-native:storage:StorageAccount", "lake", {}, {}),
            ("azure-native:consumption:Budget", "budget", {"notifications": {
                "a": {"enabled": True, "threshold": actual, "thresholdType": "Actual", "contactEmails": ["a@b.co"]},
                "f": {"enabled": True, "threshold": forecast, "thresholdType": "Forecasted",
                      "contactEmails": ["a@b.co"]}}}, {})]


def _gcp_budget(actual, forecast) -> list:
    return [("gcp:pubsub/topic:Topic", "topic", {}, {}),
            ("gcp:billing/budget:Budget", "budget", {"allUpdatesRule": {"pubsubTopic": "t"}, "thresholdRules": [
                {"thresholdPercent": actual}, {"thresholdPercent": forecast, "spendBasis": "FORECASTED_SPEND"}]}, {})]


@pytest.mark.parametrize("budget, actual, forecast", [(_aws_budget, 80, 100), (_azure_budget, 80, 100),
                                                      (_gcp_budget, 0.8, 1.0)], ids=["aws", "azure", "gcp"])
def test_budgets_alert_on_actual_spend_by_80_percent_and_on_the_forecast_by_100(budget, actual, forecast):
    assert run_stack("budget-present", budget(actual, forecast), "learning") == []
    step = 1 if actual == 80 else 0.01
    assert run_stack("budget-present", budget(actual + step, forecast), "learning")
    assert run_stack("budget-present", budget(actual, forecast + step), "learning")


def test_a_stack_that_costs_nothing_idle_needs_no_minimum_budget():
    free = [("pulumi:providers:aws", "provider", {"region": "us-east-1"}, {}), ("aws:sns/topic:Topic", "topic", {}, {})]
    assert run_stack("budget-present", [*free, _budget("0.50")], "learning") == []


def test_a_cloud_without_a_budget_is_named_with_the_budget_resource_to_add():
    assert run_stack("budget-present", [("aws:kinesis/stream:Stream", "stream", {}, {})], "learning") == [
        "the stack has aws resources but no Budget (aws:budgets/budget:Budget): add a monthly cost budget with "
        "actual 80 % and forecast 100 % alerts to the alert e-mails"]
