"""``bp lease``: the lease from config or state, and a renewal written into the stack config."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from blueprint import cli
from blueprint.teardown import lease
from components.config import ConfigError

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 4, 7, 15, 42, 31, tzinfo=timezone.utc)


@pytest.fixture
def root(tmp_path):
    for name in ("Pulumi.aws.yaml", "Pulumi.aws-prod.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_view_reads_the_lease_recorded_at_first_deploy(root):
    recorded = lambda stack, cwd=None: (datetime(2026, 4, 6, 9, 0, tzinfo=timezone.utc), "")  # noqa: E731
    view = lease.view("aws", root, recorded=recorded)
    assert (view.start, view.ends, view.source) == (
        datetime(2026, 4, 6, 9, 0, tzinfo=timezone.utc), datetime(2026, 4, 9, 9, 0, tzinfo=timezone.utc),
        "recorded at first deploy")
    text = view.describe(NOW)
    assert "ends in 1d 17h at 2026-04-09T09:00:00Z" in text
    assert "renew: bp lease aws --renew 72h    end it now: bp destroy aws" in text
    assert "ENDED 2h 42m ago" in view.describe(datetime(2026, 4, 9, 11, 42, tzinfo=timezone.utc))


def test_view_before_the_first_deploy_and_in_production(root):
    view = lease.view("aws", root, recorded=lambda stack, cwd=None: (None, "no stack named 'aws' found"))
    assert view.describe(NOW) == ("aws: no lease recorded (no stack named 'aws' found); "
                                  "a lease begins at the first deploy")
    assert lease.view("aws-prod", root).describe(NOW) == "aws-prod: production stack, no lease"


def test_renew_writes_the_start_and_ttl_into_the_stack_file(root):
    ends = lease.renew("aws", "3d", now=NOW, root=root, setter=lease._set_in_file)
    assert ends == datetime(2026, 4, 10, 15, 42, tzinfo=timezone.utc)
    text = (root / "Pulumi.aws.yaml").read_text()
    assert "  blueprint:leaseStart: 2026-04-07T15:42:00Z\n" in text
    assert "  blueprint:ttl: 3d\n" in text and "blueprint:ttl: 72h" not in text
    assert text.startswith("# Learning profile on AWS")  # comments kept
    view = lease.view("aws", root, recorded=lambda stack, cwd=None: pytest.fail("config wins; state not read"))
    assert view.source == "config blueprint:leaseStart"


def test_renew_uses_pulumi_config_set_when_given_the_cli(root):
    calls = []
    lease.renew("aws", "48h", now=NOW, root=root, setter=lambda *a: calls.append(a[:3]))
    assert calls == [("aws", "blueprint:leaseStart", "2026-04-07T15:42:00Z"), ("aws", "blueprint:ttl", "48h")]


def test_renew_refuses_production_and_bad_durations(root):
    with pytest.raises(ConfigError, match="a production stack has no lease to renew"):
        lease.renew("aws-prod", "72h", root=root, setter=lease._set_in_file)
    with pytest.raises(ConfigError, match="blueprint:ttl"):
        lease.renew("aws", "31d", root=root, setter=lease._set_in_file)
    assert "blueprint:leaseStart" not in (root / "Pulumi.aws.yaml").read_text()


def test_cli_refuses_a_bad_duration_with_one_message(capsys):
    assert cli.main(["lease", "aws", "--renew", "forever"]) == 2
    err = capsys.readouterr().err
    assert "blueprint:ttl" in err and "72h or 3d" in err and "Traceback" not in err
