"""``bp smoke`` against a deployed stack whose stages run on two clouds, with both clouds' credentials.

The route (``blueprint.dataflow.route``, from the ``cloud`` each stage
exports) says where the probe enters and which edge it crosses; ``CLOUD``
runs a crossing by its edge's slug. Both clouds' credentials and the
outputs the run needs are checked before the first event is sent.

Buffer on AWS -> Processing on GCP: the probe is sent as signed POSTs to the
AWS Connect endpoint (as ``bp smoke aws``); Kinesis holds it, the edge's
Pub/Sub import topic reads it through its enhanced fan-out consumer, and the
sink's Cloud Storage subscription writes it to the GCP raw bucket, where the
command waits for every probe event as long as the hops' deadlines add up
to. ``--through curated`` then runs the job as ``bp smoke gcp`` does (a
Dataproc Serverless batch over a copy under ``_smoke/<id>/``).

Buffer on GCP -> Processing on AWS: the probe is published to the stack's
topic (as ``bp smoke gcp``); the edge's subscription holds it until the drain,
run by its schedule every 5 minutes, writes it to the Firehose delivery
stream, which flushes to the AWS raw bucket. The command waits there as long
as the hops' deadlines add up to; ``--through curated`` then runs the job on
EMR Serverless as ``bp smoke aws`` does.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from blueprint.dataflow import aws_cloud, gcp_cloud
from blueprint.dataflow.hops import Hops
from blueprint.dataflow.outputs import need
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.route import Route, of_outputs
from blueprint.dataflow.unavailable import Unavailable
from components.edges import Edge


def _start(out: dict, route: Route, edge: Edge, probe: Probe):
    """Both clouds' sessions (refused before anything is sent), the report, and the time raw is searched from."""
    session = aws_cloud.session(aws_cloud.region_of(out))
    credentials = gcp_cloud.google_credentials()
    print(f"smoke ({edge.describe()}): {probe.count} events, correlation id {probe.correlation_id}")
    print("  hops: " + "; ".join(f"{leg.hop} on {leg.runs_on}" + (f" (<= {leg.deadline_seconds}s)" if leg.deadline_seconds
                                                                  else "") for leg in route.legs))
    return session, credentials, Hops(), dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)


def kinesis_import(out: dict, route: Route, edge: Edge, probe: Probe, through: str) -> Hops:
    need(out, "edges", edge.slug, "import_topic")
    need(out, "store", "raw")
    if through == "curated":
        need(out, "processing", "job")  # refuse before sending anything
    session, credentials, hops, since = _start(out, route, edge, probe)
    aws_cloud.send(session, out, probe, hops)
    return gcp_cloud.receive(out, probe, through, credentials, since, hops, route.raw_deadline_seconds)


def pubsub_drain(out: dict, route: Route, edge: Edge, probe: Probe, through: str) -> Hops:
    need(out, "connect", "endpoint")
    need(out, "store", "raw")
    if through == "curated":
        need(out, "processing", "job", "engine_id")  # refuse before sending anything
    session, credentials, hops, since = _start(out, route, edge, probe)
    gcp_cloud.send(credentials, out, probe, hops)
    return aws_cloud.receive(session, out, probe, through, since, hops, route.raw_deadline_seconds)


CLOUD: dict[str, Callable[..., Hops]] = {"buffer-aws-to-processing-gcp": kinesis_import,
                                         "buffer-gcp-to-processing-aws": pubsub_drain}
"""How a deployed stack's crossing is smoke-tested, by edge slug; a new edge adds its runner here."""


def smoke(out: dict, probe: Probe, through: str) -> Hops:
    route = of_outputs(out)
    crossed = route.crossing
    if crossed is None:
        raise Unavailable("every stage of the stack runs on one cloud; use its cloud's smoke")
    edge, _ = crossed
    if edge.slug not in CLOUD:
        raise Unavailable(f"the smoke does not cross the deployed edge {edge.slug} yet")
    return CLOUD[edge.slug](out, route, edge, probe, through)
