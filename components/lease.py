"""The lease of a learning stack: when it began, kept by the stack's own state.

A learning stack expires ``ttl`` hours after its lease began. The lease begins
at the first deploy and moves only when the user renews it, so that a daily
``pulumi up`` leaves every ``expires-at`` tag as it is.

Where the start is kept, first match wins:

1. ``blueprint:leaseStart`` in the stack config: written by ``bp lease STACK
   --renew``, or set by hand.
2. The ``lease_start`` output of the stack's last deployment, read with
   ``pulumi stack output --json`` while the program runs. The Pulumi CLI that
   runs the program is on its PATH and logged in to the same backend, and a
   read does not take the update lock, so the value lives in the state
   backend: it survives CI checkouts that never commit a config file, and a
   destroy (which removes the outputs) ends it, so a re-created stack starts
   a new lease.
3. Otherwise this is a first deploy (or the state cannot be read): the lease
   begins now, to the minute, and the program exports it as ``lease_start``.

A program output cannot be read back by the program through the SDK, and a
resource whose state records the first deploy time (a dynamic provider, or the
``time`` provider's ``Static``) would give an ``Output`` that tags, GCP labels
and the Key Vault name salt cannot use as text; reading the last output with
the CLI keeps every tag a plain string.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone
from typing import Callable, Optional

LEASE_OUTPUT = "lease_start"
"""The stack output that records when the lease began (ISO 8601, UTC)."""

Runner = Callable[[list[str]], subprocess.CompletedProcess]


def run_pulumi(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; a value without a zone is UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def format_instant(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def recorded_lease_start(stack: str, run: Runner = run_pulumi, cwd: Optional[str] = None) -> tuple[Optional[datetime], str]:
    """The ``lease_start`` output of ``stack``'s last deployment, and why there is none.

    Returns ``(start, "")`` or ``(None, reason)``; never raises: a first deploy has
    no outputs, and a missing CLI or backend must not stop the program.
    """
    argv = ["pulumi", "stack", "output", "--json", "--stack", stack]
    if cwd:
        argv += ["--cwd", cwd]
    try:
        done = run(argv)
    except FileNotFoundError:
        return None, "the pulumi CLI is not on PATH"
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"pulumi stack output failed: {exc}"
    if done.returncode != 0:
        lines = (done.stderr or "").strip().splitlines()
        return None, lines[-1] if lines else f"pulumi stack output exited with {done.returncode}"
    try:
        outputs = json.loads(done.stdout or "{}")
        value = outputs.get(LEASE_OUTPUT)
        return (parse_instant(value), "") if value else (None, "the last deployment recorded no lease")
    except (ValueError, AttributeError, TypeError) as exc:
        return None, f"unreadable {LEASE_OUTPUT} output: {exc}"


def lease_start(
    configured: Optional[datetime], recorded: Optional[datetime], now: datetime
) -> datetime:
    """When the lease began: the config's value, else the recorded one, else ``now`` (to the minute)."""
    if configured is not None:
        return configured if configured.tzinfo else configured.replace(tzinfo=timezone.utc)
    if recorded is not None:
        return recorded
    return now.astimezone(timezone.utc).replace(second=0, microsecond=0)
