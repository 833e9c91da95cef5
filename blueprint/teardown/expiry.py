"""Which learning stacks are past their lease, and ending them: the scheduled workflow's logic.

Run as ``python -m blueprint.teardown.expiry [--dry-run] [--summary FILE]``.
It lists the stacks of the current project in the state backend
(``pulumi stack ls --json``), reads each stack's ``profile`` and
``expires_at`` outputs, and runs ``bp destroy STACK --yes`` for every learning
stack whose lease has ended. A production stack, a stack without an expiry,
one with an update in progress and one with no resources are never touched.
The summary (Markdown, for ``$GITHUB_STEP_SUMMARY``) lists what was destroyed,
what failed and what was skipped, with the reason.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Optional

from components.lease import parse_instant


@dataclass(frozen=True)
class Verdict:
    stack: str
    expired: bool
    reason: str


def judge(stack: dict, outputs: Optional[dict], now: datetime) -> Verdict:
    """The verdict on one entry of ``pulumi stack ls --json`` with its outputs (None: unreadable)."""
    name = stack.get("name", "")
    if stack.get("updateInProgress"):
        return Verdict(name, False, "an update is in progress")
    if outputs is None:
        return Verdict(name, False, "outputs unreadable")
    profile = outputs.get("profile")
    if profile != "learning":
        return Verdict(name, False, f"profile {profile or 'unknown'}: only learning stacks expire")
    if not stack.get("resourceCount"):
        return Verdict(name, False, "no resources")
    expires = outputs.get("expires_at")
    if not expires:
        return Verdict(name, False, "no expires_at output")
    try:
        ends = parse_instant(expires)
    except ValueError:
        return Verdict(name, False, f"unreadable expires_at {expires!r}")
    if ends > now:
        return Verdict(name, False, f"lease ends {expires}")
    return Verdict(name, True, f"lease ended {expires}")


def judge_all(stacks: list[dict], outputs_of: Callable[[str], Optional[dict]], now: datetime) -> list[Verdict]:
    return [judge(s, outputs_of(s.get("name", "")), now) for s in stacks]


def _pulumi_json(argv: list[str]) -> Optional[object]:
    done = subprocess.run(["pulumi", *argv], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None
    return json.loads(done.stdout or "null")


def summary(verdicts: list[Verdict], results: dict[str, int], dry_run: bool) -> str:
    lines = ["## Learning stacks past their lease" + (" (dry run: nothing destroyed)" if dry_run else ""), "",
             "| stack | action | reason |", "| --- | --- | --- |"]
    for v in verdicts:
        if not v.expired:
            action = "skipped"
        elif dry_run:
            action = "would destroy"
        else:
            action = "destroyed" if results.get(v.stack) == 0 else f"FAILED (exit {results.get(v.stack)})"
        lines.append(f"| `{v.stack}` | {action} | {v.reason} |")
    return "\n".join(lines) + "\n"


def main(argv: Optional[list[str]] = None, run_destroy: Callable[[str], int] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m blueprint.teardown.expiry")
    p.add_argument("--dry-run", action="store_true", help="list what would be destroyed, destroy nothing")
    p.add_argument("--summary", metavar="FILE", help="append the Markdown summary to FILE")
    args = p.parse_args(argv)
    stacks = _pulumi_json(["stack", "ls", "--json"])
    if stacks is None:
        print("expiry: `pulumi stack ls --json` failed (CLI missing or not logged in)", file=sys.stderr)
        return 2
    verdicts = judge_all(stacks, lambda name: _pulumi_json(["stack", "output", "--json", "--stack", name]),
                         datetime.now(timezone.utc))
    if run_destroy is None:
        def run_destroy(stack: str) -> int:
            # Short name: the stack tag and Pulumi.<stack>.yaml use it; the CLI resolves it in the current project.
            return subprocess.call([sys.executable, "-m", "blueprint", "destroy", stack.rsplit("/", 1)[-1], "--yes"])
    results = {} if args.dry_run else {v.stack: run_destroy(v.stack) for v in verdicts if v.expired}
    text = summary(verdicts, results, args.dry_run)
    print(text)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as handle:
            handle.write(text)
    return 1 if any(code != 0 for code in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
