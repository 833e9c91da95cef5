"""The ``bp`` command line, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from blueprint.cli import EXIT_INPUT, main
from blueprint.engine import ROOT
from components.config import STAGE_ORDER


def test_preview_prints_every_stage_the_exports_and_counts(capsys):
    assert main(["preview", "aws"]) == 0
    out = capsys.readouterr().out
    for stage in STAGE_ORDER:
        assert stage.value in out
    assert "Outputs:" in out and "Counts" in out and "zone data" in out


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


def test_preview_ends_with_a_summary_line_like_pulumi_preview(capsys):
    assert main(["preview", "gcp"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    plan_count = json.loads(_plan_json("gcp"))["counts"]["resources"]
    assert last.startswith(f"Resources: + {plan_count} to create")


def _plan_json(stack: str) -> str:
    out = subprocess.run([sys.executable, "-m", "blueprint", "preview", stack, "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return out.stdout


def test_preview_rows_show_the_type_once_and_the_physical_name(capsys):
    assert main(["preview", "azure"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("+")]
    assert rows
    vault_row = next(r for r in rows if "azure-native:keyvault:Vault" in r)
    assert vault_row.count("Vault") == 1, vault_row  # the kind is not repeated before the type token
    assert "-vault-" in vault_row.split("platform-azure-vault", 1)[1], vault_row  # the vault's physical name


def test_narrow_terminal_never_breaks_a_token_across_lines():
    env = {**os.environ, "COLUMNS": "40"}
    out = subprocess.run([sys.executable, "-m", "blueprint", "preview", "azure"], capture_output=True,
                         text=True, cwd=ROOT, env=env, check=True).stdout
    # Every Azure id in the outputs stays on one line, whole.
    ids = [line for line in out.splitlines() if "/subscriptions/" in line]
    assert ids and all(line.split(": ", 1)[1].startswith("/subscriptions/") for line in ids)
    rows = [line for line in out.splitlines() if line.startswith("+")]
    assert all("azure-native:" in row for row in rows), [r for r in rows if "azure-native:" not in r]


@pytest.mark.parametrize("argv", [["policy", "--help"], ["--help"], ["preview", "--help"], ["diff", "--help"]])
def test_help_works_for_every_command(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    assert "usage: bp" in capsys.readouterr().out


def test_help_lists_test_and_every_argument_has_help(capsys):
    from blueprint.cli import parser

    with pytest.raises(SystemExit):
        main(["--help"])
    assert "test" in capsys.readouterr().out
    root = parser()
    subparsers = next(a for a in root._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"bp {name}: argument {action.dest} has no help text"


@pytest.mark.parametrize("target", ["missing-folder/plan.json", "."])
def test_unwritable_json_path_is_refused_before_the_preview_runs(target, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ran = []
    monkeypatch.setattr("blueprint.cli.synthesize", lambda *a, **k: ran.append(a))
    with pytest.raises(SystemExit) as exit_:
        main(["preview", "aws", "--json", target])
    assert exit_.value.code == 2 and not ran
    err = capsys.readouterr().err
    assert "--json" in err and "Traceback" not in err


def test_json_path_is_resolved_from_where_the_user_stands(tmp_path, monkeypatch, capsys):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert main(["preview", "gcp", "--json", "plan.json"]) == 0
    assert (tmp_path / "sub" / "plan.json").is_file()


def test_output_piped_into_head_ends_quietly():
    out = subprocess.run(f"{sys.executable} -m blueprint preview aws | head -1", shell=True,
                         capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.startswith("Previewing")
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr, out.stderr


def test_launcher_refuses_an_older_python_named_by_PYTHON(tmp_path):
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\n[ \"$1\" = -c ] && case \"$2\" in *sys.exit*) exit 1;; *) echo 3.9;; esac\n")
    old.chmod(0o755)
    env = {**os.environ, "PYTHON": str(old), "BLUEPRINT_VENV": str(tmp_path / "venv")}
    out = subprocess.run([str(ROOT / "bp"), "stacks"], capture_output=True, text=True, env=env)
    assert out.returncode != 0
    assert "is Python 3.9" in out.stderr and "3.11 or newer" in out.stderr
