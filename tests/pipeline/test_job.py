"""The pipeline over each cloud's raw format: averages equal those computed in plain Python from the events."""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline import job
from tests.pipeline import samples

DAY, NEXT = "2026-11-29", "2026-11-30"


def zones(tmp_path):
    return {name: tmp_path / name for name in ("raw", "processed", "curated")}


def run(spark, z, fmt, day=None):
    return job.run(spark, raw_uri=z["raw"].as_uri(), processed_uri=z["processed"].as_uri(),
                   curated_uri=z["curated"].as_uri(), raw_format=fmt, day=day)


def curated(spark, z):
    daily = {(str(r["date"]), r["sensor_id"], r["measurement"]): (r["avg_value"], r["events"])
             for r in spark.read.parquet(str(z["curated"] / "sensor_daily")).collect()}
    minute = {(str(r["date"]), r["sensor_id"], r["measurement"], r["minute"]): (r["avg_value"], r["events"])
              for r in spark.read.parquet(str(z["curated"] / "sensor_minute")).collect()}
    return daily, minute


def assert_same(actual: dict, wanted: dict):
    assert actual.keys() == wanted.keys()
    for key, (avg, n) in wanted.items():
        assert actual[key][1] == n, key
        assert actual[key][0] == pytest.approx(avg, rel=1e-12, abs=1e-9), key


def quarantine(spark, z):
    rows = spark.read.json(str(z["processed"] / "quarantine")).collect()
    return Counter(r["reason"] for r in rows)


def test_firehose_jsonl_daily_and_minute_averages_with_duplicates_and_malformed(spark, tmp_path):
    z = zones(tmp_path)
    evts = samples.events(400, DAY)
    lines = samples.bodies(evts)
    samples.write_firehose(z["raw"], DAY, 10, "part-1", lines[:250] + [b for b, _ in samples.MALFORMED])
    # At-least-once: Firehose retried a batch, so 60 events arrive again in a later object.
    samples.write_firehose(z["raw"], DAY, 11, "part-2", lines[250:] + lines[:60])

    summary = run(spark, z, "firehose-jsonl")

    daily, minute = samples.expected(evts)
    assert_same(curated(spark, z)[0], daily)
    assert_same(curated(spark, z)[1], minute)
    assert summary.raw_records == 400 + 60 + 12
    assert summary.duplicates == 60
    assert quarantine(spark, z) == Counter({"not-json": 2, "missing-event_id": 2, "missing-sensor_id": 1,
                                            "missing-measurement": 1, "missing-timestamp": 1, "bad-timestamp": 2,
                                            "value-not-number": 2, "value-not-finite": 1})
    processed = spark.read.parquet(str(z["processed"] / "events"))
    assert processed.count() == 400
    assert processed.select("event_id").distinct().count() == 400


def test_late_events_correct_their_day_and_a_rerun_changes_nothing(spark, tmp_path):
    z = zones(tmp_path)
    first, second = samples.events(200, DAY, seed=1), samples.events(200, NEXT, seed=2)
    late = samples.events(30, DAY, seed=3)  # measured on DAY, delivered the day after
    samples.write_firehose(z["raw"], DAY, 23, "a", samples.bodies(first))
    samples.write_firehose(z["raw"], NEXT, 1, "b", samples.bodies(second + late + first[:10]))

    run(spark, z, "firehose-jsonl", day=DAY)
    assert_same(curated(spark, z)[0], samples.expected(first)[0])

    run(spark, z, "firehose-jsonl", day=NEXT)
    after = curated(spark, z)
    assert_same(after[0], samples.expected(first + second + late)[0])
    assert_same(after[1], samples.expected(first + second + late)[1])

    run(spark, z, "firehose-jsonl", day=NEXT)
    assert curated(spark, z) == after
    # Re-running the first day rewrites that day only: the next day stays, and the late events merged stay too.
    run(spark, z, "firehose-jsonl", day=DAY)
    assert curated(spark, z) == after
    assert spark.read.parquet(str(z["processed"] / "events")).count() == 430


