"""The GCP sweep at the REST boundary, with responses in the documented shape of
Cloud Asset Inventory ``searchAllResources`` and the Cloud Storage object listing.
A last test runs against a real project when credentials are present.
"""

from __future__ import annotations

import os

import pytest

from blueprint.teardown.gcp import GcpCloud, delete_url
from blueprint.teardown.rest import NoCredentials, Rest, gcp_token
from blueprint.teardown.sweep import sweep
from tests.blueprint.teardown.test_azure_sweep import Recorded

LEARN = {"managed-by": "blueprint", "stack": "learn", "profile": "learning"}
PAGE_1 = {"results": [
    {"name": "//storage.googleapis.com/projects/_/buckets/learn-raw-7f3a", "assetType": "storage.googleapis.com/Bucket",
     "project": "projects/123456789012", "location": "us-central1", "labels": {**LEARN, "stage": "store"}},
    {"name": "//pubsub.googleapis.com/projects/learn-proj/topics/learn-events", "assetType": "pubsub.googleapis.com/Topic",
     "project": "projects/123456789012", "labels": {**LEARN, "stage": "buffer"}},
], "nextPageToken": "p2"}
PAGE_2 = {"results": [
    {"name": "//cloudkms.googleapis.com/projects/learn-proj/locations/us-central1/keyRings/learn-ring/cryptoKeys/learn-key",
     "assetType": "cloudkms.googleapis.com/CryptoKey", "project": "projects/123456789012",
     "labels": {**LEARN, "stage": "foundation"}},
    {"name": "//bigquery.googleapis.com/projects/learn-proj/datasets/learn_curated",
     "assetType": "bigquery.googleapis.com/Dataset", "project": "projects/123456789012",
     "labels": {**LEARN, "stage": "visualize", "profile": "production"}},
]}
OBJECTS = {"kind": "storage#objects", "items": [
    {"name": "raw/2026/11/part 0.json", "bucket": "learn-raw-7f3a", "generation": "1732900000000001"},
]}


def _cloud():
    transport = Recorded({})
    transport.answers = {
        ("GET", "/storage/v1/b/learn-raw-7f3a/o", None): OBJECTS,
        ("DELETE", "/storage/v1/b/learn-raw-7f3a/o/raw%2F2026%2F11%2Fpart%200.json", None): {},
        ("DELETE", "/storage/v1/b/learn-raw-7f3a", None): {},
        ("DELETE", "/v1/projects/learn-proj/topics/learn-events", None): {},
    }

    def answer(method, url, body, headers):
        if ":searchAllResources" in url:
            transport.requests.append((method, url, body))
            import json

            return 200, json.dumps(PAGE_2 if "pageToken=p2" in url else PAGE_1).encode()
        return Recorded.__call__(transport, method, url, body, headers)

    return GcpCloud(Rest(lambda: "token", answer), "learn-proj"), transport


def test_recorded_responses_asset_search_by_label_and_pages():
    cloud, transport = _cloud()
    found = cloud.inventory("learn")
    assert [f.name for f in found] == ["learn-raw-7f3a", "learn-events", "learn-key", "learn_curated"]
    assert "query=labels.stack%3Alearn" in transport.requests[0][1]
    assert "pageSize=500" in transport.requests[0][1]


def test_recorded_responses_delete_in_pipeline_order_empty_bucket_first():
    cloud, transport = _cloud()
    lines = []
    report = sweep("learn", {"gcp": cloud}, set(), delete=True, confirm=lambda p: True, out=lines.append)
    assert [f.name for f in report.deleted] == ["learn-events", "learn-raw-7f3a"]
    deletes = [u.split("?")[0] for m, u, _ in transport.requests if m == "DELETE"]
    assert deletes == [
        "https://pubsub.googleapis.com/v1/projects/learn-proj/topics/learn-events",
        "https://storage.googleapis.com/storage/v1/b/learn-raw-7f3a/o/raw%2F2026%2F11%2Fpart%200.json",
        "https://storage.googleapis.com/storage/v1/b/learn-raw-7f3a",
    ]
    assert {f.name: why for f, why in report.left}["learn-key"].startswith("KMS key rings and keys cannot be deleted")
    assert any("learn_curated: tagged profile: production" in line for line in lines)


def test_delete_urls_per_service():
    assert delete_url("//compute.googleapis.com/projects/p/global/networks/n") == \
        "https://compute.googleapis.com/compute/v1/projects/p/global/networks/n"
    assert delete_url("//bigquery.googleapis.com/projects/p/datasets/d") == \
        "https://bigquery.googleapis.com/bigquery/v2/projects/p/datasets/d?deleteContents=true"
    assert delete_url("//dataproc.googleapis.com/projects/p/regions/r/batches/b") == \
        "https://dataproc.googleapis.com/v1/projects/p/regions/r/batches/b"


def test_real_project_inventory_when_credentials_exist():
    project = os.environ.get("GOOGLE_CLOUD_PROJECT")
    if not project:
        pytest.skip("no GCP credentials: set GOOGLE_CLOUD_PROJECT and log in with gcloud (or GOOGLE_OAUTH_ACCESS_TOKEN)")
    try:
        gcp_token()
    except NoCredentials as exc:
        pytest.skip(str(exc))
    assert GcpCloud(Rest(gcp_token), project).inventory("blueprint-sweep-probe-no-such-stack") == []
