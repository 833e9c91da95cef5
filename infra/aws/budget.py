"""Budget: the AWS Budgets cost budget and its alert channel.

Creates an SNS topic encrypted with the stack key, a topic policy that lets
``budgets.amazonaws.com`` publish (only on behalf of this account) and
denies publishing without TLS, one e-mail subscription per
``blueprint:alertEmails`` address, and a monthly COST budget with the
thresholds of ``components.billing.BudgetSpec`` (actual 50/80/100 %, forecast
100 %) notifying the topic.

Where AWS differs:
- The budget covers the whole account, not just this stack: a tag filter
  would need the ``stack`` tag activated as a cost-allocation tag first, and
  until then the budget would silently see $0.
- E-mail subscriptions stay "pending confirmation" until each recipient
  clicks the link AWS sends; alerts are not delivered before that.
- A budget only alerts; it never stops spending. Cost budgets with alerts
  are free (``blueprint/cost/prices.yaml``).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.billing import BudgetSpec, lease_notice
from components.context import StageContext

NOTIFICATION_TYPES = {"actual": "ACTUAL", "forecast": "FORECASTED"}


class Budget(pulumi.ComponentResource):
    topic: aws.sns.Topic
    topic_policy: aws.sns.TopicPolicy
    subscriptions: list[aws.sns.TopicSubscription]
    budget: aws.budgets.Budget

    def __init__(
        self,
        name: str,
        ctx: StageContext,
        spec: BudgetSpec,
        key_arn: pulumi.Input[str],
        account_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("blueprint:aws:Budget", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = ctx.foundation_tags()
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            name=ctx.name("sns-topic", "foundation-alerts"),
            # The sender name of the alert e-mails: the only free text an AWS budget alert can carry.
            display_name=lease_notice(ctx.config, ctx.stack, ctx.now),
            kms_master_key_id=key_arn,
            tags=tags,
            opts=child,
        )
        self.topic_policy = aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=self.topic.arn,
            policy=pulumi.Output.json_dumps({
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "BudgetsOfThisAccountPublish",
                        "Effect": "Allow",
                        "Principal": {"Service": "budgets.amazonaws.com"},
                        "Action": "SNS:Publish",
                        "Resource": self.topic.arn,
                        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
                    },
                    {
                        "Sid": "DenyPublishWithoutTls",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "SNS:Publish",
                        "Resource": self.topic.arn,
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    },
                ],
            }),
            opts=child,
        )
        self.subscriptions = [
            aws.sns.TopicSubscription(
                f"{name}-email-{index}", topic=self.topic.arn, protocol="email", endpoint=email, opts=child
            )
            for index, email in enumerate(spec.emails)
        ]
        self.budget = aws.budgets.Budget(
            f"{name}-monthly",
            name=ctx.name("budget", "foundation-monthly"),
            budget_type="COST",
            limit_amount=f"{spec.amount_usd:.2f}",
            limit_unit="USD",
            time_unit="MONTHLY",
            notifications=[
                aws.budgets.BudgetNotificationArgs(
                    comparison_operator="GREATER_THAN",
                    notification_type=NOTIFICATION_TYPES[kind],
                    threshold=float(percent),
                    threshold_type="PERCENTAGE",
                    subscriber_sns_topic_arns=[self.topic.arn],
                )
                for kind, percent in spec.thresholds
            ],
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.topic_policy]),
        )
        self.register_outputs({"budget_id": self.budget.id, "topic_arn": self.topic.arn})
