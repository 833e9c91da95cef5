"""``bp lease STACK [--renew 72h]``: when a learning stack's lease ends, and renewing it.

A renewal writes ``blueprint:leaseStart`` (now) and ``blueprint:ttl`` into the
stack config: with ``pulumi config set`` when the CLI is on PATH (so a stack
whose config lives elsewhere is handled by Pulumi itself), else into
``Pulumi.<stack>.yaml``. The next ``pulumi up`` retags every resource once.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Optional

from blueprint.engine import ROOT, read_stack_config, stack_file, stack_name
from components.config import ConfigError, ConfigIssue, load_config
from components.lease import format_instant, lease_start, parse_instant, recorded_lease_start

RENEW_COMMAND = "bp lease {stack} --renew 72h"
DESTROY_COMMAND = "bp destroy {stack}"


@dataclass(frozen=True)
class LeaseView:
    stack: str
    production: bool
    start: Optional[datetime]
    ends: Optional[datetime]
    source: str
    """Where the start came from (config or state), or why none was found."""

    def describe(self, now: datetime) -> str:
        if self.production:
            return f"{self.stack}: production stack, no lease"
        if self.ends is None:
            return f"{self.stack}: no lease recorded ({self.source}); a lease begins at the first deploy"
        left = self.ends - now
        when = format_instant(self.ends)
        status = f"ends in {_hours(left)}" if left.total_seconds() > 0 else f"ENDED {_hours(-left)} ago"
        return (
            f"{self.stack}: lease began {format_instant(self.start)} ({self.source}), {status} at {when}\n"
            f"renew: {RENEW_COMMAND.format(stack=self.stack)}    end it now: {DESTROY_COMMAND.format(stack=self.stack)}"
        )


def _hours(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h {int(delta.total_seconds() % 3600 // 60)}m"


def _blueprint_keys(raw: dict) -> dict:
    return {k.split(":", 1)[1]: v for k, v in raw.items() if k.startswith("blueprint:")}


def view(stack: str, root: Path = ROOT, recorded=recorded_lease_start) -> LeaseView:
    """The lease of ``stack`` from its config and, failing that, its last deployment."""
    cfg = load_config(_blueprint_keys(read_stack_config(stack, root)), stack_name(stack))
    name = stack_name(stack)
    if cfg.is_production:
        return LeaseView(name, True, None, None, "production")
    if cfg.lease_start is not None:
        start, source = lease_start(cfg.lease_start, None, datetime.now(timezone.utc)), "config blueprint:leaseStart"
    else:
        start, reason = recorded(name, cwd=str(root))
        source = "recorded at first deploy" if start else reason
    ends = start + timedelta(hours=cfg.ttl_hours) if start else None
    return LeaseView(name, False, start, ends, source)


def parse_duration(text: str) -> str:
    """``72h`` or ``3d``, judged by the same rule as ``blueprint:ttl``."""
    load_config({"cloud": "aws", "owner": "x", "alertEmails": ["a@example.com"], "ttl": text})
    return text.strip()


Setter = Callable[[str, str, str, Path], None]


def _set_with_cli(stack: str, key: str, value: str, root: Path) -> None:
    subprocess.run(["pulumi", "config", "set", "--stack", stack, "--cwd", str(root), key, value],
                   check=True, capture_output=True, text=True)


def _set_in_file(stack: str, key: str, value: str, root: Path) -> None:
    """Replace or add ``key: value`` under ``config:`` keeping the file's comments and order."""
    path = stack_file(stack, root)
    lines = path.read_text().splitlines(keepends=True)
    pattern = re.compile(rf"^(\s+){re.escape(key)}\s*:.*$")
    for i, line in enumerate(lines):
        match = pattern.match(line.rstrip("\n"))
        if match:
            lines[i] = f"{match[1]}{key}: {value!s}\n"
            break
    else:
        at = next((i for i, line in enumerate(lines) if line.rstrip() == "config:"), None)
        if at is None:
            lines += ["config:\n"]
            at = len(lines) - 1
        lines.insert(at + 1, f"  {key}: {value!s}\n")
    path.write_text("".join(lines))


def default_setter() -> Setter:
    return _set_with_cli if shutil.which("pulumi") else _set_in_file


def renew(stack: str, ttl: str, *, now: Optional[datetime] = None, root: Path = ROOT,
          setter: Optional[Setter] = None) -> datetime:
    """Start a new lease of ``ttl`` now; returns when it ends. Production stacks are refused."""
    name = stack_name(stack)
    cfg = load_config(_blueprint_keys(read_stack_config(stack, root)), name)
    if cfg.is_production:
        raise ConfigError([ConfigIssue("blueprint:profile", "production", "a production stack has no lease to renew")], name)
    ttl = parse_duration(ttl)
    start = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(second=0, microsecond=0)
    setter = setter or default_setter()
    setter(name, "blueprint:leaseStart", format_instant(start), root)
    setter(name, "blueprint:ttl", ttl, root)
    renewed = load_config({**_blueprint_keys(read_stack_config(stack, root)), "leaseStart": format_instant(start), "ttl": ttl})
    return parse_instant(renewed.expires_at())