@pytest.mark.parametrize("fmt", ["capture-avro", "pubsub-avro", "drain-jsonl"])
def test_every_cloud_format_gives_the_same_averages(spark, tmp_path, fmt):
    z = zones(tmp_path)
    evts = samples.events(300, DAY, seed=5)
    lines = samples.bodies(evts)
    bad = [b for b, _ in samples.MALFORMED[:3]]
    if fmt == "capture-avro":
        samples.write_capture(z["raw"], DAY, 0, lines[:150] + bad)
        samples.write_capture(z["raw"], DAY, 1, lines[150:] + lines[:25])
    elif fmt == "pubsub-avro":
        samples.write_pubsub(z["raw"], DAY, "10_05_00Z_a", lines[:150] + bad)
        samples.write_pubsub(z["raw"], DAY, "10_10_00Z_b", lines[150:] + lines[:25])
    else:
        samples.write_firehose(z["raw"], DAY, 0, "a", lines[:150] + bad)
        samples.write_firehose(z["raw"], DAY, 1, "b", lines[150:] + lines[:25])

    summary = run(spark, z, fmt, day=DAY)

    daily, minute = samples.expected(evts)
    assert_same(curated(spark, z)[0], daily)
    assert_same(curated(spark, z)[1], minute)
    assert summary.duplicates == 25
    assert quarantine(spark, z) == Counter({"not-json": 2, "missing-event_id": 1})


def test_an_unreadable_avro_file_is_quarantined_and_the_rest_still_counts(spark, tmp_path):
    z = zones(tmp_path)
    evts = samples.events(50, DAY, seed=9)
    samples.write_pubsub(z["raw"], DAY, "good", samples.bodies(evts))
    broken = samples.write_pubsub(z["raw"], DAY, "broken", samples.bodies(evts[:5]))
    broken.write_bytes(broken.read_bytes()[:-40])

    run(spark, z, "pubsub-avro")

    assert_same(curated(spark, z)[0], samples.expected(evts)[0])
    rows = spark.read.json(str(z["processed"] / "quarantine")).collect()
    assert [r["source"].endswith("broken.avro") for r in rows] == [True]
    assert rows[0]["reason"].startswith("unreadable-file")


def test_quarantine_records_keep_the_body_and_the_file(spark, tmp_path):
    z = zones(tmp_path)
    samples.write_firehose(z["raw"], DAY, 3, "only", ["not json at all"])
    summary = run(spark, z, "firehose-jsonl", day=DAY)
    [row] = spark.read.json(str(z["processed"] / "quarantine")).collect()
    assert (row["reason"], row["body"], str(row["window"])) == ("not-json", "not json at all", DAY)
    assert row["source"].endswith("hour=03/only.gz")
    assert summary.dates == []
    assert summary.lines()[-1] == "event days written: none"


def test_registered_tables_answer_the_documented_query_and_pick_up_new_days(spark, tmp_path):
    z = zones(tmp_path)
    first, second = samples.events(80, DAY, seed=11), samples.events(80, NEXT, seed=12)
    samples.write_firehose(z["raw"], DAY, 8, "a", samples.bodies(first))
    samples.write_firehose(z["raw"], NEXT, 8, "b", samples.bodies(second))
    spark.sql("CREATE DATABASE IF NOT EXISTS lake_registered")

    job.run(spark, raw_uri=z["raw"].as_uri(), processed_uri=z["processed"].as_uri(),
            curated_uri=z["curated"].as_uri(), raw_format="firehose-jsonl", day=DAY, database="lake_registered")
    job.run(spark, raw_uri=z["raw"].as_uri(), processed_uri=z["processed"].as_uri(),
            curated_uri=z["curated"].as_uri(), raw_format="firehose-jsonl", day=NEXT, database="lake_registered")

    rows = spark.sql("SELECT date, sensor_id, measurement, avg_value, events FROM lake_registered.sensor_daily").collect()
    assert_same({(str(r["date"]), r["sensor_id"], r["measurement"]): (r["avg_value"], r["events"]) for r in rows},
                samples.expected(first + second)[0])


def test_a_database_name_that_is_not_an_identifier_is_refused_before_reading(spark, tmp_path):
    z = zones(tmp_path)
    with pytest.raises(ValueError, match="database 'lake; DROP' is not a plain identifier"):
        job.run(spark, raw_uri=z["raw"].as_uri(), processed_uri=z["processed"].as_uri(),
                curated_uri=z["curated"].as_uri(), raw_format="firehose-jsonl", database="lake; DROP")
