"""``bp smoke`` and ``bp run`` against a deployed Azure stack (azure-eventhub, the caller's Entra credentials).

smoke: sends the probe to the stack's hub with ``azure-eventhub`` (as the
Connect producer would, with an Entra token). Production stacks write raw
through Event Hubs Capture: the command polls the raw container under
``<namespace>/<hub>/`` until every probe event is there (Capture flushes at
least every 300 s) and deletes the files holding only probe events. Learning
stacks write raw through a drain job the program does not deploy yet, so the
raw hop is reported as not run.

run: uploads the job code with the caller's Entra identity to the
``code_uri`` the stack exports under ``processing.job`` (``infra.azure.job``;
the stack cannot upload it, its lake refuses shared keys), then submits a
Synapse Spark batch (Livy) to the learning pool and waits. Production's
Databricks workspace has no public endpoint, so ``bp run`` refuses there.
``--through curated`` is not offered on Azure: learning raw needs the drain
job, which the program does not deploy yet.
"""

from __future__ import annotations

import datetime as dt

from blueprint.dataflow import job_wait, sink_files
from blueprint.dataflow.hops import RAN, SKIPPED, Hops
from blueprint.dataflow.outputs import need
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.unavailable import Unavailable

RAW_DEADLINE_SECONDS = 600
POLL_SECONDS = 15
LIVY_API = "2019-11-01-preview"
SYNAPSE_SCOPE = "https://dev.azuresynapse.net/.default"
SYNAPSE_DATABASE = "default"
"""The workspace's Spark lake database; its Parquet tables are visible to the serverless SQL pool."""
TERMINAL = {"success", "dead", "killed", "error"}
SMALL_NODE = {"driverMemory": "28g", "driverCores": 4, "executorMemory": "28g", "executorCores": 4, "numExecutors": 2}
"""One Synapse "Small" node per driver and executor (the pool's node size; two executors, the pool minimum)."""


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
        raise Unavailable("--through curated is not offered on Azure yet: learning raw is written by a drain job the "
                          "program does not deploy, and production's Databricks workspace is private")
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


def _upload_code(credential, code_uri: str) -> tuple[str, str]:
    """Upload ``pipeline.zip`` and the entry point under ``code_uri``; their abfss URIs."""
    from azure.storage.blob import ContainerClient

    from pipeline import package

    container, rest = code_uri.removeprefix("abfss://").split("@", 1)
    account, prefix = rest.split(".", 1)[0], rest.split("/", 1)[1].rstrip("/")
    client = ContainerClient(f"https://{account}.blob.core.windows.net", container, credential=credential)
    client.upload_blob(f"{prefix}/pipeline.zip", package.zip_bytes(), overwrite=True)
    client.upload_blob(f"{prefix}/azure.py", package.entry_point("azure").read_bytes(), overwrite=True)
    return f"{code_uri.rstrip('/')}/azure.py", f"{code_uri.rstrip('/')}/pipeline.zip"


def run(out: dict, day: str | None) -> int:
    job = need(out, "processing", "job")
    if need(out, "processing", "job", "engine") != "synapse-spark":
        raise Unavailable("production runs the job on Databricks, reachable only through its private endpoint: "
                          "submit it from inside the network (pipeline/entry/azure.py --format capture-avro)")
    workspace, pool = need(out, "processing", "job", "workspace"), need(out, "processing", "job", "pool")
    store = {zone: need(out, "store", zone).rstrip("/") for zone in ("raw", "processed", "curated")}
    credential = _credential()
    entry, py_files = _upload_code(credential, need(out, "processing", "job", "code_uri"))
    print(f"uploaded the job code to {py_files}")
    import requests

    base = f"https://{workspace}.dev.azuresynapse.net/livyApi/versions/{LIVY_API}/sparkPools/{pool}/batches"
    headers = lambda: {"Authorization": f"Bearer {credential.get_token(SYNAPSE_SCOPE).token}"}  # noqa: E731
    body = {"name": "blueprint-sensor-pipeline", "file": entry, "pyFiles": [py_files], **SMALL_NODE,
            "args": ["--raw", store["raw"], "--processed", store["processed"], "--curated", store["curated"],
                     "--format", job.get("raw_format", "drain-jsonl"), "--database", SYNAPSE_DATABASE]
            + (["--day", day] if day else [])}
    created = requests.post(base, json=body, headers=headers(), timeout=60)
    if created.status_code >= 300:
        raise Unavailable(f"Synapse refused the batch (HTTP {created.status_code}; the workspace admits no client "
                          f"until an operator adds a firewall rule): {created.text[:300]}")
    batch = created.json()["id"]
    state = job_wait.wait(lambda: requests.get(f"{base}/{batch}", headers=headers(), timeout=60).json()["state"],
                          TERMINAL, f"batch {batch}")
    print(f"job: {state}")
    if state != "success":
        return 1
    print(f"daily averages: {store['curated']}/sensor_daily/   minute averages: {store['curated']}/sensor_minute/")
    print("query (Synapse serverless SQL, database default): SELECT [date], sensor_id, measurement, avg_value, events "
          "FROM dbo.sensor_daily ORDER BY [date] DESC, sensor_id;")
    return 0
