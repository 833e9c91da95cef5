"""The job's command line: ``--day`` takes a date or ``yesterday``, the UTC day before the run starts."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest

from pipeline.main import day_argument, parser


@pytest.mark.parametrize("now, expected", [
    (dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.timezone.utc), "2026-11-30"),
    (dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.timezone.utc), "2026-11-30"),
    (dt.datetime(2026, 11, 30, 23, 59, tzinfo=dt.timezone.utc), "2026-11-29"),
    (dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.timezone.utc), "2026-02-28"),
    # 01:00 in UTC+2 is still the previous UTC day, whose previous day is the 29th.
    (dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), "2026-11-29"),
])
def test_yesterday_is_the_utc_day_before_the_run(now, expected):
    assert day_argument("yesterday", now=now) == expected


def test_a_date_is_kept_and_anything_else_refused():
    assert day_argument("2026-11-30") == "2026-11-30"
    with pytest.raises(argparse.ArgumentTypeError, match="allowed: YYYY-MM-DD or yesterday"):
        day_argument("Yesterday")


def test_the_parser_resolves_yesterday_when_the_job_starts():
    args = parser("firehose-jsonl").parse_args(["--raw", "r", "--processed", "p", "--curated", "c",
                                                  "--day", "yesterday"])
    assert args.day == (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()
