"""``bp smoke STACK --local`` for a stack whose stages run on two clouds: each side in its emulators, the edge bridged.

The route (``blueprint.dataflow.route``) says which cloud each stage runs on
and which edge the events cross; ``LOCAL`` runs a crossing by its edge's slug.
Buffer on AWS -> Processing on GCP (``Pulumi.hybrid.yaml``):
- setup: the stream in a moto server; the edge's import topic, the sink
  subscription on it and the raw bucket in the Pub/Sub emulator and
  fake-gcs-server, all named from the plan.
- connect: bridged, as ``bp smoke aws --local`` (moto does not execute API
  Gateway's Kinesis integration: the command makes its ``PutRecords`` call).
- buffer: runs in moto (the records are read back from the stream).
- buffer -> import topic: bridged. No emulator runs Pub/Sub's Kinesis
  ingestion: the command publishes each record read from the stream to the
  import topic, as the ingestion does.
- import topic: runs in the Pub/Sub emulator (the sink subscription delivers).
- sink, raw, and the job with ``--through curated``: as ``bp smoke gcp --local``.

Buffer on GCP -> Processing on AWS:
- setup: the buffer's topic and the edge's subscription in the Pub/Sub
  emulator; the sink as a Direct PUT delivery stream and the buckets in moto.
- connect: runs in the Pub/Sub emulator (published with google-cloud-pubsub,
  as ``bp smoke gcp --local``).
- buffer: runs in the emulator (the edge's subscription delivers to the drain).
- drain -> delivery stream: runs in the emulators. The drain's own code
  (``infra/hybrid/drain``) pulls the subscription over REST, writes Firehose
  with ``PutRecordBatch`` and acknowledges; only its token exchange is
  bypassed, the emulator taking no credentials.
- sink: bridged in part. moto's Firehose writes the records to raw but runs no
  processors: the command ends each record with the newline of
  ``AppendDelimiterToRecord`` on its way to moto.
- raw, and the job with ``--through curated``: as ``bp smoke aws --local``.
"""

from __future__ import annotations

import contextlib
import time
from typing import Callable

from blueprint.dataflow import aws_local, gcp_local
from blueprint.dataflow.hops import BRIDGED, FAILED, RAN, Hops
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.route import Crossing, Route, of_stack
from blueprint.dataflow.stack_plan import StackPlan, bucket_of
from blueprint.dataflow.unavailable import Unavailable
from components.edges import Edge


@contextlib.contextmanager
def _aws_and_gcp(out: dict):
    with aws_local.moto_server() as moto, gcp_local.emulators(gcp_local.project_of(out)) as gcp:
        yield {"aws": f"http://127.0.0.1:{moto.port}", "gcp": gcp}


def kinesis_import(plan: StackPlan, edge: Edge, crossing: Crossing, probe: Probe, through: str,
                   endpoints: dict) -> Hops:
    """Buffer on AWS (moto) -> the edge's import topic -> Processing, Store on GCP (emulators)."""
    out = plan.exports
    stream, import_topic = out["buffer"]["stream"], out["edges"][edge.slug]["import_topic"]
    aws = aws_local.clients(endpoints["aws"], aws_local.region_of(out))
    gcp = gcp_local.emulator_clients(*endpoints["gcp"], gcp_local.project_of(out))
    raw_bucket = bucket_of(out["store"]["raw"])
    hops = Hops()
    print(f"smoke {plan.stack} --local ({edge.describe()}): {probe.count} events, correlation id "
          f"{probe.correlation_id}")
    aws_local.create_stream(aws, stream)
    gcp_local.prepare(gcp, import_topic, out["processing"]["sink"], raw_bucket)
    hops.add("setup", RAN, f"created from the plan: stream {stream} (moto); import topic "
             f"{import_topic.rsplit('/', 1)[1]}, subscription {out['processing']['sink'].rsplit('/', 1)[1]} (pull: "
             f"the emulator has no Cloud Storage subscriptions), bucket {raw_bucket} (Pub/Sub emulator, fake-gcs-server)")

    records = aws_local.ingest(aws, stream, probe, hops)
    if records is None:
        return hops
    gcp_local.publish(gcp, import_topic, [r["Data"] for r in records])
    hops.add(crossing.hop, BRIDGED, f"{len(records)} records published to {import_topic}: {crossing.local}")
    return gcp_local.deliver(out, probe, through, gcp, len(records), hops, buffer_hop="import topic")


@contextlib.contextmanager
def _gcp_and_aws(out: dict):
    project = _edge_project(out)
    with gcp_local.pubsub_emulator(project) as pubsub, aws_local.moto_server() as moto:
        yield {"pubsub": f"127.0.0.1:{pubsub.port}", "aws": f"http://127.0.0.1:{moto.port}"}


def _edge_project(out: dict) -> str:
    """The GCP project of the buffer, from the edge's subscription path."""
    return out["edges"]["buffer-gcp-to-processing-aws"]["subscription"].split("/")[1]


class _AppendDelimiter:
    """The Firehose client the drain writes through, ending each record with the newline the delivery stream's
    ``AppendDelimiterToRecord`` processor adds (moto runs no processors)."""

    def __init__(self, client) -> None:
        self.client = client

    def put_record_batch(self, *, DeliveryStreamName: str, Records: list[dict]) -> dict:  # noqa: N803 (boto3 names)
        return self.client.put_record_batch(DeliveryStreamName=DeliveryStreamName,
                                            Records=[{"Data": r["Data"] + b"\n"} for r in Records])


