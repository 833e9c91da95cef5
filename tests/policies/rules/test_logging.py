"""Log retention floors at their boundary."""

from __future__ import annotations

from tests.policies.harness import run_resource, run_stack


def test_production_log_groups_keep_a_year_and_not_a_day_less():
    group = "aws:cloudwatch/logGroup:LogGroup"
    assert run_resource("aws-log-group-retention", group, {"retentionInDays": 365}, "production") == []
    assert run_resource("aws-log-group-retention", group, {"retentionInDays": 364}, "production") == [
        "retention_in_days is 364: set at least 365 in this profile"]
    assert run_resource("aws-log-group-retention", group, {"retentionInDays": 1}, "learning") == []


def test_azure_flow_logs_keep_90_days_and_not_a_day_less():
    def flow(days):
        return [("azure-native:network:FlowLog", "flow", {"retentionPolicy": {"enabled": True, "days": days}}, {})]

    assert run_stack("azure-diagnostic-settings", flow(90), "production") == []
    assert run_stack("azure-diagnostic-settings", flow(89), "production") == [
        "flow (azure-native:network:FlowLog): set retention_policy={'enabled': True, 'days': 90} or more"]
