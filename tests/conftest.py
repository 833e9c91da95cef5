"""Shared fixtures: each example stack is synthesized once per test session.

The engine runs the real program under the mock runtime; synthesizing is the
expensive step, so tests share one ``Synthesis`` per stack and assert on its
recorded inputs and options (never inside an ``apply``).
"""

from __future__ import annotations

import functools
import os
from typing import Any, Optional

import pytest
from hypothesis import settings

from blueprint.engine import ROOT, Synthesis, read_stack_config, synthesize

# CI explores the same examples on every run, so a red build always reproduces;
# local runs keep hypothesis's random exploration to find new counter-examples.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The example stacks the suite is about, named rather than globbed: a user's own
# (or half-written) Pulumi.<stack>.yaml in the root never turns the suite red.
EXAMPLE_STACKS = ["aws", "aws-prod", "azure", "azure-prod", "gcp", "gcp-prod", "hybrid", "hybrid-prod"]


@functools.lru_cache(maxsize=None)
def _cached(stack: str) -> Synthesis:
    return synthesize(stack)


def synth(stack: str, config: Optional[dict[str, Any]] = None) -> Synthesis:
    """The synthesis of an example stack (cached), or of a variation of its config (fresh)."""
    if config is None:
        return _cached(stack)
    return synthesize(stack, config)


def stack_config(stack: str, **overrides: Any) -> dict[str, Any]:
    """An example stack's config with ``blueprint:`` keys replaced (``None`` removes a key)."""
    config = read_stack_config(stack)
    for key, value in overrides.items():
        full = key if ":" in key else f"blueprint:{key}"
        if value is None:
            config.pop(full, None)
        else:
            config[full] = value
    return config


@pytest.fixture(scope="session")
def synthesized():
    """``synthesized(stack)`` returns the cached synthesis of an example stack."""
    return synth
