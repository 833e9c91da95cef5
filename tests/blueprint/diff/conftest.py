"""Plan pairs built from the example stacks, with changes planted into the head (or the base)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from blueprint.plan import Plan, PlannedResource, build_plan
from tests.conftest import synth


@pytest.fixture(scope="session")
def example_plan():
    cache: dict[str, Plan] = {}

    def get(stack: str) -> Plan:
        if stack not in cache:
            cache[stack] = build_plan(synth(stack))
        return copy.deepcopy(cache[stack])

    return get


def named(plan: Plan, name: str) -> PlannedResource:
    return next(r for r in plan.resources if r.name == name)


def plant(plan: Plan, name: str, path: str, value: Any) -> Plan:
    """Set the input at dotted ``path`` of resource ``name`` (``None`` removes it)."""
    target = named(plan, name).inputs
    *parents, leaf = path.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(leaf, None)
    else:
        target[leaf] = value
    return plan


def without(plan: Plan, name: str) -> Plan:
    plan.resources = [r for r in plan.resources if r.name != name]
    return plan
