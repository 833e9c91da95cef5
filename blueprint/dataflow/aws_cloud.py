"""``bp smoke`` and ``bp run`` against a deployed AWS stack (boto3, the caller's credentials).

smoke: each probe event is one SigV4-signed ``POST`` to the Connect endpoint
(as the producer role when ``auth`` is ``iam``, with the API key when it is
``api-key``); then raw is polled under today's Firehose prefixes until every
probe event is there (Firehose buffers up to 300 s). With ``--through
curated`` the probe's raw objects are copied under ``_smoke/<id>/raw/`` in the
processed bucket and the job runs over that copy into ``_smoke/<id>/`` only,
so real tables never see smoke rows. Afterwards the copies, the job's smoke
outputs and the raw objects holding nothing but probe events are deleted.

run: starts the job on the stack's EMR Serverless application with the job
role and code the stack exports under ``processing.job`` and waits for it.
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request

from blueprint.dataflow import job_wait, sink_files
from blueprint.dataflow.hops import FAILED, RAN, Hops
from blueprint.dataflow.outputs import need
from blueprint.dataflow.probe import Probe
from blueprint.dataflow.stack_plan import bucket_of
from blueprint.dataflow.unavailable import Unavailable
# The same request the daily schedule replays (infra/aws/daily_run.py).
from infra.aws.job import start_job_run

RAW_DEADLINE_SECONDS = 600
"""Firehose flushes at least every 300 s; twice that before giving up."""
POLL_SECONDS = 15
TERMINAL = {"SUCCESS", "FAILED", "CANCELLED"}


def session(region: str):
    try:
        import boto3
    except ImportError:
        raise Unavailable("boto3 is not installed; pip install -e '.[dataflow]'") from None
    session = boto3.session.Session(region_name=region)
    if session.get_credentials() is None:
        raise Unavailable("no AWS credentials found (environment, shared profile or SSO); sign in first "
                          "(e.g. `aws sso login`), or use --local")
    return session


def region_of(out: dict) -> str:
    """The region of the stack's AWS stages: the sink's ARN, else the buffer's Kinesis endpoint (hybrid stacks)."""
    sink = str((out.get("processing") or {}).get("sink", ""))
    if sink.startswith("arn:aws:"):
        return sink.split(":")[3]
    host = need(out, "buffer", "endpoint").split("//", 1)[-1]
    if not host.startswith("kinesis."):
        raise Unavailable(f"the stack's buffer.endpoint {host!r} is not a Kinesis endpoint")
    return host.split(".")[1]


def _post(session, out: dict, bodies: list[bytes]) -> None:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    endpoint, auth = need(out, "connect", "endpoint"), need(out, "connect", "auth")
    region = region_of(out)
    headers = {"Content-Type": "application/json"}
    creds = None
    if auth == "iam":
        role = session.client("sts").assume_role(RoleArn=need(out, "connect", "producer_identity"),
                                                 RoleSessionName="bp-smoke")["Credentials"]
        from botocore.credentials import Credentials
        creds = Credentials(role["AccessKeyId"], role["SecretAccessKey"], role["SessionToken"])
    else:
        key = session.client("apigateway").get_api_key(apiKey=need(out, "connect", "producer_identity"),
                                                       includeValue=True)
        headers["x-api-key"] = key["value"]
    for body in bodies:
        request = AWSRequest(method="POST", url=endpoint, data=body, headers=dict(headers))
        if creds:
            SigV4Auth(creds, "execute-api", region).add_auth(request)
        try:
            urllib.request.urlopen(urllib.request.Request(endpoint, data=body, headers=dict(request.headers.items()),
                                                          method="POST"), timeout=30)
        except urllib.error.HTTPError as exc:
            raise Unavailable(f"the Connect endpoint refused the probe: HTTP {exc.code} {exc.read()[:200]!r}") from None


def send(session_, out: dict, probe: Probe, hops: Hops) -> None:
    """Connect: the probe as signed POSTs to the stack's endpoint."""
    _post(session_, out, probe.bodies())
    hops.add("connect", RAN, f"{probe.count} signed POSTs to {need(out, 'connect', 'endpoint')} accepted")


def _raw_files(s3, bucket: str, since: dt.datetime):
    """(key, text) of the raw objects Firehose wrote since ``since``."""
    for prefix in sink_files.hour_prefixes(since):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                if obj["LastModified"] >= since:
                    yield obj["Key"], sink_files.text_of(obj["Key"], s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())


