"""Running the sensor job in local mode (PySpark on this machine) over a copy of raw.

Used by ``bp smoke --local --through curated``: PySpark ships no S3, GCS or
Azure storage connector, so the command copies the raw files from the
emulator to a folder, runs the same job there, and checks the probe's
averages in the curated Parquet it wrote.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from blueprint.dataflow.hops import BRIDGED, FAILED, RAN, Hops
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


@contextlib.contextmanager
def over_copy(hops: Hops, names: list[str], fetch: Callable[[str, Path], None], raw_format: str, probe: Probe,
              store: str) -> Iterator[Path | None]:
    """Copy the raw files ``names`` (``fetch(name, target)``), run the job, yield the curated folder (None if wrong)."""
    with tempfile.TemporaryDirectory(prefix="bp-smoke-") as tmp:
        root = Path(tmp)
        for name in names:
            target = root / "raw" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fetch(name, target)
        hops.add("raw -> job input", BRIDGED, f"{len(names)} raw files copied to a local folder: "
                 f"PySpark ships no {store} connector")
        ok, detail = run_and_check(root, raw_format, probe)
        hops.add("job -> curated", RAN if ok else FAILED, f"PySpark local mode: {detail}")
        yield (root / "curated") if ok else None
