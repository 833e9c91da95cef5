"""``bp run azure`` / ``bp smoke azure`` on learning: the drain batch runs first, the job only after it succeeded.

Synapse's Livy endpoint and Event Hubs are stood in for (no emulator of
either here); the lake is Azurite, and the "drain batch" runs the real drain
code over what the command sent to the stand-in hub.
"""

from __future__ import annotations

import datetime as dt
import types

import pytest

from blueprint.dataflow import azure_cloud
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.unavailable import Unavailable
from pipeline import drain, lake
from blueprint.dataflow.memory_hub import MemoryHub

OUT = {
    "profile": "learning",
    "buffer": {"endpoint": "sb://ns1.servicebus.windows.net/", "stream": "events1"},
    "store": {"raw": "abfss://raw@lake1.dfs.core.windows.net/", "processed": "abfss://processed@lake1.dfs.core.windows.net/",
              "curated": "abfss://curated@lake1.dfs.core.windows.net/"},
    "processing": {"job": {
        "engine": "synapse-spark", "workspace": "ws1", "pool": "pool1", "raw_format": "drain-jsonl",
        "code_uri": "abfss://processed@lake1.dfs.core.windows.net/_jobs/sensor-pipeline",
        "drain": {"namespace": "ns1.servicebus.windows.net", "hub": "events1", "consumer_group": "sink",
                  "raw_uri": "abfss://raw@lake1.dfs.core.windows.net/", "format": "drain-jsonl",
                  "entry_point": "abfss://processed@lake1.dfs.core.windows.net/_jobs/sensor-pipeline/azure_drain.py"}}},
}
CODE = "abfss://processed@lake1.dfs.core.windows.net/_jobs/sensor-pipeline"


class Token:
    def get_token(self, scope):
        return types.SimpleNamespace(token=f"token-for-{scope}")


class Livy:
    """Records each batch; ``behave[name]`` runs when that batch is submitted and returns its final state."""

    def __init__(self, behave):
        self.batches, self.behave = [], behave

    def post(self, url, json, headers, timeout):
        self.batches.append({"url": url, "body": json, "auth": headers["Authorization"]})
        state = self.behave[json["name"]](json)
        n = len(self.batches)
        self.states = getattr(self, "states", {}) | {n: state}
        return types.SimpleNamespace(status_code=200, text="", json=lambda: {"id": n})

    def get(self, url, headers, timeout):
        n = int(url.rsplit("/", 1)[1])
        return types.SimpleNamespace(json=lambda: {"state": self.states[n]})


@pytest.fixture
def lake1(azurite_connections, monkeypatch, request):
    """Containers raw and processed of account lake1, in Azurite (fresh names per test)."""
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient.from_connection_string(azurite_connections["azure"])
    suffix = request.node.name[-12:].lower().replace("_", "-").strip("-")
    containers = {}
    for zone in ("raw", "processed"):
        containers[zone] = service.get_container_client(f"{zone}-{suffix}")
        containers[zone].create_container()

    def container_of(_credential, uri):
        zone, rest = uri.removeprefix("abfss://").split("@", 1)
        return containers[zone], rest.partition("/")[2].strip("/")

    monkeypatch.setattr(azure_cloud, "container_of", container_of)
    yield containers
    for c in containers.values():
        c.delete_container()


def test_run_submits_the_drain_with_the_stacks_hub_then_the_job(lake1):
    livy = Livy({"blueprint-drain": lambda body: "success", "blueprint-sensor-pipeline": lambda body: "success"})

    assert azure_cloud.run(OUT, None, credential=Token(), http=livy) == 0

    drain_batch, job_batch = (b["body"] for b in livy.batches)
    assert livy.batches[0]["url"] == ("https://ws1.dev.azuresynapse.net/livyApi/versions/2019-11-01-preview/"
                                      "sparkPools/pool1/batches")
    assert livy.batches[0]["auth"] == "Bearer token-for-https://dev.azuresynapse.net/.default"
    assert drain_batch["file"] == f"{CODE}/azure_drain.py"
    assert drain_batch["args"] == ["--namespace", "ns1.servicebus.windows.net", "--hub", "events1",
                                   "--consumer-group", "sink", "--raw", "abfss://raw@lake1.dfs.core.windows.net/"]
    assert drain_batch["pyFiles"] == [f"{CODE}/pipeline.zip", f"{CODE}/eventhub.zip"]
    assert job_batch["file"] == f"{CODE}/azure.py"
    assert job_batch["args"][:2] == ["--raw", "abfss://raw@lake1.dfs.core.windows.net"]
    uploaded = sorted(b.name for b in lake1["processed"].list_blobs())
    assert uploaded == [f"_jobs/sensor-pipeline/{n}" for n in ("azure.py", "azure_drain.py", "eventhub.zip",
                                                               "pipeline.zip")]


