"""Firewall: the production web ACL's rules, their evaluation order, visibility and the per-IP rate limit."""

from __future__ import annotations

from infra.aws.firewall import rate_limit
from tests.conftest import synth
from tests.infra.aws.support import PRODUCTION, one


def _acl():
    return one(synth(PRODUCTION), "aws:wafv2/webAcl:WebAcl").inputs


def test_rules_run_in_order_with_distinct_priorities_and_unmatched_requests_pass():
    # WAF evaluates rules by ascending priority and refuses two rules with the same one.
    acl = _acl()
    assert [(r["name"], r["priority"]) for r in acl["rules"]] == [
        ("aws-common-rule-set", 0), ("aws-known-bad-inputs", 1), ("per-ip-rate-limit", 2)]
    assert acl["defaultAction"] == {"allow": {}}
    # "none" keeps each managed rule's own block action; "count" would turn the whole group off.
    assert [r.get("overrideAction") for r in acl["rules"]] == [{"none": {}}, {"none": {}}, None]


def test_every_rule_and_the_acl_publish_metrics_and_sample_requests():
    acl = _acl()
    for rule in acl["rules"]:
        assert rule["visibilityConfig"] == {
            "cloudwatchMetricsEnabled": True, "metricName": rule["name"], "sampledRequestsEnabled": True}
    assert acl["visibilityConfig"] == {
        "cloudwatchMetricsEnabled": True, "metricName": acl["name"], "sampledRequestsEnabled": True}


def test_rate_limit_is_the_stage_throttle_over_five_minutes_and_never_below_what_waf_accepts():
    assert rate_limit(100) == 30000
    assert rate_limit(0.5) == 150
    # A rate-based statement's limit is at least 10 requests per evaluation window.
    assert rate_limit(0.01) == 10
