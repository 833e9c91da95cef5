"""drain: pull, write, then acknowledge only what was written, until the subscription is empty or time runs out.

Each round pulls up to one Firehose batch (500 messages), writes their bodies
and then acknowledges the messages whose records Firehose accepted. The rest
are handed back at once (negative acknowledgement) and the run stops with
``DeliveryIncomplete``, so a failing delivery stream is visible as a failed
invocation and no message is acknowledged before its record was accepted.
A message whose acknowledgement is lost (the deadline passed, the run ended)
is delivered again later: delivery is at least once, and the job drops
duplicates by ``event_id``.

A round starts only while more than ``reserve_seconds`` of the invocation
remain, enough for a pull that waits its full timeout, a write with retries
and the acknowledgement, well inside the subscription's 60-second ack deadline.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable

from .delivery import MAX_BATCH_RECORDS

RESERVE_SECONDS = 60


@dataclass
class DrainReport:
    rounds: int = 0
    pulled: int = 0
    acknowledged: int = 0
    handed_back: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class DeliveryIncomplete(RuntimeError):
    """Some pulled messages were not written; they were handed back to Pub/Sub."""

    def __init__(self, report: DrainReport, errors: list[str]) -> None:
        super().__init__(f"{report.handed_back} message(s) handed back unwritten: {'; '.join(errors[-5:])}")
        self.report = report


def drain(subscription: Any, delivery: Any, *, time_left: Callable[[], float],
          batch: int = MAX_BATCH_RECORDS, reserve_seconds: float = RESERVE_SECONDS) -> DrainReport:
    report = DrainReport()
    while time_left() > reserve_seconds:
        received = subscription.pull(batch)
        if not received:
            break
        report.rounds += 1
        report.pulled += len(received)
        written = delivery.write([message.data for message in received])
        done = [m.ack_id for i, m in enumerate(received) if i in written]
        failed = [m.ack_id for i, m in enumerate(received) if i not in written]
        if done:
            subscription.acknowledge(done)
            report.acknowledged += len(done)
        if failed:
            subscription.hand_back(failed)
            report.handed_back += len(failed)
            raise DeliveryIncomplete(report, list(getattr(delivery, "errors", [])))
    return report
