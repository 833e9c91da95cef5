"""The identifiers a stack's state knows: from ``pulumi stack export`` or a saved export file.

Every resource's ``id`` and the ``arn``, ``name``, ``id``, ``selfLink`` and
``bucket`` outputs, lower-cased (Azure ids are case-insensitive). A match on
any of them keeps a found resource out of the orphans: an ambiguous match errs
towards keeping.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Optional

IDENTIFYING_OUTPUTS = ("arn", "name", "id", "selfLink", "bucket", "applicationId", "streamArn")


class StateError(RuntimeError):
    """The stack's state could not be read."""


def keys_of(export: dict[str, Any]) -> set[str]:
    resources = (export.get("deployment") or {}).get("resources")
    if resources is None:
        raise StateError("not a stack export: no deployment.resources (use `pulumi stack export`)")
    keys: set[str] = set()
    for resource in resources:
        if resource.get("type", "").startswith(("pulumi:providers:", "pulumi:pulumi:")):
            continue
        values = [resource.get("id")] + [(resource.get("outputs") or {}).get(k) for k in IDENTIFYING_OUTPUTS]
        for value in values:
            if isinstance(value, str) and value:
                keys.add(value.lower())
                if value.startswith("arn:"):
                    keys.add(value.rstrip("*").rstrip(":").lower())
    return keys


def read_export(stack: str, state_file: Optional[Path] = None, run=subprocess.run) -> dict[str, Any]:
    """The export JSON from ``state_file``, else from ``pulumi stack export --stack STACK``."""
    if state_file is not None:
        try:
            return json.loads(Path(state_file).read_text())
        except (OSError, ValueError) as exc:
            raise StateError(f"{state_file}: {exc}") from None
    try:
        done = run(["pulumi", "stack", "export", "--stack", stack], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise StateError("the pulumi CLI is not on PATH: install it, or pass --state FILE "
                         "(the output of `pulumi stack export`)") from None
    if done.returncode != 0:
        raise StateError(f"pulumi stack export --stack {stack} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)
