"""The slice of the models kept on disk answers like the whole model."""

from __future__ import annotations

from blueprint.rules import aws_model_cache


def test_the_cached_slice_keeps_the_constraints_of_the_operations_in_use(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    wanted = (("kinesis", ("CreateStream",)),)
    first = aws_model_cache.service_models.__wrapped__(wanted)
    [stored] = list((tmp_path / "blueprint").glob("botocore-*.json"))
    assert "CreateStream" in stored.read_text() and "DeleteStream" not in stored.read_text()
    again = aws_model_cache.service_models.__wrapped__(wanted)
    for models in (first, again):
        name = models["kinesis"].operation_model("CreateStream").input_shape.members["StreamName"]
        assert (name.metadata["min"], name.metadata["max"]) == (1, 128)


def test_without_a_writable_cache_directory_the_models_still_load(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    models = aws_model_cache.service_models.__wrapped__((("kinesis", ("CreateStream",)),))
    assert models["kinesis"].operation_model("CreateStream").input_shape.required_members == ["StreamName"]
