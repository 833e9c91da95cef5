"""The explicit GCP providers of a stack: project and region from ``blueprint:gcp``.

``gcp_provider`` is the stack's provider. Billing budgets are created through
the Cloud Billing Budget API, which bills its quota to a project; with user
credentials (``gcloud auth application-default login``) that project must be
named, hence ``user_project_override`` with the stack's own project as
``billing_project``. With the override every request carries
``X-Goog-User-Project: <project>``, so every API it calls must already be
enabled in the project.

That is impossible for the step that enables them: the provider reads a
``projects.Service`` back through Cloud Resource Manager (``projects.get``)
billed to the project, and a new project does not have that API yet (403
"Cloud Resource Manager API has not been used in project ..."). So
``services_provider`` has no override and no billing project: Service Usage
and Resource Manager calls are billed to the credentials' own project, and
the APIs are enabled before anything uses the override.

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


def services_provider(name: str, ctx: StageContext, opts: pulumi.ResourceOptions) -> gcp.Provider:
    """The provider that enables the project's APIs: no user-project override, no billing project."""
    settings = ctx.config.gcp
    return gcp.Provider(
        name,
        project=settings.project,
        region=settings.region,
        add_pulumi_attribution_label=False,
        opts=opts,
    )
