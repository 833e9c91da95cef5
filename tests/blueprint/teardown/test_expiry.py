"""The scheduled teardown's selection: only learning stacks whose lease has ended, never production."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from blueprint.teardown import expiry
from blueprint.teardown.expiry import judge, summary

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=timezone.utc)
DEPLOYED = {"resourceCount": 42, "updateInProgress": False}


def test_learning_stack_past_its_lease_expires():
    verdict = judge({"name": "org/learn", **DEPLOYED}, {"profile": "learning", "expires_at": "2026-06-10T11:59Z"}, NOW)
    assert (verdict.expired, verdict.reason) == (True, "lease ended 2026-06-10T11:59Z")


def test_lease_ending_later_or_exactly_now():
    later = judge({"name": "a", **DEPLOYED}, {"profile": "learning", "expires_at": "2026-06-10T12:01Z"}, NOW)
    assert (later.expired, later.reason) == (False, "lease ends 2026-06-10T12:01Z")
    assert judge({"name": "a", **DEPLOYED}, {"profile": "learning", "expires_at": "2026-06-10T12:00Z"}, NOW).expired


def test_production_and_unknown_profiles_are_never_selected():
    prod = judge({"name": "prod", **DEPLOYED}, {"profile": "production", "expires_at": "2020-01-01T00:00Z"}, NOW)
    assert (prod.expired, prod.reason) == (False, "profile production: only learning stacks expire")
    unknown = judge({"name": "x", **DEPLOYED}, {"expires_at": "2020-01-01T00:00Z"}, NOW)
    assert (unknown.expired, unknown.reason) == (False, "profile unknown: only learning stacks expire")


def test_busy_empty_unreadable_and_undated_stacks_are_skipped():
    old = {"profile": "learning", "expires_at": "2020-01-01T00:00Z"}
    assert judge({"name": "a", "resourceCount": 9, "updateInProgress": True}, old, NOW).reason == "an update is in progress"
    assert judge({"name": "a", "resourceCount": 0}, old, NOW).reason == "no resources"
    assert judge({"name": "a", **DEPLOYED}, None, NOW).reason == "outputs unreadable"
    assert judge({"name": "a", **DEPLOYED}, {"profile": "learning"}, NOW).reason == "no expires_at output"
    assert judge({"name": "a", **DEPLOYED}, {"profile": "learning", "expires_at": "soon"}, NOW).reason == \
        "unreadable expires_at 'soon'"


def test_main_destroys_only_the_expired_and_writes_the_summary(monkeypatch, tmp_path):
    stacks = [{"name": "org/old", **DEPLOYED}, {"name": "org/new", **DEPLOYED}, {"name": "org/prod", **DEPLOYED},
              {"name": "org/broken", **DEPLOYED}]
    outputs = {"org/old": {"profile": "learning", "expires_at": "2020-01-01T00:00Z"},
               "org/new": {"profile": "learning", "expires_at": "2999-01-01T00:00Z"},
               "org/prod": {"profile": "production"},
               "org/broken": {"profile": "learning", "expires_at": "2020-01-02T00:00Z"}}

    def fake(argv):
        return stacks if argv[:2] == ["stack", "ls"] else outputs[argv[-1]]

    monkeypatch.setattr(expiry, "_pulumi_json", fake)
    destroyed = []
    target = tmp_path / "summary.md"

    def destroy(stack):
        destroyed.append(stack)
        return 0 if stack == "org/old" else 1

    assert expiry.main(["--summary", str(target)], run_destroy=destroy) == 1
    assert destroyed == ["org/old", "org/broken"]
    text = target.read_text()
    assert "| `org/old` | destroyed | lease ended 2020-01-01T00:00Z |" in text
    assert "| `org/broken` | FAILED (exit 1) | lease ended 2020-01-02T00:00Z |" in text
    assert "| `org/prod` | skipped | profile production: only learning stacks expire |" in text

    destroyed.clear()
    assert expiry.main(["--dry-run"], run_destroy=destroy) == 0
    assert destroyed == []


def test_summary_of_a_dry_run_says_nothing_was_destroyed():
    verdicts = [expiry.Verdict("org/old", True, "lease ended 2020-01-01T00:00Z")]
    text = summary(verdicts, {}, dry_run=True)
    assert text.startswith("## Learning stacks past their lease (dry run: nothing destroyed)")
    assert "| `org/old` | would destroy |" in text
    json.dumps(text)
