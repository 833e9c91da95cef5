"""An in-process stand-in for an Event Hub, handing out real ``azure.eventhub.EventData`` objects.

Used where no Event Hubs emulator exists (``bp smoke azure --local``, the
tests) so that the real drain (``pipeline.drain``) runs over it. Its client
behaves as ``EventHubConsumerClient`` does for the calls the drain makes:
``receive_batch`` starts after a sequence number (or at ``"-1"``, the start
of retention), hands over batches of at most ``max_batch_size``, then an
empty batch every ``max_wait_time`` seconds, and returns only when the client
is closed.
"""

from __future__ import annotations

import datetime as dt
import threading

from azure.eventhub import EventData



def event(body: bytes, sequence_number: int, enqueued: dt.datetime) -> EventData:
    """An event as the hub hands it to a consumer: the body with its sequence number, offset and enqueued time."""
    e = EventData(body)
    e.raw_amqp_message.annotations.update({
        b"x-opt-sequence-number": sequence_number, b"x-opt-offset": str(sequence_number * 256).encode(),
        b"x-opt-enqueued-time": int(enqueued.timestamp() * 1000)})
    return e


class MemoryHub:
    def __init__(self, partitions: dict[str, list[bytes]], first: dict[str, int] | None = None) -> None:
        self.events = {p: [] for p in partitions}
        self.claimed: dict[str, int] = {}
        """Partitions whose properties announce a later last sequence number than will ever arrive."""
        self.receives: list[dict] = []
        for p, bodies in partitions.items():
            self.add(p, bodies, start=(first or {}).get(p, 0))

    def add(self, partition: str, bodies: list[bytes], start: int | None = None) -> None:
        evs = self.events[partition]
        seq = start if start is not None else (evs[-1].sequence_number + 1 if evs else 0)
        now = dt.datetime.now(dt.timezone.utc)
        evs.extend(event(b, seq + i, now) for i, b in enumerate(bodies))

    def client(self) -> "MemoryClient":
        return MemoryClient(self)


class MemoryClient:
    def __init__(self, hub: MemoryHub) -> None:
        self.hub = hub
        self.closed = threading.Event()

    def get_partition_ids(self) -> list[str]:
        return list(self.hub.events)

    def get_partition_properties(self, partition_id: str) -> dict:
        evs = self.hub.events[partition_id]
        last = evs[-1].sequence_number if evs else -1
        return {"id": partition_id, "is_empty": not evs, "beginning_sequence_number": evs[0].sequence_number if evs else 0,
                "last_enqueued_sequence_number": self.hub.claimed.get(partition_id, last)}

    def receive_batch(self, on_event_batch, *, partition_id, starting_position, starting_position_inclusive,
                      max_wait_time, max_batch_size, on_error=None) -> None:
        self.hub.receives.append({"partition": partition_id, "starting_position": starting_position,
                                  "inclusive": starting_position_inclusive})
        evs = self.hub.events[partition_id]
        if starting_position != "-1":
            evs = [e for e in evs if e.sequence_number > starting_position
                   or (starting_position_inclusive and e.sequence_number == starting_position)]
        for i in range(0, len(evs), max_batch_size):
            if self.closed.is_set():
                return
            on_event_batch(None, evs[i:i + max_batch_size])
        while not self.closed.wait(max_wait_time):
            on_event_batch(None, [])

    def close(self) -> None:
        self.closed.set()
