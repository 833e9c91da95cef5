"""``bp smoke`` and ``bp run`` against a deployed Azure stack (azure-eventhub, the caller's Entra credentials).

Code: the stack cannot upload the job code (its lake refuses shared keys, see
``infra.azure.job``), so both commands upload it with the caller's Entra
identity to the ``code_uri`` the stack exports under ``processing.job``:
``pipeline.zip``, the entry points ``azure.py`` (the job) and
``azure_drain.py`` (the drain), and ``eventhub.zip`` (azure-eventhub, which
the Synapse Spark runtime lacks).

smoke: sends the probe to the stack's hub with ``azure-eventhub`` (as the
Connect producer would, with an Entra token). Learning stacks write raw
through the drain: the command runs it (a Synapse Spark batch that drains
the ``sink`` consumer group, every pending event, not only the probe's) and
then looks for the probe under ``events/``. With ``--through curated`` the
probe's raw objects are copied under ``_smoke/<id>/raw/`` in the processed
container and the job runs over that copy into ``_smoke/<id>/`` only, so real
tables never see smoke rows; afterwards the copies, the job's smoke outputs
and the raw objects holding nothing but probe events are deleted. Production
stacks write raw through Event Hubs Capture: the command polls the raw
container under ``<namespace>/<hub>/`` until every probe event is there
(Capture flushes at least every 300 s) and deletes the files holding only
probe events; production's Databricks workspace has no public endpoint, so
``--through curated`` is refused there.

run: learning submits the drain, waits for it, then the job (Synapse Spark
batches through Livy on the learning pool); the job does not start when the
drain failed. Production's Databricks workspace has no public endpoint, so
``bp run`` refuses there.
"""

from __future__ import annotations

import datetime as dt

from blueprint.dataflow import sink_files
from blueprint.dataflow.hops import FAILED, RAN, Hops
from blueprint.dataflow.outputs import need
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.synapse_batch import SynapseBatches
from blueprint.dataflow.unavailable import Unavailable

RAW_DEADLINE_SECONDS = 600
POLL_SECONDS = 15
SYNAPSE_DATABASE = "default"
"""The workspace's Spark lake database; its Parquet tables are visible to the serverless SQL pool."""
DATABRICKS_PRIVATE = ("production runs the job on Databricks, reachable only through its private endpoint: "
                      "submit it from inside the network (pipeline/entry/azure.py --format capture-avro)")


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


def container_of(credential, abfss_uri: str):
    """``(ContainerClient, prefix)`` of ``abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PREFIX``."""
    from azure.storage.blob import ContainerClient

    container, rest = abfss_uri.removeprefix("abfss://").split("@", 1)
    account, _, prefix = rest.partition("/")
    return (ContainerClient(f"https://{account.split('.', 1)[0]}.blob.core.windows.net", container,
                            credential=credential), prefix.strip("/"))


def upload_code(credential, code_uri: str) -> dict:
    """Upload the job's and the drain's code under ``code_uri``; their abfss URIs (``job``, ``drain``, ``py_files``)."""
    from pipeline import package

    client, prefix = container_of(credential, code_uri)
    files = {"pipeline.zip": package.zip_bytes(), "eventhub.zip": package.library_zip("azure-eventhub", "azure/eventhub"),
             "azure.py": package.entry_point("azure").read_bytes(),
             "azure_drain.py": package.entry_point("azure_drain").read_bytes()}
    for name, data in files.items():
        client.upload_blob(f"{prefix}/{name}", data, overwrite=True)
    base = code_uri.rstrip("/")
    return {"job": f"{base}/azure.py", "drain": f"{base}/azure_drain.py",
            "py_files": [f"{base}/pipeline.zip", f"{base}/eventhub.zip"]}


def drain_arguments(drain: dict) -> list[str]:
    return ["--namespace", drain["namespace"], "--hub", drain["hub"], "--consumer-group", drain["consumer_group"],
            "--raw", drain["raw_uri"]]


def _batches(credential, out: dict, http=None) -> SynapseBatches:
    if need(out, "processing", "job", "engine") != "synapse-spark":
        raise Unavailable(DATABRICKS_PRIVATE)
    return SynapseBatches(credential, need(out, "processing", "job", "workspace"),
                          need(out, "processing", "job", "pool"), http)


