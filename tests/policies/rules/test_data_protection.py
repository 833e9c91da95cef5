"""Data-protection floors at their boundary: the profile's minimum passes, one step below is reported."""

from __future__ import annotations

import pytest

from tests.policies.harness import run_resource, run_stack

# (rule, token, profile, props exactly at the floor, the same one step below it)
AT_AND_BELOW_THE_FLOOR = [
    # production keeps stream events 7 days (168 h); learning 24 h
    ("retention-floors", "aws:kinesis/stream:Stream", "production", {"retentionPeriod": 168}, {"retentionPeriod": 167}),
    ("retention-floors", "aws:kinesis/stream:Stream", "learning", {"retentionPeriod": 24}, {"retentionPeriod": 23}),
    ("retention-floors", "azure-native:eventhub:EventHub", "production",
     {"retentionDescription": {"retentionTimeInHours": 168}}, {"retentionDescription": {"retentionTimeInHours": 167}}),
    ("retention-floors", "azure-native:eventhub:EventHub", "learning",
     {"messageRetentionInDays": 1}, {"messageRetentionInDays": 0}),
    # a production KMS key waits the longest window AWS allows (30 days) before deletion
    ("deletion-protection", "aws:kms/key:Key", "production",
     {"deletionWindowInDays": 30}, {"deletionWindowInDays": 29}),
]


@pytest.mark.parametrize("rule, token, profile, at_floor, below_floor", AT_AND_BELOW_THE_FLOOR,
                         ids=[f"{row[0]}-{row[1].rsplit(':', 1)[1]}-{row[2]}" for row in AT_AND_BELOW_THE_FLOOR])
def test_floors_accept_the_minimum_and_report_one_step_below(rule, token, profile, at_floor, below_floor):
    assert run_resource(rule, token, at_floor, profile, protect=True) == []
    assert run_resource(rule, token, below_floor, profile, protect=True)


def _soft_delete(days: int, gcs_seconds: int) -> list:
    return [
        ("azure-native:storage:StorageAccount", "lake", {}, {}),
        ("azure-native:storage:BlobServiceProperties", "lake-blob", {
            "deleteRetentionPolicy": {"enabled": True, "days": days},
            "containerDeleteRetentionPolicy": {"enabled": True, "days": days}}, {"accountName": ["lake"]}),
        ("gcp:storage/bucket:Bucket", "gcs", {"softDeletePolicy": {"retentionDurationSeconds": gcs_seconds}}, {}),
    ]


def test_production_soft_delete_keeps_seven_days_and_not_a_day_or_second_less():
    assert run_stack("soft-delete-retention", _soft_delete(7, 604800), "production") == []
    assert len(run_stack("soft-delete-retention", _soft_delete(6, 604800), "production")) == 2
    assert len(run_stack("soft-delete-retention", _soft_delete(7, 604799), "production")) == 1


def test_unset_retention_counts_as_the_services_default():
    # Kinesis keeps records 24 hours by default; Event Hubs one day.
    stream, hub = "aws:kinesis/stream:Stream", "azure-native:eventhub:EventHub"
    assert run_resource("retention-floors", stream, {}, config={"minStreamRetentionHours": 24}) == []
    assert run_resource("retention-floors", stream, {}, config={"minStreamRetentionHours": 25})
    assert run_resource("retention-floors", hub, {}, config={"minEventHubRetentionDays": 1}) == []
    assert run_resource("retention-floors", hub, {}, config={"minEventHubRetentionDays": 2})


def test_blob_soft_delete_without_days_is_reported_even_in_learning():
    specs = [("azure-native:storage:StorageAccount", "lake", {}, {}),
             ("azure-native:storage:BlobServiceProperties", "lake-blob", {
                 "deleteRetentionPolicy": {"enabled": True}, "containerDeleteRetentionPolicy": {"enabled": True}},
              {"accountName": ["lake"]})]
    assert len(run_stack("soft-delete-retention", specs, "learning")) == 2


def test_a_short_event_hub_retention_is_reported_with_the_hours_to_set():
    assert run_resource("retention-floors", "azure-native:eventhub:EventHub",
                        {"retentionDescription": {"retentionTimeInHours": 24}}, "production") == [
        "retention is 1 days: set retention_description.retention_time_in_hours to at least 168"]
