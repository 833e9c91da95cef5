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
"""

from __future__ import annotations

import contextlib
from typing import Callable

from blueprint.dataflow import aws_local, gcp_local
from blueprint.dataflow.hops import BRIDGED, RAN, Hops
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


LOCAL: dict[str, tuple[Callable[[dict], contextlib.AbstractContextManager], Callable[..., Hops]]] = {
    "buffer-aws-to-processing-gcp": (_aws_and_gcp, kinesis_import),
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
