"""Every custom resource type the program registers is either priced (a meter) or listed as free."""

from __future__ import annotations

import pytest

from blueprint.cost.estimate import estimate, unknown_types
from blueprint.cost.meters import METERS
from blueprint.cost.table import table
from tests.blueprint.cost.support import plan_of
from tests.conftest import EXAMPLE_STACKS, stack_config

CLUSTER = {"processing": {"engine": "cluster", "acceptIdleCost": True}}
VARIANTS = [
    ("aws", CLUSTER), ("aws-prod", {"processing": {"engine": "cluster"}}),
    ("gcp", CLUSTER), ("gcp-prod", {"processing": {"engine": "cluster"}}),
    ("azure", {**CLUSTER, "connect": {"auth": "api-key"}}),
]
GRAFANA = ["aws:grafana/workspace:Workspace", "azure-native:dashboard:Grafana"]
"""Managed Grafana options (a visualize choice): priced whether or not a stack selects them."""
# Items the table knows to bill but has no verified rate for; estimates list them as "no price entry".
KNOWN_UNPRICED = {"private-dns-zone", "vm-d4s-v3"}
HOW = ("add each type to blueprint/cost/prices.yaml: one line under `free` with the reason, or its items "
       "plus a meter in blueprint/cost/meters.py")


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_example_stack_types_are_priced_or_free(stack):
    assert unknown_types(plan_of(stack)) == [], HOW


@pytest.mark.parametrize("stack,stages", VARIANTS, ids=[f"{s}-{'-'.join(v)}" for s, v in VARIANTS])
def test_variant_types_are_priced_or_free(stack, stages):
    assert unknown_types(plan_of(stack, stack_config(stack, stages=stages))) == [], HOW


def test_grafana_options_are_priced():
    assert all(token in METERS for token in GRAFANA)


def test_a_new_type_in_neither_list_is_found():
    from tests.blueprint.cost.support import plant

    plan = plant(plan_of("aws"), "aws:opensearch/domain:Domain", "search", "visualize")
    assert unknown_types(plan) == ["aws:opensearch/domain:Domain"]


def test_no_type_is_both_metered_and_free():
    assert set(METERS) & set(table().free) == set()


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_every_item_the_examples_bill_has_a_price_in_their_region(stack):
    est = estimate(plan_of(stack))
    assert {u.item for u in est.unpriced} <= KNOWN_UNPRICED
