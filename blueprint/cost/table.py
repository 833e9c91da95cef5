"""The price table: list prices read from ``prices.yaml``, one entry per billable item.

``PriceTable.load()`` reads the YAML once; ``price(cloud, item, region)``
answers with the ``Price`` of that item in the region's family, or ``None``
when the table has no entry for the region (callers report it, never
guess). ``free`` lists the resource types that cost nothing while idle.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

TABLE = Path(__file__).with_name("prices.yaml")
HOURS_PER_MONTH = 730
"""A month of list-price billing (730 hours; per day = per month x 24 / 730)."""
PERIODS = ("hour", "month", "use")
_FIELDS = {"unit", "per", "source", "date", "confidence"}


@dataclass(frozen=True)
class Price:
    cloud: str
    item: str
    region: str
    usd: float
    unit: str
    per: str
    source: str
    date: str
    confidence: str

    @property
    def per_hour(self) -> float:
        """The hourly equivalent of an idle (``hour`` or ``month``) price."""
        return self.usd if self.per == "hour" else self.usd / HOURS_PER_MONTH


@dataclass(frozen=True)
class PriceTable:
    regions: dict[str, dict[str, list[str]]]
    items: dict[str, dict[str, dict]]
    free: dict[str, str]

    @classmethod
    def load(cls, path: Path = TABLE) -> "PriceTable":
        data = yaml.safe_load(path.read_text())
        table = cls(regions=data["regions"], items=data["items"], free=data["free"])
        table.validate()
        return table

    def validate(self) -> None:
        for cloud, items in self.items.items():
            families = set(self.regions[cloud])
            for name, entry in items.items():
                missing = _FIELDS - set(entry)
                unknown = set(entry) - _FIELDS - families
                if missing or unknown or entry.get("per") not in PERIODS:
                    raise ValueError(f"prices.yaml {cloud}.{name}: missing {sorted(missing)}, "
                                     f"unknown {sorted(unknown)}, per={entry.get('per')!r} "
                                     f"(allowed: {', '.join(PERIODS)})")

    def family(self, cloud: str, region: str) -> Optional[str]:
        for family, members in self.regions.get(cloud, {}).items():
            if region in members:
                return family
        return None

    def price(self, cloud: str, item: str, region: str) -> Optional[Price]:
        """The list price of ``item`` in ``region``, or None when the table has no entry for it."""
        entry = self.items.get(cloud, {}).get(item)  # e.g. an instance type the table does not list
        family = self.family(cloud, region)
        if entry is None or family is None or family not in entry:
            return None
        return Price(cloud=cloud, item=item, region=region, usd=float(entry[family]), unit=entry["unit"],
                     per=entry["per"], source=entry["source"], date=str(entry["date"]),
                     confidence=entry["confidence"])


@functools.lru_cache(maxsize=1)
def table() -> PriceTable:
    """The project's price table (read once)."""
    return PriceTable.load()