def pubsub_drain(plan: StackPlan, edge: Edge, crossing: Crossing, probe: Probe, through: str,
                 endpoints: dict) -> Hops:
    """Connect, Buffer on GCP (Pub/Sub emulator) -> the drain -> Processing, Store on AWS (moto)."""
    from google.api_core.exceptions import AlreadyExists

    from infra.hybrid.drain.delivery import FirehoseDelivery
    from infra.hybrid.drain.drain import DeliveryIncomplete, drain
    from infra.hybrid.drain.subscription import Subscription

    out = plan.exports
    project = _edge_project(out)
    subscription = out["edges"][edge.slug]["subscription"]
    sink = out["processing"]["sink"].rsplit("/", 1)[1]
    region = aws_local.region_of(out)
    prefix = aws_local.raw_prefix(plan)
    publisher, subscriber = gcp_local.pubsub_clients(endpoints["pubsub"])
    topic = publisher.topic_path(project, out["buffer"]["stream"])
    aws = aws_local.clients(endpoints["aws"], region)
    hops = Hops()
    print(f"smoke {plan.stack} --local ({edge.describe()}): {probe.count} events, correlation id "
          f"{probe.correlation_id}")

    for create in (lambda: publisher.create_topic(name=topic),
                   lambda: subscriber.create_subscription(name=subscription, topic=topic, ack_deadline_seconds=60)):
        with contextlib.suppress(AlreadyExists):  # a second smoke on the same emulator
            create()
    buckets = aws_local.create_buckets(aws, out, region)
    aws_local.create_sink(aws, out["processing"]["sink"], buckets["raw"], prefix, DeliveryStreamType="DirectPut")
    hops.add("setup", RAN, f"created from the plan: topic {out['buffer']['stream']}, the edge's subscription "
             f"{subscription.rsplit('/', 1)[1]} (Pub/Sub emulator); Direct PUT delivery stream {sink}, buckets "
             f"{', '.join(buckets.values())} (moto)")

    bodies = probe.bodies() + probe.bodies()[:1]  # the first event retried by the producer
    gcp_local.publish((publisher,), topic, bodies)
    hops.add("connect", RAN, f"{len(bodies)} messages (one retried) published with google-cloud-pubsub to {topic}")

    pulled = Subscription(subscription, lambda: None, endpoint=f"http://{endpoints['pubsub']}", pull_timeout=2)
    delivery = FirehoseDelivery(_AppendDelimiter(aws["firehose"]), sink)
    try:
        # One hop deadline, not a Lambda invocation's: no time is kept in reserve for a next run.
        deadline = time.monotonic() + gcp_local.HOP_DEADLINE_SECONDS
        report = drain(pulled, delivery, time_left=lambda: deadline - time.monotonic(), reserve_seconds=0)
    except DeliveryIncomplete as exc:
        hops.add(crossing.hop, FAILED, f"the drain handed messages back: {exc}")
        return hops
    if report.pulled < len(bodies):
        hops.add("buffer", FAILED, f"{report.pulled} of {len(bodies)} messages delivered by {subscription}")
        return hops
    hops.add("buffer", RAN, f"{report.pulled} messages delivered by the edge's subscription to the drain")
    # The drain stops on an empty pull or when its time is up; only the first says the subscription was drained.
    ended = "then the subscription was empty" if time.monotonic() < deadline else "then its time was up"
    hops.add(crossing.hop, RAN, f"{report.acknowledged} of {report.pulled} messages written to Firehose {sink} and "
             f"acknowledged in {report.rounds} round(s), {ended}; {crossing.local}")
    hops.add("sink", BRIDGED, "moto's Firehose wrote the records to raw; the command ended each with the newline of "
             "the AppendDelimiterToRecord processor: moto runs no processors")
    return aws_local.land(aws, buckets, prefix, probe, through, hops)


LOCAL: dict[str, tuple[Callable[[dict], contextlib.AbstractContextManager], Callable[..., Hops]]] = {
    "buffer-aws-to-processing-gcp": (_aws_and_gcp, kinesis_import),
    "buffer-gcp-to-processing-aws": (_gcp_and_aws, pubsub_drain),
}
"""How ``--local`` runs each crossing, by edge slug: the emulators both sides need (started on free ports,
stopped afterwards) and the run over them. A new edge adds its pair here."""


def smoke(plan: StackPlan, probe: Probe, through: str, endpoints: dict | None = None, route: Route | None = None) -> Hops:
    """The local smoke across the one edge of the stack's route (read from its stack file when not given)."""
    crossed = (route or of_stack(plan.stack)).crossing
    if crossed is None:
        raise Unavailable(f"stack {plan.stack!r} runs every stage on one cloud; use its cloud's smoke")
    edge, crossing = crossed
    if edge.slug not in LOCAL:
        raise Unavailable(f"--local does not cross the edge {edge.slug} yet")
    emulators, run = LOCAL[edge.slug]
    if endpoints is None:
        with emulators(plan.exports) as started:
            return run(plan, edge, crossing, probe, through, started)
    return run(plan, edge, crossing, probe, through, endpoints)
