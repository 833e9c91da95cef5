"""What a local smoke needs to know about a stack, read from its synthesized plan (no cloud, no Pulumi CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from blueprint.dataflow.unavailable import Unavailable


@dataclass
class StackPlan:
    stack: str
    exports: dict[str, Any]
    """The same map ``pulumi stack output --json`` gives for a deployed stack."""
    resources: list[Any]
    profile: str

    def one(self, type_token: str, name_suffix: str) -> dict[str, Any]:
        """The inputs of the one resource of ``type_token`` whose logical name ends with ``name_suffix``."""
        found = [r for r in self.resources if r.type == type_token and r.name.endswith(name_suffix)]
        if len(found) != 1:
            raise Unavailable(f"stack {self.stack!r}: expected one {type_token} named *{name_suffix}, found {len(found)}")
        return found[0].inputs


def read(stack: str) -> StackPlan:
    from blueprint.engine import synthesize
    from blueprint.plan import build_plan

    plan = build_plan(synthesize(stack))
    return StackPlan(stack, plan.exports, plan.custom_resources, str(plan.exports.get("profile", "")))


def bucket_of(uri: str) -> str:
    """``s3://b/``, ``gs://b/`` to ``b``."""
    return uri.split("://", 1)[1].split("/", 1)[0]
