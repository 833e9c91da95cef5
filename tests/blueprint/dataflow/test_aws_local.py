"""``bp smoke aws --local``: probe events go from the stack's stream to raw in moto, and on to curated."""

from __future__ import annotations

import boto3
import pytest

from blueprint.dataflow import aws_local, stack_plan
from blueprint.dataflow.probe import Probe


@pytest.fixture(scope="module")
def plan():
    return stack_plan.read("aws")


def test_events_reach_curated_and_each_hop_says_how_it_ran(plan, moto_endpoint, spark):
    hops = aws_local.smoke(plan, Probe(20), "curated", moto_endpoint)

    status = {h.name: h.status for h in hops.hops}
    assert status == {"setup": "ran", "connect": "bridged", "buffer": "ran", "sink": "bridged", "raw": "ran",
                      "raw -> job input": "bridged", "job -> curated": "ran", "curated": "ran", "cleanup": "ran"}
    job = next(h for h in hops.hops if h.name == "job -> curated")
    # Values 0..19 and one retried copy of the first: the average of 0..19 over 20 events.
    assert "daily average 9.5 over 20 events" in job.detail
    assert "1 duplicates dropped" in job.detail
    assert "ran: setup, buffer, raw" in hops.footer() and "bridged by the command: connect, sink" in hops.footer()


def test_raw_events_are_found_under_the_stack_bucket_and_removed_afterwards(plan, moto_endpoint):
    hops = aws_local.smoke(plan, Probe(7), "raw", moto_endpoint)

    raw = next(h for h in hops.hops if h.name == "raw")
    assert raw.status == "ran"
    bucket = next(r for r in plan.resources if r.name == "platform-store-raw").inputs["bucket"]
    assert bucket.startswith("blueprint-aws-store-raw-")
    assert f"7/7 events found in s3://{bucket}/events/" in raw.detail
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1",
                      aws_access_key_id="moto", aws_secret_access_key="moto")
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
