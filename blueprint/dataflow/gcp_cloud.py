"""``bp smoke`` and ``bp run`` against a deployed GCP stack (google-cloud-pubsub, the caller's credentials).

smoke: publishes the probe to the stack's topic (the Connect endpoint is
Pub/Sub's own ``:publish``), then polls the raw bucket under
``events/<today>/`` until the Cloud Storage subscription has written every
probe event (it flushes at least every 300 s). Files holding only probe
events are deleted afterwards.

run: creates a Dataproc Serverless batch (REST ``batches.create``, the
runtime the stack's session template pins, Spark 3.5) from the code and environment the stack exports under
``processing.job`` (``infra.gcp.job``), and waits for it. ``--through
curated`` runs it over a copy of the probe's raw files under
``_smoke/<id>/`` in the staging bucket.
"""

from __future__ import annotations

import datetime as dt

from blueprint.dataflow import job_wait, sink_files
from blueprint.dataflow.hops import FAILED, RAN, Hops
from blueprint.dataflow.outputs import need
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.stack_plan import bucket_of
from blueprint.dataflow.unavailable import Unavailable
# One pin for the stack and its jobs, guarded by the lifecycle table (blueprint/rules/releases.py).
from infra.gcp.engine import RUNTIME_VERSION  # noqa: F401  (the batch's runtime, re-exported for checks)
# The same body the daily schedule replays (infra/gcp/daily_run.py).
from infra.gcp.job import batch

RAW_DEADLINE_SECONDS = 600
POLL_SECONDS = 15
TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED"}


def google_credentials():
    try:
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError
    except ImportError:
        raise Unavailable("google-cloud-pubsub is not installed; pip install -e '.[dataflow]'") from None
    try:
        return google.auth.default()[0]
    except DefaultCredentialsError:
        raise Unavailable("no Google credentials found; run `gcloud auth application-default login`, "
                          "or use --local") from None


def smoke(out: dict, probe: Probe, through: str) -> Hops:
    if through == "curated":
        need(out, "processing", "job")
    credentials = google_credentials()
    hops = Hops()
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    print(f"smoke: {probe.count} events, correlation id {probe.correlation_id}")
    send(credentials, out, probe, hops)
    return receive(out, probe, through, credentials, since, hops, RAW_DEADLINE_SECONDS)


def send(credentials, out: dict, probe: Probe, hops: Hops) -> None:
    """Connect: the probe published to the stack's topic (the Connect endpoint is Pub/Sub's own ``:publish``)."""
    from google.cloud import pubsub_v1

    topic = need(out, "connect", "endpoint").split("/v1/", 1)[1].removesuffix(":publish")
    publisher = pubsub_v1.PublisherClient(credentials=credentials)
    for future in [publisher.publish(topic, body) for body in probe.bodies()]:
        future.result(timeout=60)
    hops.add("connect", RAN, f"{probe.count} messages published to {topic}")


