"""The program fixes the lease from the state backend, so daily deploys leave the tags alone.

A fake ``pulumi`` executable on PATH plays the CLI that runs the program and
answers ``pulumi stack output --json`` with the last deployment's outputs.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timezone

import pytest

from blueprint.engine import synthesize
from components.config import load_config
from infra import lease

VALID = {"cloud": "aws", "owner": "data-team", "alertEmails": ["team@example.com"], "ttl": "72h"}


@pytest.fixture
def fake_pulumi(tmp_path, monkeypatch):
    def install(outputs: dict | None, exit_code: int = 0):
        script = tmp_path / "pulumi"
        body = json.dumps(outputs or {})
        script.write_text(f"#!/bin/sh\necho '{body}'\nexit {exit_code}\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
        # The engine here is the mock runtime; make the program behave as under `pulumi up`.
        monkeypatch.setattr(lease, "under_mocks", lambda: False)

    return install


def _expiry_tags(synthesis) -> set[str]:
    return {
        r.inputs["tags"]["expires-at"]
        for r in synthesis.custom()
        if isinstance(r.inputs.get("tags"), dict) and "expires-at" in r.inputs["tags"]
    }


def test_recorded_lease_fixes_every_tag_and_is_exported_again(fake_pulumi):
    fake_pulumi({"lease_start": "2026-01-02T10:30:00Z", "expires_at": "2026-01-05T10:30Z"})
    first = synthesize("aws")
    second = synthesize("aws")
    assert _expiry_tags(first) == _expiry_tags(second) == {"2026-01-05T10:30Z"}
    assert first.exports["lease_start"] == "2026-01-02T10:30:00Z"
    assert first.exports["expires_at"] == "2026-01-05T10:30Z"


def test_first_deploy_starts_the_lease_now_and_records_it(fake_pulumi):
    fake_pulumi(None, exit_code=255)
    cfg = load_config(VALID)
    now = datetime(2026, 4, 7, 15, 42, 31, tzinfo=timezone.utc)
    fixed = lease.with_lease(cfg, "dev", now=now, real_engine=True)
    assert fixed.lease_start == datetime(2026, 4, 7, 15, 42, tzinfo=timezone.utc)
    assert fixed.expires_at() == "2026-04-10T15:42Z"


def test_configured_lease_wins_and_production_has_none(fake_pulumi):
    fake_pulumi({"lease_start": "2026-01-02T10:30:00Z"})
    renewed = load_config({**VALID, "leaseStart": "2026-02-01T00:00:00Z"})
    assert lease.with_lease(renewed, "dev", real_engine=True).expires_at() == "2026-02-04T00:00Z"
    prod = load_config({**VALID, "ttl": None, "profile": "production"})
    assert lease.with_lease(prod, "dev", real_engine=True).lease_start is None


def test_offline_preview_does_not_ask_a_backend(tmp_path, monkeypatch):
    marker = tmp_path / "called"
    script = tmp_path / "pulumi"
    script.write_text(f"#!/bin/sh\ntouch {marker}\necho '{{}}'\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    synthesis = synthesize("aws")
    assert not marker.exists()
    assert "lease_start" not in synthesis.exports


def test_budget_alert_sender_names_the_lease_and_the_command(fake_pulumi):
    fake_pulumi({"lease_start": "2026-01-02T10:30:00Z"})
    topics = synthesize("aws").of_type("aws:sns/topic:Topic")
    assert [t.inputs.get("displayName") for t in topics] == [
        "blueprint aws: lease ends 2026-01-05T10:30Z, end it now: bp destroy aws"
    ]
    assert all(len(t.inputs["displayName"]) <= 100 for t in topics)


def _labels(synthesis) -> set[str]:
    return {
        r.inputs["labels"]["expires-at"]
        for r in synthesis.custom()
        if isinstance(r.inputs.get("labels"), dict) and "expires-at" in r.inputs["labels"]
    }


def test_gcp_labels_keep_the_recorded_lease(fake_pulumi):
    fake_pulumi({"lease_start": "2026-01-02T10:30:00Z"})
    assert _labels(synthesize("gcp")) == {"2026-01-05t10-30z"}


def _vault_names(synthesis) -> list[str]:
    return [r.inputs["vaultName"] for r in synthesis.resources if r.type.startswith("azure-native:keyvault")
            and r.type.endswith(":Vault")]


def test_key_vault_name_stays_with_the_lease_and_changes_with_a_new_one(fake_pulumi):
    fake_pulumi({"lease_start": "2026-01-02T10:30:00Z"})
    first, again = _vault_names(synthesize("azure")), _vault_names(synthesize("azure"))
    assert len(first) == 1 and first == again
    # A destroyed stack has no outputs: the re-created one records a new lease and gets a new vault name.
    fake_pulumi({"lease_start": "2026-01-09T08:00:00Z"})
    assert _vault_names(synthesize("azure")) != first
