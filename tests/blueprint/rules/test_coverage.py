"""Every resource type the example stacks register is checked or listed with a reason."""

from __future__ import annotations

import pytest

from blueprint.rules import check
from blueprint.rules.coverage import NOT_COVERED
from tests.conftest import stack_config, synth

STACKS = ("aws", "aws-prod", "azure", "azure-prod", "gcp", "gcp-prod")


@pytest.mark.parametrize("stack", STACKS)
def test_no_registered_type_is_unknown_to_the_rules(stack):
    report = check(synth(stack))
    assert report.uncovered_types == set(), f"add rules for, or list with a reason: {sorted(report.uncovered_types)}"
    assert report.covered_types, "some types must be checked"


@pytest.mark.parametrize("stack", ("aws", "azure", "gcp"))
def test_the_cluster_engine_variants_register_no_unknown_type(stack):
    cluster = {"processing": {"engine": "cluster", "acceptIdleCost": True}}
    report = check(synth(stack, stack_config(stack, stages=cluster)))
    assert report.uncovered_types == set(), sorted(report.uncovered_types)


def test_every_listed_type_says_why():
    assert all(len(reason) > 20 for reason in NOT_COVERED.values())


def test_a_type_in_neither_list_is_reported_uncovered():
    import copy

    s = copy.deepcopy(synth("aws"))
    s.resources[-1].type = "aws:example/newThing:NewThing"
    s.resources[-1].custom = True
    assert "aws:example/newThing:NewThing" in check(s).uncovered_types


@pytest.mark.parametrize("stack", STACKS)
def test_the_example_stacks_pass_the_cloud_rules(stack):
    errors = check(synth(stack)).errors
    assert errors == [], "\n".join(f.message() for f in errors)
