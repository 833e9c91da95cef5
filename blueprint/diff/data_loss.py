"""Data-loss warnings: the changes a reviewer must not wave through.

Six kinds: a stateful resource ``removed`` or ``replaced`` (a replacement
deletes the old resource and its data), its physical name ``renamed``,
its ``retention`` shortened, its encryption ``key`` changed, and a
``protection`` removed (Pulumi ``protect`` dropped, deletion protection
turned off, force-destroy turned on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from blueprint.diff.comparison import Comparison, InputChange, ResourceChange
from blueprint.diff.stateful import GUARDS, LOCKS, matches, stateful
from policies.tokens import canonical

KINDS = ("removed", "replaced", "renamed", "retention", "key", "protection")


@dataclass(frozen=True)
class DataLossWarning:
    kind: str
    resource: str
    type: str
    stage: str
    message: str


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)s$")


def seconds(value: Any, unit: str) -> float | None:
    """A retention value in seconds, or None when it is not a number in ``unit``."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        if unit == "s":
            match = _DURATION.match(str(value))
            return float(match[1]) if match else None
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number * {"h": 3600, "hs": 3600, "d": 86400, "sec": 1, "ms": 0.001}[unit]


def _human(value: float) -> str:
    if value >= 86400 and value % 86400 == 0:
        return f"{int(value // 86400)} d"
    if value >= 3600 and value % 3600 == 0:
        return f"{int(value // 3600)} h"
    return f"{value:g} s"


def _warn(change: ResourceChange, kind: str, message: str) -> DataLossWarning:
    r = change.resource
    return DataLossWarning(kind, r.name, r.type, r.stage, message)


def _input_warnings(change: ResourceChange, item: InputChange) -> list[DataLossWarning]:
    spec = stateful(change.resource.type)
    found = []
    if spec and item.path in spec.names and item.old is not None:
        found.append(_warn(change, "renamed", f"physical name `{item.path}` changes: the {spec.kind} is "
                                              "replaced under the new name and the old one deleted with its data"))
    if spec:
        for pattern, unit in spec.retention.items():
            if not re.fullmatch(pattern, item.path):
                continue
            old, new = seconds(item.old, unit), seconds(item.new, unit)
            if old is not None and new is None:
                found.append(_warn(change, "retention", f"`{item.path}` removed (was {_human(old)}): the "
                                                        "provider's default retention applies"))
            elif old is not None and new is not None and new < old:
                found.append(_warn(change, "retention", f"`{item.path}` shortened from {_human(old)} to "
                                                        f"{_human(new)}: older data is deleted"))
        if matches(spec.keys, item.path) and item.old is not None:
            found.append(_warn(change, "key", f"encryption key `{item.path}` changes: data written under the old "
                                              "key stays readable only while that key exists and is usable"))
    for pattern, unsafe in GUARDS:
        if re.fullmatch(pattern, item.path) and item.new == unsafe and item.old != unsafe:
            shown = str(unsafe).lower() if isinstance(unsafe, bool) else unsafe
            found.append(_warn(change, "protection", f"`{item.path}` becomes {shown}: a delete or an overwrite "
                                                     "would no longer be stopped or would take the data with it"))
    return found


def warnings(comparison: Comparison) -> list[DataLossWarning]:
    """Every data-loss warning of ``comparison``, in resource order."""
    found: list[DataLossWarning] = []
    for change in comparison.changes:
        spec = stateful(change.resource.type)
        if change.action == "delete" and spec:
            found.append(_warn(change, "removed", f"the {spec.kind} is deleted with its data"))
        if change.action == "replace" and spec:
            paths = ", ".join(f"`{c.path}`" for c in change.inputs if c.replaces)
            found.append(_warn(change, "replaced", f"the {spec.kind} is replaced (changed: {paths}); the old one "
                                                   "is deleted with its data"))
        if change.action == "delete" and canonical(change.resource.type) in LOCKS:
            found.append(_warn(change, "protection", "the management lock is deleted: what it guarded can be "
                                                     "deleted"))
        if change.protect_removed:
            found.append(_warn(change, "protection", (
                "protected, yet removed from the program: the update fails until someone lifts the protection "
                "(`pulumi state unprotect`), which would let the delete through" if change.action == "delete"
                else "Pulumi `protect` removed: a later change can delete it")))
        if change.action in ("update", "replace"):
            for item in change.inputs:
                found.extend(_input_warnings(change, item))
    return found
