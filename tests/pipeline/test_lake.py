"""The drain's stores: the same read/write contract on a folder, Spark's Hadoop file system and Azurite."""

from __future__ import annotations

import contextlib
import gzip

import pytest

from pipeline import drain, lake
from tests.blueprint.dataflow.conftest import azurite_connections  # noqa: F401 (Azurite, started once)
from blueprint.dataflow.memory_hub import MemoryHub


@contextlib.contextmanager
def store_of(kind, tmp_path, spark, connections):
    if kind == "directory":
        yield lake.DirectoryStore(tmp_path)
    elif kind == "hadoop":
        yield lake.HadoopStore(spark, (tmp_path / "raw").as_uri())
    else:
        from azure.storage.blob import BlobServiceClient

        container = BlobServiceClient.from_connection_string(connections["azure"]).get_container_client(
            f"lake-{tmp_path.name[-20:].lower().replace('_', '-')}")
        container.create_container()
        try:
            yield lake.BlobStore(container, "zone/")
        finally:
            container.delete_container()


@pytest.mark.parametrize("kind", ["directory", "hadoop", "blob"])
def test_a_store_reads_what_it_wrote_refuses_to_replace_unless_asked_and_says_none_for_missing(
        kind, tmp_path, request):
    spark = request.getfixturevalue("spark") if kind == "hadoop" else None
    connections = request.getfixturevalue("azurite_connections") if kind == "blob" else None
    with store_of(kind, tmp_path, spark, connections) as store:
        assert store.read("a/b/c.bin") is None
        store.write("a/b/c.bin", b"\x00\x01\xffdata", overwrite=False)
        assert store.read("a/b/c.bin") == b"\x00\x01\xffdata"
        with pytest.raises(lake.ObjectExists):
            store.write("a/b/c.bin", b"other", overwrite=False)
        assert store.read("a/b/c.bin") == b"\x00\x01\xffdata"
        store.write("a/b/c.bin", b"other", overwrite=True)
        assert store.read("a/b/c.bin") == b"other"


def test_the_drain_writes_raw_in_azurite_under_the_layout_the_job_reads(azurite_connections):
    from azure.storage.blob import BlobServiceClient

    container = BlobServiceClient.from_connection_string(azurite_connections["azure"]).get_container_client("drained")
    container.create_container()
    try:
        hub = MemoryHub({"0": [b'{"event_id":"1"}', b'{"event_id":"2"}']})
        result = drain.run(hub.client, lake.BlobStore(container), hub="telemetry", consumer_group="sink",
                           idle_seconds=0.05, run_id="r1")
        names = sorted(b.name for b in container.list_blobs())
        assert names == ["_drain/checkpoints/telemetry/sink/0.json", result.objects[0]]
        assert result.objects[0].startswith("events/year=") and result.objects[0].endswith("/telemetry-0-0-1-r1.jsonl.gz")
        assert gzip.decompress(container.download_blob(result.objects[0]).readall()) == \
            b'{"event_id":"1"}\n{"event_id":"2"}\n'
    finally:
        container.delete_container()
