"""GCP Processing: a Cloud Storage subscription (buffer to raw) and a Dataproc Spark engine.

The sink (``infra.gcp.sink``), created when the buffer's ``consumers``
include ``sink``, is a Pub/Sub Cloud Storage subscription writing Avro files
into the raw bucket, at least once. Without ``sink`` in ``consumers`` there
is no sink and ``sink_id`` and ``sink_delivery`` are None.

The batch engine (``infra.gcp.engine``) is Dataproc Serverless with a
session template by default, or a Dataproc cluster. It runs as the stage's
service account, which reads raw, writes processed and curated, uses its own
staging bucket, edits tables in the lake's dataset and consumes the buffer's
``spark`` subscription, each bound on that resource; at project level it
holds only the Spark runtime's custom role (``infra.gcp.spark_role``: Dataproc
agent and task reporting, logs, metrics, no storage).

With ``stages.processing.schedule`` (production default ``'02:00'`` UTC), a
Cloud Scheduler job creates the sensor job's batch every day over the previous
day (``infra.gcp.daily_run``).

Outputs: ``sink_id`` (subscription id), ``engine_id`` and ``engine_kind``,
``catalog`` (the BigQuery dataset). Escape hatches: ``sink``, ``engine``,
``staging_bucket``, ``service_account``, ``runtime_role``, ``daily_run``.

With the Store on another cloud (``infra.hybrid.s3_federation``), the engine
gets no grant on a lake bucket or dataset here, there is no sink and no
catalog: the edge gives the same service account its federated access to the
foreign lake.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_gcp as gcp

from components.config import Cloud, StageName
from components.stages import Processing, ProcessingArgs
from components.zones import Zone

from infra.gcp.bucket import lake_bucket, usage_log_bucket
from infra.gcp.buffer import SINK_CONSUMER
from infra.gcp.daily_run import DailyRun, daily_run
from infra.gcp.engine import SERVERLESS_MIN_VCPU, cluster_engine, serverless_engine
from infra.gcp.job import GcpJob
from infra.gcp.identity import service_account, stage_options
from infra.gcp.sink import StorageSink, storage_sink
from infra.gcp.spark_role import spark_runtime_role

STAGING_EXPIRATION_DAYS = 7
SPARK_CONSUMER = "spark"
"""The buffer consumer Spark reads (a pull subscription); the engine's identity may consume it."""
ENGINE_GRANTS: dict[str, str] = {
    "raw": "roles/storage.objectViewer",
    "processed": "roles/storage.objectAdmin",
    "curated": "roles/storage.objectAdmin",
}
"""What the engine may do in each lake zone (bucket-level)."""


def check_processing_args(args: ProcessingArgs) -> tuple[str, int]:
    ctx = args["context"]
    engine = args.get("engine", ctx.config.stages.processing.engine)
    max_vcpu = args.get("max_vcpu", ctx.config.stages.processing.max_vcpu)
    if engine not in ("serverless", "cluster"):
        raise ValueError(f"blueprint:stages.processing.engine = {engine!r}: use serverless or cluster")
    if engine == "serverless" and max_vcpu < SERVERLESS_MIN_VCPU:
        raise ValueError(
            f"blueprint:stages.processing.maxVcpu = {max_vcpu}: Dataproc Serverless needs at least "
            f"{SERVERLESS_MIN_VCPU} vCPUs (a 4-vCPU driver and two 4-vCPU executors)"
        )
    if engine == "cluster" and not ctx.is_production and not ctx.config.stages.processing.accept_idle_cost:
        raise ValueError(
            "blueprint:stages.processing.engine = 'cluster': a Dataproc cluster bills while idle; "
            "set stages.processing.acceptIdleCost: true in learning"
        )
    return engine, max_vcpu


