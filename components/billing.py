"""The billing-alert contract shared by the three clouds' budgets.

Every stack creates a monthly cost budget on each cloud it touches, with
alerts at 50 %, 80 % and 100 % of actual spend and 100 % of forecast spend,
sent to ``blueprint:alertEmails`` and to a machine-readable channel (SNS,
action group, Pub/Sub). A budget only alerts; it never stops spending.
"""

from __future__ import annotations

from dataclasses import dataclass

from components.config import BUDGET_THRESHOLDS, PlatformConfig


@dataclass(frozen=True)
class BudgetSpec:
    amount_usd: float
    emails: tuple[str, ...]
    thresholds: tuple[tuple[str, int], ...] = BUDGET_THRESHOLDS
    """(kind, percent): kind is ``actual`` or ``forecast``."""

    @classmethod
    def from_config(cls, config: PlatformConfig) -> "BudgetSpec":
        if not config.alert_emails:
            # Unreachable through load_config, which requires an address; kept for direct callers.
            raise ValueError("blueprint:alertEmails: a budget needs at least one alert recipient")
        return cls(amount_usd=config.budget_usd, emails=tuple(config.alert_emails))
