"""``bp smoke STACK --local`` on Azure: the stack's lake account and containers in Azurite.

Hops and what runs where:
- connect: not run. There is no Event Hubs emulator here, so no event goes
  through the hub; the output says so.
- buffer (learning): bridged. The probe goes into an in-process stand-in for
  the hub (``blueprint.dataflow.memory_hub``: real ``EventData``, the stack's
  partition count, sequence numbers) instead of Event Hubs.
- sink: learning runs the real drain (``pipeline.drain``) over that stand-in,
  reading the stack's ``sink`` consumer group and writing raw in Azurite,
  checkpoints included; production is bridged: the command writes Event Hubs
  Capture's Avro at the stack's archive name format (Capture is a service
  feature, no code of ours to run).
- raw: runs in Azurite (azure-storage-blob uploads, lists and reads the raw
  container of the stack's storage account, created there from the plan).
- curated (``--through curated``): raw copied to a folder (PySpark ships no
  ABFS connector) and the job run there in local mode.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import secrets
import shutil
from pathlib import Path

from blueprint.dataflow import local_job, sink_files
from blueprint.dataflow.emulator import Emulator, free_port
from blueprint.dataflow.hops import BRIDGED, FAILED, RAN, SKIPPED, Hops
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.stack_plan import StackPlan
from blueprint.dataflow.unavailable import Unavailable

REPO = Path(__file__).resolve().parents[2]
AZURITE_LOCAL = REPO / ".tools" / "node_modules" / ".bin" / "azurite-blob"
"""Where ``.ci/run`` installs Azurite (npm, into the repository's untracked ``.tools``)."""


def azurite_command() -> str:
    found = os.environ.get("BLUEPRINT_AZURITE") or (str(AZURITE_LOCAL) if AZURITE_LOCAL.exists() else None) \
        or shutil.which("azurite-blob")
    if not found:
        raise Unavailable("Azurite is not installed; run `npm install --prefix .tools azurite@3` in the repository")
    return found


@contextlib.contextmanager
def azurite(accounts: list[str], workdir: Path):
    """Azurite's blob service holding ``accounts`` (fresh random keys); yields each account's connection string."""
    keys = {account: base64.b64encode(secrets.token_bytes(32)).decode("ascii") for account in accounts}
    port = free_port()
    emulator = Emulator("Azurite", [azurite_command(), "--blobHost", "127.0.0.1", "--blobPort", str(port),
                                    "--location", str(workdir), "--silent", "--skipApiVersionCheck", "--loose"],
                        port, f"http://127.0.0.1:{port}/",
                        env={"AZURITE_ACCOUNTS": ";".join(f"{a}:{k}" for a, k in keys.items())})
    with emulator:
        yield {account: (f"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};"
                         f"BlobEndpoint=http://127.0.0.1:{port}/{account};") for account, key in keys.items()}


def account_of(plan: StackPlan) -> str:
    return plan.exports["store"]["raw"].split("@", 1)[1].split(".", 1)[0]


def _partitions(plan: StackPlan) -> int:
    hubs = [r.inputs for r in plan.resources if r.type == "azure-native:eventhub:EventHub"]
    return int(hubs[0].get("partitionCount", 1)) if hubs else 1


def _drain_locally(plan: StackPlan, bodies: list[bytes], raw, hops: Hops) -> bool:
    """The probe into a stand-in for the hub, then the real drain into raw (Azurite); False when it failed."""
    from blueprint.dataflow.memory_hub import MemoryHub
    from pipeline import drain, lake

    settings = plan.exports["processing"]["job"]["drain"]
    partitions = _partitions(plan)
    hub = MemoryHub({str(p): [] for p in range(partitions)})
    for i, body in enumerate(bodies):  # round robin, as the hub spreads events sent without a partition key
        hub.add(str(i % partitions), [body])
    hops.add("buffer", BRIDGED, f"{len(bodies)} events put into an in-process stand-in for hub {settings['hub']} "
             f"({partitions} partitions): no Event Hubs emulator here")
    result = drain.run(hub.client, lake.BlobStore(raw), hub=settings["hub"], consumer_group=settings["consumer_group"],
                       idle_seconds=0.2)
    if not result.ok:
        hops.add("sink", FAILED, "; ".join(result.lines()))
        return False
    hops.add("sink", RAN, f"the drain (pipeline.drain, consumer group {settings['consumer_group']}) wrote "
             f"{len(result.objects)} objects to raw/{result.objects[0].rsplit('/', 1)[0]}/ with checkpoints")
    return True


def smoke(plan: StackPlan, probe: Probe, through: str, connection: str | None = None) -> Hops:
    if connection is None:
        import tempfile

        account = account_of(plan)
        with tempfile.TemporaryDirectory(prefix="bp-azurite-") as tmp, azurite([account], Path(tmp)) as conns:
            return smoke(plan, probe, through, conns[account])
    from azure.core.exceptions import ResourceExistsError
    from azure.storage.blob import BlobServiceClient

    out = plan.exports
    production = plan.profile == "production"
    service = BlobServiceClient.from_connection_string(connection)
    raw = service.get_container_client("raw")
    with contextlib.suppress(ResourceExistsError):
        raw.create_container()
    hops = Hops()
    print(f"smoke {plan.stack} --local: {probe.count} events, correlation id {probe.correlation_id}")
    hops.add("setup", RAN, f"created from the plan: account {account_of(plan)}, container raw (Azurite)")
    hops.add("connect", SKIPPED, "no Event Hubs emulator here: nothing was sent to the hub")

    bodies = probe.bodies() + probe.bodies()[:1]  # the first event retried by the producer
    at = dt.datetime.now(dt.timezone.utc)
    if production:
        hops.add("buffer", SKIPPED, "no Event Hubs emulator here: the hub was not read")
        namespace = out["buffer"]["endpoint"].split("//", 1)[1].split(".", 1)[0]
        name, data = sink_files.capture_avro(bodies, namespace, out["buffer"]["stream"], at)
        raw_format = "capture-avro"
        raw.upload_blob(name, data, overwrite=True)
        hops.add("sink", BRIDGED, f"the command wrote Event Hubs Capture's Avro file to raw/{name}: without an "
                 "Event Hubs emulator Capture cannot run")
    else:
        raw_format = "drain-jsonl"
        if not _drain_locally(plan, bodies, raw, hops):
            return hops

    found = probe.search((b.name, sink_files.text_of(b.name, raw.download_blob(b.name).readall()))
                                for b in raw.list_blobs())
    if len(found.ids) != probe.count:
        hops.add("raw", FAILED, f"{len(found.ids)} of {probe.count} events found in the raw container")
        return hops
    hops.add("raw", RAN, f"{probe.count}/{probe.count} events found in raw/{found.names[0]} (Azurite)")

    if through == "curated":
        def fetch(blob_name: str, target: Path) -> None:
            target.write_bytes(raw.download_blob(blob_name).readall())

        with local_job.over_copy(hops, found.names, fetch, raw_format, probe, "ABFS"):
            pass

    # The stand-in hub ends with this run, so do the drain's checkpoints of it.
    checkpoints = [] if production else [b.name for b in raw.list_blobs(name_starts_with="_drain/checkpoints/")]
    for blob_name in found.names + checkpoints:
        raw.delete_blob(blob_name)
    hops.add("cleanup", RAN, f"{len(found.names)} smoke blobs and {len(checkpoints)} drain checkpoints removed from raw")
    return hops
