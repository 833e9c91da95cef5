"""Helpers for the Azure tests: find resources of a stage, children of a component."""

from __future__ import annotations

from collections import Counter

from blueprint.engine import RecordedResource, Synthesis

T = "azure-native:"
RESOURCE_GROUP = T + "resources:ResourceGroup"
VNET = T + "network:VirtualNetwork"
SUBNET = T + "network:Subnet"
NSG = T + "network:NetworkSecurityGroup"
PRIVATE_ENDPOINT = T + "network:PrivateEndpoint"
DNS_ZONE_GROUP = T + "network:PrivateDnsZoneGroup"
DNS_ZONE = T + "privatedns:PrivateZone"
DNS_LINK = T + "privatedns:VirtualNetworkLink"
NAT = T + "network:NatGateway"
PUBLIC_IP = T + "network:PublicIPAddress"
ACCOUNT = T + "storage:StorageAccount"
CONTAINER = T + "storage:BlobContainer"
BLOB_SERVICE = T + "storage:BlobServiceProperties"
LIFECYCLE = T + "storage:ManagementPolicy"
NAMESPACE = T + "eventhub:Namespace"
HUB = T + "eventhub:EventHub"
CONSUMER_GROUP = T + "eventhub:ConsumerGroup"
SAS_RULE = T + "eventhub:EventHubAuthorizationRule"
VAULT = T + "keyvault:Vault"
KEY = T + "keyvault:Key"
IDENTITY = T + "managedidentity:UserAssignedIdentity"
ROLE_ASSIGNMENT = T + "authorization:RoleAssignment"
LOCK = T + "authorization:ManagementLockByScope"
BUDGET = T + "consumption:Budget"
ACTION_GROUP = T + "monitor:ActionGroup"
SYNAPSE = T + "synapse:Workspace"
SPARK_POOL = T + "synapse:BigDataPool"
DATABRICKS = T + "databricks:Workspace"
ACCESS_CONNECTOR = T + "databricks:AccessConnector"

STAGE_TYPES = {
    "connect": "blueprint:stage:Connect", "buffer": "blueprint:stage:Buffer",
    "processing": "blueprint:stage:Processing", "store": "blueprint:stage:Store",
    "visualize": "blueprint:stage:Visualize", "foundation": "blueprint:platform:Foundation",
}


def component(synthesis: Synthesis, kind: str) -> RecordedResource:
    found = [r for r in synthesis.resources if r.type == STAGE_TYPES[kind]]
    assert len(found) == 1, f"expected one {kind} component, found {len(found)}"
    return found[0]


def children(synthesis: Synthesis, kind: str) -> list[RecordedResource]:
    """Custom resources whose nearest component ancestor is the ``kind`` component."""
    parent = component(synthesis, kind).urn
    return [r for r in synthesis.custom() if r.parent == parent]


def child_types(synthesis: Synthesis, kind: str) -> Counter:
    return Counter(r.type for r in children(synthesis, kind))


def one(resources: list[RecordedResource]) -> RecordedResource:
    assert len(resources) == 1, [r.name for r in resources]
    return resources[0]


def of(synthesis: Synthesis, kind: str, token: str) -> list[RecordedResource]:
    return [r for r in children(synthesis, kind) if r.type == token]
