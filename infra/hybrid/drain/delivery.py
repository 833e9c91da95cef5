"""FirehoseDelivery: message bodies written to one delivery stream with ``PutRecordBatch``.

Firehose takes at most 500 records and 4 MiB per call, and 1,000 KiB per
record (Amazon Data Firehose quotas). A call succeeds as a whole even when
some records fail: each answer entry carries either a ``RecordId`` or an
``ErrorCode``, so the failed ones are retried (up to ``attempts`` calls per
batch) and only the records Firehose accepted are reported written. A record
over the size limit is never sent: it stays unwritten, so its message goes
back to Pub/Sub and, after the subscription's delivery attempts, to the
dead-letter topic.

Records are sent as they came: the delivery stream's
``AppendDelimiterToRecord`` processor ends each with a newline, so raw objects
are the same GZIP JSON Lines the AWS pipeline reads from a Kinesis buffer.
"""

from __future__ import annotations

from typing import Any, Sequence

from botocore.exceptions import BotoCoreError, ClientError

MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 4 * 1024 * 1024
MAX_RECORD_BYTES = 1000 * 1024
ATTEMPTS = 3


def batches(bodies: Sequence[bytes]) -> list[list[int]]:
    """Indexes of ``bodies`` grouped into calls within Firehose's limits; oversized records are left out."""
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for index, body in enumerate(bodies):
        if len(body) > MAX_RECORD_BYTES:
            continue
        if current and (len(current) == MAX_BATCH_RECORDS or size + len(body) > MAX_BATCH_BYTES):
            groups.append(current)
            current, size = [], 0
        current.append(index)
        size += len(body)
    if current:
        groups.append(current)
    return groups


class FirehoseDelivery:
    def __init__(self, client: Any, stream_name: str, *, attempts: int = ATTEMPTS) -> None:
        self.client = client
        self.stream_name = stream_name
        self.attempts = attempts
        self.errors: list[str] = []
        """Why records stayed unwritten (error codes, failed calls), for the run's log."""

    def write(self, bodies: Sequence[bytes]) -> set[int]:
        """The indexes of ``bodies`` Firehose accepted."""
        written: set[int] = set()
        for group in batches(bodies):
            pending = group
            for _ in range(self.attempts):
                try:
                    answer = self.client.put_record_batch(
                        DeliveryStreamName=self.stream_name, Records=[{"Data": bodies[i]} for i in pending])
                except (ClientError, BotoCoreError) as exc:
                    # The service or the network is failing: later batches would fail too.
                    self.errors.append(f"PutRecordBatch failed: {exc}")
                    return written
                failed = []
                for index, entry in zip(pending, answer["RequestResponses"]):
                    if entry.get("ErrorCode"):
                        failed.append(index)
                        self.errors.append(f"{entry['ErrorCode']}: {entry.get('ErrorMessage', '')}")
                    else:
                        written.add(index)
                pending = failed
                if not pending:
                    break
        skipped = sum(1 for body in bodies if len(body) > MAX_RECORD_BYTES)
        if skipped:
            self.errors.append(f"{skipped} message(s) over Firehose's {MAX_RECORD_BYTES}-byte record limit")
        return written
