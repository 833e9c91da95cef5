"""Google-managed service agents: the identities Google services act as in the project.

Google creates them, not this stack, but not always when an API is enabled:
the Cloud Storage and BigQuery agents appear on the first call of their "get
service account" method (the invokes below), and the Pub/Sub agent of a
recent project only on demand, so ``pubsub_agent`` asks for it explicitly
(``projects.ServiceIdentity``, a no-op on destroy) instead of assuming it.
Granting a role to an agent that does not exist yet fails with "service
account ... does not exist". The Dataproc and Compute Engine agents are
created with their APIs; their e-mails are fixed patterns of the project
number. Every invoke here waits for the project services (``after``): on a
new project the APIs it calls may not be enabled before the stack enables
them. The platform grants the agents exactly what the services need to act
on its resources: encrypt with the stack's key, write the Cloud Storage
subscription's objects, forward dead letters.
"""

from __future__ import annotations

from typing import Sequence

import pulumi
import pulumi_gcp as gcp

_PATTERNS: dict[str, str] = {
    "dataproc": "service-{number}@dataproc-accounts.iam.gserviceaccount.com",
    "compute": "service-{number}@compute-system.iam.gserviceaccount.com",
}

BILLING_BUDGET_PUBLISHER = "serviceAccount:billing-budget-alert@system.gserviceaccount.com"
"""The identity Cloud Billing publishes budget notifications as."""


def agent_member(service: str, number: pulumi.Input[str]) -> pulumi.Output[str]:
    """The IAM member of ``service``'s agent (``dataproc``, ``compute``; Pub/Sub: use ``pubsub_agent``)."""
    pattern = _PATTERNS[service]
    return pulumi.Output.from_input(number).apply(lambda n: "serviceAccount:" + pattern.format(number=n))


def pubsub_agent(name: str, project: str, opts: pulumi.ResourceOptions) -> gcp.projects.ServiceIdentity:
    """The Pub/Sub service agent, created if the project does not have it yet (``member`` is its IAM member)."""
    return gcp.projects.ServiceIdentity(
        f"{name}-pubsub-agent", project=project, service="pubsub.googleapis.com", opts=opts
    )


def _after(parent: pulumi.Resource, after: Sequence[pulumi.Resource]) -> pulumi.InvokeOutputOptions:
    return pulumi.InvokeOutputOptions(parent=parent, depends_on=list(after))


def storage_agent_member(project: str, parent: pulumi.Resource, after: Sequence[pulumi.Resource]) -> pulumi.Output[str]:
    """The Cloud Storage service agent (it encrypts and decrypts objects with the bucket's key)."""
    result = gcp.storage.get_project_service_account_output(project=project, opts=_after(parent, after))
    return result.email_address.apply(lambda e: f"serviceAccount:{e}")


def bigquery_agent_member(project: str, parent: pulumi.Resource, after: Sequence[pulumi.Resource]) -> pulumi.Output[str]:
    """The BigQuery encryption service account (it uses the dataset's default key)."""
    result = gcp.bigquery.get_default_service_account_output(project=project, opts=_after(parent, after))
    return result.email.apply(lambda e: f"serviceAccount:{e}")


def project_number(project: str, parent: pulumi.Resource, after: Sequence[pulumi.Resource]) -> pulumi.Output[str]:
    """The project number (Cloud Resource Manager, enabled by the stack)."""
    result = gcp.organizations.get_project_output(project_id=project, opts=_after(parent, after))
    return result.number
