"""Stack files read as the Pulumi CLI reads them, and what ``bp preview`` says when they are wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from blueprint.cli import main
from blueprint.engine import ROOT, StackFileError, read_stack_config

GOOD = """\
config:
  blueprint:cloud: aws
  blueprint:owner: data-team
  blueprint:alertEmails:
    - data-team@example.com
"""


def stack(tmp_path: Path, text: str, name: str = "trial") -> Path:
    path = tmp_path / f"Pulumi.{name}.yaml"
    path.write_text(text)
    return path


def preview(path: Path, capsys) -> tuple[int, str]:
    code = main(["preview", str(path)])
    out = capsys.readouterr()
    return code, out.err


def test_duplicate_top_level_key_is_refused_with_its_line(tmp_path, capsys):
    path = stack(tmp_path, GOOD + "  blueprint:cloud: gcp\n")
    code, err = preview(path, capsys)
    assert code == 2
    assert err.strip() == (f"{path}, line 6, column 3: duplicate key 'blueprint:cloud' (first on line 2); "
                           "Pulumi refuses a key given twice")


def test_duplicate_nested_key_is_refused(tmp_path):
    path = stack(tmp_path, GOOD + "  blueprint:aws:\n    region: us-east-1\n    region: eu-west-1\n")
    with pytest.raises(StackFileError, match=r"line 8, column 5: duplicate key 'region' \(first on line 7\)"):
        read_stack_config(str(path))


def test_yaml_syntax_error_names_file_line_and_column_without_traceback(tmp_path):
    path = stack(tmp_path, "config:\n  blueprint:cloud: aws\n   blueprint:owner: [data-team\n")
    run = subprocess.run([sys.executable, "-m", "blueprint.cli", "preview", str(path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 2
    assert run.stderr.startswith(f"{path}, line 3, column 19: ")
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_stack_file_that_is_not_a_mapping_is_refused(tmp_path):
    with pytest.raises(StackFileError, match="a stack file is a mapping"):
        read_stack_config(str(stack(tmp_path, "- config\n")))


def test_key_without_namespace_belongs_to_the_project(tmp_path):
    """``pulumi config set ttl 48h`` writes ``blueprint:ttl``; a bare key in the file means the same."""
    config = read_stack_config(str(stack(tmp_path, GOOD + "  ttl: 48h\n")))
    assert config["blueprint:ttl"] == "48h"
    assert "ttl" not in config


@pytest.mark.parametrize("key, value, use", [
    ("aws:region", "eu-west-1", "blueprint:aws.region"),
    ("gcp:project", "my-project-1", "blueprint:gcp.project"),
    ("gcp:region", "europe-west1", "blueprint:gcp.region"),
    ("azure-native:location", "westeurope", "blueprint:azure.location"),
    ("azure-native:subscriptionId", "00000000-0000-4000-8000-000000000001", "blueprint:azure.subscriptionId"),
])
def test_provider_keys_are_refused_with_the_blueprint_key(tmp_path, capsys, key, value, use):
    path = stack(tmp_path, GOOD + f"  {key}: {value}\n")
    code, err = preview(path, capsys)
    assert code == 2
    assert f"{key} = '{value}': not read by this program; set {use} instead" in err


def test_other_provider_settings_are_refused_too(tmp_path, capsys):
    code, err = preview(stack(tmp_path, GOOD + "  aws:profile: admin\n"), capsys)
    assert code == 2
    assert "aws:profile = 'admin': not read by this program" in err


@pytest.mark.parametrize("cloud, block, value, says", [
    ("aws", "aws:\n    region", "us-east-7", "blueprint:aws.region = 'us-east-7': not an AWS region; valid values: af-south-1"),
    ("azure", "azure:\n    location", "marscentral",
     "blueprint:azure.location = 'marscentral': not an Azure public-cloud location; valid values: australiacentral"),
])
def test_fake_region_makes_preview_exit_2(tmp_path, capsys, cloud, block, value, says):
    text = GOOD.replace("blueprint:cloud: aws", f"blueprint:cloud: {cloud}") + f"  blueprint:{block}: {value}\n"
    code, err = preview(stack(tmp_path, text), capsys)
    assert code == 2
    assert says in err


def test_example_stack_files_read_cleanly():
    for path in sorted(ROOT.glob("Pulumi.*.yaml")):
        config = read_stack_config(str(path))
        assert config["blueprint:cloud"] in {"aws", "azure", "gcp"}, path.name
