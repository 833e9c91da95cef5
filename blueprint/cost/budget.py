"""The budget check: each cloud's monthly budget covers at least 1.5 x the stack's idle cost.

A budget below what the stack costs doing nothing alerts every month for
nothing, and people learn to ignore it. ``budget_warnings(plan)`` compares
the amount of each budget resource in the plan with the estimator's idle
cost of that cloud; ``bp preview`` prints the warnings.
"""

from __future__ import annotations

import math
from typing import Optional

from blueprint.cost.estimate import Estimate, estimate
from blueprint.plan import Plan

IDLE_COVER = 1.5
"""A budget covers at least this multiple of the idle monthly cost."""


def _amount(resource_type: str, inputs: dict) -> Optional[float]:
    try:
        if resource_type == "aws:budgets/budget:Budget":
            return float(inputs["limitAmount"])
        if resource_type == "azure-native:consumption:Budget":
            return float(inputs["amount"])
        if resource_type == "gcp:billing/budget:Budget":
            return float(inputs["amount"]["specifiedAmount"]["units"])
    except (KeyError, TypeError, ValueError):
        return None
    return None


def configured_budgets(plan: Plan) -> dict[str, float]:
    """The monthly amount of each cloud's budget in the plan."""
    found: dict[str, float] = {}
    for r in plan.custom_resources:
        amount = _amount(r.type, r.inputs)
        if amount is not None:
            found[r.cloud] = amount
    return found


def minimum_budget(idle_per_month: float) -> float:
    """The smallest whole-dollar budget that covers ``IDLE_COVER`` x the idle monthly cost."""
    return float(math.ceil(idle_per_month * IDLE_COVER))


def budget_warnings(plan: Plan, est: Optional[Estimate] = None) -> list[str]:
    est = est or estimate(plan)
    idle = est.idle_by_cloud()
    out = []
    for cloud, amount in sorted(configured_budgets(plan).items()):
        needed = minimum_budget(idle.get(cloud, 0.0))
        if amount < needed:
            out.append(f"warning: blueprint:budget = {amount:g} USD/month is below {IDLE_COVER:g} x this stack's idle "
                       f"cost on {cloud} (${idle[cloud]:.2f}/month by list prices, `bp cost {plan.stack}`): the "
                       f"alerts would fire for doing nothing; set at least {needed:g}")
    return out
