"""The sensor event: the one record every Connect producer sends, on every cloud.

One JSON object per event, UTF-8, as the body of the Kinesis record, Event
Hubs event or Pub/Sub message::

    {"event_id": "5f0c...", "sensor_id": "pump-7", "measurement": "temperature",
     "timestamp": "2026-11-30T04:05:06.250Z", "value": 21.5}

- ``event_id``: string, unique per measurement; the producer keeps it when it
  retries, so the pipeline can drop the copies that at-least-once delivery
  makes (Firehose, Event Hubs Capture and Pub/Sub may all deliver twice).
- ``sensor_id``, ``measurement``: non-empty strings; together with the
  timestamp they are the compound key of a measurement.
- ``timestamp``: when the sensor measured, ISO 8601 with a zone designator
  (``Z`` or ``+hh:mm``); the day and minute of the averages come from it, not
  from the arrival time.
- ``value``: a JSON number (not a string), finite.

Other fields are ignored. A record that breaks any rule goes to quarantine
with the first rule it broke (see ``REASONS``).
"""

from __future__ import annotations

FIELDS: tuple[str, ...] = ("event_id", "sensor_id", "measurement", "timestamp", "value")
"""The event's fields, in the order of the processed table."""

REQUIRED_STRINGS: tuple[str, ...] = ("event_id", "sensor_id", "measurement", "timestamp")

ZONE_DESIGNATOR = r"(Z|[+-][0-9]{2}:[0-9]{2})$"
"""A timestamp must say its zone; a local time would shift averages across days."""

REASONS: dict[str, str] = {
    "not-json": "the body is not a JSON object",
    "missing-event_id": "no event_id (or empty)",
    "missing-sensor_id": "no sensor_id (or empty)",
    "missing-measurement": "no measurement (or empty)",
    "missing-timestamp": "no timestamp (or empty)",
    "bad-timestamp": "timestamp is not ISO 8601 with a zone designator",
    "value-not-number": "value is missing or not a JSON number",
    "value-not-finite": "value is NaN or infinite",
}
"""Quarantine reasons, checked in this order; the first one broken is recorded."""
