"""A Cloud Scheduler job's body, checked as the Dataproc Batch it creates: planted defects on gcp-prod's job."""

from __future__ import annotations

import base64
import copy
import json

from blueprint.rules import check
from tests.blueprint.rules.support import planted
from tests.conftest import synth

TOKEN, NAME = "gcp:cloudscheduler/job:Job", "platform-processing-schedule"


def _batch() -> dict:
    [job] = [r for r in synth("gcp-prod").resources if r.name == NAME]
    return copy.deepcopy(json.loads(base64.b64decode(job.inputs["httpTarget"]["body"])))


def _errors(body: str) -> list:
    s = planted("gcp-prod", TOKEN, NAME, "httpTarget.body", body)
    return [f for f in check(s).errors if f.urn.endswith(f"::{NAME}")]


def _encoded(batch: dict) -> str:
    return base64.b64encode(json.dumps(batch).encode()).decode()


def test_the_example_job_posts_a_valid_batch():
    assert [f for f in check(synth("gcp-prod")).errors if f.urn.endswith(f"::{NAME}")] == []


def test_a_misspelt_field_is_refused():
    batch = _batch()
    batch["runtimeConfig"] = {"verison": "2.3"}
    [finding] = _errors(_encoded(batch))
    assert finding.input == "httpTarget.body.runtimeConfig.verison"
    assert finding.rule == "not a field of Batch"


def test_a_duration_without_its_unit_is_refused():
    batch = _batch()
    batch["environmentConfig"]["executionConfig"]["ttl"] = "3600"
    [finding] = _errors(_encoded(batch))
    assert finding.input == "httpTarget.body.environmentConfig.executionConfig.ttl"
    assert "must match" in finding.rule


def test_a_body_that_is_not_base64_json_is_refused():
    [finding] = _errors("not base64 json!")
    assert finding.input == "httpTarget.body"
    assert finding.rule == "the body must be base64 of a JSON request"


def test_retries_from_zero_to_five_are_accepted_and_six_refused():
    for count in (0, 5):
        s = planted("gcp-prod", TOKEN, NAME, "retryConfig.retryCount", count)
        assert [f for f in check(s).errors if f.input == "retryConfig.retryCount"] == []
    s = planted("gcp-prod", TOKEN, NAME, "retryConfig.retryCount", 6)
    [finding] = [f for f in check(s).errors if f.input == "retryConfig.retryCount"]
    assert finding.rule == "from 0 to 5 retries"
