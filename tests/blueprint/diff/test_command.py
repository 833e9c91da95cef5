"""``bp diff`` on the command line: formats, clear refusals, no tracebacks."""

from __future__ import annotations

import json

import pytest

from blueprint.cli import main
from tests.blueprint.diff.conftest import plant


@pytest.fixture
def plans(example_plan, tmp_path):
    base = example_plan("aws")
    head = plant(example_plan("aws"), "platform-buffer-stream", "retentionPeriod", 12)
    base.write(tmp_path / "base.json")
    head.write(tmp_path / "head.json")
    example_plan("gcp").write(tmp_path / "gcp.json")
    return tmp_path


def refused(capsys, *argv) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    return err


def test_markdown_by_default(plans, capsys):
    assert main(["diff", str(plans / "base.json"), str(plans / "head.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### Plan diff `blueprint/aws`: 0 to create, 1 to update")
    assert "**retention** `platform-buffer-stream`" in out


def test_json_and_text(plans, capsys):
    assert main(["diff", str(plans / "base.json"), str(plans / "head.json"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["counts"] == {"create": 0, "update": 1, "replace": 0, "delete": 0}
    assert doc["changes"][0]["inputs"] == [{"path": "retentionPeriod", "old": 24, "new": 12, "replaces": False}]
    assert [w["kind"] for w in doc["warnings"]] == ["retention"]
    assert main(["diff", str(plans / "base.json"), str(plans / "head.json"), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "      retentionPeriod: 24 -> 12" in out
    assert "WARNING retention: platform-buffer-stream" in out


def test_marker_and_output_file(plans, capsys):
    target = plans / "diff.md"
    assert main(["diff", str(plans / "base.json"), str(plans / "head.json"), "--valid-at",
                 "2026-11-30T10:00:00+00:00", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text().splitlines()[0] == (
        '<!-- blueprint-diff {"project": "blueprint", "stack": "aws", "validAt": "2026-11-30T10:00:00+00:00"} -->')


def test_none_as_base_means_a_new_stack(plans, capsys):
    assert main(["diff", "none", str(plans / "head.json"), "--format", "json"]) == 0
    head = json.loads((plans / "head.json").read_text())
    assert json.loads(capsys.readouterr().out)["counts"]["create"] == head["counts"]["resources"] > 100


def test_two_stacks_are_refused_unless_asked(plans, capsys):
    err = refused(capsys, "diff", str(plans / "base.json"), str(plans / "gcp.json"))
    assert "base plan is stack blueprint/aws and the head plan is blueprint/gcp" in err
    assert "--other-stack" in err
    assert main(["diff", str(plans / "base.json"), str(plans / "gcp.json"), "--other-stack"]) == 0


def test_missing_unreadable_and_malformed_inputs(plans, capsys):
    head = str(plans / "head.json")
    assert "base plan nope.json: no such file" in refused(capsys, "diff", "nope.json", head)
    assert f"base plan {plans}: is a directory" in refused(capsys, "diff", str(plans), head)
    (plans / "bad.json").write_text("{not json")
    assert "not JSON (Expecting property name enclosed in double quotes at line 1 column 2)" in refused(
        capsys, "diff", str(plans / "bad.json"), head)
    (plans / "list.json").write_text("[1, 2]")
    assert "a JSON list, expected a plan" in refused(capsys, "diff", str(plans / "list.json"), head)
    (plans / "old.json").write_text('{"version": 0}')
    assert "plan version 0, expected 1" in refused(capsys, "diff", str(plans / "old.json"), head)
    shape = json.loads((plans / "base.json").read_text())
    del shape["resources"][3]["inputs"]
    (plans / "shape.json").write_text(json.dumps(shape))
    assert "resources[3] has" in refused(capsys, "diff", str(plans / "shape.json"), head)
    (plans / "binary.json").write_bytes(b"\xff\xfe\x00")
    assert "cannot be read (UnicodeDecodeError" in refused(capsys, "diff", str(plans / "binary.json"), head)


def test_bad_policy_file_and_unwritable_output(plans, capsys):
    (plans / "p.json").write_text('{"rule": 1}')
    base, head = str(plans / "base.json"), str(plans / "head.json")
    assert "base policy" in refused(capsys, "diff", base, head, "--policy", str(plans / "p.json"),
                                    str(plans / "p.json"))
    assert "--output /nonexistent/dir/x.md: cannot write" in refused(capsys, "diff", base, head, "-o",
                                                                      "/nonexistent/dir/x.md")


def test_bad_valid_at_and_missing_stack_file(plans, capsys):
    base, head = str(plans / "base.json"), str(plans / "head.json")
    assert "--valid-at yesterday: not an ISO 8601 time" in refused(capsys, "diff", base, head, "--valid-at",
                                                                   "yesterday")
    assert "--stack-file nope.yaml: no such file" in refused(capsys, "diff", base, head, "--stack-file", "nope.yaml")


def test_secure_config_keys_of_the_stack_file_are_masked_in_every_format(example_plan, tmp_path, capsys):
    base = example_plan("gcp")
    head = plant(example_plan("gcp"), "platform-store-dataset", "labels.apiSecret", "value-of-the-secure-key-31")
    base.write(tmp_path / "base.json")
    head.write(tmp_path / "head.json")
    (tmp_path / "Pulumi.gcp.yaml").write_text("config:\n  blueprint:apiSecret:\n    secure: v1:AAAAciphertext==\n")
    for fmt in ("markdown", "text", "json"):
        assert main(["diff", str(tmp_path / "base.json"), str(tmp_path / "head.json"), "--format", fmt,
                     "--stack-file", str(tmp_path / "Pulumi.gcp.yaml")]) == 0
        out = capsys.readouterr().out
        assert "labels.apiSecret" in out and "[secret]" in out
        assert "value-of-the-secure-key-31" not in out