def receive(out: dict, probe: Probe, through: str, credentials, since: dt.datetime, hops: Hops,
            deadline_seconds: float) -> Hops:
    """From raw on: wait for the probe in the raw bucket, run the job over a copy (``--through curated``), clean up."""
    from google.cloud import storage

    project = need(out, "processing", "sink").split("projects/", 1)[1].split("/", 1)[0]
    gcs = storage.Client(project=project, credentials=credentials)
    bucket = bucket_of(need(out, "store", "raw"))
    def files():
        days = {since.date(), dt.datetime.now(dt.timezone.utc).date()}
        return ((b.name, sink_files.text_of(b.name, b.download_as_bytes()))
                for day in days for b in gcs.list_blobs(bucket, prefix=f"events/{day:%Y-%m-%d}/") if b.updated >= since)

    found = probe.wait(files, deadline_seconds, POLL_SECONDS, "the Cloud Storage subscription")
    if not hops.found("buffer -> raw", len(found.ids), probe.count, f"gs://{bucket}/{(found.names or [''])[0]}",
                      f"gs://{bucket}/events/", deadline_seconds):
        return hops
    if through == "curated":
        job = need(out, "processing", "job")
        staging = gcs.bucket(job["staging_bucket"])
        root = f"gs://{staging.name}/{probe.prefix}"
        try:
            for name in found.names:
                gcs.bucket(bucket).copy_blob(gcs.bucket(bucket).blob(name), staging, f"{probe.prefix}/raw/{name}")
            state = submit(credentials, job, ["--raw", f"{root}/raw", "--processed", f"{root}/processed",
                                              "--curated", f"{root}/curated"])
            parquet = [b.name for b in gcs.list_blobs(staging, prefix=f"{probe.prefix}/curated/")
                       if b.name.endswith(".parquet")]
            hops.add("job -> curated", RAN if state == "SUCCEEDED" and parquet else FAILED,
                     f"batch {state}; {len(parquet)} Parquet files under {root}/curated/")
        finally:
            for blob in gcs.list_blobs(staging, prefix=probe.prefix):
                blob.delete()
    for name in found.only:
        gcs.bucket(bucket).blob(name).delete()
    hops.add("cleanup", RAN, f"{len(found.only)} probe-only raw files and the smoke's copies removed")
    return hops


def submit(credentials, job: dict, arguments: list[str], properties: dict | None = None) -> str:
    """Create a Dataproc Serverless batch (with Spark ``properties``, if any) and wait; returns its final state."""
    import uuid

    from google.auth.transport.requests import AuthorizedSession

    region = job["subnet"].split("/regions/", 1)[1].split("/", 1)[0]
    project = job["subnet"].split("projects/", 1)[1].split("/", 1)[0]
    http = AuthorizedSession(credentials)
    batch_id = f"sensor-pipeline-{uuid.uuid4().hex[:12]}"
    body = batch(job, arguments, properties)
    base = f"https://dataproc.googleapis.com/v1/projects/{project}/locations/{region}/batches"
    created = http.post(base, params={"batchId": batch_id}, json=body, timeout=60)
    if created.status_code >= 300:
        raise Unavailable(f"Dataproc refused the batch: HTTP {created.status_code} {created.text[:300]}")
    return job_wait.wait(lambda: http.get(f"{base}/{batch_id}", timeout=60).json().get("state", "PENDING"),
                         TERMINAL, f"batch {batch_id}")


def edge_properties(out: dict) -> dict:
    """The Spark properties cross-cloud edges ask the batch to carry (S3A for a Store on AWS)."""
    return {key: value for edge in (out.get("edges") or {}).values()
            for key, value in (edge.get("spark_properties") or {}).items()}


def run(out: dict, day: str | None) -> int:
    job = need(out, "processing", "job")
    for key in ("entry_point", "py_files", "subnet", "service_account", "kms_key", "staging_bucket"):
        need(out, "processing", "job", key)
    store = {zone: need(out, "store", zone).rstrip("/") for zone in ("raw", "processed", "curated")}
    args = ["--raw", store["raw"], "--processed", store["processed"], "--curated", store["curated"]]
    state = submit(google_credentials(), job, args + (["--day", day] if day else []), edge_properties(out))
    print(f"job: {state}")
    if state != "SUCCEEDED":
        return 1
    print(f"daily averages: {store['curated']}/sensor_daily/   minute averages: {store['curated']}/sensor_minute/")
    catalog = out.get("processing", {}).get("catalog")
    if not store["curated"].startswith("gs://") or not catalog:
        # The store is on another cloud: no BigQuery table reads it (docs/hybrid.md).
        print("query: register the Parquet folders above in the store's own query layer (docs/hybrid.md)")
        return 0
    print(f"query (BigQuery, the stack's external tables in dataset {catalog}):")
    print("  SELECT date, sensor_id, measurement, avg_value, events FROM sensor_daily ORDER BY date DESC, sensor_id;")
    return 0
