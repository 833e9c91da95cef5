"""A universal target's input, checked as the request of the API it calls: planted defects on aws-prod's schedule."""

from __future__ import annotations

import copy
import json

from blueprint.rules import check
from tests.blueprint.rules.support import planted
from tests.conftest import synth

TOKEN, NAME = "aws:scheduler/schedule:Schedule", "platform-processing-schedule"


def _request() -> dict:
    [schedule] = [r for r in synth("aws-prod").resources if r.name == NAME]
    return copy.deepcopy(json.loads(schedule.inputs["target"]["input"]))


def _with_input(request) -> list:
    """The errors found on the schedule's input once ``request`` replaces it."""
    text = request if isinstance(request, str) else json.dumps(request)
    s = planted("aws-prod", TOKEN, NAME, "target.input", text)
    return [f for f in check(s).errors if f.urn.endswith(f"::{NAME}") and f.input.startswith("target.input")]


def test_the_example_schedule_sends_a_valid_start_job_run_request():
    assert [f for f in check(synth("aws-prod")).errors if f.urn.endswith(f"::{NAME}")] == []


def test_a_request_without_the_client_token_is_refused():
    request = _request()
    del request["ClientToken"]
    [finding] = _with_input(request)
    assert finding.input == "target.input.clientToken"
    assert finding.rule == "required member clientToken is missing"
    assert "emr-serverless StartJobRun" in finding.source


def test_a_client_token_the_api_refuses_is_found_after_the_context_attribute_is_filled_in():
    request = _request()
    request["ClientToken"] = "run on <aws.scheduler.scheduled-time>"
    [finding] = _with_input(request)
    assert finding.input == "target.input.ClientToken"
    assert finding.value == "run on 2022-03-22T18:59:43Z"
    assert "must match" in finding.rule


def test_a_job_name_of_256_characters_passes_and_257_fails():
    request = _request()
    request["Name"] = "n" * 256
    assert _with_input(request) == []
    request["Name"] = "n" * 257
    [finding] = _with_input(request)
    assert finding.rule == "at most 256 characters (has 257)"


def test_an_input_that_is_not_json_is_refused():
    [finding] = _with_input("{ApplicationId: x}")
    assert finding.input == "target.input"
    assert finding.rule == "a universal target's input must be well-formed JSON"


def test_an_unknown_universal_target_is_reported_rather_than_left_unchecked():
    s = planted("aws-prod", TOKEN, NAME, "target.arn", "arn:aws:scheduler:::aws-sdk:glue:startJobRun")
    [finding] = [f for f in check(s).errors if f.urn.endswith(f"::{NAME}") and f.input == "target.arn"]
    assert "not checked" in finding.rule
