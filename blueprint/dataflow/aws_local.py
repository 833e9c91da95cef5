"""``bp smoke STACK --local`` on AWS: the stack's stream, delivery stream and buckets in a moto server.

Hops and what moto does with them:
- connect: bridged. moto does not execute API Gateway's Kinesis service
  integration, so the command makes the ``PutRecords`` call that the
  integration's mapping template makes (body as data, a fresh partition key).
- buffer: runs in moto (Kinesis stores the records, the command reads them back).
- sink: bridged. moto's Firehose neither reads a Kinesis source nor runs
  processors, compression or ``!{timestamp:..}`` prefixes: the command reads
  the stream and calls ``PutRecordBatch``, ending each record with the newline
  the real delivery stream's ``AppendDelimiterToRecord`` processor adds.
- raw: runs in moto (its Firehose writes the object to the raw bucket; the
  command finds every probe event there).
- curated (``--through curated``): the command copies raw to a folder
  (PySpark ships no S3 connector) and runs the job there, in local mode.
"""

from __future__ import annotations

import sys
import time
import uuid

from blueprint.dataflow import aws_cloud, local_job, sink_files
from blueprint.dataflow.emulator import Emulator, free_port
from blueprint.dataflow.hops import BRIDGED, FAILED, RAN, Hops
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.stack_plan import StackPlan, bucket_of

REGION_FALLBACK = "us-east-1"
HOP_DEADLINE_SECONDS = 30
MOTO_ROLE = "arn:aws:iam::123456789012:role/smoke"
"""moto checks no IAM on data calls; the delivery stream only needs a well-formed role ARN."""


def moto_server(port: int | None = None) -> Emulator:
    port = port or free_port()
    return Emulator("moto server", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], port,
                    f"http://127.0.0.1:{port}/moto-api/")


def clients(endpoint: str, region: str):
    import boto3

    session = boto3.session.Session(aws_access_key_id="moto", aws_secret_access_key="moto", region_name=region)
    return {name: session.client(name, endpoint_url=endpoint) for name in ("s3", "kinesis", "firehose")}


def _create(c, call, **kwargs) -> None:
    """``call(**kwargs)``, idempotent against an emulator that already holds the stack (a second smoke on one server)."""
    try:
        call(**kwargs)
    except (c["s3"].exceptions.BucketAlreadyOwnedByYou, c["kinesis"].exceptions.ResourceInUseException,
            c["firehose"].exceptions.ResourceInUseException):
        pass


def region_of(out: dict) -> str:
    return aws_cloud.region_of(out) or REGION_FALLBACK


def create_stream(c, stream: str) -> str:
    """The stack's stream in moto (one shard); its ARN."""
    _create(c, c["kinesis"].create_stream, StreamName=stream, ShardCount=1)
    c["kinesis"].get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 0.2})
    return c["kinesis"].describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamARN"]


def ingest(c, stream: str, probe: Probe, hops: Hops) -> list[dict] | None:
    """Connect (bridged) and Buffer (in moto): the probe's records as read back from the stream, None if some are missing.

    The first event is sent twice, as a producer retrying after a timeout does (delivery is at least once).
    """
    bodies = probe.bodies() + probe.bodies()[:1]
    c["kinesis"].put_records(StreamName=stream, Records=[{"Data": b, "PartitionKey": str(uuid.uuid4())} for b in bodies])
    hops.add("connect", BRIDGED, f"{len(bodies)} records (one retried) put with kinesis:PutRecords, the call the "
             "API's mapping template makes: moto does not execute API Gateway service integrations")

    shard = c["kinesis"].list_shards(StreamName=stream)["Shards"][0]["ShardId"]
    iterator = c["kinesis"].get_shard_iterator(StreamName=stream, ShardId=shard,
                                               ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records, deadline = [], time.monotonic() + HOP_DEADLINE_SECONDS
    while len(records) < len(bodies) and time.monotonic() < deadline:
        got = c["kinesis"].get_records(ShardIterator=iterator, Limit=1000)
        records += [r for r in got["Records"] if probe.correlation_id.encode() in r["Data"]]
        iterator = got["NextShardIterator"]
    if len(records) < len(bodies):
        hops.add("buffer", FAILED, f"{len(records)} of {len(bodies)} records read back from the stream")
        return None
    hops.add("buffer", RAN, f"{len(records)} records read back from Kinesis stream {stream}")
    return records


def raw_prefix(plan: StackPlan) -> str:
    """The static folder of the sink's prefix before its first ``!{...}`` expression, which moto would store
    unevaluated."""
    firehose_inputs = plan.one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "-sink")
    return firehose_inputs["extendedS3Configuration"]["prefix"].split("!{", 1)[0].rpartition("/")[0] + "/"