def smoke(out: dict, probe: Probe, through: str, credential=None, http=None) -> Hops:
    production = out.get("profile") == "production"
    if through == "curated" and production:
        raise Unavailable(f"--through curated is not offered on Azure production: {DATABRICKS_PRIVATE}")
    credential = credential or _credential()
    batches = None if production else _batches(credential, out, http)  # refuse before sending anything
    drain = None if production else need(out, "processing", "job", "drain")
    from azure.eventhub import EventData, EventHubProducerClient

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

    raw, _ = container_of(credential, need(out, "store", "raw"))
    if production:
        return _smoke_capture(raw, probe, hops, f"{namespace_host.split('.', 1)[0]}/{hub}/", since)
    return _smoke_drain(out, raw, probe, hops, through, batches, drain, credential, since)


def _smoke_capture(raw, probe: Probe, hops: Hops, prefix: str, since: dt.datetime) -> Hops:
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


def _smoke_drain(out: dict, raw, probe: Probe, hops: Hops, through: str, batches: SynapseBatches, drain: dict,
                 credential, since: dt.datetime) -> Hops:
    code = upload_code(credential, need(out, "processing", "job", "code_uri"))
    state = batches.run("blueprint-drain", code["drain"], code["py_files"], drain_arguments(drain))
    if state != "success":
        hops.add("buffer -> raw", FAILED, f"the drain batch ended {state}")
        return hops
    found = probe.search((b.name, sink_files.text_of(b.name, raw.download_blob(b.name).readall()))
                         for prefix in sink_files.hour_prefixes(since)
                         for b in raw.list_blobs(name_starts_with=prefix) if b.last_modified >= since)
    if not hops.found("buffer -> raw", len(found.ids), probe.count, f"raw/{(found.names or [''])[0]} (the drain)",
                      "raw/events/", 0):
        return hops
    processed, _ = container_of(credential, need(out, "store", "processed"))
    smoke_root = f"{need(out, 'store', 'processed').rstrip('/')}/{probe.prefix}"
    try:
        if through == "curated":
            for name in found.names:
                processed.upload_blob(f"{probe.prefix}/raw/{name}", raw.download_blob(name).readall(), overwrite=True)
            state = batches.run("blueprint-sensor-pipeline", code["job"], code["py_files"], [
                "--raw", f"{smoke_root}/raw", "--processed", f"{smoke_root}/processed",
                "--curated", f"{smoke_root}/curated", "--format", drain["format"]])
            parquet = [b.name for b in processed.list_blobs(name_starts_with=f"{probe.prefix}/curated/")
                       if b.name.endswith(".parquet")]
            hops.add("job -> curated", RAN if state == "success" and parquet else FAILED,
                     f"job {state}; {len(parquet)} Parquet files under {smoke_root}/curated/")
    finally:
        copies = [b.name for b in processed.list_blobs(name_starts_with=f"{probe.prefix}/")]
        for name in copies:
            processed.delete_blob(name)
        for name in found.only:
            raw.delete_blob(name)
        hops.add("cleanup", RAN, f"{len(copies)} blobs under {smoke_root}/ and {len(found.only)} probe-only raw "
                 f"objects removed ({len(found.names) - len(found.only)} raw objects shared with real events kept)")
    return hops


def run(out: dict, day: str | None, credential=None, http=None) -> int:
    job = need(out, "processing", "job")
    if need(out, "processing", "job", "engine") != "synapse-spark":
        raise Unavailable(DATABRICKS_PRIVATE)
    store = {zone: need(out, "store", zone).rstrip("/") for zone in ("raw", "processed", "curated")}
    credential = credential or _credential()
    batches = _batches(credential, out, http)
    code = upload_code(credential, need(out, "processing", "job", "code_uri"))
    print(f"uploaded the job and drain code to {code['py_files'][0].rsplit('/', 1)[0]}/")
    if "drain" in job:
        state = batches.run("blueprint-drain", code["drain"], code["py_files"], drain_arguments(job["drain"]))
        print(f"drain: {state}")
        if state != "success":
            print("the job was not started: raw lacks what the drain did not write (see the drain batch's log)")
            return 1
    state = batches.run("blueprint-sensor-pipeline", code["job"], code["py_files"], [
        "--raw", store["raw"], "--processed", store["processed"], "--curated", store["curated"],
        "--format", job.get("raw_format", "drain-jsonl"), "--database", SYNAPSE_DATABASE]
        + (["--day", day] if day else []))
    print(f"job: {state}")
    if state != "success":
        return 1
    print(f"daily averages: {store['curated']}/sensor_daily/   minute averages: {store['curated']}/sensor_minute/")
    print("query (Synapse serverless SQL, database default): SELECT [date], sensor_id, measurement, avg_value, events "
          "FROM dbo.sensor_daily ORDER BY [date] DESC, sensor_id;")
    return 0
