"""The lake's catalog: a BigQuery dataset with external tables over the curated zone.

The dataset is encrypted by default with the stack key and lives in the
lake's region (an external table must be in the same location as its
bucket). The ``sensor_daily`` and ``sensor_minute`` tables read the sensor
job's Parquet files in place (``pipeline.job``): BigQuery is the serving
layer, with no copy of the data. The job writes each table partitioned by
day, ``gs://<curated>/sensor_daily/date=YYYY-MM-DD/part-*.parquet``, and a
table reads only the partition directories, ``sensor_daily/date=*`` (hive
partitioning, ``date`` becomes a DATE column): ``sensor_daily/*`` would also
match the ``_SUCCESS`` marker and, while a job runs, its uncommitted files
under ``_temporary/``, which BigQuery would read or fail on. (BigQuery allows one wildcard per URI, so the pattern cannot also
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

PARTITION_KEY = "date"
_PER_SENSOR = [
    # NULLABLE throughout: Spark writes Parquet columns as optional, and BigQuery
    # refuses to read an optional Parquet column into a REQUIRED field.
    {"name": "sensor_id", "type": "STRING", "mode": "NULLABLE"},
    {"name": "measurement", "type": "STRING", "mode": "NULLABLE"},
]
_STATS = [
    {"name": "avg_value", "type": "FLOAT64", "mode": "NULLABLE"},
    {"name": "events", "type": "INT64", "mode": "NULLABLE"},
    {"name": "min_value", "type": "FLOAT64", "mode": "NULLABLE"},
    {"name": "max_value", "type": "FLOAT64", "mode": "NULLABLE"},
]
CURATED_TABLES: dict[str, list[dict[str, str]]] = {
    "sensor_daily": _PER_SENSOR + _STATS,
    "sensor_minute": _PER_SENSOR + [{"name": "minute", "type": "TIMESTAMP", "mode": "NULLABLE"}] + _STATS,
}
"""The sensor job's curated tables (``pipeline.job``) and their columns; ``date`` comes from the path."""


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
    tables = {
        table_id: gcp.bigquery.Table(
            f"{name}-{table_id.replace('_', '-')}",
            project=settings.project,
            dataset_id=dataset.dataset_id,
            table_id=table_id,
            description=f"{table_id} of the sensor job (Parquet in the curated bucket, read in place)",
            deletion_protection=production,
            schema=json.dumps(columns),
            external_data_configuration=gcp.bigquery.TableExternalDataConfigurationArgs(
                autodetect=False,
                source_format="PARQUET",
                source_uris=[curated_bucket.name.apply(lambda b, t=table_id: f"gs://{b}/{t}/{PARTITION_KEY}=*")],
                hive_partitioning_options=gcp.bigquery.TableExternalDataConfigurationHivePartitioningOptionsArgs(
                    mode="CUSTOM",
                    source_uri_prefix=curated_bucket.name.apply(
                        lambda b, t=table_id: f"gs://{b}/{t}/{{{PARTITION_KEY}:DATE}}"
                    ),
                    require_partition_filter=False,
                ),
            ),
            labels=labels,
            opts=opts,
        )
        for table_id, columns in CURATED_TABLES.items()
    }
    return LakeCatalog(dataset=dataset, tables=tables)
