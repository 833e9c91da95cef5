"""PutRecordBatch within Firehose's limits; only accepted records count as written."""

from __future__ import annotations

from botocore.exceptions import ClientError

from infra.hybrid.drain.delivery import FirehoseDelivery, batches

KIB = 1024


def test_batches_hold_at_most_500_records():
    assert [len(b) for b in batches([b"x"] * 1001)] == [500, 500, 1]


def test_batches_hold_at_most_4_mib():
    # Five records of 1,000 KiB: four fit in 4 MiB (4,096,000 of 4,194,304 bytes), the fifth starts a new call.
    assert batches([b"x" * (1000 * KIB)] * 5) == [[0, 1, 2, 3], [4]]


def test_a_record_over_1000_kib_is_never_sent():
    assert batches([b"a", b"x" * (1000 * KIB + 1), b"c"]) == [[0, 2]]


class FakeFirehose:
    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def put_record_batch(self, DeliveryStreamName, Records):
        self.calls.append((DeliveryStreamName, [r["Data"] for r in Records]))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return {"FailedPutCount": sum(1 for e in answer if "ErrorCode" in e), "RequestResponses": answer}


OK = {"RecordId": "r"}
THROTTLED = {"ErrorCode": "ServiceUnavailableException", "ErrorMessage": "Slow down."}


def test_records_go_out_as_they_came_and_failed_ones_are_retried_alone():
    firehose = FakeFirehose([[OK, THROTTLED, OK], [OK]])
    delivery = FirehoseDelivery(firehose, "blueprint-hybrid-gcp-processing-sink-abc123")
    assert delivery.write([b'{"event_id":"a"}', b'{"event_id":"b"}', b'{"event_id":"c"}']) == {0, 1, 2}
    assert firehose.calls == [
        ("blueprint-hybrid-gcp-processing-sink-abc123", [b'{"event_id":"a"}', b'{"event_id":"b"}', b'{"event_id":"c"}']),
        ("blueprint-hybrid-gcp-processing-sink-abc123", [b'{"event_id":"b"}']),
    ]


def test_a_record_still_failing_after_three_calls_is_not_written():
    firehose = FakeFirehose([[OK, THROTTLED], [THROTTLED], [THROTTLED]])
    delivery = FirehoseDelivery(firehose, "sink")
    assert delivery.write([b"a", b"b"]) == {0}
    assert len(firehose.calls) == 3
    assert delivery.errors[-1] == "ServiceUnavailableException: Slow down."


def test_a_failing_call_stops_the_write_and_reports_nothing_more():
    denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "PutRecordBatch")
    firehose = FakeFirehose([[OK] * 500, denied])
    delivery = FirehoseDelivery(firehose, "sink")
    assert delivery.write([b"x"] * 600) == set(range(500))
    assert len(firehose.calls) == 2
    assert "AccessDeniedException" in delivery.errors[0]
