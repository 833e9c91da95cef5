"""Pull, write, then acknowledge only what Firehose accepted; hand the rest back and fail the run."""

from __future__ import annotations

import pytest

from infra.hybrid.drain.drain import DeliveryIncomplete, drain
from infra.hybrid.drain.subscription import Received


class Journal(list):
    """The calls of both fakes, in the order they happened."""


class FakeSubscription:
    def __init__(self, journal, rounds):
        self.journal, self.rounds = journal, list(rounds)

    def pull(self, max_messages):
        self.journal.append(("pull", max_messages))
        return self.rounds.pop(0) if self.rounds else []

    def acknowledge(self, ack_ids):
        self.journal.append(("ack", list(ack_ids)))

    def hand_back(self, ack_ids):
        self.journal.append(("hand_back", list(ack_ids)))


class FakeDelivery:
    def __init__(self, journal, accept):
        self.journal, self.accept, self.errors = journal, accept, []

    def write(self, bodies):
        self.journal.append(("write", list(bodies)))
        written = {i for i, body in enumerate(bodies) if self.accept(body)}
        if len(written) < len(bodies):
            self.errors.append("ServiceUnavailableException: Slow down.")
        return written


def messages(*bodies):
    return [Received(f"ack-{b.decode()}", b, b.decode(), 1) for b in bodies]


def plenty():
    return 900.0


def test_each_round_writes_before_it_acknowledges():
    journal = Journal()
    subscription = FakeSubscription(journal, [messages(b"a", b"b"), messages(b"c")])
    report = drain(subscription, FakeDelivery(journal, lambda body: True), time_left=plenty)
    assert journal == [
        ("pull", 500), ("write", [b"a", b"b"]), ("ack", ["ack-a", "ack-b"]),
        ("pull", 500), ("write", [b"c"]), ("ack", ["ack-c"]),
        ("pull", 500),
    ]
    assert report.as_dict() == {"rounds": 2, "pulled": 3, "acknowledged": 3, "handed_back": 0}


def test_a_failed_write_withholds_the_acknowledgement_and_hands_the_messages_back():
    journal = Journal()
    subscription = FakeSubscription(journal, [messages(b"a", b"b"), messages(b"c")])
    with pytest.raises(DeliveryIncomplete, match="1 message\\(s\\) handed back unwritten: ServiceUnavailable"):
        drain(subscription, FakeDelivery(journal, lambda body: body != b"b"), time_left=plenty)
    assert journal == [("pull", 500), ("write", [b"a", b"b"]), ("ack", ["ack-a"]), ("hand_back", ["ack-b"])]


def test_nothing_is_acknowledged_when_nothing_was_written():
    journal = Journal()
    with pytest.raises(DeliveryIncomplete):
        drain(FakeSubscription(journal, [messages(b"a")]), FakeDelivery(journal, lambda body: False), time_left=plenty)
    assert [entry for entry in journal if entry[0] == "ack"] == []
    assert journal[-1] == ("hand_back", ["ack-a"])


def test_no_round_starts_with_60_seconds_or_less_left():
    journal = Journal()
    left = iter([61.0, 60.0])
    report = drain(FakeSubscription(journal, [messages(b"a"), messages(b"b")]), FakeDelivery(journal, lambda b: True),
                   time_left=lambda: next(left))
    assert [entry[0] for entry in journal] == ["pull", "write", "ack"]
    assert report.pulled == 1
