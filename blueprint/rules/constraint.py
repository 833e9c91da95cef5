"""One value's constraints as the clouds' models state them, and their check.

Every model (botocore shapes, Google discovery schemas, Azure SDK
``_validation``) says the same few things about a value: allowed values,
length bounds, numeric bounds, a pattern. They are read into this one form so
each family of rule is phrased and judged once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from blueprint.rules.values import as_number


@dataclass(frozen=True)
class Constraint:
    enum: Optional[tuple[str, ...]] = None
    min_length: Optional[int] = None
    max_length: Optional[int] = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    pattern: Optional[str] = None
    min_items: Optional[int] = None
    max_items: Optional[int] = None
    enum_case_insensitive: bool = False

    def __bool__(self) -> bool:
        return any(v is not None for k, v in self.__dict__.items() if k != "enum_case_insensitive")


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> Optional[re.Pattern]:
    # Model patterns are Java/ECMA regular expressions; the few Python cannot
    # read (\p{...} classes) are skipped rather than misjudged.
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error:
        return None




def violations(value: Any, c: Constraint) -> Iterator[str]:
    """What ``value`` breaks of ``c``, each in the user's words (``at most 255 characters``)."""
    if isinstance(value, list):
        if c.min_items is not None and len(value) < c.min_items:
            yield f"at least {c.min_items} items (has {len(value)})"
        if c.max_items is not None and len(value) > c.max_items:
            yield f"at most {c.max_items} items (has {len(value)})"
        return
    if isinstance(value, str):
        if c.enum is not None:
            allowed = {e.lower() for e in c.enum} if c.enum_case_insensitive else set(c.enum)
            if (value.lower() if c.enum_case_insensitive else value) not in allowed:
                yield f"one of {', '.join(c.enum)}"
        if c.min_length is not None and len(value) < c.min_length:
            yield f"at least {c.min_length} characters (has {len(value)})"
        if c.max_length is not None and len(value) > c.max_length:
            yield f"at most {c.max_length} characters (has {len(value)})"
        if c.pattern is not None:
            compiled = _compiled(c.pattern)
            if compiled is not None and not compiled.search(value):
                yield f"must match {c.pattern}"
    number = as_number(value) if (c.minimum is not None or c.maximum is not None) else None
    if number is not None:
        if c.minimum is not None and number < c.minimum:
            yield f"at least {_plain(c.minimum)}"
        if c.maximum is not None and number > c.maximum:
            yield f"at most {_plain(c.maximum)}"


def _plain(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)
