"""The idle-cost delta per day, from whatever estimator is given.

The diff prices nothing itself: an estimator is a function from a plan to
its idle cost in USD per day. The default is the project's estimator
(``blueprint.cost.estimate``), imported only when a diff asks for it; when it is
not installed the section says so instead of guessing.
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


def default_estimator() -> Estimator | str:
    """The project's idle-cost estimator, or the reason it cannot be used."""
    try:
        from blueprint.cost.estimate import estimate
    except ImportError:
        return "the cost estimator (blueprint.cost) is not installed"
    return lambda plan: estimate(plan).idle_per_day


def cost_delta(base: Plan, head: Plan, estimator: Estimator | str | None = None) -> CostDelta:
    chosen = default_estimator() if estimator is None else estimator
    if isinstance(chosen, str):
        return CostDelta(None, None, chosen)
    try:
        before = float(chosen(base)) if base.resources else 0.0
        after = float(chosen(head)) if head.resources else 0.0
    except Exception as exc:  # an estimator's failure must not hide the rest of the diff
        return CostDelta(None, None, f"the cost estimator failed: {exc.__class__.__name__}: {exc}")
    return CostDelta(before, after)
