"""Reading the two sides of a diff: plan files written by ``bp preview STACK --json FILE``.

Every way a file can be wrong ends in one ``DiffInputError`` naming the file
and what is wrong with it, never in a traceback. ``NOTHING`` as a base stands
for a stack that does not exist yet (every resource of the head is created).
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from blueprint.plan import PLAN_VERSION, Plan, PlannedResource

NOTHING = "none"
"""The base that means "nothing deployed yet"."""

_RESOURCE_FIELDS = {f.name for f in fields(PlannedResource)}


class DiffInputError(ValueError):
    """A plan or policy file that cannot be used, or two plans that should not be compared."""


def read_json(path: str, what: str) -> object:
    """The JSON document at ``path``; ``what`` names it in errors ("base plan")."""
    file = Path(path)
    if not file.exists():
        raise DiffInputError(f"{what} {path}: no such file")
    if file.is_dir():
        raise DiffInputError(f"{what} {path}: is a directory, not a file")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DiffInputError(f"{what} {path}: cannot be read ({exc.__class__.__name__}: {exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DiffInputError(f"{what} {path}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def read_plan(path: str, what: str) -> Plan:
    """The plan at ``path``, checked field by field."""
    data = read_json(path, what)
    hint = "expected a plan written by `bp preview STACK --json FILE`"
    if not isinstance(data, dict):
        raise DiffInputError(f"{what} {path}: a JSON {type(data).__name__}, {hint}")
    if data.get("version") != PLAN_VERSION:
        raise DiffInputError(f"{what} {path}: plan version {data.get('version')!r}, expected {PLAN_VERSION}; {hint}")
    for key, kind in (("stack", str), ("project", str), ("resources", list)):
        if not isinstance(data.get(key), kind):
            raise DiffInputError(f"{what} {path}: key {key!r} missing or not a {kind.__name__}; {hint}")
    exports = data.get("exports", {})
    if not isinstance(exports, dict):
        raise DiffInputError(f"{what} {path}: key 'exports' is not an object; {hint}")
    resources = []
    for index, item in enumerate(data["resources"]):
        if not isinstance(item, dict) or set(item) != _RESOURCE_FIELDS:
            got = sorted(item) if isinstance(item, dict) else type(item).__name__
            raise DiffInputError(f"{what} {path}: resources[{index}] has {got}, expected the fields "
                                 f"{sorted(_RESOURCE_FIELDS)}")
        if not isinstance(item["inputs"], dict) or not isinstance(item["urn"], str):
            raise DiffInputError(f"{what} {path}: resources[{index}] urn must be a string and inputs an object")
        resources.append(PlannedResource(**item))
    return Plan(stack=data["stack"], project=data["project"], resources=resources, exports=exports)


def empty_like(plan: Plan) -> Plan:
    """A plan of ``plan``'s stack with nothing in it: the base of a first deploy."""
    return Plan(stack=plan.stack, project=plan.project, resources=[], exports={})
