"""GCP Visualize: BigQuery as the serving layer, and a read-only viewer service account.

The curated data is served through the lake's BigQuery dataset (external
tables, created by Store). The stage creates the viewer service account
(``reader_identity``) and grants it exactly: ``roles/bigquery.dataViewer``
on that dataset, ``roles/storage.objectViewer`` on the curated bucket
(BigQuery reads external files as the caller), and
``roles/bigquery.jobUser`` on the project, the one role a query needs that
has no narrower binding. Dashboards (Looker Studio, Grafana's BigQuery
plugin) impersonate it or federate to it; no key is created.

``query_endpoint`` is the dataset's resource id.

Where GCP differs: BigQuery has no workgroup that enforces a per-query scan
cap server-side; ``scan_limit_gb`` is published for clients to set as the
job's ``maximumBytesBilled`` (a query above it fails without cost), and
on-demand queries bill per TiB scanned (``bp cost``). A per-user
daily cap is a project quota (console: IAM & Admin, Quotas, "Query usage
per day per user"), which this stack does not manage.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.stages import Visualize, VisualizeArgs

from infra.gcp.identity import project_grant, service_account, stage_options


def check_visualize_args(args: VisualizeArgs) -> int:
    ctx = args["context"]
    limit = args.get("scan_limit_gb", ctx.config.scan_limit_gb)
    if not isinstance(limit, int) or limit < 1:
        raise ValueError(f"blueprint:stages.visualize.scanLimitGb = {limit!r}: must be a whole number of GB >= 1")
    return limit


class GcpVisualize(Visualize):
    def __init__(self, name: str, args: VisualizeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        limit = check_visualize_args(args)
        super().__init__(name, opts)
        ctx = args["context"]
        store = args["store"]
        child = stage_options(self, ctx)
        dataset = store.catalog.dataset
        self.service_account = service_account(
            name, ctx, self.STAGE, "Reads curated data through BigQuery (dashboards and APIs)", child
        )
        member = self.service_account.member
        self.grants: list[pulumi.CustomResource] = [
            gcp.bigquery.DatasetIamMember(
                f"{name}-dataset-viewer", project=ctx.config.gcp.project, dataset_id=dataset.dataset_id,
                role="roles/bigquery.dataViewer", member=member, opts=child,
            ),
            gcp.storage.BucketIAMMember(
                f"{name}-curated-reader", bucket=store.buckets["curated"].name, role="roles/storage.objectViewer",
                member=member, opts=child,
            ),
            project_grant(f"{name}-job-user", ctx, "roles/bigquery.jobUser", member, child),
        ]
        self._publish(
            query_endpoint=dataset.id,
            reader_identity=self.service_account.email,
            scan_limit_gb=limit,
            cloud="gcp",
            identity=self.service_account.email,
        )
