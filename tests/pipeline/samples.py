"""Generated sensor events in each cloud's raw format, and their averages computed in plain Python.

The writers follow what the sinks write (see the format notes in
``pipeline.raw``) with independent tools: ``gzip`` for Firehose and the drain,
``fastavro`` for Event Hubs Capture and the Pub/Sub Cloud Storage subscription.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import random
from collections import defaultdict
from pathlib import Path

import fastavro

from blueprint.dataflow import sink_files

# The sinks' Avro schemas (as the command's bridge writes them); the pipeline reads the schema from each file.
CAPTURE_SCHEMA = sink_files.CAPTURE_AVRO_SCHEMA
PUBSUB_SCHEMA = sink_files.PUBSUB_AVRO_SCHEMA

# (body, the reason the pipeline must give): one of each way a device or producer gets it wrong.
MALFORMED: list[tuple[str, str]] = [
    ("not json at all", "not-json"),
    ("[1, 2, 3]", "not-json"),
    ('{"sensor_id": "s1", "measurement": "temperature", "timestamp": "2026-11-29T10:00:00Z", "value": 1}',
     "missing-event_id"),
    ('{"event_id": "", "sensor_id": "s1", "measurement": "temperature", "timestamp": "2026-11-29T10:00:00Z", '
     '"value": 1}', "missing-event_id"),
    ('{"event_id": "m3", "measurement": "temperature", "timestamp": "2026-11-29T10:00:00Z", "value": 1}',
     "missing-sensor_id"),
    ('{"event_id": "m4", "sensor_id": "s1", "timestamp": "2026-11-29T10:00:00Z", "value": 1}',
     "missing-measurement"),
    ('{"event_id": "m5", "sensor_id": "s1", "measurement": "temperature", "value": 1}', "missing-timestamp"),
    ('{"event_id": "m6", "sensor_id": "s1", "measurement": "temperature", "timestamp": "2026-11-29T10:00:00", '
     '"value": 1}', "bad-timestamp"),
    ('{"event_id": "m7", "sensor_id": "s1", "measurement": "temperature", "timestamp": "yesterday+01:00", '
     '"value": 1}', "bad-timestamp"),
    ('{"event_id": "m8", "sensor_id": "s1", "measurement": "temperature", "timestamp": "2026-11-29T10:00:00Z", '
     '"value": "21.5"}', "value-not-number"),
    ('{"event_id": "m9", "sensor_id": "s1", "measurement": "temperature", "timestamp": "2026-11-29T10:00:00Z"}',
     "value-not-number"),
    ('{"event_id": "m10", "sensor_id": "s1", "measurement": "temperature", "timestamp": "2026-11-29T10:00:00Z", '
     '"value": NaN}', "value-not-finite"),
]


def events(n: int, day: str, seed: int = 7) -> list[dict]:
    """``n`` valid events on ``day`` over three sensors and two measurements, some stamped with a non-UTC offset."""
    rng = random.Random(seed)
    start = dt.datetime.fromisoformat(f"{day}T00:00:00+00:00")
    out = []
    for i in range(n):
        at = start + dt.timedelta(seconds=rng.randrange(0, 86400), milliseconds=rng.randrange(0, 1000))
        stamp = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if i % 5 == 0:  # the same instant written with a -02:00 offset
            stamp = at.astimezone(dt.timezone(dt.timedelta(hours=-2))).isoformat(timespec="milliseconds")
        out.append({"event_id": f"{day}-{seed}-{i}", "sensor_id": f"pump-{rng.randrange(3)}",
                    "measurement": rng.choice(["temperature", "pressure"]), "timestamp": stamp,
                    "value": round(rng.uniform(-20, 120), 3)})
    return out


def expected(valid_events: list[dict]) -> tuple[dict, dict]:
    """Daily and per-minute (average, count) per sensor and measurement, after dropping repeated event ids."""
    seen: dict[str, dict] = {}
    for e in valid_events:
        seen.setdefault(e["event_id"], e)
    daily, minute = defaultdict(list), defaultdict(list)
    for e in seen.values():
        at = dt.datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00")).astimezone(dt.timezone.utc)
        daily[(at.date().isoformat(), e["sensor_id"], e["measurement"])].append(e["value"])
        minute[(at.date().isoformat(), e["sensor_id"], e["measurement"],
                at.replace(second=0, microsecond=0, tzinfo=None))].append(e["value"])
    summarise = lambda groups: {k: (sum(v) / len(v), len(v)) for k, v in groups.items()}  # noqa: E731
    return summarise(daily), summarise(minute)


def bodies(evts: list[dict]) -> list[str]:
    return [json.dumps(e) for e in evts]


def write_firehose(root: Path, day: str, hour: int, name: str, lines: list[str]) -> Path:
    """A Firehose object: records each ending in a newline, GZIP, under the arrival-time prefix."""
    y, m, d = day.split("-")
    folder = root / "events" / f"year={y}" / f"month={m}" / f"day={d}" / f"hour={hour:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.gz"
    path.write_bytes(gzip.compress("".join(line + "\n" for line in lines).encode("utf-8")))
    return path


def write_capture(root: Path, day: str, partition: int, lines: list[str]) -> Path:
    """An Event Hubs Capture file (deflate Avro) at {Namespace}/{EventHub}/{PartitionId}/{Y}/{M}/{D}/{h}/{m}/{s}.avro."""
    y, m, d = day.split("-")
    folder = root / "ns" / "events" / str(partition) / y / m / d / "10" / "05"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "00.avro"
    records = [{"SequenceNumber": i, "Offset": str(i * 100), "EnqueuedTimeUtc": f"{m}/{d}/{y} 10:05:00 AM",
                "SystemProperties": {"x-opt-sequence-number": i}, "Properties": {}, "Body": line.encode("utf-8")}
               for i, line in enumerate(lines)]
    buf = io.BytesIO()
    fastavro.writer(buf, CAPTURE_SCHEMA, records, codec="deflate")
    path.write_bytes(buf.getvalue())
    return path


def write_pubsub(root: Path, day: str, name: str, lines: list[str]) -> Path:
    """A Pub/Sub Cloud Storage subscription file (Avro with metadata) under events/YYYY-MM-DD/."""
    folder = root / "events" / day
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.avro"
    at = dt.datetime.fromisoformat(f"{day}T10:05:00+00:00")
    records = [{"subscription_name": "projects/p/subscriptions/sink", "message_id": str(i), "publish_time": at,
                "attributes": {}, "data": line.encode("utf-8")} for i, line in enumerate(lines)]
    buf = io.BytesIO()
    fastavro.writer(buf, PUBSUB_SCHEMA, records)
    path.write_bytes(buf.getvalue())
    return path
