"""JSON policy documents (IAM, bucket, topic, endpoint and key policies), normalised.

Statements come back as a list whatever the document's shape; ``Action``,
``Resource`` and principal values become lists of strings.
"""

from __future__ import annotations

from typing import Any, Iterator

from policies.props import as_json, as_list


def statements(document: Any) -> list[dict]:
    """Every statement of a policy document given as JSON text or an object."""
    doc = as_json(document)
    if not isinstance(doc, dict):
        return []
    return [s for s in as_list(doc.get("Statement")) if isinstance(s, dict)]


def allows(document: Any) -> Iterator[dict]:
    for statement in statements(document):
        if statement.get("Effect", "Allow") == "Allow":
            yield statement


def actions(statement: dict) -> list[str]:
    return [str(a) for a in as_list(statement.get("Action"))]


def resources(statement: dict) -> list[str]:
    return [str(r) for r in as_list(statement.get("Resource"))]


def principals(statement: dict) -> list[str]:
    """Every principal value: ``"*"``, ARNs, account ids, service names."""
    principal = statement.get("Principal")
    if principal is None:
        return []
    if isinstance(principal, str):
        return [principal]
    if isinstance(principal, dict):
        return [str(v) for value in principal.values() for v in as_list(value)]
    return [str(p) for p in as_list(principal)]


def aws_principals(statement: dict) -> list[str]:
    principal = statement.get("Principal")
    if isinstance(principal, str):
        return [principal]
    if isinstance(principal, dict):
        return [str(v) for v in as_list(principal.get("AWS"))]
    return []


def is_public(statement: dict) -> bool:
    """An Allow to everyone (``*`` or ``{"AWS": "*"}``) with no condition narrowing it."""
    if statement.get("Effect", "Allow") != "Allow":
        return False
    return "*" in principals(statement) and not statement.get("Condition")


def applies_to_everyone(principal: Any) -> bool:
    """``"*"`` or ``{"AWS": "*"}``: a statement for every caller, anonymous ones included."""
    if principal == "*":
        return True
    if isinstance(principal, dict) and set(principal) == {"AWS"}:
        return principal["AWS"] == "*" or principal["AWS"] == ["*"]
    return False


def covers_action(actions: Any, wanted: str) -> bool:
    """Whether ``actions`` (a string or list) includes ``wanted``, by itself or by wildcard.

    IAM action names are case-insensitive (``SNS:Publish`` is ``sns:publish``).
    """
    listed = [actions] if isinstance(actions, str) else list(actions or [])
    service = wanted.split(":", 1)[0].lower()
    return any(str(a).lower() in ("*", f"{service}:*", wanted.lower()) for a in listed)


def denies_insecure_transport(document: Any, action: str = "s3:*") -> bool:
    """A Deny of ``action`` (or a wildcard over it) for everyone when ``aws:SecureTransport`` is false.

    A deny for one principal, or of one action, leaves every other caller free
    to use plain HTTP, so both are part of the property.
    """
    for statement in statements(document):
        if statement.get("Effect") != "Deny" or "NotPrincipal" in statement or "NotAction" in statement:
            continue
        if not applies_to_everyone(statement.get("Principal")) or not covers_action(statement.get("Action"), action):
            continue
        condition = statement.get("Condition") or {}
        for operator in ("Bool", "BoolIfExists"):
            value = (condition.get(operator) or {}).get("aws:SecureTransport")
            if str(value).lower() == "false" or value is False or value == ["false"]:
                return True
    return False
