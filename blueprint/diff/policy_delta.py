"""The policy delta: violations a change adds and violations it fixes.

Each side is the JSON ``bp policy STACK --json FILE`` writes (the pack run
on that side's code, see ``blueprint.policy_check``); a violation is the
same on both sides when its rule, resource and message are.
"""

from __future__ import annotations

from dataclasses import dataclass

from blueprint.diff.plan_file import DiffInputError, read_json

_FIELDS = ("rule", "resource", "type", "stage", "enforcement", "message")


@dataclass(frozen=True)
class PolicyDelta:
    added: list[dict]
    fixed: list[dict]
    head_mandatory: int
    head_advisory: int

    @property
    def blocking(self) -> list[dict]:
        return [v for v in self.added if v.get("enforcement") == "mandatory"]


def read_violations(path: str, what: str) -> list[dict]:
    data = read_json(path, what)
    if not isinstance(data, list) or not all(isinstance(v, dict) and all(k in v for k in _FIELDS) for v in data):
        raise DiffInputError(f"{what} {path}: expected the list `bp policy STACK --json FILE` writes, with "
                             f"{', '.join(_FIELDS)} in each entry")
    return data


def _key(v: dict) -> tuple:
    return (v["rule"], v.get("urn") or v["resource"], v["message"])


def policy_delta(base: list[dict], head: list[dict]) -> PolicyDelta:
    before, after = {_key(v): v for v in base}, {_key(v): v for v in head}
    order = lambda v: (v["enforcement"] != "mandatory", v["stage"], v["rule"], v["resource"])  # noqa: E731
    mandatory = sum(v["enforcement"] == "mandatory" for v in head)
    return PolicyDelta(
        added=sorted((after[k] for k in after.keys() - before.keys()), key=order),
        fixed=sorted((before[k] for k in before.keys() - after.keys()), key=order),
        head_mandatory=mandatory, head_advisory=len(head) - mandatory,
    )
