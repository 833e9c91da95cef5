"""The learning stream sink on Azure: drain an Event Hub's consumer group into raw, available-now.

One run, for each partition of the hub:

1. read the partition's checkpoint (the sequence number of the last event
   already in raw) from ``_drain/checkpoints/<hub>/<consumer group>/<partition>.json``
   in the raw container; none means "from the start of the hub's retention";
2. ask the hub for the partition's last enqueued sequence number; when the
   checkpoint is there already (or the partition is empty) the partition is
   done: nothing is written;
3. receive after the checkpoint (``azure-eventhub``, the consumer group the
   stack made for the sink) until the last enqueued event at the start of the
   run has arrived, the hub stays silent for ``IDLE_SECONDS``, or
   ``wait_seconds`` pass (a bounded wait: what came in is kept, the next run
   goes on from there);
4. write the batch as one GZIP JSON Lines object, one event body per line, to
   ``events/year=YYYY/month=MM/day=DD/hour=HH/`` (the run's UTC time: arrival
   in raw, as Firehose does), named
   ``<hub>-<partition>-<first seq>-<last seq>-<run id>.jsonl.gz`` so no run
   ever replaces another run's object;
5. only then store the new checkpoint.

A crash between 4 and 5 leaves the events in raw with the old checkpoint, so
the next run writes them again under its own name: delivery is at least
once, and the job keeps one row per ``event_id``.

Bodies are written as the producers sent them, except that a CR or LF byte
becomes a space: in a JSON text those can only be whitespace between tokens,
so JSON keeps its meaning and stays on one line (a non-JSON body is
quarantined by the job either way).

The hub is reached through ``connect()``, which returns an
``azure.eventhub.EventHubConsumerClient`` (or anything with its
``get_partition_ids``, ``get_partition_properties``, ``receive_batch`` and
``close``); the lake through a ``pipeline.lake`` store.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.lake import Store

CHECKPOINTS = "_drain/checkpoints"
IDLE_SECONDS = 10.0
"""``max_wait_time``: the SDK hands over an empty batch after this long without events."""
WAIT_SECONDS = 300.0
"""The longest one partition is read in one run."""
MAX_BATCH = 500
FROM_START = "-1"
"""``starting_position`` for the start of the hub's retention (no checkpoint yet)."""


def checkpoint_name(hub: str, consumer_group: str, partition: str) -> str:
    return f"{CHECKPOINTS}/{hub}/{consumer_group}/{partition}.json"


def object_name(at: dt.datetime, hub: str, partition: str, first: int, last: int, run_id: str) -> str:
    at = at.astimezone(dt.timezone.utc)
    return (f"events/year={at:%Y}/month={at:%m}/day={at:%d}/hour={at:%H}/"
            f"{hub}-{partition}-{first}-{last}-{run_id}.jsonl.gz")


def body_of(event) -> bytes:
    """The event's body bytes as the producer sent them (the data sections joined)."""
    body = event.body
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    return b"".join(bytes(section) for section in body)


def jsonl_gzip(events: list) -> bytes:
    return gzip.compress(b"".join(body_of(e).replace(b"\r", b" ").replace(b"\n", b" ") + b"\n" for e in events))


def read_checkpoint(store: Store, name: str) -> int | None:
    data = store.read(name)
    return None if data is None else int(json.loads(data)["sequence_number"])


@dataclass
class Partition:
    partition: str
    after: int | None
    """The checkpoint the run started from (None: none yet)."""
    events: int = 0
    object: str | None = None
    last: int | None = None
    expired: int = 0
    """Events after the checkpoint the hub no longer holds (older than its retention): lost to raw."""
    error: str | None = None

    def line(self) -> str:
        where = f"from sequence number {self.after + 1}" if self.after is not None else "from the start"
        if self.error:
            return f"partition {self.partition}: FAILED {where}: {self.error}"
        text = (f"partition {self.partition}: {self.events} events {where} to raw/{self.object}, checkpoint "
                f"{self.last}" if self.object else f"partition {self.partition}: nothing new {where}")
        return text + (f"; {self.expired} events expired in the hub before they were drained" if self.expired else "")


