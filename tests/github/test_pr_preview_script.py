"""The script the offline pull-request job runs, run here on this repository."""

from __future__ import annotations

import json
import subprocess
import sys

from blueprint.engine import ROOT

SCRIPT = ROOT / ".github" / "scripts" / "pr-preview.sh"


def _worktrees() -> set[str]:
    # Paths only: another checkout's HEAD may move while the script runs, and that is not this script's doing.
    listing = subprocess.run(["git", "worktree", "list", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    return {line.removeprefix("worktree ") for line in listing.stdout.splitlines() if line.startswith("worktree ")}


def test_previews_base_and_head_runs_the_policy_pack_and_writes_the_diff(tmp_path):
    out = tmp_path / "out"
    before = _worktrees()
    result = subprocess.run([str(SCRIPT), "azure", "HEAD", str(out)], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "PR_NUMBER": "12",
                                 "HOME": str(tmp_path)}, timeout=600)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.json")) == ["base.plan.json", "base.policy.json", "diff.json",
                                                          "head.plan.json", "head.policy.json", "meta.json"]
    meta = json.loads((out / "meta.json").read_text())
    assert (meta["project"], meta["stack"], meta["pr"]) == ("blueprint", "azure", 12)
    diff = (out / "diff.md").read_text()
    assert diff.startswith('<!-- blueprint-diff {"project": "blueprint", "stack": "azure", "validAt": ')
    assert "**Policy:** 0 violation(s) added (0 mandatory), 0 fixed" in diff
    assert json.loads((out / "diff.json").read_text())["counts"] == {"create": 0, "update": 0, "replace": 0,
                                                                     "delete": 0}
    assert _worktrees() == before  # the base checkout is removed


def test_refuses_a_stack_name_that_is_not_one(tmp_path):
    result = subprocess.run([str(SCRIPT), "../aws", "HEAD", str(tmp_path)], cwd=ROOT, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable})
    assert result.returncode == 2
    assert "stack '../aws' is not a stack name" in result.stderr


def test_exits_1_on_mandatory_violations_and_still_writes_the_diff(tmp_path):
    """The pack's exit code 1 (mandatory violations) fails the check; a base that cannot be had is 'nothing'."""
    python = tmp_path / "python"
    python.write_text(f"#!/bin/sh\n{sys.executable} \"$@\"; rc=$?\n"
                      "if [ \"$3\" = policy ] && [ $rc -eq 0 ]; then exit 1; fi\nexit $rc\n")
    python.chmod(0o755)
    out = tmp_path / "out"
    result = subprocess.run([str(SCRIPT), "gcp", "no-such-ref", str(out)], cwd=ROOT, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "PYTHON": str(python), "HOME": str(tmp_path)},
                            timeout=600)
    assert result.returncode == 1, result.stderr
    assert "mandatory policy violations" in result.stderr
    diff = (out / "diff.md").read_text()
    assert "the base no-such-ref cannot be checked out" in diff
    assert json.loads((out / "diff.json").read_text())["counts"]["delete"] == 0
    assert "**Policy:** not run for this diff." in diff
