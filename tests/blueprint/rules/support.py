"""Planting one defect in a real example stack's synthesis.

A planted copy changes exactly one recorded input of one resource; the
cached synthesis shared by other tests is never modified.
"""

from __future__ import annotations

import copy
from typing import Any

from blueprint.engine import Synthesis
from blueprint.rules import Finding, check
from tests.conftest import synth


def planted(stack: str, token: str, name: str, path: str, value: Any) -> Synthesis:
    """``stack``'s synthesis with input ``path`` (dotted; ``[i]`` for list items) of resource ``name`` set to ``value``."""
    s = copy.deepcopy(synth(stack))
    [resource] = [r for r in s.resources if r.type == token and r.name == name]
    target = resource.inputs
    parts = path.replace("[", ".[").split(".")
    for part in parts[:-1]:
        target = target[int(part[1:-1])] if part.startswith("[") else target.setdefault(part, {})
    last = parts[-1]
    if last.startswith("["):
        target[int(last[1:-1])] = value
    elif value is None:
        target.pop(last, None)
    else:
        target[last] = value
    return s


def findings_for(s: Synthesis, name: str, input_path: str) -> list[Finding]:
    """Errors ``check`` reports for one resource's input."""
    return [f for f in check(s).errors if f.urn.endswith(f"::{name}") and f.input == input_path]
