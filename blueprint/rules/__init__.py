"""Cloud rules: what the clouds would refuse, found before ``pulumi up``.

The mock runtime accepts any value; the clouds do not. Each checker in this
package reads a synthesis (every registered resource with its inputs) and
returns findings: a value a cloud's API would reject (service models and
documented rules), a runtime past or near its end of support (lifecycle).
``bp preview`` runs them all after the program and exits non-zero when any
finding is an error.

A checker is a function ``(synthesis, context) -> Iterable[Finding]``
registered with :func:`checker`. Each returns findings only; the report
and the exit code are decided here, once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Iterable

from blueprint.engine import Synthesis


class Severity(str, Enum):
    ERROR = "error"
    """The cloud would refuse this: preview fails."""
    WARNING = "warning"
    """It works today but will not for long (a runtime near its end of support)."""


@dataclass(frozen=True)
class Finding:
    """One value a cloud would refuse, or soon will."""

    severity: Severity
    urn: str
    """The resource; empty for findings about the stack as a whole."""
    input: str
    """The input's path as the program wrote it (camelCase wire names, ``rules[0].description``)."""
    value: Any
    rule: str
    """What is allowed, in the user's words (``at most 255 characters``)."""
    source: str
    """Where the rule comes from: a service model (``botocore ec2 AuthorizeSecurityGroupIngress``) or a URL with the date read."""

    @property
    def resource(self) -> str:
        """``type name`` of the resource, from its URN."""
        if not self.urn:
            return "stack"
        parts = self.urn.split("::")
        return f"{parts[-2].split('$')[-1]} {parts[-1]}" if len(parts) >= 2 else self.urn

    def message(self) -> str:
        return f"{self.resource}: {self.input} = {self.value!r}: {self.rule} ({self.source})"


@dataclass
class Context:
    """What a checker may need beyond the synthesis."""

    today: _dt.date = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc).date())


@dataclass
class Report:
    findings: list[Finding]
    covered_types: set[str] = field(default_factory=set)
    """Resource types some checker validated."""
    uncovered_types: set[str] = field(default_factory=set)
    """Resource types the program registered that no checker knows and no list explains."""
    not_covered: dict[str, str] = field(default_factory=dict)
    """Registered types deliberately left unchecked, each with the reason (see ``coverage``)."""

    def coverage_line(self) -> str:
        def count(n: int, what: str) -> str:
            return f"{n} {what}{'' if n == 1 else 's'}"

        return (f"cloud rules: {count(len(self.errors), 'error')}, {count(len(self.warnings), 'warning')}; "
                f"{len(self.covered_types)} resource types checked, {len(self.not_covered)} not covered, "
                f"{len(self.uncovered_types)} uncovered")

    def lines(self) -> list[str]:
        """The findings, the types left unchecked with the reason, and the coverage line."""
        out = [f"{f.severity.value}: {f.message()}" for f in self.findings]
        out += [f"not covered: {t}: {reason}" for t, reason in sorted(self.not_covered.items())]
        out += [f"uncovered: {t}: no checker and no reason listed" for t in sorted(self.uncovered_types)]
        return out + [self.coverage_line()]

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [
                {"severity": f.severity.value, "urn": f.urn, "resource": f.resource, "input": f.input,
                 "value": f.value, "rule": f.rule, "source": f.source}
                for f in self.findings
            ],
            "covered": sorted(self.covered_types),
            "notCovered": dict(sorted(self.not_covered.items())),
            "uncovered": sorted(self.uncovered_types),
        }

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


Checker = Callable[[Synthesis, Context], Iterable[Finding]]
_CHECKERS: list[Checker] = []
_COVERED: set[str] = set()


def checker(fn: Checker) -> Checker:
    """Register ``fn`` to run on every preview."""
    _CHECKERS.append(fn)
    return fn


def covers(types: Iterable[str]) -> None:
    """Declare resource types whose inputs a registered checker validates."""
    _COVERED.update(types)


def check(synthesis: Synthesis, context: Context | None = None) -> Report:
    """Run every registered checker on ``synthesis``."""
    from blueprint.rules import _registry  # noqa: F401  (imports the checker modules)
    from blueprint.rules.coverage import NOT_COVERED, type_key

    from blueprint.rules.values import learn_mock_ids

    context = context or Context()
    learn_mock_ids(synthesis)
    findings: list[Finding] = []
    for fn in _CHECKERS:
        findings.extend(fn(synthesis, context))
    findings.sort(key=lambda f: (f.severity != Severity.ERROR, f.urn, f.input, str(f.value)))
    registered = {type_key(r.type) for r in synthesis.custom()}
    covered = registered & _COVERED
    listed = {t: NOT_COVERED[t] for t in sorted(registered - covered) if t in NOT_COVERED}
    return Report(findings=findings, covered_types=covered, not_covered=listed,
                  uncovered_types=registered - covered - set(listed))
