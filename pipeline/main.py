"""The job's command line, shared by the per-cloud entry points.

    <entry>.py --raw URI --processed URI --curated URI [--format NAME] [--day YYYY-MM-DD|yesterday]

``--day yesterday`` is the UTC day before the run starts: what a daily
scheduled run processes, with arguments fixed when the schedule is created.
"""

from __future__ import annotations

import argparse
import datetime as dt

from pipeline import job, raw


YESTERDAY = "yesterday"


def day_argument(text: str, *, now: dt.datetime | None = None) -> str:
    if text == YESTERDAY:
        today = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).date()
        return (today - dt.timedelta(days=1)).isoformat()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"--day {text!r} is not a date; allowed: YYYY-MM-DD or {YESTERDAY}") from None


def parser(default_format: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Sensor pipeline: raw -> processed -> curated daily and minute averages.")
    p.add_argument("--raw", required=True, help="the raw zone's URI (the sink's bucket or container)")
    p.add_argument("--processed", required=True, help="the processed zone's URI")
    p.add_argument("--curated", required=True, help="the curated zone's URI")
    p.add_argument("--format", default=default_format, choices=sorted(raw.FORMATS),
                   help=f"what the sink writes to raw (default: {default_format})")
    p.add_argument("--day", type=day_argument, help=f"one arrival day of raw, or {YESTERDAY} (UTC) (default: all of raw)")
    p.add_argument("--database", help="register the curated tables in this catalog database (Glue, Synapse lake "
                   "database); needs the runtime's metastore")
    return p


def main(argv: list[str] | None = None, *, default_format: str) -> int:
    args = parser(default_format).parse_args(argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("blueprint-sensor-pipeline")
    if args.database:
        builder = builder.enableHiveSupport()  # the runtime's metastore: Glue on EMR, the lake database on Synapse
    spark = builder.getOrCreate()
    from pipeline import aws_federation

    aws_federation.attach(spark)  # only when the batch carries a federated AWS role (a Store on AWS)
    summary = job.run(spark, raw_uri=args.raw, processed_uri=args.processed, curated_uri=args.curated,
                      raw_format=args.format, day=args.day, database=args.database)
    for line in summary.lines():
        print(line)
    return 0
