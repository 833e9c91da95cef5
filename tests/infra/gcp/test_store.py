"""Store: three secure GCS buckets, the BigQuery catalog, a read-only identity."""

from __future__ import annotations

import pytest

from infra.gcp.store import check_store_args
from tests.infra.gcp.conftest import children_types, in_stage, one, variant

BUCKET = "gcp:storage/bucket:Bucket"
DATASET = "gcp:bigquery/dataset:Dataset"
TABLE = "gcp:bigquery/table:Table"


def _buckets(s):
    """The three lake buckets by zone (the log bucket is tested on its own)."""
    return {b.name.rsplit("-", 1)[-1]: b for b in in_stage(s, "store", BUCKET) if not b.name.endswith("-logs")}


def _log_bucket(s):
    return one(b for b in in_stage(s, "store", BUCKET) if b.name.endswith("-logs"))


def test_lake_buckets_write_usage_logs_to_the_log_bucket_only_analytics_may_write(learning, production):
    for s in (learning, production):
        logs = _log_bucket(s)
        assert "logging" not in logs.inputs or not logs.inputs.get("logging")
        for bucket in _buckets(s).values():
            assert bucket.inputs["logging"]["logBucket"] == logs.inputs["name"]
        writers = [g for g in in_stage(s, "store", "gcp:storage/bucketIAMMember:BucketIAMMember")
                   if g.inputs["bucket"] == logs.inputs["name"]]
        assert [(w.inputs["role"], w.inputs["member"]) for w in writers] == [
            ("roles/storage.objectCreator", "group:cloud-storage-analytics@google.com")]
        assert logs.inputs["publicAccessPrevention"] == "enforced" and logs.inputs["encryption"]["defaultKmsKeyName"]
    assert _log_bucket(learning).inputs["forceDestroy"] and _log_bucket(production).protect


def _actions(bucket):
    return {(r["action"]["type"], tuple(sorted((k, v) for k, v in r["condition"].items()))) for r in
            bucket.inputs["lifecycleRules"]}


def test_three_buckets_with_the_secure_defaults(learning):
    key = one(learning.of_type("gcp:kms/cryptoKey:CryptoKey"))
    buckets = _buckets(learning)
    assert sorted(buckets) == ["curated", "processed", "raw"]
    for bucket in buckets.values():
        i = bucket.inputs
        assert i["uniformBucketLevelAccess"] is True
        assert i["publicAccessPrevention"] == "enforced"
        assert i["encryption"]["defaultKmsKeyName"].startswith(key.inputs["keyRing"] + "/cryptoKeys/")
        assert i["location"] == "US-CENTRAL1"
        assert ("AbortIncompleteMultipartUpload", (("age", 1),)) in _actions(bucket)


def test_buckets_wait_for_the_storage_agent_grant_on_the_key(learning):
    grant = one(g for g in learning.of_type("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")
                if "gs-project-accounts" in g.inputs["member"])
    for bucket in learning.of_type(BUCKET):
        assert grant.urn in bucket.dependencies, bucket.name


def test_learning_buckets_are_destroyable_and_raw_expires(learning):
    buckets = _buckets(learning)
    for bucket in buckets.values():
        assert bucket.inputs["forceDestroy"] is True
        assert bucket.inputs["versioning"] == {"enabled": False}
        assert bucket.inputs["softDeletePolicy"]["retentionDurationSeconds"] == 0
        assert not bucket.protect
    assert ("Delete", (("age", 30),)) in _actions(buckets["raw"])
    assert not any(a == "Delete" for a, _ in _actions(buckets["curated"]))


def test_production_buckets_are_versioned_protected_and_kept(production):
    buckets = _buckets(production)
    for bucket in buckets.values():
        assert bucket.inputs["forceDestroy"] is False
        assert bucket.inputs["versioning"] == {"enabled": True}
        assert bucket.inputs["softDeletePolicy"]["retentionDurationSeconds"] >= 7 * 24 * 3600
        assert bucket.protect
        assert any(a == "Delete" and dict(c).get("daysSinceNoncurrentTime") for a, c in _actions(bucket))
    assert not any(a == "Delete" and dict(c).get("age") for a, c in _actions(buckets["raw"]))


