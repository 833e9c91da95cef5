"""Google-managed service agents: the identities Google services act as in the project.

Google creates them, not this stack, and not always when an API is enabled:
the Pub/Sub agent of a recent project exists only once asked for, and the
Dataproc and Compute Engine agents are created asynchronously after their
APIs. Granting a role to an agent that does not exist yet fails with
"service account ... does not exist". So ``service_agents`` asks Service
Usage for each of them explicitly (``projects.ServiceIdentity``, a no-op on
destroy), and every grant to an agent names it through ``agent_member``,
which carries a dependency on that ``ServiceIdentity``: the grant is created
only after the agent exists. The e-mail comes from Google's fixed pattern of
the project number, because ``generateServiceIdentity`` does not always
return it (it returns none for Compute Engine, for one).

The Cloud Storage and BigQuery agents appear on the first call of their "get
service account" method (the invokes below). Every invoke here waits for the
project services (``after``): on a new project the APIs it calls may not be
enabled before the stack enables them.

IAM propagation: Google documents that a new grant usually takes effect in
about two minutes and can take up to seven. Nothing in Pulumi (without an
extra package) can wait a fixed time, so the stack orders instead: each
encrypted resource depends on the grants of the agents that encrypt it
(``GcpFoundation.ready``), and a ``pulumi up`` that still lands inside the
window fails on that resource with a 403 and succeeds when run again.
"""

from __future__ import annotations

from typing import Sequence

import pulumi
import pulumi_gcp as gcp

AGENT_EMAILS: dict[str, str] = {
    "pubsub": "service-{number}@gcp-sa-pubsub.iam.gserviceaccount.com",
    "dataproc": "service-{number}@dataproc-accounts.iam.gserviceaccount.com",
    "compute": "service-{number}@compute-system.iam.gserviceaccount.com",
}
"""The agents created with ``projects.ServiceIdentity``, by API prefix, and their e-mail pattern."""

BILLING_BUDGET_PUBLISHER = "serviceAccount:billing-budget-alert@system.gserviceaccount.com"
"""The identity Cloud Billing publishes budget notifications as."""


def service_agents(name: str, project: str, opts: pulumi.ResourceOptions) -> dict[str, gcp.projects.ServiceIdentity]:
    """One ``ServiceIdentity`` per agent of ``AGENT_EMAILS``, named ``f"{name}-<api>-agent"``."""
    return {
        api: gcp.projects.ServiceIdentity(
            f"{name}-{api}-agent", project=project, service=f"{api}.googleapis.com", opts=opts
        )
        for api in AGENT_EMAILS
    }


def agent_member(
    api: str, number: pulumi.Input[str], identity: gcp.projects.ServiceIdentity
) -> pulumi.Output[str]:
    """The IAM member of ``api``'s agent, available only once ``identity`` (its ``ServiceIdentity``) exists."""
    pattern = AGENT_EMAILS[api]
    return pulumi.Output.all(number, identity.id).apply(
        lambda values: "serviceAccount:" + pattern.format(number=values[0])
    )


def _after(parent: pulumi.Resource, after: Sequence[pulumi.Resource],
           provider: pulumi.ProviderResource | None = None) -> pulumi.InvokeOutputOptions:
    return pulumi.InvokeOutputOptions(parent=parent, depends_on=list(after), provider=provider)


def storage_agent_member(project: str, parent: pulumi.Resource, after: Sequence[pulumi.Resource]) -> pulumi.Output[str]:
    """The Cloud Storage service agent (it encrypts and decrypts objects with the bucket's key)."""
    result = gcp.storage.get_project_service_account_output(project=project, opts=_after(parent, after))
    return result.email_address.apply(lambda e: f"serviceAccount:{e}")


def bigquery_agent_member(project: str, parent: pulumi.Resource, after: Sequence[pulumi.Resource]) -> pulumi.Output[str]:
    """The BigQuery encryption service account (it uses the dataset's default key)."""
    result = gcp.bigquery.get_default_service_account_output(project=project, opts=_after(parent, after))
    return result.email.apply(lambda e: f"serviceAccount:{e}")


def project_number(
    project: str, parent: pulumi.Resource, after: Sequence[pulumi.Resource], provider: pulumi.ProviderResource
) -> pulumi.Output[str]:
    """The project number, read through ``provider`` (the one without the user-project override)."""
    result = gcp.organizations.get_project_output(project_id=project, opts=_after(parent, after, provider))
    return result.number
