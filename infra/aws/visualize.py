"""AwsVisualize: an Athena workgroup over the curated zone and a reader role.

Creates an Athena workgroup whose configuration is enforced (clients cannot
override it): query results go to ``athena-results/<workgroup>/`` in the
store's results bucket (never the lake), encrypted with SSE_KMS and the stack key; every query is
cancelled after scanning ``scan_limit_gb`` (``bytes_scanned_cutoff_per_query``);
CloudWatch metrics are published. In learning the workgroup is
``force_destroy`` (deleted with its saved queries and history); in production
it is protected.

The reader role (this account's principals, or ``blueprint:aws.trustedPrincipals``,
may assume it) can run queries in this workgroup only, browse the catalog from Athena
(list workgroups and catalogs, databases, tables and columns), read the Glue
catalog's lake database, read curated objects, and read and write only the
workgroup's prefix of the results bucket.

Where AWS differs: Athena bills per TB scanned (10 MB minimum per query)
and nothing idle; the scan cap is the cost guardrail. Amazon Managed Grafana
is not created: each workspace bills at least one editor licence a month
even when nobody logs in.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.stages.visualize import Visualize, VisualizeArgs
from infra.aws.identity import Principals, kms_use, stage_role
from infra.aws.processing import bucket_of

GIB = 1024 ** 3
RESULTS_PREFIX = "athena-results"
DATA_CATALOG = "AwsDataCatalog"
"""Athena's name for the account's Glue Data Catalog."""
CATALOG_BROWSE_ACTIONS: tuple[str, ...] = (
    "athena:GetDataCatalog", "athena:ListDatabases", "athena:GetDatabase", "athena:ListTableMetadata",
    "athena:GetTableMetadata",
)
"""What a dashboard's Athena data source calls to list databases, tables and columns."""
ATHENA_LIST_ACTIONS: tuple[str, ...] = ("athena:ListWorkGroups", "athena:ListDataCatalogs")
"""Listing calls without resource-level permissions (see ``WILDCARD_RESOURCE_ACTIONS``)."""


class AwsVisualize(Visualize):
    workgroup: aws.athena.Workgroup

    def __init__(self, name: str, args: VisualizeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        foundation = ctx.foundation
        store = args["store"]
        scan_limit_gb = args.get("scan_limit_gb", ctx.config.scan_limit_gb)
        tags = ctx.tags(self.STAGE)

        workgroup_name = ctx.name("athena-workgroup", "visualize-workgroup")
        curated = bucket_of(store.curated_uri)
        curated_arn = pulumi.Output.concat("arn:", foundation.partition, ":s3:::", curated)
        results_bucket = store.buckets["results"]
        results = f"{RESULTS_PREFIX}/{workgroup_name}/"

        self.workgroup = aws.athena.Workgroup(
            f"{name}-workgroup",
            name=workgroup_name,
            description="Queries over the curated zone, with a per-query scan cap",
            state="ENABLED",
            force_destroy=not ctx.is_production,
            configuration=aws.athena.WorkgroupConfigurationArgs(
                enforce_workgroup_configuration=True,
                publish_cloudwatch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=scan_limit_gb * GIB,
                result_configuration=aws.athena.WorkgroupConfigurationResultConfigurationArgs(
                    output_location=pulumi.Output.concat("s3://", results_bucket.bucket, "/", results),
                    encryption_configuration=aws.athena.WorkgroupConfigurationResultConfigurationEncryptionConfigurationArgs(
                        encryption_option="SSE_KMS", kms_key_arn=foundation.key_arn),
                ),
            ),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect, delete_before_replace=True),
        )
        database = ctx.name("glue-database", "processing-catalog")
        self.reader = stage_role(
            name, ctx, self.STAGE, "reader",
            principals=Principals(account=True),
            statements=[
                {"Sid": "QueryInThisWorkgroup", "Effect": "Allow",
                 "Action": ["athena:StartQueryExecution", "athena:StopQueryExecution", "athena:GetQueryExecution",
                            "athena:GetQueryResults", "athena:GetQueryRuntimeStatistics",
                            "athena:BatchGetQueryExecution", "athena:ListQueryExecutions", "athena:GetWorkGroup"],
                 "Resource": self.workgroup.arn},
                {"Sid": "BrowseTheCatalogInAthena", "Effect": "Allow", "Action": list(CATALOG_BROWSE_ACTIONS),
                 "Resource": foundation.arn("athena", f"datacatalog/{DATA_CATALOG}")},
                {"Sid": "ListWorkgroupsAndCatalogs", "Effect": "Allow", "Action": list(ATHENA_LIST_ACTIONS),
                 "Resource": "*"},
                {"Sid": "ReadTheCatalog", "Effect": "Allow",
                 "Action": ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables",
                            "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"],
                 "Resource": [foundation.arn("glue", "catalog"), foundation.arn("glue", f"database/{database}"),
                              foundation.arn("glue", f"table/{database}/*")]},
                {"Sid": "ListCurated", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                 "Resource": curated_arn},
                {"Sid": "ReadCurated", "Effect": "Allow", "Action": ["s3:GetObject"],
                 "Resource": pulumi.Output.concat(curated_arn, "/*")},
                {"Sid": "ListOwnResults", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                 "Resource": results_bucket.arn},
                {"Sid": "WriteOwnResults", "Effect": "Allow",
                 "Action": ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
                 "Resource": pulumi.Output.concat(results_bucket.arn, "/", results, "*")},
                kms_use(foundation.key_arn),
            ],
            description="Read-only dashboards: query curated data in one Athena workgroup",
            parent=self,
        )
        self._publish(
            cloud="aws",
            identity=self.reader.arn,
            query_endpoint=self.workgroup.name,
            reader_identity=self.reader.arn,
            scan_limit_gb=scan_limit_gb,
        )