def test_raw_expiration_override_wins():
    s = variant(stages={"store": {"rawExpirationDays": 3}})
    assert ("Delete", (("age", 3),)) in _actions(_buckets(s)["raw"])


def test_uris_are_gs_uris_of_the_buckets(learning):
    exports = learning.exports["store"]
    buckets = _buckets(learning)
    for zone in ("raw", "processed", "curated"):
        assert exports[zone] == f"gs://{buckets[zone].inputs['name']}/"


def _tables(s) -> dict:
    return {t.inputs["tableId"]: t for t in s.of_type(TABLE)}


def test_catalog_is_an_encrypted_dataset_with_the_sensor_tables_over_curated(learning):
    dataset = one(learning.of_type(DATASET))
    assert dataset.inputs["location"] == "us-central1"
    assert dataset.inputs["defaultEncryptionConfiguration"]["kmsKeyName"].startswith("projects/")
    tables = _tables(learning)
    # The tables the sensor job writes (pipeline/job.py), so the documented SELECT returns its averages.
    assert sorted(tables) == ["sensor_daily", "sensor_minute"]
    curated = _buckets(learning)["curated"].inputs["name"]
    for table_id, table in tables.items():
        ext = table.inputs["externalDataConfiguration"]
        assert ext["sourceUris"] == [f"gs://{curated}/{table_id}/date=*"]
        assert ext["sourceFormat"] == "PARQUET"
        assert ext["hivePartitioningOptions"] == {
            "mode": "CUSTOM", "sourceUriPrefix": f"gs://{curated}/{table_id}/{{date:DATE}}",
            "requirePartitionFilter": False}


def test_sensor_tables_have_the_columns_the_job_writes(learning):
    import json

    columns = {t: [(c["name"], c["type"]) for c in json.loads(table.inputs["schema"])]
               for t, table in _tables(learning).items()}
    stats = [("avg_value", "FLOAT64"), ("events", "INT64"), ("min_value", "FLOAT64"), ("max_value", "FLOAT64")]
    assert columns["sensor_daily"] == [("sensor_id", "STRING"), ("measurement", "STRING"), *stats]
    assert columns["sensor_minute"] == [("sensor_id", "STRING"), ("measurement", "STRING"),
                                        ("minute", "TIMESTAMP"), *stats]


def _bigquery_matches(uri: str, path: str) -> bool:
    """BigQuery's rule for a Cloud Storage URI: one ``*`` that matches any characters, '/' included."""
    prefix, star, suffix = uri.partition("*")
    if not star:
        return path == uri
    return path.startswith(prefix) and path.endswith(suffix) and len(path) >= len(prefix) + len(suffix)


def test_the_external_table_reads_spark_data_files_only(learning):
    # Spark leaves a _SUCCESS marker, and uncommitted files under _temporary/ while a job runs.
    curated = _buckets(learning)["curated"].inputs["name"]
    for table_id, table in _tables(learning).items():
        uris = table.inputs["externalDataConfiguration"]["sourceUris"]
        base = f"gs://{curated}/{table_id}/"
        not_data = [base + "_SUCCESS", base + "_temporary/0/_temporary/attempt_202611300000_0001_m_000000_0/"
                    "date=2026-11-30/part-00000-1b2c.c000.snappy.parquet", base + "_temporary/0/"]
        data = base + "date=2026-11-30/part-00000-1b2c.c000.snappy.parquet"
        for uri in uris:
            assert uri.count("*") <= 1  # BigQuery allows one wildcard per URI
            assert not [p for p in not_data if _bigquery_matches(uri, p)], uri
        assert any(_bigquery_matches(uri, data) for uri in uris)


