"""The budget rule reads the price table: a budget below 1.5 x the stack's idle cost is reported."""

from __future__ import annotations

from tests.policies.harness import run_stack

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
