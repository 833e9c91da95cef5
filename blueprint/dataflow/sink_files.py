"""The files each cloud's sink writes to raw, written by the command where an emulator lacks the sink.

Used only by ``bp smoke --local`` to bridge a hop no emulator runs (the
Pub/Sub emulator has no Cloud Storage subscriptions; there is no Event Hubs
emulator here), so the rest of the flow reads exactly what the cloud writes.
Layouts and schemas: ``pipeline.raw``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import uuid

PUBSUB_AVRO_SCHEMA = {
    "type": "record", "name": "PubsubMessage",
    "fields": [
        {"name": "subscription_name", "type": "string"},
        {"name": "message_id", "type": "string"},
        {"name": "publish_time", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "attributes", "type": {"type": "map", "values": "string"}},
        {"name": "data", "type": "bytes"},
    ],
}
"""The Cloud Storage subscription's Avro records with ``write_metadata``."""

CAPTURE_AVRO_SCHEMA = {
    "type": "record", "name": "EventData", "namespace": "Microsoft.ServiceBus.Messaging",
    "fields": [
        {"name": "SequenceNumber", "type": "long"},
        {"name": "Offset", "type": "string"},
        {"name": "EnqueuedTimeUtc", "type": "string"},
        {"name": "SystemProperties", "type": {"type": "map", "values": ["long", "double", "string", "bytes"]}},
        {"name": "Properties", "type": {"type": "map", "values": ["long", "double", "string", "bytes", "null"]}},
        {"name": "Body", "type": ["null", "bytes"]},
    ],
}
"""Event Hubs Capture's Avro records."""


def _avro(schema: dict, records: list[dict], codec: str = "null") -> bytes:
    import fastavro

    buf = io.BytesIO()
    fastavro.writer(buf, schema, records, codec=codec)
    return buf.getvalue()


def pubsub_avro(messages: list[tuple[str, bytes]], subscription: str, at: dt.datetime) -> tuple[str, bytes]:
    """(object name, contents) for ``(message id, data)`` pairs, named as ``events/`` + ``YYYY-MM-DD/hh_mm_ssZ``."""
    records = [{"subscription_name": subscription, "message_id": mid, "publish_time": at, "attributes": {},
                "data": data} for mid, data in messages]
    return f"events/{at:%Y-%m-%d/%H_%M_%S}Z_{uuid.uuid4().hex}.avro", _avro(PUBSUB_AVRO_SCHEMA, records)


def capture_avro(bodies: list[bytes], namespace: str, hub: str, at: dt.datetime) -> tuple[str, bytes]:
    """(blob name, contents) as Capture writes partition 0 with the stack's archive name format."""
    records = [{"SequenceNumber": i, "Offset": str(i), "EnqueuedTimeUtc": at.strftime("%m/%d/%Y %I:%M:%S %p"),
                "SystemProperties": {"x-opt-sequence-number": i}, "Properties": {}, "Body": body}
               for i, body in enumerate(bodies)]
    return (f"{namespace}/{hub}/0/{at:%Y/%m/%d/%H/%M/%S}.avro", _avro(CAPTURE_AVRO_SCHEMA, records, codec="deflate"))


def jsonl_gzip(bodies: list[bytes], at: dt.datetime) -> tuple[str, bytes]:
    """(object name, contents): one event per line, GZIP, under the arrival day's ``events/year=/month=/day=/``."""
    data = gzip.compress(b"".join(body + b"\n" for body in bodies))
    return f"events/year={at:%Y}/month={at:%m}/day={at:%d}/hour={at:%H}/smoke-{uuid.uuid4().hex}.gz", data


def hour_prefixes(since: dt.datetime) -> list[str]:
    """The ``events/year=/month=/day=/hour=/`` prefixes (Firehose, the drain) from ``since``'s hour to now."""
    hours, at = [], since.replace(minute=0, second=0, microsecond=0)
    while at <= dt.datetime.now(dt.timezone.utc):
        hours.append(f"events/year={at:%Y}/month={at:%m}/day={at:%d}/hour={at:%H}/")
        at += dt.timedelta(hours=1)
    return hours


def text_of(name: str, content: bytes) -> str:
    """A raw file's events as text, whatever sink wrote it (Avro: ``data`` or ``Body``; ``.gz``: GZIP; else plain)."""
    if name.endswith(".avro"):
        from pipeline import avro

        return "\n".join((r.get("data") or r.get("Body") or b"").decode("utf-8", "replace")
                         for r in avro.records(content))
    if name.endswith(".gz"):
        content = gzip.decompress(content)
    return content.decode("utf-8", "replace")
