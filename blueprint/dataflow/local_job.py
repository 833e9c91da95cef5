"""Running the sensor job in local mode (PySpark on this machine) over a copy of raw.

Used by ``bp smoke --local --through curated``: PySpark ships no S3, GCS or
Azure storage connector, so the command copies the raw files from the
emulator to a folder, runs the same job there, and checks the probe's
averages in the curated Parquet it wrote.
"""

from __future__ import annotations

from pathlib import Path

from blueprint.dataflow.probe import Probe
from blueprint.dataflow.unavailable import Unavailable


def session():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise Unavailable("PySpark is not installed here; install the test extra (pip install -e '.[test]')") from None
    spark = (SparkSession.builder.master("local[1]").appName("blueprint-smoke")
             .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_and_check(root: Path, raw_format: str, probe: Probe, spark=None) -> tuple[bool, str]:
    """Run the job over ``root/raw``; True when the probe's daily average and count are in curated."""
    from pipeline import job
    from pyspark.sql import functions as F

    spark = spark or session()
    summary = job.run(spark, raw_uri=(root / "raw").as_uri(), processed_uri=(root / "processed").as_uri(),
                      curated_uri=(root / "curated").as_uri(), raw_format=raw_format)
    rows = (spark.read.parquet(str(root / "curated" / job.DAILY)).where(F.col("sensor_id") == probe.sensor_id)
            .collect())
    got = [(r["avg_value"], r["events"]) for r in rows]
    ok = got == [(probe.expected_average, probe.count)]
    return ok, (f"daily average {got[0][0]} over {got[0][1]} events (expected {probe.expected_average} over "
                f"{probe.count}); {summary.duplicates} duplicates dropped" if got else
                f"no curated row for {probe.sensor_id}; job said: {'; '.join(summary.lines())}")
