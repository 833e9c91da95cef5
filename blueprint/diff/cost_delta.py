"""The idle-cost delta per day, from whatever estimator is given.

The diff prices nothing itself: an estimator is a function from a plan to
its idle cost in USD per day. The default is the project's estimator
(``blueprint.cost.estimate``), imported on first use so that importing the
diff package does not load the price table. An estimator that fails (a type
missing from the price table) makes the section say why instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from blueprint.plan import Plan

Estimator = Callable[[Plan], float]


@dataclass(frozen=True)
class CostDelta:
    base: Optional[float]
    head: Optional[float]
    unavailable: str = ""
    """Why there is no figure (empty when there is one)."""

    @property
    def delta(self) -> Optional[float]:
        return None if self.base is None or self.head is None else self.head - self.base


def default_estimator(plan: Plan) -> float:
    """The project's idle cost of ``plan`` in USD per day."""
    from blueprint.cost.estimate import estimate

    return estimate(plan).idle_per_day


def cost_delta(base: Plan, head: Plan, estimator: Estimator | None = None) -> CostDelta:
    chosen = default_estimator if estimator is None else estimator
    try:
        before = float(chosen(base)) if base.resources else 0.0
        after = float(chosen(head)) if head.resources else 0.0
    except Exception as exc:  # an estimator's failure must not hide the rest of the diff
        return CostDelta(None, None, f"the cost estimator failed: {exc.__class__.__name__}: {exc}")
    return CostDelta(before, after)