class GcpProcessing(Processing):
    def __init__(self, name: str, args: ProcessingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        engine_choice, max_vcpu = check_processing_args(args)
        super().__init__(name, opts)
        ctx = args["context"]
        buffer, store = args["buffer"], args["store"]
        settings = ctx.config.gcp
        foundation = ctx.foundation
        labels = ctx.labels(self.STAGE, Zone.PROCESSING)
        child = stage_options(self, ctx)

        # A store on another cloud: its edge grants the engine's identity; nothing is bound here.
        local_store = ctx.config.stage_cloud(StageName.STORE) is Cloud.GCP
        self.sink: Optional[StorageSink] = None
        """The stream sink (None when the buffer's consumers leave ``sink`` out, or the store is abroad)."""
        if local_store and SINK_CONSUMER in getattr(buffer, "consumer_names", (SINK_CONSUMER,)):
            self.sink = storage_sink(name, ctx, self, buffer, store.buckets["raw"], labels)

        # The engine and its identity.
        self.service_account = service_account(
            name, ctx, self.STAGE, "Runs Spark: reads raw, writes processed and curated", child
        )
        member = self.service_account.member
        log_bucket = store.log_bucket.name if getattr(store, "log_bucket", None) is not None else None
        if not local_store and ctx.config.gcp.usage_logs:
            # The store's log bucket is on another cloud: the staging bucket's usage logs need one here.
            self.log_bucket, self.log_writer = usage_log_bucket(
                name, ctx, "processing-logs", key_id=foundation.key_id, labels=labels,
                opts=stage_options(self, ctx, "storage", stateful=True), writer_opts=child,
            )
            log_bucket = self.log_bucket.name
        self.staging_bucket = lake_bucket(
            f"{name}-staging", ctx, "processing-staging", key_id=foundation.key_id, labels=labels,
            opts=stage_options(self, ctx, "storage", stateful=True),
            expiration_days=STAGING_EXPIRATION_DAYS, log_bucket=log_bucket,
        )
        buckets = {zone: store.buckets[zone] for zone in ENGINE_GRANTS} if local_store else {}
        self.grants: list[pulumi.CustomResource] = [
            gcp.storage.BucketIAMMember(
                f"{name}-{zone}-{ENGINE_GRANTS[zone].split('.')[-1].lower()}", bucket=bucket.name,
                role=ENGINE_GRANTS[zone], member=member, opts=child,
            )
            for zone, bucket in buckets.items()
        ]
        self.grants.append(gcp.storage.BucketIAMMember(
            f"{name}-staging-objectadmin", bucket=self.staging_bucket.name, role="roles/storage.objectAdmin",
            member=member, opts=child,
        ))
        # Buckets need storage.buckets.get for Spark's GCS connector: the legacy reader role, bucket-level.
        self.grants.extend(
            gcp.storage.BucketIAMMember(
                f"{name}-{zone}-legacybucketreader", bucket=bucket.name, role="roles/storage.legacyBucketReader",
                member=member, opts=child,
            )
            for zone, bucket in {**buckets, "staging": self.staging_bucket}.items()
        )
        dataset = store.catalog.dataset if local_store else None
        if dataset is not None:
            self.grants.append(gcp.bigquery.DatasetIamMember(
                f"{name}-dataset-editor", project=settings.project, dataset_id=dataset.dataset_id,
                role="roles/bigquery.dataEditor", member=member, opts=child,
            ))
        # Spark reads the buffer's spark subscription (streaming jobs); Buffer's own identity keeps its grant.
        spark_subscription = getattr(buffer, "subscriptions", {}).get(SPARK_CONSUMER)
        if spark_subscription is not None:
            self.grants.append(gcp.pubsub.SubscriptionIAMMember(
                f"{name}-spark-subscriber", project=settings.project, subscription=spark_subscription.name,
                role="roles/pubsub.subscriber", member=member, opts=child,
            ))
        self.runtime_role, runtime_grant = spark_runtime_role(name, ctx, self.service_account, child)
        self.grants.append(runtime_grant)

        common = dict(
            account_email=self.service_account.email,
            subnet_id=foundation.network.subnets[Zone.PROCESSING].id,
            staging_bucket=self.staging_bucket.name,
            key_id=foundation.key_id,
            max_vcpu=max_vcpu,
            labels=labels,
        )
        # Dataproc encrypts with the key as its own agent and Compute Engine's (disks), and writes staging objects.
        engine_opts = pulumi.ResourceOptions.merge(
            stage_options(self, ctx, "dataproc", "compute", "storage"),
            pulumi.ResourceOptions(depends_on=self.grants),
        )
        self.daily_run: Optional[DailyRun] = None
        """The daily run's scheduler job and identity (None without ``stages.processing.schedule``)."""
        if engine_choice == "cluster":
            self.engine = cluster_engine(name, ctx, opts=engine_opts, **common)
        else:
            self.engine = serverless_engine(name, ctx, opts=engine_opts, **common)
            # The sensor job's code and the batch settings `bp run` submits with (infra.gcp.job).
            self.job_exports = GcpJob(
                f"{name}-job", staging_bucket=self.staging_bucket.name, subnet=common["subnet_id"],
                service_account=self.service_account.email, kms_key=foundation.key_id,
                opts=stage_options(self, ctx, "storage"),
            ).exports
            at = ctx.config.processing_schedule
            # The optional daily run (off in learning by default): Cloud Scheduler creates the same batch.
            self.daily_run = None if at is None else daily_run(
                name, ctx, self, job=self.job_exports, runtime_account=self.service_account, at=at,
                zones={zone: pulumi.Output.concat("gs://", bucket.name) for zone, bucket in buckets.items()},
                opts=child,
            )
        self._publish(
            sink_id=self.sink.subscription.id if self.sink is not None else None,
            sink_delivery="at-least-once" if self.sink is not None else None,
            engine_id=self.engine.id,
            engine_kind=self.engine.kind,
            catalog=dataset.id if dataset is not None else None,
            cloud="gcp",
            identity=self.service_account.email,
        )
