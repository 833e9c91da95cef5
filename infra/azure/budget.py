"""Budget: an Azure consumption budget on the stack's resource group, with an action group.

The budget follows ``components.billing.BudgetSpec``: monthly, the stack's
amount, alerts at actual 50/80/100 % and forecast 100 %, each sent to the
alert e-mails and to the action group (which e-mails the same people and is
the machine-readable hook for automation). Scope is the resource group, so
the budget counts exactly this stack's spend. A budget only alerts; it
never stops spending. Budgets and e-mail action groups have no charge
(``blueprint/cost/prices.yaml``).

The budget period starts on the first day of the current month (Azure wants
a month start); ``ignore_changes`` keeps the first value so each month's
preview shows no diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pulumi
from pulumi_azure_native import consumption, monitor

from components.billing import BudgetSpec
from components.context import StageContext
from components.zones import Zone

_KIND = {"actual": "Actual", "forecast": "Forecasted"}


def notifications(spec: BudgetSpec, action_group_id: pulumi.Input[str]) -> dict[str, dict]:
    """One notification per threshold of ``spec``."""
    out: dict[str, dict] = {}
    for kind, percent in spec.thresholds:
        out[f"{kind}-{percent}"] = {
            "enabled": True,
            "operator": "GreaterThanOrEqualTo",
            "threshold": percent,
            "threshold_type": _KIND[kind],
            "contact_emails": list(spec.emails),
            "contact_groups": [action_group_id],
        }
    return out


@dataclass
class StackBudget:
    action_group: monitor.ActionGroup
    budget: consumption.Budget

    @classmethod
    def create(
        cls, name: str, ctx: StageContext, *, resource_group_name: pulumi.Input[str],
        resource_group_id: pulumi.Input[str], parent: pulumi.Resource,
    ) -> "StackBudget":
        spec = BudgetSpec.from_config(ctx.config)
        action_group = monitor.ActionGroup(
            f"{name}-alerts",
            action_group_name=ctx.name("azure-generic", "alerts"),
            group_short_name=ctx.name("azure-action-group-short", "ag"),
            resource_group_name=resource_group_name,
            location="Global",
            enabled=True,
            email_receivers=[
                {"name": f"email-{i}", "email_address": email, "use_common_alert_schema": True}
                for i, email in enumerate(spec.emails)
            ],
            tags=ctx.foundation_tags(Zone.DATA),
            opts=pulumi.ResourceOptions(parent=parent),
        )
        now = ctx.now or datetime.now(timezone.utc)
        start = now.strftime("%Y-%m-01T00:00:00Z")
        budget = consumption.Budget(
            f"{name}-budget",
            budget_name=ctx.name("azure-generic", "budget"),
            scope=resource_group_id,
            amount=spec.amount_usd,
            category="Cost",
            time_grain="Monthly",
            time_period={"start_date": start},
            notifications=notifications(spec, action_group.id),
            opts=pulumi.ResourceOptions(parent=parent, ignore_changes=["timePeriod"]),
        )
        return cls(action_group, budget)
