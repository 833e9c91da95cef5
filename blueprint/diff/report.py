"""A diff report: the comparison of two plans with everything a reviewer reads beside it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

from blueprint.diff.comparison import ACTIONS, Comparison, compare
from blueprint.diff.cost_delta import CostDelta, Estimator, cost_delta
from blueprint.diff.data_loss import DataLossWarning, warnings
from blueprint.diff.mask import Mask
from blueprint.diff.policy_delta import PolicyDelta, policy_delta
from blueprint.plan import Plan
from blueprint.render import SECTION_ORDER


@dataclass
class Report:
    comparison: Comparison
    warnings: list[DataLossWarning]
    policy: Optional[PolicyDelta]
    cost: CostDelta
    mask: Mask

    @property
    def project(self) -> str:
        return self.comparison.head.project

    @property
    def stack(self) -> str:
        return self.comparison.head.stack

    def by_stage_and_zone(self) -> list[tuple[str, str, dict[str, int]]]:
        """Change counts per (stage, zone), stages in pipeline order."""
        counts: dict[tuple[str, str], Counter] = {}
        for change in self.comparison.changes:
            r = change.resource
            counts.setdefault((r.stage, r.zone or "-"), Counter())[change.action] += 1
        order = {s: i for i, s in enumerate(SECTION_ORDER)}
        keys = sorted(counts, key=lambda k: (order.get(k[0], len(order)), k))
        return [(stage, zone, {a: counts[(stage, zone)][a] for a in ACTIONS}) for stage, zone in keys]

    def changed_stages(self) -> dict[str, dict[str, int]]:
        stages: dict[str, Counter] = {}
        for stage, _, counts in self.by_stage_and_zone():
            stages.setdefault(stage, Counter()).update(counts)
        return {s: dict(c) for s, c in stages.items()}


def build_report(base: Plan, head: Plan, *, policy: tuple[list[dict], list[dict]] | None = None,
                 estimator: Estimator | None = None, mask: Mask | None = None,
                 other_stack: bool = False) -> Report:
    """Compare ``base`` with ``head``; ``policy`` is (base violations, head violations) when known."""
    comparison = compare(base, head, other_stack=other_stack)
    if mask is None:
        mask = Mask.for_documents([base.to_json(), head.to_json()])
    return Report(
        comparison=comparison,
        warnings=warnings(comparison),
        policy=policy_delta(*policy) if policy is not None else None,
        cost=cost_delta(base, head, estimator),
        mask=mask,
    )