def test_catalog_deletion_protection_in_production_only(learning, production):
    assert one(learning.of_type(DATASET)).inputs["deleteContentsOnDestroy"] is True
    assert [t.inputs["deletionProtection"] for t in learning.of_type(TABLE)] == [False, False]
    dataset = one(production.of_type(DATASET))
    assert dataset.inputs["deleteContentsOnDestroy"] is False and dataset.protect
    tables = production.of_type(TABLE)
    assert len(tables) == 2 and all(t.inputs["deletionProtection"] is True and t.protect for t in tables)


def test_store_identity_only_reads_the_lake(learning):
    sa = one(in_stage(learning, "store", "gcp:serviceaccount/account:Account"))
    grants = [g for g in in_stage(learning, "store", "gcp:storage/bucketIAMMember:BucketIAMMember")
              if g.inputs["member"].startswith("serviceAccount:")]
    assert len(grants) == 3
    assert {g.inputs["role"] for g in grants} == {"roles/storage.objectViewer"}
    assert {g.inputs["member"] for g in grants} == {f"serviceAccount:{_email(sa)}"}


def _email(sa):
    return f"{sa.inputs['accountId']}@blueprint-learning.iam.gserviceaccount.com"


def test_store_exact_children(learning):
    assert children_types(learning, "store") == {
        BUCKET: 4, DATASET: 1, TABLE: 2, "gcp:serviceaccount/account:Account": 1,
        "gcp:storage/bucketIAMMember:BucketIAMMember": 4,
    }


def _context(**overrides):
    """A GCP stage context without resources, for the pure validators."""
    from components.config import load_config
    from components.context import StageContext

    values = {"cloud": "gcp", "owner": "a", "alertEmails": ["a@example.com"],
              "gcp": {"project": "proj-12345", "billingAccount": "012345-6789AB-CDEF01"}, **overrides}
    cfg = load_config(values)
    return StageContext(cfg.cloud, cfg, "gcp")


def test_invalid_raw_expiration_is_refused_naming_the_key():
    ctx = _context()
    with pytest.raises(ValueError, match="rawExpirationDays"):
        check_store_args({"context": ctx, "raw_expiration_days": 0})
    assert check_store_args({"context": ctx}) == 30
    # One day is the shortest lifecycle age that deletes anything.
    assert check_store_args({"context": ctx, "raw_expiration_days": 1}) == 1


def test_bucket_names_differ_per_gcp_project_for_the_same_stack(learning):
    # GCS names are global: everyone deploying the example stack "gcp" would otherwise get the same names.
    other = variant(gcp={**learning.config["blueprint:gcp"], "project": "someone-elses-project"})
    names = {b.name: b.inputs["name"] for b in learning.of_type(BUCKET)}
    others = {b.name: b.inputs["name"] for b in other.of_type(BUCKET)}
    assert names.keys() == others.keys() and len(names) == 5
    assert all(names[k] != others[k] for k in names)


def test_curated_table_columns_accept_sparks_optional_parquet_columns(learning):
    import json

    for table in in_stage(learning, "store", TABLE):
        assert {column["mode"] for column in json.loads(table.inputs["schema"])} == {"NULLABLE"}


def test_without_usage_logs_no_log_bucket_and_no_google_group():
    s = variant(gcp={"project": "blueprint-learning", "region": "us-central1",
                     "billingAccount": "012345-6789AB-CDEF01", "usageLogs": False})
    assert not [g for g in s.custom() if g.inputs.get("member") == "group:cloud-storage-analytics@google.com"]
    buckets = s.of_type(BUCKET)
    assert len(buckets) == 4 and not [b.name for b in buckets if b.name.endswith("-logs")]
    assert not [b.name for b in buckets if b.inputs.get("logging")]


def test_usage_logs_are_on_by_default(learning, production):
    for s in (learning, production):
        assert [g.inputs["role"] for g in s.custom()
                if g.inputs.get("member") == "group:cloud-storage-analytics@google.com"] == ["roles/storage.objectCreator"]
