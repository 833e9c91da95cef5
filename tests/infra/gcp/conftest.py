"""Helpers for the GCP tests: the two example stacks, synthesized once, and lookups by stage."""

from __future__ import annotations

import importlib
import inspect
from typing import Iterable

import pytest

from blueprint.engine import RecordedResource, Synthesis
from blueprint.plan import build_plan
from tests.conftest import stack_config, synth

LEARNING = "gcp"
PRODUCTION = "gcp-prod"


@pytest.fixture(scope="session")
def learning() -> Synthesis:
    return synth(LEARNING)


@pytest.fixture(scope="session")
def production() -> Synthesis:
    return synth(PRODUCTION)


def variant(stack: str = LEARNING, **overrides) -> Synthesis:
    """A fresh synthesis of an example stack with ``blueprint:`` keys replaced."""
    return synth(stack, stack_config(stack, **overrides))


def stage_of(s: Synthesis) -> dict[str, str]:
    """URN to stage (connect ... visualize, foundation, platform)."""
    return {r.urn: r.stage for r in build_plan(s).resources}


def in_stage(s: Synthesis, stage: str, *tokens: str) -> list[RecordedResource]:
    stages = stage_of(s)
    return [r for r in s.custom() if stages[r.urn] == stage and (not tokens or r.type in tokens)]


def one(resources: Iterable[RecordedResource]) -> RecordedResource:
    items = list(resources)
    assert len(items) == 1, [r.name for r in items]
    return items[0]


def named(s: Synthesis, suffix: str) -> RecordedResource:
    return one(r for r in s.resources if r.name.endswith(suffix))


def sdk_class(token: str):
    """The pulumi_gcp class of a type token, e.g. ``gcp:pubsub/topic:Topic``."""
    module = token.split(":")[1].split("/")[0]
    return getattr(importlib.import_module(f"pulumi_gcp.{module}"), token.split(":")[-1])


def accepts(token: str, argument: str) -> bool:
    return argument in inspect.signature(sdk_class(token)._internal_init).parameters


def children_types(s: Synthesis, stage: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in in_stage(s, stage):
        counts[r.type] = counts.get(r.type, 0) + 1
    return counts
