"""Visualize: BigQuery as the serving layer and a read-only viewer identity."""

from __future__ import annotations

from tests.infra.gcp.conftest import children_types, in_stage, one


def test_viewer_reads_the_dataset_and_curated_bucket_and_may_run_jobs(learning):
    sa = one(in_stage(learning, "visualize", "gcp:serviceaccount/account:Account"))
    member = f"serviceAccount:{sa.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"
    grants = {(r.type, r.inputs["role"]) for r in learning.custom() if r.inputs.get("member") == member}
    assert grants == {
        ("gcp:bigquery/datasetIamMember:DatasetIamMember", "roles/bigquery.dataViewer"),
        ("gcp:storage/bucketIAMMember:BucketIAMMember", "roles/storage.objectViewer"),
        ("gcp:projects/iAMMember:IAMMember", "roles/bigquery.jobUser"),
    }
    bucket = one(r for r in learning.of_type("gcp:storage/bucketIAMMember:BucketIAMMember")
                 if r.inputs["member"] == member)
    curated = learning.exports["store"]["curated"]
    assert curated == f"gs://{bucket.inputs['bucket']}/"


def test_exports_name_the_dataset_the_reader_and_the_scan_cap(learning, production):
    dataset = one(learning.of_type("gcp:bigquery/dataset:Dataset"))
    assert learning.exports["visualize"]["query_endpoint"] == (
        f"projects/blueprint-learning/datasets/{dataset.inputs['datasetId']}")
    stage = one(r for r in learning.resources if r.type == "blueprint:stage:Visualize")
    assert stage.outputs["scan_limit_gb"] == 10
    assert one(r for r in production.resources if r.type == "blueprint:stage:Visualize").outputs["scan_limit_gb"] == 100


def test_visualize_exact_children(learning):
    assert children_types(learning, "visualize") == {
        "gcp:serviceaccount/account:Account": 1, "gcp:bigquery/datasetIamMember:DatasetIamMember": 1,
        "gcp:storage/bucketIAMMember:BucketIAMMember": 1, "gcp:projects/iAMMember:IAMMember": 1,
    }
