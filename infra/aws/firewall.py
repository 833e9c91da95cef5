"""Firewall: an AWS WAF (v2) web ACL in front of the ingest API, production only.

Creates a REGIONAL web ACL that allows by default and applies two rules: the
AWS-managed common rule set (``AWSManagedRulesCommonRuleSet``: oversized
bodies, known bad inputs, cross-site scripting patterns) and a rate-based
rule that blocks a client IP sending more than ``RATE_LIMIT_PER_5_MIN``
requests in five minutes; plus its association with the API stage. Metrics
and sampled requests are on.

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

RATE_LIMIT_PER_5_MIN = 2000
"""Requests one client IP may send in any five minutes before WAF blocks it."""


def _visibility(metric: str) -> aws.wafv2.WebAclVisibilityConfigArgs:
    return aws.wafv2.WebAclVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True)


def api_firewall(
    name: str, ctx: StageContext, stage_arn: pulumi.Input[str], tags: dict[str, str], parent: pulumi.Resource,
) -> tuple[aws.wafv2.WebAcl, aws.wafv2.WebAclAssociation]:
    """Create ``{name}-waf`` and ``{name}-waf-association`` for one API stage."""
    acl_name = ctx.name("api-gateway", "connect-waf")
    web_acl = aws.wafv2.WebAcl(
        f"{name}-waf",
        name=acl_name,
        description="Ingest API: AWS common rule set and a per-IP rate limit",
        scope="REGIONAL",
        default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
        rules=[
            aws.wafv2.WebAclRuleArgs(
                name="aws-common-rule-set",
                priority=0,
                override_action=aws.wafv2.WebAclRuleOverrideActionArgs(none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()),
                statement=aws.wafv2.WebAclRuleStatementArgs(
                    managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                        vendor_name="AWS", name="AWSManagedRulesCommonRuleSet")),
                visibility_config=_visibility("aws-common-rule-set"),
            ),
            aws.wafv2.WebAclRuleArgs(
                name="per-ip-rate-limit",
                priority=1,
                action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
                statement=aws.wafv2.WebAclRuleStatementArgs(
                    rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                        aggregate_key_type="IP", limit=RATE_LIMIT_PER_5_MIN)),
                visibility_config=_visibility("per-ip-rate-limit"),
            ),
        ],
        visibility_config=_visibility(acl_name),
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    association = aws.wafv2.WebAclAssociation(
        f"{name}-waf-association",
        resource_arn=stage_arn,
        web_acl_arn=web_acl.arn,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return web_acl, association
