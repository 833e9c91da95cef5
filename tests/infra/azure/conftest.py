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


@pytest.fixture(scope="session")
def overridden():
    """Learning with every stage override changed at once (one synthesis for all override tests)."""
    from tests.conftest import stack_config

    return synth("azure", stack_config(
        "azure",
        stages={
            "connect": {"auth": "api-key"},
            "buffer": {"retentionHours": 48, "consumers": ["sink", "spark", "audit"]},
            "processing": {"engine": "cluster", "acceptIdleCost": True, "maxVcpu": 32},
            "store": {"rawExpirationDays": 7},
            "visualize": {"scanLimitGb": 3},
        },
    ))
