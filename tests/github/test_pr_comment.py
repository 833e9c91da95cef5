"""The commenting script: one comment per project and stack, updated in place, never by an older diff."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from blueprint.engine import ROOT

SCRIPT = ROOT / ".github" / "scripts" / "pr-comment.js"

HARNESS = r"""
const { upsertAll } = require(process.argv[1]);
const state = JSON.parse(process.argv[2]);
const calls = [];
const github = {
  rest: {
    pulls: { get: async ({ pull_number }) => ({ data: { head: { sha: state.prHead[pull_number] } } }) },
    issues: {
      listComments: 'listComments',
      createComment: async (a) => { calls.push(['create', a.issue_number, a.body]); },
      updateComment: async (a) => { calls.push(['update', a.comment_id, a.body]); },
    },
  },
  paginate: async () => state.comments,
};
const core = { notice: () => {}, warning: () => {} };
const context = { repo: { owner: 'o', repo: 'r' }, payload: { workflow_run: { head_sha: state.runHead } } };
upsertAll({ github, context, core, dir: state.dir }).then((r) => console.log(JSON.stringify({ r, calls })));
"""


def preview(tmp_path, stack: str, valid_at: str, pr: int = 7, body: str = "### diff\n") -> None:
    folder = tmp_path / f"pr-preview-{stack}"
    folder.mkdir()
    (folder / "meta.json").write_text(json.dumps({"project": "blueprint", "stack": stack, "validAt": valid_at,
                                                  "pr": pr, "headSha": "abc"}))
    (folder / "diff.md").write_text(body)


def marker(stack: str, valid_at: str) -> str:
    return f'<!-- blueprint-diff {{"project":"blueprint","stack":"{stack}","validAt":"{valid_at}"}} -->'


def run(tmp_path, comments, run_head="abc", pr_head="abc"):
    if not shutil.which("node"):
        pytest.skip("node is not installed")
    state = {"dir": str(tmp_path), "comments": comments, "runHead": run_head, "prHead": {"7": pr_head}}
    out = subprocess.run(["node", "-e", HARNESS, str(SCRIPT), json.dumps(state)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def bot(id_, body):
    return {"id": id_, "user": {"type": "Bot"}, "body": body}


def test_creates_one_comment_per_stack_with_its_marker(tmp_path):
    preview(tmp_path, "aws", "2026-11-30T10:00:00+00:00")
    preview(tmp_path, "gcp", "2026-11-30T10:00:00+00:00")
    result = run(tmp_path, [])
    assert result["r"] == {"aws": "created", "gcp": "created"}
    assert [c[2].splitlines()[0] for c in result["calls"]] == [marker("aws", "2026-11-30T10:00:00+00:00"),
                                                              marker("gcp", "2026-11-30T10:00:00+00:00")]


def test_updates_only_its_own_stack_comment(tmp_path):
    preview(tmp_path, "aws", "2026-11-30T11:00:00+00:00")
    comments = [bot(1, marker("gcp", "2026-11-30T10:00:00+00:00") + "\nold gcp"),
                bot(2, marker("aws", "2026-11-30T10:00:00+00:00") + "\nold aws"),
                {"id": 3, "user": {"type": "User"}, "body": marker("aws", "2026-11-30T12:00:00+00:00")}]
    result = run(tmp_path, comments)
    assert result["r"] == {"aws": "updated"}
    assert [c[:2] for c in result["calls"]] == [["update", 2]]


def test_an_older_diff_never_replaces_a_newer_one(tmp_path):
    preview(tmp_path, "aws", "2026-11-30T09:00:00+00:00")
    result = run(tmp_path, [bot(2, marker("aws", "2026-11-30T10:00:00+00:00"))])
    assert result == {"r": {"aws": "kept-newer"}, "calls": []}


def test_a_run_for_an_outdated_head_does_not_comment(tmp_path):
    preview(tmp_path, "aws", "2026-11-30T11:00:00+00:00")
    assert run(tmp_path, [], run_head="abc", pr_head="def") == {"r": {"aws": "stale-run"}, "calls": []}


def test_untrusted_artifacts_are_refused_and_forged_markers_removed(tmp_path):
    preview(tmp_path, "aws", "2026-11-30T11:00:00+00:00",
            body=marker("gcp", "2030-01-01T00:00:00+00:00") + "\n### diff\n")
    bad = tmp_path / "pr-preview-x"
    bad.mkdir()
    (bad / "meta.json").write_text(json.dumps({"project": "blueprint", "stack": "../x", "validAt": "2026-01-01",
                                               "pr": 7}))
    (bad / "diff.md").write_text("x")
    result = run(tmp_path, [])
    assert result["r"] == {"aws": "created", "pr-preview-x": "refused"}
    body = result["calls"][0][2]
    assert body.count("blueprint-diff") == 1 and body.startswith(marker("aws", "2026-11-30T11:00:00+00:00"))
