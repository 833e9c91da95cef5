"""Which Google REST resource each pulumi-gcp type writes, and where its inputs go.

One row per type: the discovery document (``<api>.<version>``) and the schema
of the resource the provider creates. Every input is matched to the
schema's property of the same name, recursively; ``renames`` lists only the
inputs the provider names differently (``denies`` is ``denied``).
"""

from __future__ import annotations

from typing import NamedTuple


class Schema(NamedTuple):
    document: str
    schema: str
    renames: dict[str, str] = {}


_BINDING = {"member": "members[]"}
"""IAM member resources add one member to a policy binding."""

SCHEMAS: dict[str, Schema] = {
    "gcp:bigquery/dataset:Dataset": Schema("bigquery.v2", "Dataset", {
        "datasetId": "datasetReference.datasetId"}),
    "gcp:bigquery/datasetIamMember:DatasetIamMember": Schema("cloudresourcemanager.v1", "Binding", _BINDING),
    "gcp:bigquery/table:Table": Schema("bigquery.v2", "Table", {"tableId": "tableReference.tableId"}),
    "gcp:billing/budget:Budget": Schema("billingbudgets.v1", "GoogleCloudBillingBudgetsV1Budget"),
    "gcp:cloudscheduler/job:Job": Schema("cloudscheduler.v1", "Job"),
    "gcp:compute/firewall:Firewall": Schema("compute.v1", "Firewall", {
        "denies": "denied", "allows": "allowed", "denies[].protocol": "denied[].IPProtocol",
        "allows[].protocol": "allowed[].IPProtocol"}),
    "gcp:compute/network:Network": Schema("compute.v1", "Network", {"routingMode": "routingConfig.routingMode"}),
    "gcp:compute/router:Router": Schema("compute.v1", "Router"),
    "gcp:compute/routerNat:RouterNat": Schema("compute.v1", "RouterNat", {
        "subnetworks[].sourceIpRangesToNats": "subnetworks[].sourceIpRangesToNat"}),
    "gcp:compute/subnetwork:Subnetwork": Schema("compute.v1", "Subnetwork"),
    "gcp:dataproc/autoscalingPolicy:AutoscalingPolicy": Schema("dataproc.v1", "AutoscalingPolicy", {
        "policyId": "id"}),
    "gcp:dataproc/cluster:Cluster": Schema("dataproc.v1", "Cluster", {"name": "clusterName"}),
    "gcp:dataproc/sessionTemplate:SessionTemplate": Schema("dataproc.v1", "SessionTemplate"),
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": Schema("iam.v1", "WorkloadIdentityPool"),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": Schema("iam.v1", "WorkloadIdentityPoolProvider"),
    "gcp:kms/cryptoKey:CryptoKey": Schema("cloudkms.v1", "CryptoKey"),
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": Schema("cloudkms.v1", "Binding", _BINDING),
    "gcp:kms/keyRing:KeyRing": Schema("cloudkms.v1", "KeyRing"),
    "gcp:monitoring/notificationChannel:NotificationChannel": Schema("monitoring.v3", "NotificationChannel"),
    "gcp:projects/iAMCustomRole:IAMCustomRole": Schema("iam.v1", "CreateRoleRequest", {
        "title": "role.title", "description": "role.description", "permissions": "role.includedPermissions",
        "stage": "role.stage"}),
    "gcp:projects/iAMMember:IAMMember": Schema("cloudresourcemanager.v1", "Binding", _BINDING),
    "gcp:pubsub/subscription:Subscription": Schema("pubsub.v1", "Subscription"),
    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": Schema("pubsub.v1", "Binding", _BINDING),
    "gcp:pubsub/topic:Topic": Schema("pubsub.v1", "Topic"),
    "gcp:pubsub/topicIAMMember:TopicIAMMember": Schema("pubsub.v1", "Binding", _BINDING),
    "gcp:serviceaccount/iAMMember:IAMMember": Schema("iam.v1", "Binding", _BINDING),
    "gcp:serviceaccount/account:Account": Schema("iam.v1", "CreateServiceAccountRequest", {
        "displayName": "serviceAccount.displayName", "description": "serviceAccount.description"}),
    "gcp:storage/bucket:Bucket": Schema("storage.v1", "Bucket", {
        "lifecycleRules": "lifecycle.rule", "defaultEventBasedHold": "defaultEventBasedHold"}),
    "gcp:storage/bucketObject:BucketObject": Schema("storage.v1", "Object"),
    "gcp:storage/bucketIAMMember:BucketIAMMember": Schema("storage.v1", "Policy", {
        "member": "bindings[].members[]", "role": "bindings[].role"}),
}

HTTP_BODIES: dict[str, tuple[str, str]] = {
    r"^https://dataproc\.googleapis\.com/v1/projects/[^/]+/locations/[^/]+/batches$": ("dataproc.v1", "Batch"),
}
"""Google API endpoints a Cloud Scheduler job POSTs to, and the discovery document and schema of the body each
takes (``batches.create`` takes a ``Batch``)."""
