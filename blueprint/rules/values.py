"""Reading recorded inputs by path, leaving alone what preview cannot know.

A path is written as the program's wire names joined by dots; ``[]`` steps
into every item of a list and ``*`` into every value of a map:
``notifications[].subscriberEmailAddresses[]``, ``tags.*``. Each value comes
back with its concrete path (``notifications[1].threshold``) so a finding
names exactly the value the program wrote.

Values unknown at preview (``<computed>``) and secrets are never yielded: a
rule is not checked against a guess.
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterator

from blueprint.engine import UNKNOWN

_STEP = re.compile(r"([^.\[\]]+)|(\[\])")
_NUMERAL = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")


_MOCK_IDS: re.Pattern | None = None


def is_unknown(value: Any) -> bool:
    """Unknown at preview, or a string with an unknown part (an interpolated output).

    The offline engine's mocks answer with made-up ids (``<name>-id``) where a
    real preview has no value yet; a string holding one counts as unknown.
    """
    if value == UNKNOWN:
        return True
    if not isinstance(value, str):
        return False
    return UNKNOWN in value or (_MOCK_IDS is not None and _MOCK_IDS.search(value) is not None)


def learn_mock_ids(synthesis) -> None:
    """Remember the ids the mocks made up for ``synthesis`` (see :func:`is_unknown`)."""
    global _MOCK_IDS
    names = sorted({re.escape(r.name) for r in synthesis.resources}, key=len, reverse=True)
    _MOCK_IDS = re.compile(rf"(?:{'|'.join(names)})-id\b") if names else None


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secret"}


def steps(path: str) -> list[str]:
    """``a.b[].c`` -> ``["a", "b", "[]", "c"]``."""
    return [m.group(0) for m in _STEP.finditer(path)]


def values_at(inputs: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every known, non-secret value at ``path`` with its concrete path."""
    yield from _walk(inputs, steps(path), "")


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _walk(value: Any, rest: list[str], at: str) -> Iterator[tuple[str, Any]]:
    if value is None or is_unknown(value) or is_secret(value):
        return
    if not rest:
        yield at, value
        return
    step, rest = rest[0], rest[1:]
    if step == "[]":
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _walk(item, rest, f"{at}[{i}]")
    elif step == "*":
        if isinstance(value, dict):
            for key, item in value.items():
                yield from _walk(item, rest, _join(at, key))
    elif isinstance(value, dict) and step in value:
        yield from _walk(value[step], rest, _join(at, step))


def as_number(value: Any) -> float | None:
    """A recorded value as a number, when it is one the API would read as one.

    Numbers arrive as JSON numbers or, for 64-bit integers in Google's and
    some Azure wire formats, as decimal strings; both are numbers here, in
    JSON's grammar (``1e3`` included). Booleans, non-finite values and any
    other string (``"300s"``, ``"nan"``, ``" 7"``) are not: range rules leave
    them to the type and pattern checks.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and _NUMERAL.fullmatch(value):
        return float(value)
    return None