def test_run_does_not_start_the_job_when_the_drain_failed(lake1):
    livy = Livy({"blueprint-drain": lambda body: "dead", "blueprint-sensor-pipeline": lambda body: "success"})
    assert azure_cloud.run(OUT, None, credential=Token(), http=livy) == 1
    assert [b["body"]["name"] for b in livy.batches] == ["blueprint-drain"]


def test_production_refuses_through_curated_before_sending_anything():
    out = OUT | {"profile": "production", "processing": {"job": {"engine": "databricks"}}}
    with pytest.raises(Unavailable, match="not offered on Azure production"):
        azure_cloud.smoke(out, Probe(3), "curated", credential=Token(), http=Livy({}))


def test_smoke_through_curated_on_learning_finds_the_probe_where_the_drain_put_it_and_cleans_up(lake1, monkeypatch):
    import azure.eventhub

    hub = MemoryHub({"0": [b'{"event_id":"real-1"}'], "1": []})

    class Batch:
        def __init__(self):
            self.events = []

        def add(self, event):
            self.events.append(event)

    class Producer:
        def __init__(self, fully_qualified_namespace, eventhub_name, credential):
            assert (fully_qualified_namespace, eventhub_name) == ("ns1.servicebus.windows.net", "events1")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def create_batch(self):
            return Batch()

        def send_batch(self, batch):
            hub.add("1", [b"".join(e.body) for e in batch.events])

    monkeypatch.setattr(azure.eventhub, "EventHubProducerClient", Producer)

    def drain_batch(body):
        args = dict(zip(body["args"][::2], body["args"][1::2]))
        result = drain.run(hub.client, lake.BlobStore(lake1["raw"]), hub=args["--hub"],
                           consumer_group=args["--consumer-group"], idle_seconds=0.05)
        return "success" if result.ok else "dead"

    def job_batch(body):
        args = dict(zip(body["args"][::2], body["args"][1::2]))
        copied = [b.name for b in lake1["processed"].list_blobs(name_starts_with=probe.prefix + "/raw/events/")]
        assert len(copied) == 1 and args["--format"] == "drain-jsonl"
        lake1["processed"].upload_blob(args["--curated"].split(".net/", 1)[1] + "/sensor_daily/p.parquet", b"PAR1")
        return "success"

    probe = Probe(4)
    hops = azure_cloud.smoke(OUT, probe, "curated", credential=Token(),
                             http=Livy({"blueprint-drain": drain_batch, "blueprint-sensor-pipeline": job_batch}))

    status = {h.name: h.status for h in hops.hops}
    assert status == {"connect": "ran", "buffer -> raw": "ran", "job -> curated": "ran", "cleanup": "ran"}
    # The real event drained with the probe stays in raw; the probe-only object and the smoke copies are gone.
    left = [b.name for b in lake1["raw"].list_blobs()]
    (kept,) = [n for n in left if n.startswith("events/")]
    assert kept.split("/")[-1].startswith("events1-0-0-0-")
    assert sorted(n for n in left if n.startswith("_drain/")) == ["_drain/checkpoints/events1/sink/0.json",
                                                                  "_drain/checkpoints/events1/sink/1.json"]
    assert [b.name for b in lake1["processed"].list_blobs(name_starts_with="_smoke/")] == []
    assert dt.datetime.now(dt.timezone.utc).strftime("year=%Y") in next(
        h.detail for h in hops.hops if h.name == "buffer -> raw")
