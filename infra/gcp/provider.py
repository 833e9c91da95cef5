"""The explicit GCP provider of a stack: project and region from ``blueprint:gcp``.

Billing budgets are created through the Cloud Billing Budget API, which bills
its quota to a project; with user credentials (``gcloud auth
application-default login``) that project must be named, hence
``user_project_override`` with the stack's own project as ``billing_project``.
No ``default_labels``: every labelable resource carries its own stage and
zone labels, so the plan shows them and the policy checks see them.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext


def gcp_provider(name: str, ctx: StageContext, opts: pulumi.ResourceOptions) -> gcp.Provider:
    settings = ctx.config.gcp
    return gcp.Provider(
        name,
        project=settings.project,
        region=settings.region,
        user_project_override=True,
        billing_project=settings.project,
        add_pulumi_attribution_label=False,
        opts=opts,
    )
