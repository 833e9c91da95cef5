"""Plans of the example stacks, and ways to plant one billable resource into them."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from blueprint.cost.estimate import Estimate, estimate
from blueprint.plan import Plan, PlannedResource, build_plan
from tests.conftest import synth


def plan_of(stack: str, config: dict[str, Any] | None = None) -> Plan:
    """A fresh plan (resources may be changed) of an example stack or a variant of its config."""
    plan = build_plan(synth(stack, config))
    plan.resources = [replace(r, inputs=copy.deepcopy(r.inputs)) for r in plan.resources]
    return plan


def idle(plan: Plan) -> float:
    return estimate(plan).idle_per_day


def plant(plan: Plan, token: str, name: str, stage: str, inputs: dict[str, Any] | None = None) -> Plan:
    """``plan`` with one more recorded custom resource (as the program would register it)."""
    cloud = {"azure-native": "azure"}.get(token.split(":")[0], token.split(":")[0])
    plan.resources.append(PlannedResource(
        urn=f"urn:pulumi:{plan.stack}::blueprint::{token}::{name}", type=token, name=name, parent="", cloud=cloud,
        stage=stage, zone="data", custom=True, protect=False, inputs=inputs or {}))
    return plan


def resource(plan: Plan, token: str, name: str | None = None) -> PlannedResource:
    found = [r for r in plan.custom_resources if r.type == token and (name is None or r.name == name)]
    assert len(found) == 1, [r.name for r in found]
    return found[0]


def lines(est: Estimate, item: str) -> list:
    return [line for line in est.lines if line.item == item]
