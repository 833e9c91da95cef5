"""The usage model: what a day of traffic, Spark and queries adds to the idle cost.

``Usage`` holds the four knobs of ``bp cost`` (defaults: light use, about
1 GB a day). ``usage_meters`` turns them into price-table items for the
services the plan actually contains, per cloud:

- ingest: the ingest endpoint's requests (one event per request) and the
  buffer's data charges, with each service's rounding (Kinesis 1 KB records
  and 25 KB payload units, Event Hubs 64 KB events, Pub/Sub 1,000 bytes);
- sink: the stream sink (Firehose 5 KB records, the Cloud Storage
  subscription; Capture bills by the hour instead, so it is idle cost);
- storage: the lake after 30 days of ingest at the GB-month price, per day;
- Spark: a driver and two executors of 4 vCPU / 16 GB for the given minutes
  (clusters that already bill idle add nothing);
- query: the GB scanned at the per-TB price (1 TB = 1,024 GB).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from blueprint.cost.meters import Metered
from blueprint.plan import Plan, PlannedResource

RETAINED_DAYS = 30
"""Storage growth: the lake holds this many days of ingest."""
SPARK_VCPU, SPARK_MEMORY_GB = 12, 48
"""A default Spark run: driver + 2 executors, 4 vCPU / 16 GB each."""
KB_PER_GB = 1024 * 1024
GB_PER_TB = 1024


@dataclass(frozen=True)
class Usage:
    events_per_day: int = 200_000
    event_kb: float = 5.0
    spark_minutes_per_day: float = 10.0
    query_gb_per_day: float = 1.0

    def problems(self) -> list[str]:
        out = []
        for key, value in (("--events-per-day", self.events_per_day), ("--event-kb", self.event_kb),
                           ("--spark-minutes-per-day", self.spark_minutes_per_day),
                           ("--query-gb-per-day", self.query_gb_per_day)):
            if value < 0:
                out.append(f"{key} = {value}: must be zero or more")
        if self.spark_minutes_per_day > 24 * 60:
            out.append(f"--spark-minutes-per-day = {self.spark_minutes_per_day}: a day has 1440 minutes")
        return out

    @property
    def gb_per_day(self) -> float:
        return self.events_per_day * self.event_kb / KB_PER_GB

    def rounded_gb(self, unit_kb: float) -> float:
        """GB billed when each event is rounded up to whole ``unit_kb`` units."""
        return self.events_per_day * math.ceil(self.event_kb / unit_kb) * unit_kb / KB_PER_GB


@dataclass(frozen=True)
class UsageMeter:
    resource: PlannedResource
    purpose: str
    """ingest, sink, storage, spark or query."""
    metered: Metered


def _first(plan: Plan, *tokens: str) -> PlannedResource | None:
    return next((r for r in plan.custom_resources if r.type in tokens), None)


def _all(plan: Plan, token: str) -> list[PlannedResource]:
    return [r for r in plan.custom_resources if r.type == token]


def _raw(plan: Plan, token: str) -> PlannedResource | None:
    """The raw-zone store (where ingest lands), else the first of its type."""
    found = _all(plan, token)
    return next((r for r in found if r.name.endswith("-raw")), found[0] if found else None)


def _storage(u: Usage, item: str) -> Metered:
    # GB-month price for the retained lake, spread over the month's days (730 h / 24).
    gb = u.gb_per_day * RETAINED_DAYS
    return Metered(item, gb * 24 / 730, f"{gb:.1f} GB held ({RETAINED_DAYS} days of ingest), per day")


def _aws(plan: Plan, u: Usage) -> list[UsageMeter]:
    out: list[UsageMeter] = []
    if api := _first(plan, "aws:apigateway/restApi:RestApi"):
        out.append(UsageMeter(api, "ingest", Metered("apigateway-rest-requests", u.events_per_day / 1e6,
                                                     f"{u.events_per_day:,} requests")))
    if stream := _first(plan, "aws:kinesis/stream:Stream"):
        if (stream.inputs.get("streamModeDetails") or {}).get("streamMode") == "ON_DEMAND":
            gb = u.rounded_gb(1)
            out.append(UsageMeter(stream, "ingest", Metered("kinesis-on-demand-data-in", gb, f"{gb:.3f} GB in")))
            out.append(UsageMeter(stream, "sink", Metered("kinesis-on-demand-data-out", gb,
                                                          f"{gb:.3f} GB read by the sink")))
        else:
            units = u.events_per_day * math.ceil(u.event_kb / 25)
            out.append(UsageMeter(stream, "ingest", Metered("kinesis-put-payload-units", units / 1e6,
                                                            f"{units:,} payload units")))
    if sink := _first(plan, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"):
        gb = u.rounded_gb(5)
        out.append(UsageMeter(sink, "sink", Metered("firehose-ingest", gb, f"{gb:.3f} GB (5 KB records)")))
    if bucket := _raw(plan, "aws:s3/bucket:Bucket"):
        out.append(UsageMeter(bucket, "storage", _storage(u, "s3-standard-storage")))
    if app := _first(plan, "aws:emrserverless/application:Application"):
        hours = u.spark_minutes_per_day / 60
        out.append(UsageMeter(app, "spark", Metered("emr-serverless-vcpu", SPARK_VCPU * hours,
                                                    f"{SPARK_VCPU} vCPU for {u.spark_minutes_per_day:g} min")))
        out.append(UsageMeter(app, "spark", Metered("emr-serverless-memory", SPARK_MEMORY_GB * hours,
                                                    f"{SPARK_MEMORY_GB} GB for {u.spark_minutes_per_day:g} min")))
    if workgroup := _first(plan, "aws:athena/workgroup:Workgroup"):
        out.append(UsageMeter(workgroup, "query", Metered("athena-scan", u.query_gb_per_day / GB_PER_TB,
                                                          f"{u.query_gb_per_day:g} GB scanned")))
    return out


def _azure(plan: Plan, u: Usage) -> list[UsageMeter]:
    out: list[UsageMeter] = []
    if namespace := _first(plan, "azure-native:eventhub:Namespace"):
        events = u.events_per_day * math.ceil(u.event_kb / 64)
        out.append(UsageMeter(namespace, "ingest", Metered("eventhubs-ingress", events / 1e6,
                                                           f"{events:,} ingress events (64 KB units)")))
    if account := _first(plan, "azure-native:storage:StorageAccount"):
        out.append(UsageMeter(account, "storage", _storage(u, "adls-hot-lrs")))
    hours = u.spark_minutes_per_day / 60
    pool = _first(plan, "azure-native:synapse:BigDataPool")
    if pool and (pool.inputs.get("autoPause") or {}).get("enabled", False):
        out.append(UsageMeter(pool, "spark", Metered("synapse-spark-vcore-use", SPARK_VCPU * hours,
                                                     f"{SPARK_VCPU} vCores for {u.spark_minutes_per_day:g} min")))
    if workspace := _first(plan, "azure-native:databricks:Workspace"):
        # Three 4-vCPU job-cluster nodes at about 0.75 DBU each (an assumption, confidence L) plus their VMs.
        out.append(UsageMeter(workspace, "spark", Metered("databricks-jobs-dbu", 3 * 0.75 * hours,
                                                          f"3 nodes x 0.75 DBU for {u.spark_minutes_per_day:g} min")))
        out.append(UsageMeter(workspace, "spark", Metered("vm-d4s-v3", 3 * hours,
                                                          f"3 job-cluster VMs for {u.spark_minutes_per_day:g} min")))
    if sql := [r for r in _all(plan, "azure-native:synapse:Workspace") if r.stage == "visualize"]:
        out.append(UsageMeter(sql[0], "query", Metered("synapse-serverless-sql", u.query_gb_per_day / GB_PER_TB,
                                                       f"{u.query_gb_per_day:g} GB processed")))
    return out


def _gcp(plan: Plan, u: Usage) -> list[UsageMeter]:
    out: list[UsageMeter] = []
    subscriptions = _all(plan, "gcp:pubsub/subscription:Subscription")
    topics = {s.inputs.get("topic") for s in subscriptions if s.inputs.get("cloudStorageConfig")}
    pulls = [s for s in subscriptions if s.inputs.get("topic") in topics and not s.inputs.get("cloudStorageConfig")]
    topic = next((t for t in _all(plan, "gcp:pubsub/topic:Topic") if t.inputs.get("name") and
                  any(str(x).endswith("/" + t.inputs["name"]) for x in topics)), None)
    gb = u.events_per_day * max(u.event_kb, 1000 / 1024) / KB_PER_GB
    if topic:
        tib = gb * (1 + len(pulls)) / GB_PER_TB
        out.append(UsageMeter(topic, "ingest", Metered("pubsub-throughput", tib,
                                                       f"{gb:.3f} GB published, delivered to {len(pulls)} pull "
                                                       "subscription(s)")))
    for sink in (s for s in subscriptions if s.inputs.get("cloudStorageConfig")):
        out.append(UsageMeter(sink, "sink", Metered("pubsub-storage-subscription", gb / GB_PER_TB,
                                                    f"{gb:.3f} GB written to Cloud Storage")))
    if bucket := _raw(plan, "gcp:storage/bucket:Bucket"):
        out.append(UsageMeter(bucket, "storage", _storage(u, "gcs-standard-storage")))
    if template := _first(plan, "gcp:dataproc/sessionTemplate:SessionTemplate"):
        # 12 vCPU x 0.6 DCU + 48 GB x 0.1 DCU = 12 DCU (Dataproc Serverless default workload).
        hours = u.spark_minutes_per_day / 60
        out.append(UsageMeter(template, "spark", Metered("dataproc-serverless-dcu", 12 * hours,
                                                         f"12 DCU for {u.spark_minutes_per_day:g} min")))
    if dataset := _first(plan, "gcp:bigquery/dataset:Dataset"):
        out.append(UsageMeter(dataset, "query", Metered("bigquery-scan", u.query_gb_per_day / GB_PER_TB,
                                                        f"{u.query_gb_per_day:g} GB scanned")))
    return out


MODELS = {"aws": _aws, "azure": _azure, "gcp": _gcp}


def usage_meters(plan: Plan, usage: Usage) -> list[UsageMeter]:
    return [m for model in MODELS.values() for m in model(plan, usage)]
