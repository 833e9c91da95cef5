"""The ``bp`` command line, as a user runs it."""

from __future__ import annotations

import json


from blueprint.cli import EXIT_INPUT, main
from components.config import STAGE_ORDER


def test_preview_prints_every_stage_the_exports_and_counts(capsys):
    assert main(["preview", "aws"]) == 0
    out = capsys.readouterr().out
    for stage in STAGE_ORDER:
        assert stage.value in out
    assert "Exports" in out and "Counts" in out and "zone data" in out


def test_preview_json_writes_a_plan_file(tmp_path, capsys):
    path = tmp_path / "plan.json"
    assert main(["preview", "aws", "--json", str(path)]) == 0
    plan = json.loads(path.read_text())
    assert plan["stack"] == "aws" and plan["version"] == 1
    assert plan["counts"]["resources"] == len([r for r in plan["resources"]
                                                 if r["custom"] and not r["type"].startswith("pulumi:providers:")])
    assert {s.value for s in STAGE_ORDER} <= set(plan["counts"]["by_stage"])
    urns = [r["urn"] for r in plan["resources"]]
    assert urns == sorted(urns)


def test_preview_mermaid_draws_zones_and_the_data_flow(capsys):
    assert main(["preview", "aws", "--format", "mermaid"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart LR")
    for zone in ("edge", "processing", "data", "serving"):
        assert f'subgraph zone_{zone}["{zone} zone"]' in out
    assert "connect ==> buffer" in out and "internet -->|HTTPS, authenticated| connect" in out


def test_bad_config_exits_with_the_message_and_no_traceback(tmp_path, capsys):
    path = tmp_path / "Pulumi.broken.yaml"
    path.write_text("config:\n  blueprint:cloud: aws\n  blueprint:owner: Me\n  blueprint:alertEmails: [a@example.com]\n")
    assert main(["preview", str(path)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "blueprint:owner = 'Me'" in err and "Traceback" not in err


def test_unknown_stack_is_refused(capsys):
    assert main(["preview", "no-such-stack"]) == EXIT_INPUT
    assert "known stacks:" in capsys.readouterr().err


def test_stacks_lists_the_examples(capsys):
    assert main(["stacks"]) == 0
    assert {"aws", "aws-prod"} <= set(capsys.readouterr().out.split())
