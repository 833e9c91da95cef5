"""``bp smoke`` and ``bp run`` against a deployed GCP stack (google-cloud-pubsub, the caller's credentials).

smoke: publishes the probe to the stack's topic (the Connect endpoint is
Pub/Sub's own ``:publish``), then polls the raw bucket under
``events/<today>/`` until the Cloud Storage subscription has written every
probe event (it flushes at least every 300 s). Files holding only probe
events are deleted afterwards.

run / ``--through curated``: need the Dataproc Serverless batch settings the
stack does not export yet (``processing.job``); the command says so.
"""

from __future__ import annotations

import datetime as dt

from blueprint.dataflow import sink_files
from blueprint.dataflow.hops import RAN, Hops
from blueprint.dataflow.outputs import need
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.stack_plan import bucket_of
from blueprint.dataflow.unavailable import Unavailable

RAW_DEADLINE_SECONDS = 600
POLL_SECONDS = 15
NO_JOB = ("submitting the job on GCP needs the Dataproc Serverless batch settings (subnet, service account, key, "
          "staging bucket, code) under the stack's processing.job output, which this program does not export yet")


def _credentials():
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
    credentials = _credentials()
    from google.cloud import pubsub_v1, storage

    endpoint = need(out, "connect", "endpoint")
    topic = endpoint.split("/v1/", 1)[1].removesuffix(":publish")
    project = topic.split("/")[1]
    hops = Hops()
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    print(f"smoke: {probe.count} events, correlation id {probe.correlation_id}")
    publisher = pubsub_v1.PublisherClient(credentials=credentials)
    for future in [publisher.publish(topic, body) for body in probe.bodies()]:
        future.result(timeout=60)
    hops.add("connect", RAN, f"{probe.count} messages published to {topic}")

    gcs = storage.Client(project=project, credentials=credentials)
    bucket = bucket_of(need(out, "store", "raw"))
    def files():
        days = {since.date(), dt.datetime.now(dt.timezone.utc).date()}
        return ((b.name, sink_files.text_of(b.name, b.download_as_bytes()))
                for day in days for b in gcs.list_blobs(bucket, prefix=f"events/{day:%Y-%m-%d}/") if b.updated >= since)

    found = probe.wait(files, RAW_DEADLINE_SECONDS, POLL_SECONDS, "the Cloud Storage subscription")
    if hops.found("buffer -> raw", len(found.ids), probe.count, f"gs://{bucket}/{(found.names or [''])[0]}",
                  f"gs://{bucket}/events/", RAW_DEADLINE_SECONDS):
        for name in found.only:
            gcs.bucket(bucket).blob(name).delete()
        hops.add("cleanup", RAN, f"{len(found.only)} probe-only raw files removed")
    return hops


def run(out: dict, day: str | None) -> int:
    need(out, "processing", "job")
    raise Unavailable(NO_JOB)
