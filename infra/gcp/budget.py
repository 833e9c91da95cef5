"""The stack's billing budget: a Cloud Billing budget filtered to the project, with alerts.

Creates one monitoring e-mail notification channel per ``alertEmails``
address and a monthly budget on ``blueprint:gcp.billingAccount`` filtered to
the project, with the thresholds of ``components.billing.BudgetSpec``
(actual 50/80/100 %, forecast 100 %). With ``blueprint:gcp.budgetTopic``
(default on) it also creates a Pub/Sub topic (CMEK) for machine-readable
notifications, with publish granted on that topic only to Cloud Billing's
budget publisher, ``billing-budget-alert@system.gserviceaccount.com``: an
identity outside the customer's domain, refused where the organization
enforces ``iam.allowedPolicyMemberDomains`` (docs/clouds/gcp.md says how to
allow it, or turn the topic off and alert by e-mail only).

Where GCP differs: a budget lives on the billing account, not in the
project, so creating it needs ``billing.budgets.create`` on the account
(Billing Account Costs Manager); a budget notifies at most five monitoring
channels (config refuses more than five addresses). The amount is sent in
USD: the Budget API requires ``currency_code`` to be the billing account's
own currency, so a budget on a non-USD account is refused by the API at
``pulumi up`` (the stack cannot read the account's currency offline; the
real-cloud path in docs/clouds/gcp.md checks it first). Budgets only alert;
they never stop spending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

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
    channels: list[gcp.monitoring.NotificationChannel]
    topic: Optional[gcp.pubsub.Topic] = None
    """The notification topic (None with ``budgetTopic: false``)."""
    publisher_grant: Optional[gcp.pubsub.TopicIAMMember] = None

    @property
    def alert_channel(self) -> pulumi.Output[str]:
        """The topic, or without one the first e-mail channel."""
        return self.topic.id if self.topic is not None else self.channels[0].id


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
    topic_opts: pulumi.ResourceOptions,
) -> StackBudget:
    """``topic_opts``: the options of the CMEK topic (they wait for the Pub/Sub agent's key grant)."""
    settings = ctx.config.gcp
    spec = BudgetSpec.from_config(ctx.config)
    if len(spec.emails) > MAX_CHANNELS:
        raise ValueError(
            f"blueprint:alertEmails has {len(spec.emails)} addresses; a GCP budget notifies at most {MAX_CHANNELS}"
        )
    labels = ctx.foundation_labels(Zone.DATA)
    topic = publisher_grant = None
    if settings.budget_topic:
        topic = gcp.pubsub.Topic(
            f"{name}-budget-alerts",
            name=ctx.name("pubsub", "foundation-budget-alerts"),
            project=settings.project,
            kms_key_name=key_id,
            message_retention_duration="86400s",
            labels=labels,
            opts=pulumi.ResourceOptions.merge(topic_opts, pulumi.ResourceOptions(protect=ctx.protect)),
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
            pubsub_topic=topic.id if topic is not None else None,
            schema_version="1.0" if topic is not None else None,
            monitoring_notification_channels=[c.id for c in channels],
            disable_default_iam_recipients=False,
        ),
        opts=pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(depends_on=[publisher_grant] if publisher_grant else None)
        ),
    )
    return StackBudget(budget=budget, channels=channels, topic=topic, publisher_grant=publisher_grant)
