"""The lease notice that a learning stack's budget alert carries."""

from __future__ import annotations

from components.billing import lease_notice
from components.config import load_config

VALID = {"cloud": "aws", "owner": "data-team", "alertEmails": ["team@example.com"],
         "ttl": "72h", "leaseStart": "2026-01-02T10:30:00Z"}


def test_notice_names_the_end_and_the_command():
    assert lease_notice(load_config(VALID), "learn") == \
        "blueprint learn: lease ends 2026-01-05T10:30Z, end it now: bp destroy learn"


def test_long_stack_names_still_fit_an_sns_display_name():
    notice = lease_notice(load_config(VALID), "s" * 60)
    assert notice == "blueprint: lease ends 2026-01-05T10:30Z, end it now: bp destroy STACK"
    assert len(notice) <= 100


def test_production_has_no_notice():
    cfg = load_config({**VALID, "ttl": None, "leaseStart": None, "profile": "production"})
    assert lease_notice(cfg, "prod") is None


def test_the_sns_limit_is_100_characters():
    # 65 fixed characters plus the stack name twice: 17 letters give 99, 18 give 101.
    assert lease_notice(load_config(VALID), "a" * 17).endswith("bp destroy " + "a" * 17)
    assert lease_notice(load_config(VALID), "a" * 18).endswith("bp destroy STACK")
