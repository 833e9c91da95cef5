"""Throughput of the sensor job in local mode, and wall time of the local smoke.

    .venv/bin/python benchmarks/pipeline.py [--events 1000000] [--files 10] [--smoke aws gcp azure hybrid]

The job part writes ``--events`` sensor events (1 % repeated, as at-least-once
delivery repeats them) as Firehose objects (GZIP JSON Lines), runs the job over
all of raw with ``local[*]``, and reports events per second of the job alone
(the JVM start and the generation are not counted). The smoke part runs
``bp smoke STACK --local --through curated`` in a fresh process per stack and
reports its wall time, emulator start included.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(raw: Path, events: int, files: int) -> int:
    rng = random.Random(1)
    written = 0
    per_file = events // files
    for f in range(files):
        folder = raw / "events" / "year=2026" / "month=11" / "day=30" / f"hour={f % 24:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for i in range(f * per_file, (f + 1) * per_file):
            n = i if rng.random() > 0.01 else max(0, i - 1)  # ~1 % repeats of the previous event
            lines.append(json.dumps({"event_id": f"e{n}", "sensor_id": f"pump-{n % 50}",
                                     "measurement": ("temperature", "pressure")[n % 2],
                                     "timestamp": f"2026-11-30T{(n // 3600) % 24:02d}:{(n // 60) % 60:02d}:{n % 60:02d}Z",
                                     "value": (n % 1000) / 10}))
        (folder / f"part-{f}.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
        written += len(lines)
    return written


def job_throughput(events: int, files: int) -> dict:
    from pyspark.sql import SparkSession

    from pipeline import job

    with tempfile.TemporaryDirectory(prefix="bp-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        written = generate(root / "raw", events, files)
        generated = time.perf_counter() - t0
        spark = (SparkSession.builder.master("local[*]").appName("bench").config("spark.ui.enabled", "false")
                 .config("spark.driver.memory", "2g").config("spark.sql.shuffle.partitions", "4").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        t1 = time.perf_counter()
        summary = job.run(spark, raw_uri=(root / "raw").as_uri(), processed_uri=(root / "processed").as_uri(),
                          curated_uri=(root / "curated").as_uri(), raw_format="firehose-jsonl")
        seconds = time.perf_counter() - t1
        spark.stop()
    return {"events": written, "generate_s": round(generated, 1), "job_s": round(seconds, 1),
            "events_per_s": round(written / seconds), "duplicates": summary.duplicates, "valid": summary.valid}


def smoke_wall_time(stack: str) -> dict:
    t0 = time.perf_counter()
    done = subprocess.run([str(ROOT / "bp"), "smoke", stack, "--local", "--through", "curated"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return {"stack": stack, "wall_s": round(time.perf_counter() - t0, 1), "exit": done.returncode,
            "last_line": (done.stdout.strip().splitlines() or [""])[-1]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--files", type=int, default=10)
    p.add_argument("--smoke", nargs="*", default=["aws", "gcp", "azure", "hybrid"], help="stacks for the smoke wall time")
    args = p.parse_args()
    if args.events:
        print(json.dumps({"job": job_throughput(args.events, args.files)}))
    for stack in args.smoke:
        print(json.dumps({"smoke": smoke_wall_time(stack)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
