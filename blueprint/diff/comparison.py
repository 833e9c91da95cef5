"""What changes between two plans: each resource created, updated, replaced or deleted, input by input.

Inputs are compared as flattened paths (``tags.owner``,
``rules[0].expiration.days``); a JSON document held in a string (an IAM or
bucket policy) is opened so a trust change shows as the statement that
changed, not as one long string. A change is a replacement when the
provider replaces the resource for that input (``stateful.replaces``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from blueprint.diff.mask import is_marked
from blueprint.diff.plan_file import DiffInputError
from blueprint.diff.stateful import replaces
from blueprint.plan import Plan, PlannedResource

ACTIONS = ("create", "update", "replace", "delete")
SIGNS = {"create": "+", "update": "~", "replace": "+-", "delete": "-"}
ABSENT = None


@dataclass(frozen=True)
class InputChange:
    path: str
    old: Any
    new: Any
    replaces: bool = False


@dataclass
class ResourceChange:
    action: str
    before: PlannedResource | None
    after: PlannedResource | None
    inputs: list[InputChange] = field(default_factory=list)

    @property
    def resource(self) -> PlannedResource:
        return self.after or self.before  # type: ignore[return-value]

    @property
    def protect_removed(self) -> bool:
        return bool(self.before and self.before.protect and not (self.after and self.after.protect))


@dataclass
class Comparison:
    base: Plan
    head: Plan
    changes: list[ResourceChange]
    exports: list[InputChange]
    unchanged: int

    def of(self, action: str) -> list[ResourceChange]:
        return [c for c in self.changes if c.action == action]

    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in ACTIONS}


def _json_document(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf values by path; lists of objects by index, lists of plain values and secrets whole."""
    value = _json_document(value)
    if is_marked(value):
        return {prefix: value}
    if isinstance(value, dict):
        if not value:
            return {prefix: {}} if prefix else {}
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list) and any(isinstance(_json_document(v), (dict, list)) for v in value):
        flat = {}
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{prefix}[{index}]"))
        return flat or {prefix: []}
    return {prefix: value}


def input_changes(token: str, before: dict[str, Any], after: dict[str, Any]) -> list[InputChange]:
    a, b = flatten(before), flatten(after)
    return [InputChange(path, a.get(path, ABSENT), b.get(path, ABSENT), replaces(token, path))
            for path in sorted(set(a) | set(b)) if a.get(path, ABSENT) != b.get(path, ABSENT)]


def _resource_change(before: PlannedResource, after: PlannedResource) -> ResourceChange | None:
    inputs = input_changes(after.type, before.inputs, after.inputs)
    if before.protect != after.protect:
        inputs.append(InputChange("(protect)", before.protect, after.protect))
    if before.type != after.type:
        inputs.append(InputChange("(type)", before.type, after.type, True))
    if not inputs:
        return None
    action = "replace" if any(c.replaces for c in inputs) else "update"
    return ResourceChange(action, before, after, inputs)


def compare(base: Plan, head: Plan, *, other_stack: bool = False) -> Comparison:
    """The changes from ``base`` to ``head``; two different stacks are refused unless ``other_stack``."""
    if (base.project, base.stack) != (head.project, head.stack) and not other_stack:
        raise DiffInputError(
            f"the base plan is stack {base.project}/{base.stack} and the head plan is {head.project}/{head.stack}: "
            "a diff of two different stacks shows every resource replaced; compare two plans of one stack, "
            "or pass --other-stack to compare them anyway")
    old = {r.urn: r for r in base.custom_resources}
    new = {r.urn: r for r in head.custom_resources}
    changes: list[ResourceChange] = []
    unchanged = 0
    for urn in sorted(old.keys() | new.keys()):
        if urn not in old:
            changes.append(ResourceChange("create", None, new[urn], input_changes(new[urn].type, {}, new[urn].inputs)))
        elif urn not in new:
            changes.append(ResourceChange("delete", old[urn], None))
        else:
            change = _resource_change(old[urn], new[urn])
            if change is None:
                unchanged += 1
            else:
                changes.append(change)
    exports = input_changes("", base.exports, head.exports)
    return Comparison(base, head, changes, exports, unchanged)
