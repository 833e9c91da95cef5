"""Waiting for a job: every new state is printed once, and the wait ends at a terminal state or the deadline."""

from __future__ import annotations

from blueprint.dataflow.job_wait import wait


def test_each_state_is_printed_once_and_the_terminal_one_is_returned(capsys):
    states = iter(["PENDING", "PENDING", "RUNNING", "RUNNING", "SUCCESS"])
    assert wait(lambda: next(states), {"SUCCESS", "FAILED"}, "job j-1", poll_seconds=0) == "SUCCESS"
    assert capsys.readouterr().out.splitlines() == ["  job j-1: PENDING", "  job j-1: RUNNING", "  job j-1: SUCCESS"]


def test_a_job_still_running_at_the_deadline_is_reported_as_such():
    assert wait(lambda: "RUNNING", {"SUCCESS"}, "job j-2", deadline_seconds=0.05, poll_seconds=0.01) == \
        "still RUNNING after 0s"
