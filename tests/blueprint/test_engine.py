"""The offline engine behaves like the real runner and records what a program registers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blueprint.engine import SynthesisError, read_stack_config, synthesize

PROGRAMS = Path(__file__).parent / "programs"
CONFIG = {"blueprint:greeting": "hello"}


def run(name: str, config=CONFIG):
    return synthesize("aws", config, program=PROGRAMS / name)


def test_records_resources_with_parent_inputs_and_options():
    s = run("sample", {**CONFIG, "blueprint:protect": "true"})
    by_name = {r.name: r for r in s.resources}
    bucket, policy, lake = by_name["lake-raw"], by_name["lake-policy"], by_name["lake"]
    assert bucket.parent == lake.urn and bucket.custom and not lake.custom
    assert bucket.protect is True and bucket.inputs["forceDestroy"] is True
    assert policy.property_dependencies["bucket"] == [bucket.urn]
    provider = next(r for r in s.resources if r.name == "sample-provider")
    assert bucket.provider.startswith(provider.urn + "::")


def test_apply_results_are_concrete_because_mocks_return_computed_attributes():
    policy = next(r for r in run("sample").resources if r.name == "lake-policy")
    document = json.loads(policy.inputs["policy"])
    assert document["Resource"].startswith("arn:aws:s3:::") and document["Account"] == "123456789012"


def test_config_is_set_before_the_program_and_exports_are_recorded():
    s = run("sample", {"blueprint:greeting": "bonjour"})
    assert s.exports["greeting"] == "bonjour"
    assert s.exports["raw"].startswith("lake-raw")


def test_repeated_runs_are_identical_and_independent():
    first, second = run("sample"), run("sample")
    assert [(r.urn, r.inputs) for r in first.resources] == [(r.urn, r.inputs) for r in second.resources]
    assert len([r for r in second.resources if r.type == "pulumi:pulumi:Stack"]) == 1


def test_unknown_invoke_is_an_error_not_silent_nones():
    with pytest.raises(Exception, match="no answer for invoke 'aws:ec2/getAmi:getAmi'"):
        run("bad_invoke")


def test_a_failed_run_does_not_poison_the_next():
    with pytest.raises(RuntimeError, match="on purpose"):
        run("failing")
    assert run("sample").exports["greeting"] == "hello"


def test_unknown_stack_lists_the_known_ones():
    with pytest.raises(SynthesisError, match=r"no stack file Pulumi\.nope\.yaml; known stacks: .*aws"):
        read_stack_config("nope")


def test_machine_environment_does_not_leak_into_config(monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"blueprint:greeting": "from-env"}))
    assert run("sample").exports["greeting"] == "hello"


def test_assets_are_recorded_by_content_not_by_object_identity(tmp_path):
    # Two runs of the same code give the same plan; a file's content, not its Python object, is what shows.
    from blueprint.engine import _asset
    import pulumi

    code = tmp_path / "job.py"
    code.write_text("print('v1')\n")
    first = _asset(pulumi.AssetArchive({"job.py": pulumi.FileAsset(str(code))}))
    assert first == _asset(pulumi.AssetArchive({"job.py": pulumi.FileAsset(str(code))}))
    assert "object at 0x" not in str(first)
    code.write_text("print('v2')\n")
    assert _asset(pulumi.AssetArchive({"job.py": pulumi.FileAsset(str(code))})) != first


def test_a_stack_with_uploaded_code_synthesizes_to_the_same_inputs_twice():
    from blueprint.engine import synthesize

    objects = lambda s: {r.urn: r.inputs for r in s.resources if r.type == "gcp:storage/bucketObject:BucketObject"}
    first = objects(synthesize("gcp"))
    assert first and first == objects(synthesize("gcp"))
