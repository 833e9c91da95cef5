"""A deployed stack's outputs: ``pulumi stack output --json`` or a file holding the same JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from blueprint.dataflow.unavailable import Unavailable

PULUMI_TIMEOUT_SECONDS = 120


def load(stack: str, outputs_file: str | None = None) -> dict[str, Any]:
    """The stack's outputs as a dict (``store``, ``connect``, ``buffer``, ``processing``, ...)."""
    if outputs_file:
        path = Path(outputs_file)
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            raise Unavailable(f"--outputs {outputs_file}: no such file") from None
        except json.JSONDecodeError as exc:
            raise Unavailable(f"--outputs {outputs_file}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if shutil.which("pulumi") is None:
        raise Unavailable(
            "the pulumi CLI is not installed, so the deployed stack's outputs cannot be read; install it, "
            "or pass --outputs FILE with the JSON of `pulumi stack output --json`, or use --local")
    try:
        done = subprocess.run(["pulumi", "stack", "output", "--json", "--show-secrets", "--stack", stack],
                              capture_output=True, text=True, timeout=PULUMI_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise Unavailable(f"`pulumi stack output` for {stack!r} did not answer within {PULUMI_TIMEOUT_SECONDS}s") from None
    if done.returncode != 0:
        raise Unavailable(f"`pulumi stack output --stack {stack}` failed: {done.stderr.strip() or done.stdout.strip()}")
    return json.loads(done.stdout)


def need(outputs: dict[str, Any], *path: str) -> Any:
    """One output by its path (``need(o, "store", "raw")``), or a reason naming what is missing."""
    value: Any = outputs
    for i, key in enumerate(path):
        if not isinstance(value, dict) or value.get(key) in (None, ""):
            raise Unavailable(f"the stack exports no {'.'.join(path[:i + 1])}; deploy a version of the program "
                              "that exports it, or add it to the --outputs file")
        value = value[key]
    return value
