"""The sensor job: raw -> processed -> curated, the same on every cloud.

raw -> processed
    Read one arrival day of the raw zone (or all of it) in the cloud's format
    (``pipeline.raw``), check every record against the event schema
    (``pipeline.event``), put those that fail under
    ``<processed>/quarantine/window=<day|all>/`` (JSON, with the reason and
    the file it came from), and merge the valid ones into
    ``<processed>/events/date=<event day>/`` (Parquet), keeping one row per
    ``event_id``: delivery is at least once, and a late copy may arrive days
    later, so the merge reads the event days it touches back in and
    deduplicates across old and new.

processed -> curated
    For every event day the run touched, recompute from processed the daily
    and per-minute average, count, minimum and maximum of ``value`` per
    sensor and measurement, into ``<curated>/sensor_daily/date=.../`` and
    ``<curated>/sensor_minute/date=.../`` (Parquet).

Every write replaces only the partitions it computes (dynamic partition
overwrite), so running the job again over the same window gives the same
files, and a late event corrects its day's averages on the next run.

With ``database``, the two curated tables are registered in the session's
catalog (external Parquet tables over the curated prefixes; the Glue Data
Catalog on EMR, the workspace's lake database on Synapse, whose serverless SQL
pool then sees them) and their partitions refreshed, so
``SELECT ... FROM <database>.sensor_daily`` returns the averages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline import event, raw

PROCESSED_EVENTS = "events"
QUARANTINE = "quarantine"
DAILY = "sensor_daily"
MINUTE = "sensor_minute"
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")


@dataclass
class Summary:
    raw_records: int = 0
    valid: int = 0
    duplicates: int = 0
    quarantined: dict[str, int] = field(default_factory=dict)
    dates: list[str] = field(default_factory=list)
    processed_uri: str = ""
    curated_uri: str = ""

    def lines(self) -> list[str]:
        out = [f"raw records read: {self.raw_records}", f"valid: {self.valid}",
               f"duplicates dropped: {self.duplicates}",
               f"quarantined: {sum(self.quarantined.values())}"
               + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(self.quarantined.items()))})" if self.quarantined else ""),
               f"event days written: {', '.join(self.dates) or 'none'}"]
        if self.dates:
            out += [f"daily averages: {self.curated_uri}/{DAILY}/", f"minute averages: {self.curated_uri}/{MINUTE}/"]
        return out


def configure(spark) -> None:
    """Settings the job's correctness depends on, whatever the runtime's defaults."""
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    spark.conf.set("spark.sql.ansi.enabled", "false")


def _classify(frame):
    """Adds ``reason`` (null when valid) and the typed event columns."""
    from pyspark.sql import functions as F

    strings = ", ".join(f"`{name}` string" for name in event.REQUIRED_STRINGS) + ", `_corrupt` string"
    parsed = F.from_json("body", strings, {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": "_corrupt"})
    typed = F.from_json("body", "`value` double")
    frame = frame.withColumn("_s", parsed).withColumn("_v", typed.getField("value"))
    text = {name: F.col("_s").getField(name) for name in event.REQUIRED_STRINGS}
    ts = F.to_timestamp(text["timestamp"])
    is_object = F.trim("body").startswith("{")
    checks = [("not-json", F.col("body").isNull() | ~is_object | F.col("_s").isNull()
               | F.col("_s").getField("_corrupt").isNotNull())]
    checks += [(f"missing-{name}", text[name].isNull() | (F.trim(text[name]) == "")) for name in event.REQUIRED_STRINGS]
    checks += [("bad-timestamp", ~text["timestamp"].rlike(event.ZONE_DESIGNATOR) | ts.isNull()),
               ("value-not-number", F.col("_v").isNull()),
               ("value-not-finite", F.isnan("_v") | F.col("_v").isin(float("inf"), float("-inf")))]
    reason = F.when(F.col("error").isNotNull(), F.col("error"))
    for name, failed in checks:
        reason = reason.when(failed, F.lit(name))
    return frame.select(
        "body", "source", reason.alias("reason"),
        *[text[name].alias(name) for name in ("event_id", "sensor_id", "measurement")],
        ts.alias("timestamp"), F.col("_v").alias("value"),
    )


def _read_processed(spark, path: str, dates: list[str]):
    from pyspark.sql import functions as F
    from pyspark.sql.utils import AnalysisException

    try:
        existing = spark.read.parquet(path)
    except AnalysisException:
        return None
    return existing.where(F.col("date").cast("string").isin(dates))


def register(spark, database: str, curated_uri: str) -> None:
    """Create the curated tables in ``database`` when missing, and add the partitions written since."""
    for table in (DAILY, MINUTE):
        spark.sql(f"CREATE TABLE IF NOT EXISTS `{database}`.`{table}` USING parquet LOCATION '{curated_uri}/{table}'")
        spark.sql(f"MSCK REPAIR TABLE `{database}`.`{table}`")


def run(spark, *, raw_uri: str, processed_uri: str, curated_uri: str, raw_format: str,
        day: str | None = None, database: str | None = None) -> Summary:
    """Run the job over one arrival day of raw (``YYYY-MM-DD``) or, without ``day``, all of raw."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if database is not None and not IDENTIFIER.match(database):
        raise ValueError(f"database {database!r} is not a plain identifier; allowed: letters, digits and _")
    configure(spark)
    fmt = raw.raw_format(raw_format)
    processed_uri, curated_uri = processed_uri.rstrip("/"), curated_uri.rstrip("/")
    summary = Summary(processed_uri=processed_uri, curated_uri=curated_uri)

    classified = _classify(raw.read(spark, fmt, raw_uri, day)).localCheckpoint(eager=True)
    summary.raw_records = classified.count()

    bad = classified.where(F.col("reason").isNotNull())
    summary.quarantined = {r["reason"]: r["n"] for r in bad.groupBy("reason").agg(F.count("*").alias("n")).collect()}
    (bad.select("reason", "body", "source", F.lit(day or "all").alias("window"))
        .coalesce(1).write.mode("overwrite").partitionBy("window").json(f"{processed_uri}/{QUARANTINE}"))

    good = (classified.where(F.col("reason").isNull())
            .select(*event.FIELDS, F.to_date("timestamp").alias("date"), F.lit(1).alias("_new")))
    dates = sorted(str(r["date"]) for r in good.select("date").distinct().collect())
    summary.dates = dates
    if not dates:
        return summary

    events_path = f"{processed_uri}/{PROCESSED_EVENTS}"
    merged = good
    existing = _read_processed(spark, events_path, dates)
    if existing is not None:
        merged = good.unionByName(existing.select(*event.FIELDS, "date", F.lit(0).alias("_new")))
    # Keep what was already published; among new copies, a fixed order so re-runs choose the same row.
    first = Window.partitionBy("event_id").orderBy("_new", "timestamp", "value", "sensor_id", "measurement")
    deduped = (merged.withColumn("_rank", F.row_number().over(first)).where("_rank = 1")
               .drop("_rank", "_new").localCheckpoint(eager=True))
    summary.valid = good.count()
    summary.duplicates = merged.count() - deduped.count()
    (deduped.repartition("date").write.mode("overwrite").partitionBy("date").parquet(events_path))

    processed = spark.read.parquet(events_path).where(F.col("date").cast("string").isin(dates))
    stats = [F.avg("value").alias("avg_value"), F.count("*").alias("events"),
             F.min("value").alias("min_value"), F.max("value").alias("max_value")]
    daily = processed.groupBy("date", "sensor_id", "measurement").agg(*stats)
    minute = (processed.withColumn("minute", F.date_trunc("minute", "timestamp"))
              .groupBy("date", "sensor_id", "measurement", "minute").agg(*stats))
    for table, frame in ((DAILY, daily), (MINUTE, minute)):
        frame.repartition("date").write.mode("overwrite").partitionBy("date").parquet(f"{curated_uri}/{table}")
    if database:
        register(spark, database, curated_uri)
    return summary
