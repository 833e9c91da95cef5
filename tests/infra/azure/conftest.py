"""Fixtures: the two Azure example stacks, synthesized once per session."""

from __future__ import annotations

import pytest

from tests.conftest import synth


@pytest.fixture(scope="session")
def learning():
    return synth("azure")


@pytest.fixture(scope="session")
def production():
    return synth("azure-prod")
