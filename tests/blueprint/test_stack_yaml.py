"""Stack files read with YAML 1.2 scalars, as the Pulumi CLI reads them."""

from __future__ import annotations

import pytest

from blueprint import stack_yaml
from blueprint.engine import read_stack_config
from blueprint.cli import EXIT_INPUT, main


@pytest.mark.parametrize("text, expected", [
    ("72:00", "72:00"),      # YAML 1.1: the base-60 integer 4320
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"),  # YAML 1.1: booleans
    ("1_000", "1_000"),      # YAML 1.1: 1000
    ("true", True), ("false", False), ("null", None), ("~", None),
    ("42", 42), ("-3", -3), ("0o17", 15), ("0x1f", 31), ("1.5", 1.5), ("1e3", 1000.0),
    ("us-east-1", "us-east-1"),
])
def test_plain_scalars_follow_yaml_1_2(text, expected):
    assert stack_yaml.load(f"key: {text}\n") == {"key": expected}


def test_an_unquoted_ttl_reaches_validation_as_written(tmp_path, capsys):
    path = tmp_path / "Pulumi.ttl.yaml"
    path.write_text("config:\n  blueprint:cloud: aws\n  blueprint:owner: me\n"
                    "  blueprint:alertEmails: [a@example.com]\n  blueprint:ttl: 72:00\n")
    assert read_stack_config(str(path))["blueprint:ttl"] == "72:00"
    assert main(["preview", str(path)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "blueprint:ttl = '72:00'" in err and "4320" not in err
