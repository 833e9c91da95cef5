"""Waiting for a submitted job: print each new state, stop at a terminal one or at the deadline."""

from __future__ import annotations

import time
from collections.abc import Callable

JOB_DEADLINE_SECONDS = 1800
POLL_SECONDS = 15


def wait(state_of: Callable[[], str], terminal: set[str], label: str,
         deadline_seconds: float = JOB_DEADLINE_SECONDS, poll_seconds: float = POLL_SECONDS) -> str:
    """The job's final state, or ``still <state> after N s``."""
    last, deadline = None, time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        state = state_of()
        if state != last:
            print(f"  {label}: {state}", flush=True)
            last = state
        if state in terminal:
            return state
        time.sleep(poll_seconds)
    return f"still {last} after {deadline_seconds:.0f}s"
