"""The stack's billing budget: a Cloud Billing budget filtered to the project, with alerts.

Creates one monitoring e-mail notification channel per ``alertEmails``
address, a Pub/Sub topic (CMEK) for machine-readable notifications with
publish granted to Cloud Billing's budget publisher on that topic only, and
a monthly budget on ``blueprint:gcp.billingAccount`` filtered to the
project, with the thresholds of ``components.billing.BudgetSpec`` (actual
50/80/100 %, forecast 100 %).

Where GCP differs: a budget lives on the billing account, not in the
project, so creating it needs ``billing.budgets.create`` on the account
(Billing Account Costs Manager); a budget notifies at most five monitoring
channels (config refuses more than five addresses); the amount is in the
billing account's currency (USD assumed here). Budgets only alert; they
never stop spending.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.billing import BudgetSpec
from components.context import StageContext
from components.zones import Zone

from infra.gcp.agents import BILLING_BUDGET_PUBLISHER

MAX_CHANNELS = 5
SPEND_BASIS = {"actual": "CURRENT_SPEND", "forecast": "FORECASTED_SPEND"}


@dataclass
class StackBudget:
    budget: gcp.billing.Budget
    topic: gcp.pubsub.Topic
    channels: list[gcp.monitoring.NotificationChannel]
    publisher_grant: gcp.pubsub.TopicIAMMember


def amount(usd: float) -> gcp.billing.BudgetAmountArgs:
    units = int(usd)
    nanos = int(round((usd - units) * 1_000_000_000))
    return gcp.billing.BudgetAmountArgs(
        specified_amount=gcp.billing.BudgetAmountSpecifiedAmountArgs(
            currency_code="USD", units=str(units), nanos=nanos or None
        )
    )


def create_budget(
    name: str,
    ctx: StageContext,
    number: pulumi.Input[str],
    key_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> StackBudget:
    settings = ctx.config.gcp
    spec = BudgetSpec.from_config(ctx.config)
    if len(spec.emails) > MAX_CHANNELS:
        raise ValueError(
            f"blueprint:alertEmails has {len(spec.emails)} addresses; a GCP budget notifies at most {MAX_CHANNELS}"
        )
    labels = ctx.foundation_labels(Zone.DATA)
    topic = gcp.pubsub.Topic(
        f"{name}-budget-alerts",
        name=ctx.name("pubsub", "foundation-budget-alerts"),
        project=settings.project,
        kms_key_name=key_id,
        message_retention_duration="86400s",
        labels=labels,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=ctx.protect)),
    )
    publisher_grant = gcp.pubsub.TopicIAMMember(
        f"{name}-budget-alerts-publisher",
        project=settings.project,
        topic=topic.name,
        role="roles/pubsub.publisher",
        member=BILLING_BUDGET_PUBLISHER,
        opts=opts,
    )
    channels = [
        gcp.monitoring.NotificationChannel(
            f"{name}-budget-email-{i}",
            project=settings.project,
            type="email",
            display_name=f"blueprint {ctx.stack} budget alerts ({email})",
            labels={"email_address": email},
            user_labels=labels,
            opts=opts,
        )
        for i, email in enumerate(spec.emails)
    ]
    budget = gcp.billing.Budget(
        f"{name}-budget",
        billing_account=settings.billing_account,
        display_name=ctx.name("gcp-budget", "foundation-budget"),
        amount=amount(spec.amount_usd),
        budget_filter=gcp.billing.BudgetBudgetFilterArgs(
            projects=[pulumi.Output.from_input(number).apply(lambda n: f"projects/{n}")],
            calendar_period="MONTH",
        ),
        threshold_rules=[
            gcp.billing.BudgetThresholdRuleArgs(threshold_percent=percent / 100, spend_basis=SPEND_BASIS[kind])
            for kind, percent in spec.thresholds
        ],
        all_updates_rule=gcp.billing.BudgetAllUpdatesRuleArgs(
            pubsub_topic=topic.id,
            schema_version="1.0",
            monitoring_notification_channels=[c.id for c in channels],
            disable_default_iam_recipients=False,
        ),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[publisher_grant])),
    )
    return StackBudget(budget=budget, topic=topic, channels=channels, publisher_grant=publisher_grant)
