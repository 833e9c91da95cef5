"""``bp smoke`` and ``bp run`` against a deployed Azure stack (azure-eventhub, the caller's Entra credentials).

smoke: sends the probe to the stack's hub with ``azure-eventhub`` (as the
Connect producer would, with an Entra token). Production stacks write raw
through Event Hubs Capture: the command polls the raw container under
``<namespace>/<hub>/`` until every probe event is there (Capture flushes at
least every 300 s) and deletes the files holding only probe events. Learning
stacks write raw through a drain job the program does not deploy yet, so the
raw hop is reported as not run.

run / ``--through curated``: need the Spark job definition the stack does not
export yet (``processing.job``); the command says so.
"""

from __future__ import annotations

import datetime as dt

from blueprint.dataflow import sink_files
from blueprint.dataflow.hops import RAN, SKIPPED, Hops
from blueprint.dataflow.outputs import need
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.unavailable import Unavailable

RAW_DEADLINE_SECONDS = 600
POLL_SECONDS = 15
NO_JOB = ("submitting the job on Azure needs the Spark job definition (Synapse pool or Databricks job) under the "
          "stack's processing.job output, which this program does not export yet")


def _credential():
    try:
        from azure.identity import CredentialUnavailableError, DefaultAzureCredential
    except ImportError:
        raise Unavailable("azure-identity is not installed; pip install -e '.[dataflow]'") from None
    credential = DefaultAzureCredential(exclude_interactive_browser_credential=True)
    try:
        credential.get_token("https://eventhubs.azure.net/.default")
    except (CredentialUnavailableError, Exception) as exc:  # every credential in the chain failed
        raise Unavailable(f"no Azure credentials usable here ({type(exc).__name__}); run `az login`, "
                          "or use --local") from None
    return credential


def smoke(out: dict, probe: Probe, through: str) -> Hops:
    if through == "curated":
        need(out, "processing", "job")
    credential = _credential()
    from azure.eventhub import EventData, EventHubProducerClient
    from azure.storage.blob import ContainerClient

    namespace_host = need(out, "buffer", "endpoint").split("//", 1)[1].rstrip("/")
    hub = need(out, "buffer", "stream")
    hops = Hops()
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    print(f"smoke: {probe.count} events, correlation id {probe.correlation_id}")
    with EventHubProducerClient(fully_qualified_namespace=namespace_host, eventhub_name=hub,
                                credential=credential) as producer:
        batch = producer.create_batch()
        for body in probe.bodies():
            batch.add(EventData(body))
        producer.send_batch(batch)
    hops.add("connect", RAN, f"{probe.count} events sent to {namespace_host}/{hub}")

    if out.get("profile") != "production":
        hops.add("buffer -> raw", SKIPPED, "learning raw is written by a drain job the program does not deploy yet")
        return hops
    account = need(out, "store", "raw").split("@", 1)[1].split(".", 1)[0]
    raw = ContainerClient(f"https://{account}.blob.core.windows.net", "raw", credential=credential)
    prefix = f"{namespace_host.split('.', 1)[0]}/{hub}/"
    def files():
        return ((b.name, sink_files.text_of(b.name, raw.download_blob(b.name).readall()))
                for b in raw.list_blobs(name_starts_with=prefix) if b.last_modified >= since)

    found = probe.wait(files, RAW_DEADLINE_SECONDS, POLL_SECONDS, "Event Hubs Capture")
    if hops.found("buffer -> raw", len(found.ids), probe.count, f"raw/{(found.names or [''])[0]}",
                  f"raw/{prefix}", RAW_DEADLINE_SECONDS):
        for name in found.only:
            raw.delete_blob(name)
        hops.add("cleanup", RAN, f"{len(found.only)} probe-only raw files removed")
    return hops


def run(out: dict, day: str | None) -> int:
    need(out, "processing", "job")
    raise Unavailable(NO_JOB)
