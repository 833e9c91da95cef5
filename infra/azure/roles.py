"""Built-in Azure role definitions the platform assigns, by GUID.

Only data-plane roles, each scoped by the caller to one resource (a hub, a
container, a key). The GUIDs are Azure's fixed built-in role ids, identical
in every tenant and subscription (Azure built-in roles reference,
https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
Broad management roles (Owner, Contributor, User Access Administrator) are
deliberately absent: no stage ever needs them.
"""

from __future__ import annotations

import pulumi

EVENT_HUBS_DATA_SENDER = "2b629674-e913-4c01-ae53-ef4638d8f975"
"""Azure Event Hubs Data Sender: send events, nothing else."""
EVENT_HUBS_DATA_RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"
"""Azure Event Hubs Data Receiver: receive events, nothing else."""
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
"""Storage Blob Data Contributor: read, write and delete blobs (no account management)."""
STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
"""Storage Blob Data Reader: read and list blobs."""
KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
"""Key Vault Crypto Service Encryption User: wrap and unwrap with a key (for service-side encryption)."""

ROLE_NAMES: dict[str, str] = {
    EVENT_HUBS_DATA_SENDER: "Azure Event Hubs Data Sender",
    EVENT_HUBS_DATA_RECEIVER: "Azure Event Hubs Data Receiver",
    STORAGE_BLOB_DATA_CONTRIBUTOR: "Storage Blob Data Contributor",
    STORAGE_BLOB_DATA_READER: "Storage Blob Data Reader",
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER: "Key Vault Crypto Service Encryption User",
}
"""The only roles this project assigns."""


def role_definition_id(subscription_id: pulumi.Input[str], guid: str) -> pulumi.Output[str]:
    """The full resource id of a built-in role definition in ``subscription_id``."""
    if guid not in ROLE_NAMES:
        raise ValueError(f"role {guid} is not one of the data-plane roles this project may assign")
    return pulumi.Output.concat(
        "/subscriptions/", subscription_id, "/providers/Microsoft.Authorization/roleDefinitions/", guid
    )
