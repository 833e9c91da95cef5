"""Firewall: an AWS WAF (v2) web ACL in front of the ingest API, production only.

Creates a REGIONAL web ACL that allows by default and applies three rules:

- the AWS-managed common rule set (``AWSManagedRulesCommonRuleSet``), with
  ``SizeRestrictions_BODY`` overridden to count: it blocks bodies over 8 KB,
  while an event may be as large as a Kinesis record (1 MB); the stage's
  request validator and Kinesis itself bound the size instead;
- the AWS-managed known-bad-inputs rule set (``AWSManagedRulesKnownBadInputsRuleSet``:
  request patterns of known exploits, Log4j among them);
- a rate-based rule that blocks one client IP sending more than the stage's
  own throttle allows: ``throttle_rate`` requests per second over the
  evaluation window (``RATE_WINDOW_SECONDS``), so a producer within the API's
  limit is never blocked by WAF;

plus its association with the API stage and its logging configuration: every
request's verdict goes to a KMS-encrypted CloudWatch log group whose name
starts with ``aws-waf-logs-`` (WAF accepts no other), with the ``authorization``
and ``x-api-key`` headers redacted. WAF adds the log group's resource policy for
its log delivery itself on the first logging call. Metrics and sampled requests are on.

Why production only: a web ACL bills per month, plus per rule and per
million requests inspected, even idle (``bp cost aws-prod`` itemises it),
a sizeable share of the learning budget for no learning value.
Learning relies on authentication and
stage throttling alone.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.context import StageContext

RATE_WINDOW_SECONDS = 300
"""The rate rule's evaluation window (WAF accepts 60, 120, 300 or 600 seconds)."""
RATE_LIMIT_MINIMUM = 10
"""The smallest limit a rate-based statement accepts."""
COUNT_ONLY_RULES: tuple[str, ...] = ("SizeRestrictions_BODY",)
"""Common-rule-set rules that would block legitimate events: counted, not enforced."""
LOG_GROUP_PREFIX = "aws-waf-logs-"
"""WAF logs only to CloudWatch log groups whose name starts with this."""
REDACTED_HEADERS: tuple[str, ...] = ("authorization", "x-api-key")
LOG_RETENTION_DAYS = 365


def rate_limit(throttle_rate: float) -> int:
    """Requests one IP may send per ``RATE_WINDOW_SECONDS``: the stage throttle over the window."""
    return max(RATE_LIMIT_MINIMUM, int(throttle_rate * RATE_WINDOW_SECONDS))


def _visibility(metric: str) -> aws.wafv2.WebAclVisibilityConfigArgs:
    return aws.wafv2.WebAclVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True)


def _managed(name: str, priority: int, group: str, count: tuple[str, ...] = ()) -> aws.wafv2.WebAclRuleArgs:
    return aws.wafv2.WebAclRuleArgs(
        name=name,
        priority=priority,
        override_action=aws.wafv2.WebAclRuleOverrideActionArgs(none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()),
        statement=aws.wafv2.WebAclRuleStatementArgs(
            managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                vendor_name="AWS", name=group,
                rule_action_overrides=[{"name": rule, "action_to_use": {"count": {}}} for rule in count] or None,
            )),
        visibility_config=_visibility(name),
    )


def api_firewall(
    name: str, ctx: StageContext, stage_arn: pulumi.Input[str], tags: dict[str, str], parent: pulumi.Resource,
    throttle_rate: float,
) -> tuple[aws.wafv2.WebAcl, aws.wafv2.WebAclAssociation]:
    """Create ``{name}-waf``, ``{name}-waf-association``, ``{name}-waf-logs`` and ``{name}-waf-logging``."""
    acl_name = ctx.name("wafv2-web-acl", "connect-waf")
    web_acl = aws.wafv2.WebAcl(
        f"{name}-waf",
        name=acl_name,
        description="Ingest API: AWS common and known-bad-inputs rule sets, a per-IP rate limit",
        scope="REGIONAL",
        default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
        rules=[
            _managed("aws-common-rule-set", 0, "AWSManagedRulesCommonRuleSet", COUNT_ONLY_RULES),
            _managed("aws-known-bad-inputs", 1, "AWSManagedRulesKnownBadInputsRuleSet"),
            aws.wafv2.WebAclRuleArgs(
                name="per-ip-rate-limit",
                priority=2,
                action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
                statement=aws.wafv2.WebAclRuleStatementArgs(
                    rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                        aggregate_key_type="IP", limit=rate_limit(throttle_rate),
                        evaluation_window_sec=RATE_WINDOW_SECONDS)),
                visibility_config=_visibility("per-ip-rate-limit"),
            ),
        ],
        visibility_config=_visibility(acl_name),
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent, delete_before_replace=True),
    )
    association = aws.wafv2.WebAclAssociation(
        f"{name}-waf-association",
        resource_arn=stage_arn,
        web_acl_arn=web_acl.arn,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-waf-logs",
        name=LOG_GROUP_PREFIX + ctx.name("log-group", "connect-waf-logs"),
        retention_in_days=LOG_RETENTION_DAYS,
        kms_key_id=ctx.foundation.key_arn,
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent, protect=ctx.protect, delete_before_replace=True),
    )
    aws.wafv2.WebAclLoggingConfiguration(
        f"{name}-waf-logging",
        resource_arn=web_acl.arn,
        log_destination_configs=[log_group.arn],
        redacted_fields=[
            aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(name=header))
            for header in REDACTED_HEADERS
        ],
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return web_acl, association