def smoke(out: dict, probe: Probe, through: str) -> Hops:
    if through == "curated":
        need(out, "processing", "job", "engine_id")  # refuse before sending anything
    session_ = session(region_of(out))
    hops = Hops()
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    print(f"smoke: {probe.count} events, correlation id {probe.correlation_id}")
    send(session_, out, probe, hops)
    return receive(session_, out, probe, through, since, hops, RAW_DEADLINE_SECONDS)


def receive(session_, out: dict, probe: Probe, through: str, since: dt.datetime, hops: Hops,
            deadline_seconds: float) -> Hops:
    """From raw on: wait for the probe in the raw bucket, run the job over a copy (``--through curated``), clean up."""
    s3 = session_.client("s3")
    buckets = {zone: bucket_of(need(out, "store", zone)) for zone in ("raw", "processed")}
    found = probe.wait(lambda: _raw_files(s3, buckets["raw"], since), deadline_seconds, POLL_SECONDS, "Firehose")
    if not hops.found("buffer -> raw", len(found.ids), probe.count,
                      f"s3://{buckets['raw']}/{(found.names or [''])[0]}", f"s3://{buckets['raw']}/",
                      deadline_seconds):
        return hops

    smoke_root = f"s3://{buckets['processed']}/{probe.prefix}"
    try:
        if through == "curated":
            for key in found.names:
                s3.copy_object(Bucket=buckets["processed"], Key=f"{probe.prefix}/raw/{key}",
                               CopySource={"Bucket": buckets["raw"], "Key": key})
            state = submit(session_, out, [
                "--raw", f"{smoke_root}/raw", "--processed", f"{smoke_root}/processed",
                "--curated", f"{smoke_root}/curated"])
            listed = s3.list_objects_v2(Bucket=buckets["processed"], Prefix=f"{probe.prefix}/curated/")
            parquet = [o["Key"] for o in listed.get("Contents", []) if o["Key"].endswith(".parquet")]
            hops.add("job -> curated", RAN if state == "SUCCESS" and parquet else FAILED,
                     f"job {state}; {len(parquet)} Parquet files under {smoke_root}/curated/")
    finally:
        removed = 0
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=buckets["processed"], Prefix=probe.prefix):
            for obj in page.get("Contents", []):
                s3.delete_object(Bucket=buckets["processed"], Key=obj["Key"])
                removed += 1
        for key in found.only:
            s3.delete_object(Bucket=buckets["raw"], Key=key)
        hops.add("cleanup", RAN, f"{removed} objects under {smoke_root}/ and {len(found.only)} probe-only raw objects "
                 f"removed ({len(found.names) - len(found.only)} raw objects shared with real events kept)")
    return hops


def submit(session, out: dict, arguments: list[str]) -> str:
    """Start the job on EMR Serverless and wait; returns its final state."""
    job = need(out, "processing", "job")
    client = session.client("emr-serverless")
    need(out, "processing", "job", "engine_id")
    need(out, "processing", "job", "role")
    started = client.start_job_run(**start_job_run(job, arguments))
    run_id = started["jobRunId"]
    return job_wait.wait(lambda: client.get_job_run(applicationId=job["engine_id"], jobRunId=run_id)["jobRun"]["state"],
                         TERMINAL, f"job {run_id}")


def run(out: dict, day: str | None) -> int:
    need(out, "processing", "job", "engine_id")
    session_ = session(region_of(out))
    store = {zone: need(out, "store", zone).rstrip("/") for zone in ("raw", "processed", "curated")}
    arguments = ["--raw", store["raw"], "--processed", store["processed"], "--curated", store["curated"],
                 "--database", need(out, "processing", "catalog")]
    state = submit(session_, out, arguments + (["--day", day] if day else []))
    print(f"job: {state}")
    if state != "SUCCESS":
        return 1
    print(f"daily averages: {store['curated']}/sensor_daily/   minute averages: {store['curated']}/sensor_minute/")
    print(f"query (Athena, workgroup {out.get('visualize', {}).get('query_endpoint')}, database "
          f"{out['processing']['catalog']}):")
    print('  SELECT "date", sensor_id, measurement, avg_value, events FROM sensor_daily ORDER BY "date" DESC, sensor_id;')
    return 0
