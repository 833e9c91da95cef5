"""The estimate: idle and usage cost of a plan, itemised by stage and resource.

``estimate(plan, usage)`` prices every metered resource with the price
table in the stack's region (the cloud provider's region or location).
An item the table has no entry for in that region is listed under
``unpriced``, never guessed; free tiers, commitments and taxes are out of
scope and every rendering says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from blueprint.cost.meters import METERS, Metered
from blueprint.cost.table import HOURS_PER_MONTH, PriceTable, table
from blueprint.cost.usage import Usage, usage_meters
from blueprint.plan import Plan, PlannedResource

OUT_OF_SCOPE = ("List prices only: free-tier allowances, commitments and discounts, and taxes are out of scope; "
                "items without a price entry for the region are listed, not guessed.")
_REGION_KEYS = {"aws": ("region",), "azure": ("location",), "gcp": ("region",)}
_PROVIDERS = {"aws": "pulumi:providers:aws", "azure": "pulumi:providers:azure-native", "gcp": "pulumi:providers:gcp"}


@dataclass(frozen=True)
class Line:
    kind: str
    """idle (billed while deployed) or a usage purpose: ingest, sink, storage, spark, query."""
    cloud: str
    region: str
    stage: str
    resource: str
    type: str
    item: str
    quantity: float
    what: str
    unit: str
    unit_usd: float
    per_day: float
    source: str
    date: str

    @property
    def per_month(self) -> float:
        return self.per_day * HOURS_PER_MONTH / 24


@dataclass(frozen=True)
class Unpriced:
    cloud: str
    region: str
    stage: str
    resource: str
    item: str
    what: str


@dataclass
class Estimate:
    stack: str
    usage: Optional[Usage]
    regions: dict[str, str]
    lines: list[Line] = field(default_factory=list)
    unpriced: list[Unpriced] = field(default_factory=list)

    @property
    def idle(self) -> list[Line]:
        return [line for line in self.lines if line.kind == "idle"]

    @property
    def used(self) -> list[Line]:
        return [line for line in self.lines if line.kind != "idle"]

    @property
    def idle_per_day(self) -> float:
        return sum(line.per_day for line in self.idle)

    @property
    def idle_per_month(self) -> float:
        return self.idle_per_day * HOURS_PER_MONTH / 24

    @property
    def usage_per_day(self) -> float:
        return sum(line.per_day for line in self.used)

    @property
    def total_per_day(self) -> float:
        return self.idle_per_day + self.usage_per_day

    def idle_by_cloud(self) -> dict[str, float]:
        """Idle USD per month per cloud (what each cloud's budget must cover)."""
        out: dict[str, float] = {}
        for line in self.idle:
            out[line.cloud] = out.get(line.cloud, 0.0) + line.per_month
        return out

    def by_stage(self, kind: str = "idle") -> dict[str, float]:
        out: dict[str, float] = {}
        for line in self.idle if kind == "idle" else self.used:
            out[line.stage] = out.get(line.stage, 0.0) + line.per_day
        return dict(sorted(out.items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "regions": self.regions,
            "currency": "USD",
            "scope": OUT_OF_SCOPE,
            "usage": asdict(self.usage) if self.usage else None,
            "idle": {"per_day": round(self.idle_per_day, 4), "per_month": round(self.idle_per_month, 2),
                     "by_stage_per_day": {k: round(v, 4) for k, v in self.by_stage().items()}},
            "usage_per_day": round(self.usage_per_day, 4) if self.usage else None,
            "total_per_day": round(self.total_per_day, 4),
            "lines": [{**asdict(line), "per_day": round(line.per_day, 6), "per_month": round(line.per_month, 4)}
                      for line in self.lines],
            "unpriced": [asdict(u) for u in self.unpriced],
        }


def regions(plan: Plan) -> dict[str, str]:
    """Each cloud's region, from its provider (or, failing that, the resources' own location)."""
    found: dict[str, str] = {}
    for cloud, token in _PROVIDERS.items():
        for r in plan.resources:
            if r.type == token or (r.cloud == cloud and r.custom):
                for key in _REGION_KEYS[cloud]:
                    if isinstance(r.inputs.get(key), str) and cloud not in found:
                        found[cloud] = r.inputs[key]
    return found


def _price(est: Estimate, prices: PriceTable, kind: str, r: PlannedResource, m: Metered) -> None:
    region = est.regions.get(r.cloud, "")
    price = prices.price(r.cloud, m.item, region)
    if price is None:
        est.unpriced.append(Unpriced(r.cloud, region or "unknown", r.stage, r.name, m.item, m.what))
        return
    # Idle prices are hourly or monthly; usage quantities are already per day.
    per_day = m.quantity * (price.per_hour * 24 if price.per in ("hour", "month") else price.usd)
    est.lines.append(Line(kind=kind, cloud=r.cloud, region=region, stage=r.stage, resource=r.name, type=r.type,
                          item=m.item, quantity=m.quantity, what=m.what, unit=price.unit, unit_usd=price.usd,
                          per_day=per_day, source=price.source, date=price.date))


def estimate(plan: Plan, usage: Optional[Usage] = None, prices: Optional[PriceTable] = None) -> Estimate:
    prices = prices or table()
    est = Estimate(stack=plan.stack, usage=usage, regions=regions(plan))
    for r in plan.custom_resources:
        if r.type in METERS:
            for m in METERS[r.type](r, plan):
                if m.quantity:
                    _price(est, prices, "idle", r, m)
    if usage is not None:
        for um in usage_meters(plan, usage):
            if um.metered.quantity:
                _price(est, prices, um.purpose, um.resource, um.metered)
    return est


def unknown_types(plan: Plan, prices: Optional[PriceTable] = None) -> list[str]:
    """Custom resource types in the plan that are neither metered nor listed as free."""
    prices = prices or table()
    return sorted({r.type for r in plan.custom_resources} - set(METERS) - set(prices.free))
