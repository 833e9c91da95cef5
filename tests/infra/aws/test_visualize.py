"""AwsVisualize: an enforced, encrypted, capped Athena workgroup and a reader role."""

from __future__ import annotations

import pytest

from components.config import PROFILE_DEFAULTS, Profile
from tests.conftest import synth
from tests.infra.aws.support import (
    LEARNING, PRODUCTION, bucket_named, child_types, component, doc, one, statements, variation,
)

WORKGROUP = "aws:athena/workgroup:Workgroup"


@pytest.mark.parametrize("stack,profile", [(LEARNING, Profile.LEARNING), (PRODUCTION, Profile.PRODUCTION)])
def test_workgroup_secure_defaults(stack, profile):
    s = synth(stack)
    config = one(s, WORKGROUP).inputs["configuration"]
    assert config["enforceWorkgroupConfiguration"] is True
    assert config["publishCloudwatchMetricsEnabled"] is True
    assert config["bytesScannedCutoffPerQuery"] == PROFILE_DEFAULTS[profile].scan_limit_gb * 1024 ** 3
    encryption = config["resultConfiguration"]["encryptionConfiguration"]
    assert encryption["encryptionOption"] == "SSE_KMS" and encryption["kmsKeyArn"].startswith("arn:aws:kms:")
    results = bucket_named(s, "results").inputs["bucket"]
    workgroup = one(s, WORKGROUP).inputs["name"]
    # Results never land in the lake: their own bucket, one prefix per workgroup.
    assert config["resultConfiguration"]["outputLocation"] == f"s3://{results}/athena-results/{workgroup}/"


def test_scan_limit_override_wins():
    config = one(variation("overrides"), WORKGROUP).inputs["configuration"]
    assert config["bytesScannedCutoffPerQuery"] == 3 * 1024 ** 3
    assert component(variation("overrides"), "blueprint:stage:Visualize").outputs["scan_limit_gb"] == 3


def test_force_destroy_only_in_learning():
    assert one(synth(LEARNING), WORKGROUP).inputs["forceDestroy"] is True
    assert one(synth(PRODUCTION), WORKGROUP).inputs["forceDestroy"] is False


def test_reader_reads_curated_browses_the_catalog_and_writes_only_its_results_prefix():
    s = synth(LEARNING)
    workgroup = one(s, WORKGROUP).inputs["name"]
    curated = bucket_named(s, "curated").inputs["bucket"]
    results = bucket_named(s, "results").inputs["bucket"]
    database = one(s, "aws:glue/catalogDatabase:CatalogDatabase").inputs["name"]
    policy = statements(doc(one(s, "aws:iam/policy:Policy", "visualize-reader-policy").inputs["policy"]))
    glue = "arn:aws:glue:us-east-1:123456789012:"
    assert [st for st in policy if st["Sid"] != "UseStackKey"] == [
        {"Sid": "QueryInThisWorkgroup", "Effect": "Allow",
         "Action": ["athena:StartQueryExecution", "athena:StopQueryExecution", "athena:GetQueryExecution",
                    "athena:GetQueryResults", "athena:GetQueryRuntimeStatistics", "athena:BatchGetQueryExecution",
                    "athena:ListQueryExecutions", "athena:GetWorkGroup"],
         "Resource": f"arn:aws:athena:us-east-1:123456789012:workgroup/{workgroup}"},
        {"Sid": "BrowseTheCatalogInAthena", "Effect": "Allow",
         "Action": ["athena:GetDataCatalog", "athena:ListDatabases", "athena:GetDatabase",
                    "athena:ListTableMetadata", "athena:GetTableMetadata"],
         "Resource": "arn:aws:athena:us-east-1:123456789012:datacatalog/AwsDataCatalog"},
        {"Sid": "ListWorkgroupsAndCatalogs", "Effect": "Allow",
         "Action": ["athena:ListWorkGroups", "athena:ListDataCatalogs"], "Resource": "*"},
        {"Sid": "ReadTheCatalog", "Effect": "Allow",
         "Action": ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition",
                    "glue:GetPartitions", "glue:BatchGetPartition"],
         "Resource": [f"{glue}catalog", f"{glue}database/{database}", f"{glue}table/{database}/*"]},
        {"Sid": "ListCurated", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
         "Resource": f"arn:aws:s3:::{curated}"},
        {"Sid": "ReadCurated", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::{curated}/*"},
        {"Sid": "ListOwnResults", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
         "Resource": f"arn:aws:s3:::{results}"},
        {"Sid": "WriteOwnResults", "Effect": "Allow",
         "Action": ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
         "Resource": f"arn:aws:s3:::{results}/athena-results/{workgroup}/*"},
    ]


def test_outputs():
    s = synth(LEARNING)
    out = component(s, "blueprint:stage:Visualize").outputs
    assert out["query_endpoint"] == one(s, WORKGROUP).inputs["name"]
    assert out["reader_identity"] == out["identity"]


def test_exact_children():
    s = synth(LEARNING)
    assert child_types(s, component(s, "blueprint:stage:Visualize")) == {
        "Workgroup": 1, "Role": 1, "Policy": 1, "RolePolicyAttachment": 1}
