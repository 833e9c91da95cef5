"""Reading resource properties the way a policy sees them (camelCase, possibly unknown).

Values may be missing, JSON strings (policy documents, provider config),
or unknown during a preview: the offline engine marks those ``"<computed>"``,
the Pulumi CLI raises ``UnknownValueError`` when a rule reads them (which it
reports as advisory). Rules read through these helpers and treat a computed
value as "cannot judge", never as a violation.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

COMPUTED = "<computed>"


def get(props: Any, path: str, default: Any = None) -> Any:
    """``props["a"]["b"]`` for ``path="a.b"``; ``default`` when any step is missing."""
    value = props
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return default
        if value is None:
            return default
    return value


def is_computed(value: Any) -> bool:
    return value == COMPUTED


def as_list(value: Any) -> list:
    """A list for a list, [] for None, [value] otherwise."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def as_json(value: Any) -> Any:
    """A JSON document given as a string or an object; None when absent, unparsable or computed."""
    if value is None or is_computed(value):
        return None
    if isinstance(value, (Mapping, list)):
        return value
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return None


def number(value: Any, default: float | None = None) -> float | None:
    """A number from an int, float or numeric string (the wire carries floats)."""
    if isinstance(value, bool):
        return default
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return default
    return default


def duration_seconds(value: Any) -> float | None:
    """GCP durations such as ``"7776000s"`` or ``"86400.5s"``, in seconds."""
    if isinstance(value, str) and value.endswith("s"):
        return number(value[:-1])
    return number(value)


def first(values: Iterable[Any], default: Any = None) -> Any:
    for value in values:
        return value
    return default
