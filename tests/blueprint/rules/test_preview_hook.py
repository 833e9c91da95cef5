"""``bp preview`` runs the cloud rules after the program and fails on an error."""

from __future__ import annotations

import copy
import json

import pytest

from blueprint import cli
from blueprint.cli import main
from tests.conftest import synth

RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
NAME = "platform-aws-network-processing-to-data-out"


@pytest.fixture
def arrow_in_a_rule(monkeypatch):
    """``bp preview aws`` on the real synthesis with one rule description holding ``->``."""
    s = copy.deepcopy(synth("aws"))
    [rule] = [r for r in s.resources if r.type == RULE and r.name == NAME]
    rule.inputs["description"] = "processing -> data on 443"
    monkeypatch.setattr(cli, "synthesize", lambda stack: s)


def test_an_arrow_in_a_rule_description_makes_preview_exit_1_naming_resource_input_value_and_rule(
        arrow_in_a_rule, capsys):
    assert main(["preview", "aws"]) == 1
    err = capsys.readouterr().err
    [line] = [l for l in err.splitlines() if NAME in l]
    assert line.startswith("error: ")
    assert RULE in line and "description = 'processing -> data on 443'" in line
    assert "'>' not allowed" in line and "API_IpRange.html" in line
    assert "resource types checked" in err.splitlines()[-1]


def test_the_json_plan_carries_the_findings(arrow_in_a_rule, tmp_path, capsys):
    path = tmp_path / "plan.json"
    assert main(["preview", "aws", "--json", str(path)]) == 1
    rules = json.loads(path.read_text())["rules"]
    [finding] = [f for f in rules["findings"] if f["urn"].endswith(NAME)]
    assert finding["severity"] == "error" and finding["input"] == "description"
    assert finding["value"] == "processing -> data on 443"
    assert rules["uncovered"] == []
