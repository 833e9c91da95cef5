"""Rules whose every branch matters: each public principal on GCP, and GCP label case.

Pinned one value at a time: a rule that forgot ``allUsers`` while still
catching ``allAuthenticatedUsers`` would let a bucket go public.
"""

from __future__ import annotations

import pytest

from tests.policies.harness import run_resource

BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
DATASET = "gcp:bigquery/dataset:Dataset"


@pytest.mark.parametrize("member", ["allUsers", "allAuthenticatedUsers"])
def test_a_bucket_grant_to_a_public_principal_is_refused(member):
    props = {"bucket": "lake", "role": "roles/storage.objectViewer", "member": member}
    assert run_resource("gcp-no-public-members", BUCKET_MEMBER, props) == [
        f"remove the grant to {member}: grant named groups or service accounts"]


@pytest.mark.parametrize("entry", [
    {"role": "READER", "specialGroup": "allUsers"},
    {"role": "READER", "specialGroup": "allAuthenticatedUsers"},
    {"role": "READER", "iamMember": "allUsers"},
    {"role": "READER", "iamMember": "allAuthenticatedUsers"},
])
def test_a_dataset_access_entry_for_a_public_principal_is_refused(entry):
    props = {"datasetId": "lake", "accesses": [{"role": "OWNER", "specialGroup": "projectOwners"}, entry]}
    public = entry.get("specialGroup") or entry.get("iamMember")
    assert run_resource("gcp-no-public-members", DATASET, props) == [
        f"remove the grant to {public}: grant named groups or service accounts"]


def test_named_principals_pass():
    props = {"bucket": "lake", "role": "roles/storage.objectViewer",
             "member": "serviceAccount:reader@project.iam.gserviceaccount.com"}
    assert run_resource("gcp-no-public-members", BUCKET_MEMBER, props) == []
    dataset = {"datasetId": "lake", "accesses": [{"role": "OWNER", "specialGroup": "projectOwners"}]}
    assert run_resource("gcp-no-public-members", DATASET, dataset) == []


LABELS = {"owner": "data-team", "stack": "dev", "stage": "store", "zone": "data", "profile": "learning",
          "managed-by": "blueprint", "expires-at": "2026-12-03t00-00z"}


@pytest.mark.parametrize("labels, bad", [
    ({**LABELS, "Team": "data"}, "Team"),                  # an upper-case key
    ({**LABELS, "team": "Data"}, "team"),                  # an upper-case value
])
def test_gcp_labels_must_be_lower_case(labels, bad):
    messages = run_resource("required-tags", "gcp:storage/bucket:Bucket", {"name": "lake", "labels": labels})
    assert messages == [f"GCP labels are lower-case: fix {bad} (components.tags.labels() converts)"]


def test_lower_case_gcp_labels_pass():
    assert run_resource("required-tags", "gcp:storage/bucket:Bucket", {"name": "lake", "labels": LABELS}) == []
