"""The two shapes of a rule's validator, and helpers for relations between resources.

A resource validator is ``fn(args, report)`` decorated with ``@applies_to``
(which skips other types, V2 aliases and API-versioned tokens included). A
stack validator is ``fn(args, report)`` over ``args.resources``; it links
companion resources to their target through ``property_dependencies`` (the
URNs an input was built from), and falls back to comparing values when a
program passed a plain string.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, Optional, Sequence

from pulumi_policy import PolicyResource, ResourceValidationArgs

from policies.props import as_list
from policies.tokens import is_type

Report = Callable[..., None]


def applies_to(*tokens: str):
    """Run the decorated resource validator only for ``tokens``."""

    def decorate(fn: Callable[[ResourceValidationArgs, Report], None]):
        @functools.wraps(fn)
        def validate(args: ResourceValidationArgs, report_violation: Report) -> None:
            if is_type(args.resource_type, *tokens):
                fn(args, report_violation)

        validate.tokens = tokens  # type: ignore[attr-defined]
        return validate

    return decorate


def of_type(resources: Iterable[PolicyResource], *tokens: str) -> list[PolicyResource]:
    return [r for r in resources if is_type(r.resource_type, *tokens)]


def _identities(target: PolicyResource) -> set[str]:
    """Values a program may pass to refer to ``target`` (physical names, ids, ARNs)."""
    values = {target.urn}
    for key in ("id", "bucket", "name", "arn", "resourceName", "accountName"):
        value = target.props.get(key) if hasattr(target.props, "get") else None
        if isinstance(value, str) and value:
            values.add(value)
    return values


def refers_to(resource: PolicyResource, prop: str, target: PolicyResource) -> bool:
    """Whether ``resource``'s input ``prop`` was built from ``target`` (or names it)."""
    deps = resource.property_dependencies.get(prop) or []
    if any(d is target or getattr(d, "urn", None) == target.urn for d in deps):
        return True
    value = resource.props.get(prop) if hasattr(resource.props, "get") else None
    names = _identities(target)
    for item in as_list(value):
        if isinstance(item, str) and item in names:
            return True
    return False


def companions(
    target: PolicyResource, resources: Sequence[PolicyResource], tokens: Sequence[str], prop: str
) -> list[PolicyResource]:
    """Resources of ``tokens`` whose ``prop`` refers to ``target``."""
    return [r for r in of_type(resources, *tokens) if refers_to(r, prop, target)]


def label(resource: Any) -> str:
    """How a message names a resource: its logical name and type."""
    return f"{resource.name} ({resource.resource_type})"


def report_on(report: Report, resource: PolicyResource, message: str) -> None:
    report(message, resource.urn)


def flag(report: Report, message: str, urn: Optional[str] = None) -> None:
    if urn is None:
        report(message)
    else:
        report(message, urn)
