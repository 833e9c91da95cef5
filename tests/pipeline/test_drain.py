"""The drain: an Event Hub's consumer group into raw as GZIP JSON Lines, checkpointed only after the data."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from pipeline import drain, job, lake
from tests.pipeline import samples
from blueprint.dataflow.memory_hub import MemoryHub

AT = dt.datetime(2026, 11, 30, 7, 42, 5, tzinfo=dt.timezone.utc)


def drain_once(hub, store, run_id, **kwargs):
    kwargs.setdefault("idle_seconds", 0.05)
    kwargs.setdefault("wait_seconds", 10)
    return drain.run(hub.client, store, hub="telemetry", consumer_group="sink", now=AT, run_id=run_id, **kwargs)


def lines_of(store, name):
    return gzip.decompress(store.read(name)).split(b"\n")


def objects(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


class Recording:
    """A store that logs each write, and can fail the checkpoint writes (a crash after the data is in raw)."""

    def __init__(self, inner, fail_checkpoints=False):
        self.inner, self.fail_checkpoints, self.writes = inner, fail_checkpoints, []

    def read(self, name):
        return self.inner.read(name)

    def write(self, name, data, overwrite):
        if self.fail_checkpoints and name.startswith("_drain/"):
            raise OSError("the driver died")
        self.writes.append(name)
        self.inner.write(name, data, overwrite)


def test_each_partition_becomes_one_gzip_jsonl_object_under_the_arrival_hour_with_the_bodies_as_sent(tmp_path):
    hub = MemoryHub({"0": [b'{"event_id":"a"}', b'{"event_id":"b"}', b'{"event_id":"c"}'], "1": [b'{"event_id":"d"}']})

    result = drain_once(hub, lake.DirectoryStore(tmp_path), "r1")

    assert result.ok
    assert objects(tmp_path) == [
        "_drain/checkpoints/telemetry/sink/0.json", "_drain/checkpoints/telemetry/sink/1.json",
        "events/year=2026/month=11/day=30/hour=07/telemetry-0-0-2-r1.jsonl.gz",
        "events/year=2026/month=11/day=30/hour=07/telemetry-1-0-0-r1.jsonl.gz"]
    store = lake.DirectoryStore(tmp_path)
    assert lines_of(store, "events/year=2026/month=11/day=30/hour=07/telemetry-0-0-2-r1.jsonl.gz") == [
        b'{"event_id":"a"}', b'{"event_id":"b"}', b'{"event_id":"c"}', b""]
    checkpoint = json.loads(store.read("_drain/checkpoints/telemetry/sink/0.json"))
    assert checkpoint["sequence_number"] == 2
    assert checkpoint["offset"] == "512"
    assert checkpoint["object"] == "events/year=2026/month=11/day=30/hour=07/telemetry-0-0-2-r1.jsonl.gz"
    # The first run reads from the start of the hub's retention.
    assert {(r["partition"], r["starting_position"]) for r in hub.receives} == {("0", "-1"), ("1", "-1")}


def test_a_line_break_inside_a_body_becomes_a_space_so_each_event_stays_one_line(tmp_path):
    hub = MemoryHub({"0": [b'{\n  "event_id": "a",\r\n  "value": 1\n}']})
    drain_once(hub, lake.DirectoryStore(tmp_path), "r1")
    (name,) = [n for n in objects(tmp_path) if n.startswith("events/")]
    lines = lines_of(lake.DirectoryStore(tmp_path), name)
    assert lines == [b'{   "event_id": "a",    "value": 1 }', b""]
    assert json.loads(lines[0]) == {"event_id": "a", "value": 1}


def test_the_checkpoint_is_written_after_the_data_object(tmp_path):
    hub = MemoryHub({"0": [b"1", b"2"], "1": [b"3"]})
    store = Recording(lake.DirectoryStore(tmp_path))
    drain_once(hub, store, "r1")
    assert store.writes == ["events/year=2026/month=11/day=30/hour=07/telemetry-0-0-1-r1.jsonl.gz",
                            "_drain/checkpoints/telemetry/sink/0.json",
                            "events/year=2026/month=11/day=30/hour=07/telemetry-1-0-0-r1.jsonl.gz",
                            "_drain/checkpoints/telemetry/sink/1.json"]


def test_a_second_run_resumes_after_the_checkpoint_and_never_rewrites_the_first_runs_object(tmp_path):
    hub = MemoryHub({"0": [b"a", b"b"]})
    store = lake.DirectoryStore(tmp_path)
    drain_once(hub, store, "r1")
    first = (tmp_path / "events/year=2026/month=11/day=30/hour=07/telemetry-0-0-1-r1.jsonl.gz").read_bytes()
    hub.add("0", [b"c", b"d", b"e"])

    result = drain_once(hub, store, "r2")

    assert hub.receives[-1] == {"partition": "0", "starting_position": 1, "inclusive": False}
    assert lines_of(store, "events/year=2026/month=11/day=30/hour=07/telemetry-0-2-4-r2.jsonl.gz") == [
        b"c", b"d", b"e", b""]
    assert (tmp_path / "events/year=2026/month=11/day=30/hour=07/telemetry-0-0-1-r1.jsonl.gz").read_bytes() == first
    assert json.loads(store.read("_drain/checkpoints/telemetry/sink/0.json"))["sequence_number"] == 4
    assert result.partitions[0].line() == ("partition 0: 3 events from sequence number 2 to raw/events/year=2026/"
                                           "month=11/day=30/hour=07/telemetry-0-2-4-r2.jsonl.gz, checkpoint 4")


def test_a_crash_between_the_data_and_the_checkpoint_delivers_the_events_again_under_a_new_name(tmp_path):
    hub = MemoryHub({"0": [b"a", b"b"]})
    crashed = drain_once(hub, Recording(lake.DirectoryStore(tmp_path), fail_checkpoints=True), "r1")
    assert not crashed.ok
    assert "OSError: the driver died" in crashed.partitions[0].line()
    assert objects(tmp_path) == ["events/year=2026/month=11/day=30/hour=07/telemetry-0-0-1-r1.jsonl.gz"]

    again = drain_once(hub, lake.DirectoryStore(tmp_path), "r2")

    assert again.ok
    assert hub.receives[-1]["starting_position"] == "-1"
    store = lake.DirectoryStore(tmp_path)
    assert lines_of(store, "events/year=2026/month=11/day=30/hour=07/telemetry-0-0-1-r1.jsonl.gz") == \
        lines_of(store, "events/year=2026/month=11/day=30/hour=07/telemetry-0-0-1-r2.jsonl.gz") == [b"a", b"b", b""]
    assert json.loads(store.read("_drain/checkpoints/telemetry/sink/0.json"))["sequence_number"] == 1


def test_an_empty_partition_and_a_caught_up_one_write_nothing_and_are_not_read(tmp_path):
    hub = MemoryHub({"0": [b"a"], "1": []})
    store = lake.DirectoryStore(tmp_path)
    drain_once(hub, store, "r1")
    before = objects(tmp_path)
    assert [r["partition"] for r in hub.receives] == ["0"]

    result = drain_once(hub, store, "r2")

    assert objects(tmp_path) == before
    assert [r["partition"] for r in hub.receives] == ["0"]  # nothing new: no receiver opened
    assert [p.line() for p in result.partitions] == ["partition 0: nothing new from sequence number 1",
                                                     "partition 1: nothing new from the start"]
    assert result.lines()[0] == "drained 0 events from telemetry (consumer group sink) into 0 raw objects"


def test_a_partition_that_never_delivers_what_it_announced_stops_after_the_silence_with_what_it_got(tmp_path):
    hub = MemoryHub({"0": [b"a", b"b"]})
    hub.claimed["0"] = 9  # the hub says 9, only 0 and 1 ever arrive
    result = drain_once(hub, lake.DirectoryStore(tmp_path), "r1", idle_seconds=0.05, wait_seconds=30)
    assert result.ok and result.partitions[0].events == 2
    assert json.loads(lake.DirectoryStore(tmp_path).read("_drain/checkpoints/telemetry/sink/0.json")) \
        ["sequence_number"] == 1


def test_events_the_hub_dropped_after_the_checkpoint_are_counted_as_expired(tmp_path):
    store = lake.DirectoryStore(tmp_path)
    store.write("_drain/checkpoints/telemetry/sink/0.json", b'{"sequence_number": 3}', overwrite=True)
    hub = MemoryHub({"0": [b"x", b"y"]}, first={"0": 10})  # 4..9 are past the hub's retention
    result = drain_once(hub, store, "r1")
    assert result.partitions[0].expired == 6
    assert "6 events expired in the hub before they were drained" in result.partitions[0].line()


def test_one_failing_partition_does_not_stop_the_others(tmp_path):
    hub = MemoryHub({"0": [b"a"], "1": [b"b"]})
    store = lake.DirectoryStore(tmp_path)
    store.write("_drain/checkpoints/telemetry/sink/0.json", b"not json", overwrite=True)
    result = drain_once(hub, store, "r1")
    assert not result.ok
    assert result.partitions[0].error.startswith("JSONDecodeError")
    assert result.partitions[1].events == 1


def test_the_job_over_the_drained_raw_gives_the_plain_python_averages_despite_the_redelivery(spark, tmp_path):
    evts = samples.events(240, "2026-11-29", seed=11)
    lines = [line.encode() for line in samples.bodies(evts)]
    bad = [b.encode() for b, _ in samples.MALFORMED[:2]]
    hub = MemoryHub({"0": lines[:120] + bad, "1": lines[120:200], "2": lines[200:]})
    raw = tmp_path / "raw"
    drain_once(hub, Recording(lake.DirectoryStore(raw), fail_checkpoints=True), "r1")  # every partition re-delivers
    hub.add("1", lines[:10])  # and a producer retried ten events
    drain_once(hub, lake.DirectoryStore(raw), "r2")

    summary = job.run(spark, raw_uri=raw.as_uri(), processed_uri=(tmp_path / "processed").as_uri(),
                      curated_uri=(tmp_path / "curated").as_uri(), raw_format="drain-jsonl", day="2026-11-30")

    daily, minute = samples.expected(evts)
    got_daily = {(str(r["date"]), r["sensor_id"], r["measurement"]): (r["avg_value"], r["events"])
                 for r in spark.read.parquet(str(tmp_path / "curated" / "sensor_daily")).collect()}
    assert got_daily.keys() == daily.keys()
    for key, (avg, n) in daily.items():
        assert got_daily[key][1] == n
        assert got_daily[key][0] == pytest.approx(avg, rel=1e-12, abs=1e-9)
    assert summary.raw_records == 2 * 242 + 10
    assert summary.duplicates == 240 + 10
    assert summary.quarantined == {"not-json": 4}
