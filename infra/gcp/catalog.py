"""The lake's catalog: a BigQuery dataset with an external table over the curated zone.

The dataset is encrypted by default with the stack key and lives in the
lake's region (an external table must be in the same location as its
bucket). The ``curated_events`` table reads Parquet files in place:
BigQuery is the serving layer, with no copy of the data. Spark writes the
curated events partitioned by day, ``gs://<curated>/events/date=YYYY-MM-DD/
part-*.parquet``, and the table reads only the partition directories,
``events/date=*`` (hive partitioning, ``date`` becomes a DATE column):
``events/*`` would also match the ``_SUCCESS`` marker and, while a job runs,
its uncommitted files under ``events/_temporary/``, which BigQuery would read
or fail on. (BigQuery allows one wildcard per URI, so the pattern cannot also
name ``part-*.parquet``; Spark commits nothing else into a partition.) Learning: the dataset is deleted with its tables on
destroy and time travel is the 2-day minimum. Production: tables carry
``deletion_protection``, contents are never deleted on destroy, and the
dataset is ``protect``-ed.

Where GCP differs: BigQuery reads an external table's files with the
credentials of whoever queries, so readers also need object read on the
curated bucket; a new dataset gets BigQuery's default access entries
(project owners, writers and readers), which this stack leaves in place
and does not widen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext

CURATED_TABLE = "curated_events"
CURATED_PREFIX = "events"
PARTITION_KEY = "date"
CURATED_SCHEMA: list[dict[str, str]] = [
    # NULLABLE throughout: Spark writes Parquet columns as optional, and BigQuery
    # refuses to read an optional Parquet column into a REQUIRED field.
    {"name": "event_id", "type": "STRING", "mode": "NULLABLE"},
    {"name": "event_time", "type": "TIMESTAMP", "mode": "NULLABLE"},
    {"name": "source", "type": "STRING", "mode": "NULLABLE"},
    {"name": "payload", "type": "STRING", "mode": "NULLABLE"},
]


@dataclass
class LakeCatalog:
    dataset: gcp.bigquery.Dataset
    tables: dict[str, gcp.bigquery.Table]


def create_catalog(
    name: str,
    ctx: StageContext,
    curated_bucket: gcp.storage.Bucket,
    *,
    key_id: pulumi.Input[str],
    labels: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> LakeCatalog:
    settings = ctx.config.gcp
    production = ctx.is_production
    dataset = gcp.bigquery.Dataset(
        f"{name}-dataset",
        dataset_id=ctx.name("bigquery-dataset", "store-lake"),
        project=settings.project,
        location=settings.region,
        description="blueprint lake catalog: external tables over the curated zone",
        default_encryption_configuration=gcp.bigquery.DatasetDefaultEncryptionConfigurationArgs(kms_key_name=key_id),
        delete_contents_on_destroy=not production,
        max_time_travel_hours="168" if production else "48",
        labels=labels,
        opts=opts,
    )
    table = gcp.bigquery.Table(
        f"{name}-{CURATED_TABLE.replace('_', '-')}",
        project=settings.project,
        dataset_id=dataset.dataset_id,
        table_id=CURATED_TABLE,
        description="Curated events (Parquet in the curated bucket, read in place)",
        deletion_protection=production,
        schema=json.dumps(CURATED_SCHEMA),
        external_data_configuration=gcp.bigquery.TableExternalDataConfigurationArgs(
            autodetect=False,
            source_format="PARQUET",
            source_uris=[curated_bucket.name.apply(
                lambda b: f"gs://{b}/{CURATED_PREFIX}/{PARTITION_KEY}=*"
            )],
            hive_partitioning_options=gcp.bigquery.TableExternalDataConfigurationHivePartitioningOptionsArgs(
                mode="CUSTOM",
                source_uri_prefix=curated_bucket.name.apply(
                    lambda b: f"gs://{b}/{CURATED_PREFIX}/{{{PARTITION_KEY}:DATE}}"
                ),
                require_partition_filter=False,
            ),
        ),
        labels=labels,
        opts=opts,
    )
    return LakeCatalog(dataset=dataset, tables={CURATED_TABLE: table})
