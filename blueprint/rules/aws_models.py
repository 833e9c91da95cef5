"""AWS inputs checked against the botocore service models.

Each resource type in :data:`~blueprint.rules.aws_requests.REQUESTS` is
checked against the request shape of the API call it becomes: enums,
length and numeric bounds, patterns, list sizes, and required members of
every object the program writes. Models load on first use and stay cached
(a pruned copy is cached on disk: ``aws_model_cache``).
"""

from __future__ import annotations

import functools
from typing import Any, Iterator

from blueprint.engine import RecordedResource, Synthesis
from blueprint.rules import Context, Finding, Severity, checker, covers
from blueprint.rules.aws_model_cache import service_models
from blueprint.rules.aws_requests import REQUESTS, UNIVERSAL_TARGETS
from blueprint.rules.coverage import type_key
from blueprint.rules.constraint import Constraint, violations
from blueprint.rules.values import is_secret, is_unknown, steps, values_at

covers(REQUESTS)


def _wanted() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every (service, operations) the table reads, in a stable order."""
    ops: dict[str, set[str]] = {}
    for request in REQUESTS.values():
        ops.setdefault(request.service, set()).add(request.operation)
        ops[request.service].update(m.split(":", 1)[0] for m in request.members.values() if ":" in m)
    for service, operation in UNIVERSAL_TARGETS.values():
        ops.setdefault(service, set()).add(operation)
    return tuple((service, tuple(sorted(names))) for service, names in sorted(ops.items()))


@functools.lru_cache(maxsize=None)
def _operation(service: str, operation: str):
    return service_models(_wanted())[service].operation_model(operation)


def _version() -> str:
    import botocore

    return botocore.__version__


def _member(shape, path: str):
    """The shape at ``path`` below ``shape`` (``A.B[].C``, ``*`` for map values)."""
    for step in steps(path):
        if step == "[]":
            shape = shape.member
        elif step == "*":
            shape = shape.value
        else:
            shape = shape.members[step]
    return shape


def _anchored(pattern: str) -> str:
    # Model patterns describe the whole value (the API docs read them so).
    return pattern if pattern.startswith("^") else f"^(?:{pattern})$"


@functools.lru_cache(maxsize=None)
def _constraint(shape) -> Constraint:
    meta = shape.metadata
    numeric = shape.type_name in ("integer", "long", "float", "double")
    if shape.type_name == "string":
        return Constraint(
            enum=tuple(shape.enum) or None,
            min_length=meta.get("min") or None,
            max_length=meta.get("max"),
            pattern=_anchored(meta["pattern"]) if "pattern" in meta else None,
        )
    if shape.type_name == "list":
        return Constraint(min_items=meta.get("min") or None, max_items=meta.get("max"))
    if numeric:
        return Constraint(minimum=meta.get("min"), maximum=meta.get("max"))
    return Constraint()


def _norm(name: str) -> str:
    return name.replace("_", "").lower()


def _validate(value: Any, shape, at: str) -> Iterator[tuple[str, Any, str]]:
    """(input path, value, rule) for each constraint of ``shape`` that ``value`` breaks."""
    if value is None or is_unknown(value) or is_secret(value):
        return
    for rule in violations(value, _constraint(shape)):
        yield at, value, rule
    if shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _validate(item, shape.member, f"{at}[{i}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            yield from _validate(item, shape.value, f"{at}.{key}")
    elif shape.type_name == "structure" and isinstance(value, dict):
        by_name = {_norm(m): m for m in shape.members}
        for key, item in value.items():
            member = by_name.get(_norm(key))
            if member is not None:
                yield from _validate(item, shape.members[member], f"{at}.{key}")
        given = {_norm(k) for k, v in value.items() if v is not None}
        for required in shape.required_members:
            if _norm(required) not in given:
                yield f"{at}.{required[0].lower()}{required[1:]}", None, f"required member {required} is missing"


def _findings(resource: RecordedResource) -> Iterator[Finding]:
    request = REQUESTS[type_key(resource.type)]
    operation = _operation(request.service, request.operation)
    source = f"botocore {_version()} {request.service} {request.operation}"
    top = operation.input_shape
    for input_path, member_path in request.members.items():
        if ":" in member_path:
            # A setting the provider writes with a second call after the create.
            other, path = member_path.split(":", 1)
            shape = _member(_operation(request.service, other).input_shape, path)
            where = f"botocore {_version()} {request.service} {other} {path}"
        else:
            shape, where = _member(top, member_path), f"{source} {member_path}"
        for at, value in values_at(resource.inputs, input_path):
            for path, bad, rule in _validate(value, shape, at):
                yield Finding(Severity.ERROR, resource.urn, path, bad, rule, where)
        first = steps(member_path)[0]
        # Pulumi names a resource itself when ``name`` is left out.
        if input_path != "name" and "." not in input_path and "[]" not in input_path \
                and first in top.required_members \
                and steps(member_path) == [first] and resource.inputs.get(input_path) is None:
            yield Finding(Severity.ERROR, resource.urn, input_path, None,
                          f"required member {first} is missing", f"{source} {member_path}")


@checker
def aws_service_models(synthesis: Synthesis, context: Context) -> Iterator[Finding]:
    for resource in synthesis.custom():
        if type_key(resource.type) in REQUESTS:
            yield from _findings(resource)
