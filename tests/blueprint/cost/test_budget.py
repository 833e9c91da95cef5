"""Budgets cover at least 1.5 x idle cost by default; preview warns when a configured budget does not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from blueprint.cli import main
from blueprint.cost.budget import budget_warnings, configured_budgets
from blueprint.cost.estimate import estimate
from blueprint.engine import ROOT
from tests.blueprint.cost.support import plan_of
from tests.conftest import EXAMPLE_STACKS, stack_config


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_default_budget_covers_one_and_a_half_times_idle(stack):
    plan = plan_of(stack, stack_config(stack, budget=None))
    budgets = configured_budgets(plan)
    for cloud, idle in estimate(plan).idle_by_cloud().items():
        assert budgets[cloud] >= 1.5 * idle, (cloud, budgets[cloud], idle)


def test_learning_default_budget_covers_the_aws_and_azure_idle_bills():
    aws = configured_budgets(plan_of("aws", stack_config("aws", budget=None)))
    azure = configured_budgets(plan_of("azure", stack_config("azure", budget=None)))
    assert aws["aws"] >= 29  # $0.633/day idle = $19.25/month; x 1.5
    assert azure["azure"] >= 33  # $0.72/day idle = $21.90/month; x 1.5


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_example_stacks_raise_no_budget_warning(stack):
    assert budget_warnings(plan_of(stack)) == []


def test_a_budget_below_idle_is_warned_about_with_the_amount_to_set():
    plan = plan_of("aws", stack_config("aws", budget=10))
    assert budget_warnings(plan) == [
        "warning: blueprint:budget = 10 USD/month is below 1.5 x this stack's idle cost on aws ($19.25/month by "
        "list prices, `bp cost aws`): the alerts would fire for doing nothing; set at least 29"]


def test_a_budget_just_covering_idle_is_accepted():
    assert budget_warnings(plan_of("aws", stack_config("aws", budget=29))) == []
    assert len(budget_warnings(plan_of("aws", stack_config("aws", budget=28)))) == 1


def test_preview_prints_the_warning(tmp_path: Path, capsys):
    data = yaml.safe_load((ROOT / "Pulumi.azure.yaml").read_text())
    data["config"]["blueprint:budget"] = 20
    stack = tmp_path / "Pulumi.azure.yaml"
    stack.write_text(yaml.safe_dump(data))
    assert main(["preview", str(stack), "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "blueprint:budget = 20 USD/month is below 1.5 x this stack's idle cost on azure ($21.90/month" in err
    assert "set at least 33" in err
