"""Google-managed service agents: the identities Google services act as in the project.

They are not created by this stack; Google creates them when an API is
enabled (GCS and BigQuery on first use of their "get service account" call,
which the invokes below make). Their e-mails are fixed patterns of the
project number. The platform grants them exactly what the services need to
act on its resources: encrypt with the stack's key, write the Cloud Storage
subscription's objects, forward dead letters.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

_PATTERNS: dict[str, str] = {
    "pubsub": "service-{number}@gcp-sa-pubsub.iam.gserviceaccount.com",
    "dataproc": "service-{number}@dataproc-accounts.iam.gserviceaccount.com",
    "compute": "service-{number}@compute-system.iam.gserviceaccount.com",
}

BILLING_BUDGET_PUBLISHER = "serviceAccount:billing-budget-alert@system.gserviceaccount.com"
"""The identity Cloud Billing publishes budget notifications as."""


def agent_member(service: str, number: pulumi.Input[str]) -> pulumi.Output[str]:
    """The IAM member of ``service``'s agent (``pubsub``, ``dataproc``, ``compute``)."""
    pattern = _PATTERNS[service]
    return pulumi.Output.from_input(number).apply(lambda n: "serviceAccount:" + pattern.format(number=n))


def storage_agent_member(project: str, parent: pulumi.Resource) -> pulumi.Output[str]:
    """The Cloud Storage service agent (it encrypts and decrypts objects with the bucket's key)."""
    result = gcp.storage.get_project_service_account_output(
        project=project, opts=pulumi.InvokeOutputOptions(parent=parent)
    )
    return result.email_address.apply(lambda e: f"serviceAccount:{e}")


def bigquery_agent_member(project: str, parent: pulumi.Resource) -> pulumi.Output[str]:
    """The BigQuery encryption service account (it uses the dataset's default key)."""
    result = gcp.bigquery.get_default_service_account_output(
        project=project, opts=pulumi.InvokeOutputOptions(parent=parent)
    )
    return result.email.apply(lambda e: f"serviceAccount:{e}")


def project_number(project: str, parent: pulumi.Resource) -> pulumi.Output[str]:
    result = gcp.organizations.get_project_output(project_id=project, opts=pulumi.InvokeOutputOptions(parent=parent))
    return result.number
