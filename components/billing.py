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


SNS_DISPLAY_NAME_LIMIT = 100
"""Amazon SNS ``DisplayName``: at most 100 characters; e-mail endpoints show it as the sender."""


def lease_notice(config: PlatformConfig, stack: str, now=None) -> str | None:
    """The line a learning stack's budget alert carries: when the lease ends and how to end it now.

    None in production. Where a cloud lets a budget alert carry free text is
    listed in docs/teardown.md (only the sender name of AWS's SNS e-mails).
    """
    expires = config.expires_at(now)
    if expires is None:
        return None
    notice = f"blueprint {stack}: lease ends {expires}, end it now: bp destroy {stack}"
    if len(notice) > SNS_DISPLAY_NAME_LIMIT:
        notice = f"blueprint: lease ends {expires}, end it now: bp destroy STACK"
    return notice