@dataclass
class Result:
    hub: str
    consumer_group: str
    partitions: list[Partition] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(p.error is None for p in self.partitions)

    @property
    def objects(self) -> list[str]:
        return [p.object for p in self.partitions if p.object]

    def lines(self) -> list[str]:
        total = sum(p.events for p in self.partitions)
        return ([f"drained {total} events from {self.hub} (consumer group {self.consumer_group}) "
                 f"into {len(self.objects)} raw objects"] + [p.line() for p in self.partitions])


def receive(client, partition: str, after: int | None, until: int, wait_seconds: float,
            idle_seconds: float = IDLE_SECONDS) -> list:
    """Events of ``partition`` after sequence number ``after`` until ``until`` (inclusive), a silence, or the wait.

    ``receive_batch`` blocks until its client is closed, so it runs on a
    thread and this one closes the client when it has what it came for.
    """
    got: list = []
    lock, done = threading.Lock(), threading.Event()
    failure: list[BaseException] = []

    def on_batch(_context, batch) -> None:
        with lock:
            if done.is_set():
                return
            got.extend(batch)
            if not batch or got[-1].sequence_number >= until:
                done.set()

    def on_error(_context, error) -> None:
        failure.append(error)
        done.set()

    def pump() -> None:
        try:
            client.receive_batch(
                on_event_batch=on_batch, on_error=on_error, partition_id=partition,
                starting_position=FROM_START if after is None else after,
                starting_position_inclusive=False, max_wait_time=idle_seconds, max_batch_size=MAX_BATCH)
        except BaseException as exc:  # noqa: BLE001 (re-raised on the caller's thread)
            failure.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=pump, name=f"drain-{partition}", daemon=True)
    thread.start()
    done.wait(wait_seconds)
    with lock:
        done.set()
        events = list(got)
    client.close()
    thread.join(idle_seconds + 30)
    if failure and not events:
        raise RuntimeError(f"receiving failed: {failure[0]}")
    return events


def drain_partition(connect: Callable[[], object], store: Store, result: Result, partition: str, *,
                    at: dt.datetime, run_id: str, wait_seconds: float, idle_seconds: float) -> Partition:
    name = checkpoint_name(result.hub, result.consumer_group, partition)
    report = Partition(partition, read_checkpoint(store, name))
    client = connect()
    try:
        props = client.get_partition_properties(partition)
    finally:
        client.close()
    last = props["last_enqueued_sequence_number"]
    if props.get("is_empty") or (report.after is not None and report.after >= last):
        return report
    events = receive(connect(), partition, report.after, last, wait_seconds, idle_seconds)
    if not events:
        return report
    first_seq, last_seq = events[0].sequence_number, events[-1].sequence_number
    if report.after is not None and first_seq > report.after + 1:
        report.expired = first_seq - report.after - 1
    report.object = object_name(at, result.hub, partition, first_seq, last_seq, run_id)
    store.write(report.object, jsonl_gzip(events), overwrite=False)
    # Only now: a crash before this line makes the next run deliver these events again.
    store.write(name, json.dumps({
        "sequence_number": last_seq, "offset": events[-1].offset,
        "enqueued_time": events[-1].enqueued_time.isoformat() if events[-1].enqueued_time else None,
        "object": report.object, "written_at": at.isoformat()}).encode("utf-8"), overwrite=True)
    report.events, report.last = len(events), last_seq
    return report


def run(connect: Callable[[], object], store: Store, *, hub: str, consumer_group: str,
        wait_seconds: float = WAIT_SECONDS, idle_seconds: float = IDLE_SECONDS,
        now: dt.datetime | None = None, run_id: str | None = None) -> Result:
    """Drain every partition of ``hub`` once; a partition that fails is reported and the others still run."""
    at = now or dt.datetime.now(dt.timezone.utc)
    run_id = run_id or f"{at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
    result = Result(hub, consumer_group)
    client = connect()
    try:
        partitions = list(client.get_partition_ids())
    finally:
        client.close()
    for partition in partitions:
        try:
            report = drain_partition(connect, store, result, partition, at=at, run_id=run_id,
                                     wait_seconds=wait_seconds, idle_seconds=idle_seconds)
        except Exception as exc:  # noqa: BLE001 (one partition's failure must not hide the others' progress)
            report = Partition(partition, None, error=f"{type(exc).__name__}: {exc}")
        result.partitions.append(report)
    return result
