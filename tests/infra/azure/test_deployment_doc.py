"""docs/clouds/azure.md against the resources the example stacks create: providers to register, deployer roles."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "clouds" / "azure.md"

NAMESPACES: dict[str, set[str]] = {
    "network": {"Microsoft.Network"}, "privatedns": {"Microsoft.Network"}, "storage": {"Microsoft.Storage"},
    "keyvault": {"Microsoft.KeyVault"}, "eventhub": {"Microsoft.EventHub"},
    "managedidentity": {"Microsoft.ManagedIdentity"}, "authorization": {"Microsoft.Authorization"},
    "consumption": {"Microsoft.Consumption"}, "monitor": {"Microsoft.Insights"},
    "operationalinsights": {"Microsoft.OperationalInsights"}, "databricks": {"Microsoft.Databricks"},
    # A Synapse workspace provisions its SQL endpoints through Microsoft.Sql, which must be registered too.
    "synapse": {"Microsoft.Synapse", "Microsoft.Sql"},
    "resources": set(),  # Microsoft.Resources is registered in every subscription
}
"""Resource provider namespaces each azure-native module needs registered (Azure resource providers by service)."""

LOCK_ROLES = {"Owner", "User Access Administrator"}
"""Built-in roles that hold Microsoft.Authorization/locks/* (Contributor and RBAC Administrator do not)."""
ASSIGNMENT_ROLES = {"Owner", "User Access Administrator", "Role Based Access Control Administrator"}
"""Built-in roles that may write role assignments."""


def _registered() -> set[str]:
    block = re.search(r"for ns in (.*?); do", DOC.read_text(), re.S)
    assert block, "the doc lists the providers to register"
    return set(block.group(1).replace("\\", " ").split())


def _deployer_roles() -> set[str]:
    text = DOC.read_text()
    lines = [line.strip() for line in text[text.index("| role | scope | why |"):].splitlines()[2:]]
    rows = lines[:next(i for i, line in enumerate(lines) if not line.startswith("|"))]
    return {row.split("|")[1].strip() for row in rows}


def test_every_resource_type_has_its_provider_registered(learning, production):
    needed: set[str] = set()
    for synthesis in (learning, production):
        for resource in synthesis.custom():
            if resource.type.startswith("azure-native:"):
                needed |= NAMESPACES[resource.type.split(":")[1]]
    assert "Microsoft.Sql" in needed
    assert _registered() == needed


def test_documented_deployer_roles_can_create_every_assignment_and_lock(production):
    roles = _deployer_roles()
    assert production.of_type("azure-native:authorization:ManagementLockByScope")
    assert production.of_type("azure-native:authorization:RoleAssignment")
    assert roles & LOCK_ROLES, roles
    assert roles & ASSIGNMENT_ROLES, roles
    assert "Contributor" in roles or "Owner" in roles


def test_the_key_put_limitation_is_documented():
    assert "never updates an existing" in DOC.read_text()
