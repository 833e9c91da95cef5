"""What each cloud's sink writes to the raw zone, and how the job reads it back.

Every reader returns the same frame: ``body`` (the event's JSON text, or null
when the file could not be read), ``source`` (the file) and ``error`` (null,
or why the file was unreadable).

- ``firehose-jsonl`` (AWS): Firehose appends a newline to each record and
  writes GZIP objects (``.gz``) under
  ``events/year=YYYY/month=MM/day=DD/hour=HH/`` (arrival time).
- ``drain-jsonl`` (Azure learning): the drain job writes the event bodies the
  same way (JSON Lines, GZIP, same ``events/year=/month=/day=/`` layout), so
  one reader serves both.
- ``capture-avro`` (Azure production): Event Hubs Capture writes Avro files
  ``{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}.avro``
  whose records carry the event in ``Body`` (bytes).
- ``pubsub-avro`` (GCP): the Cloud Storage subscription writes Avro files
  with metadata under ``events/YYYY-MM-DD/hh_mm_ssZ...avro``; the event is the
  ``data`` field (bytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from pipeline import avro

RAW_COLUMNS = "body string, source string, error string"


@dataclass(frozen=True)
class RawFormat:
    name: str
    day_path: Callable[[str], str]
    """The folder (may hold globs) with one arrival day's files, from ``YYYY-MM-DD``."""
    avro_body: str | None
    """The Avro field holding the event, or None for JSON Lines."""
    root: str
    """The folder under the raw zone that holds every day."""


def _ymd(sep: str, prefix: str, named: bool) -> Callable[[str], str]:
    def path(day: str) -> str:
        y, m, d = day.split("-")
        parts = [f"year={y}", f"month={m}", f"day={d}"] if named else [y, m, d]
        return prefix + sep.join(parts)
    return path


FORMATS: dict[str, RawFormat] = {
    "firehose-jsonl": RawFormat("firehose-jsonl", _ymd("/", "events/", named=True), None, "events"),
    "drain-jsonl": RawFormat("drain-jsonl", _ymd("/", "events/", named=True), None, "events"),
    "capture-avro": RawFormat("capture-avro", _ymd("/", "*/*/*/", named=False), "Body", ""),
    "pubsub-avro": RawFormat("pubsub-avro", lambda day: f"events/{day}", "data", "events"),
}


def raw_format(name: str) -> RawFormat:
    if name not in FORMATS:
        raise ValueError(f"raw format {name!r} is not known; allowed: {', '.join(sorted(FORMATS))}")
    return FORMATS[name]


def _decode_avro_file(field: str):
    def decode(row):
        try:
            for record in avro.records(bytes(row.content)):
                data = record.get(field)
                yield (data.decode("utf-8", errors="replace") if isinstance(data, bytes) else None, row.path, None)
        except (avro.AvroError, ValueError, KeyError, EOFError) as exc:
            yield (None, row.path, f"unreadable-file: {exc}")
    return decode


def read(spark, fmt: RawFormat, raw_uri: str, day: str | None = None):
    """The raw zone's events (one arrival day, or all of them) as ``body, source, error``."""
    from pyspark.sql import functions as F
    from pyspark.sql.utils import AnalysisException

    base = raw_uri.rstrip("/") + "/"
    path = base + (fmt.day_path(day) if day else fmt.root)
    try:
        if fmt.avro_body is None:
            frame = (spark.read.option("recursiveFileLookup", "true").text(path)
                     .select(F.col("value").alias("body"), F.input_file_name().alias("source")))
            return frame.where(F.length(F.trim("body")) > 0).withColumn("error", F.lit(None).cast("string"))
        files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                 .option("pathGlobFilter", "*.avro").load(path))
    except AnalysisException as exc:
        if "PATH_NOT_FOUND" in str(exc) or "does not exist" in str(exc):
            return spark.createDataFrame([], RAW_COLUMNS)
        raise
    rows = files.select("path", "content").rdd.flatMap(_decode_avro_file(fmt.avro_body))
    return spark.createDataFrame(rows, RAW_COLUMNS)