def create_buckets(c, out: dict, region: str) -> dict[str, str]:
    """The stack's raw, processed and curated buckets in moto, by zone."""
    buckets = {zone: bucket_of(out["store"][zone]) for zone in ("raw", "processed", "curated")}
    for bucket in buckets.values():
        _create(c, c["s3"].create_bucket, Bucket=bucket, **({} if region == "us-east-1" else
                {"CreateBucketConfiguration": {"LocationConstraint": region}}))
    return buckets


def create_sink(c, sink_arn: str, bucket: str, prefix: str, **source) -> None:
    """The sink delivery stream, writing uncompressed to ``bucket`` under ``prefix``; ``source`` names its
    type and source (none: Direct PUT)."""
    _create(c, c["firehose"].create_delivery_stream, DeliveryStreamName=sink_arn.rsplit("/", 1)[1], **source,
            ExtendedS3DestinationConfiguration={"RoleARN": MOTO_ROLE, "BucketARN": f"arn:aws:s3:::{bucket}",
                                                "Prefix": prefix, "CompressionFormat": "UNCOMPRESSED"})


def land(c, buckets: dict[str, str], prefix: str, probe: Probe, through: str, hops: Hops) -> Hops:
    """From raw on: every probe event found in the raw bucket, the job with ``--through curated``, cleanup."""
    pages = c["s3"].get_paginator("list_objects_v2").paginate(Bucket=buckets["raw"], Prefix=prefix)
    listed = [o["Key"] for page in pages for o in page.get("Contents", [])]
    read = lambda key: c["s3"].get_object(Bucket=buckets["raw"], Key=key)["Body"].read()  # noqa: E731
    found = probe.search((key, sink_files.text_of(key, read(key))) for key in listed)
    if len(found.ids) != probe.count:
        hops.add("raw", FAILED, f"{len(found.ids)} of {probe.count} events found in s3://{buckets['raw']}/{prefix}")
        return hops
    hops.add("raw", RAN, f"{probe.count}/{probe.count} events found in s3://{buckets['raw']}/{found.names[0]}"
             + (f" (+{len(found.names) - 1} objects)" if len(found.names) > 1 else "") + " (uncompressed: moto does not GZIP)")

    if through == "curated":
        fetch = lambda key, target: c["s3"].download_file(buckets["raw"], key, str(target))  # noqa: E731
        with local_job.over_copy(hops, found.names, fetch, "firehose-jsonl", probe, "S3") as curated:
            if curated is not None:
                marked = f"{probe.prefix}/curated"
                uploaded = 0
                for path in curated.rglob("*.parquet"):
                    c["s3"].upload_file(str(path), buckets["curated"], f"{marked}/{path.relative_to(curated)}")
                    uploaded += 1
                hops.add("curated", RAN, f"{uploaded} Parquet files written to s3://{buckets['curated']}/{marked}/")

    removed = 0
    for key in found.names:
        c["s3"].delete_object(Bucket=buckets["raw"], Key=key)
        removed += 1
    for page in c["s3"].get_paginator("list_objects_v2").paginate(Bucket=buckets["curated"], Prefix=probe.prefix):
        for obj in page.get("Contents", []):
            c["s3"].delete_object(Bucket=buckets["curated"], Key=obj["Key"])
            removed += 1
    hops.add("cleanup", RAN, f"{removed} smoke objects removed")
    return hops


def smoke(plan: StackPlan, probe: Probe, through: str, endpoint: str | None = None) -> Hops:
    """Run the smoke against a moto server (``endpoint``, or one started here)."""
    if endpoint is None:
        with moto_server() as moto:
            return smoke(plan, probe, through, f"http://127.0.0.1:{moto.port}")
    out = plan.exports
    sink_arn = out["processing"]["sink"]
    region = region_of(out)
    prefix = raw_prefix(plan)
    stream = out["buffer"]["stream"]
    c = clients(endpoint, region)
    hops = Hops()
    print(f"smoke {plan.stack} --local: {probe.count} events, correlation id {probe.correlation_id}")

    buckets = create_buckets(c, out, region)
    stream_arn = create_stream(c, stream)
    create_sink(c, sink_arn, buckets["raw"], prefix, DeliveryStreamType="KinesisStreamAsSource",
                KinesisStreamSourceConfiguration={"KinesisStreamARN": stream_arn, "RoleARN": MOTO_ROLE})
    hops.add("setup", RAN, f"created from the plan: stream {stream}, delivery stream, buckets "
             f"{', '.join(buckets.values())}")

    records = ingest(c, stream, probe, hops)
    if records is None:
        return hops

    c["firehose"].put_record_batch(DeliveryStreamName=sink_arn.rsplit("/", 1)[1],
                                   Records=[{"Data": r["Data"] + b"\n"} for r in records])
    hops.add("sink", BRIDGED, "records passed to Firehose PutRecordBatch with the newline of the "
             "AppendDelimiterToRecord processor: moto's Firehose reads no Kinesis source and runs no processors")
    return land(c, buckets, prefix, probe, through, hops)
