"""Where a learning stack's lease begins: config, the last deployment's output, or now."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone

from components.lease import lease_start, recorded_lease_start

NOW = datetime(2026, 4, 7, 15, 42, 31, tzinfo=timezone.utc)


def _cli(stdout: str = "", returncode: int = 0, stderr: str = ""):
    calls: list[list[str]] = []

    def run(argv):
        calls.append(argv)
        return subprocess.CompletedProcess(argv, returncode, stdout, stderr)

    return run, calls


def test_recorded_lease_is_read_from_the_stack_outputs():
    run, calls = _cli('{"expires_at": "2026-04-04T09:00Z", "lease_start": "2026-04-01T09:00:00Z"}')
    start, reason = recorded_lease_start("dev", run=run)
    assert start == datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)
    assert reason == ""
    assert calls == [["pulumi", "stack", "output", "--json", "--stack", "dev"]]


def test_first_deploy_has_no_recorded_lease_and_says_why():
    run, _ = _cli(returncode=255, stderr="warning: x\nerror: no stack named 'dev' found\n")
    assert recorded_lease_start("dev", run=run) == (None, "error: no stack named 'dev' found")
    run, _ = _cli("{}")
    assert recorded_lease_start("dev", run=run) == (None, "the last deployment recorded no lease")


def test_missing_cli_is_a_reason_not_a_crash():
    def run(argv):
        raise FileNotFoundError("pulumi")

    assert recorded_lease_start("dev", run=run) == (None, "the pulumi CLI is not on PATH")


def test_config_beats_record_beats_now():
    configured = datetime(2026, 4, 5, 8, 0)
    recorded = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)
    assert lease_start(configured, recorded, NOW) == datetime(2026, 4, 5, 8, 0, tzinfo=timezone.utc)
    assert lease_start(None, recorded, NOW) == recorded
    assert lease_start(None, None, NOW) == datetime(2026, 4, 7, 15, 42, tzinfo=timezone.utc)
