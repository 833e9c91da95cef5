"""Identity: one managed identity per stage, data-plane roles only, each scoped to one resource."""

from __future__ import annotations

import re

import pytest

from infra.azure.identity import check_scope
from tests.infra.azure.support import IDENTITY, ROLE_ASSIGNMENT, children, component

# Azure built-in role ids (Azure RBAC built-in roles reference); written here, not imported.
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
EVENT_HUBS_DATA_SENDER = "2b629674-e913-4c01-ae53-ef4638d8f975"
STAGES = ("connect", "buffer", "processing", "store", "visualize")


def _resource_names(synthesis) -> set[str]:
    names = set()
    for r in synthesis.custom():
        for key, value in r.inputs.items():
            if key.endswith("Name") and key != "resourceGroupName" and isinstance(value, str):
                names.add(value)
    return names


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_no_broad_role_and_no_broad_scope(profile, request):
    synthesis = request.getfixturevalue(profile)
    assignments = synthesis.of_type(ROLE_ASSIGNMENT)
    assert assignments
    names = _resource_names(synthesis)
    for assignment in assignments:
        role = assignment.inputs["roleDefinitionId"].rsplit("/", 1)[-1]
        assert role not in {OWNER, CONTRIBUTOR, USER_ACCESS_ADMINISTRATOR}, assignment.name
        scope = assignment.inputs["scope"]
        assert not re.fullmatch(r"/subscriptions/[^/]+/?", scope), scope
        assert not re.fullmatch(r"/subscriptions/[^/]+/resourceGroups/[^/]+/?", scope), scope
        assert "Microsoft.Management/managementGroups" not in scope
        assert scope.rsplit("/", 1)[-1] in names, f"{assignment.name}: scope is not a resource of the stack"
        assert assignment.inputs["principalType"] == "ServicePrincipal"


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_one_managed_identity_per_stage_and_none_elsewhere(profile, request):
    synthesis = request.getfixturevalue(profile)
    for stage in STAGES:
        identities = [r for r in children(synthesis, stage) if r.type == IDENTITY]
        assert len(identities) == 1, stage
        assert identities[0].inputs["tags"]["stage"] == stage
    assert len(synthesis.of_type(IDENTITY)) == len(STAGES)


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_only_connect_may_send_and_it_may_do_nothing_else(profile, request):
    synthesis = request.getfixturevalue(profile)
    senders = [a for a in synthesis.of_type(ROLE_ASSIGNMENT) if a.inputs["roleDefinitionId"].endswith(EVENT_HUBS_DATA_SENDER)]
    connect = component(synthesis, "connect").urn
    assert [a.parent for a in senders] == [connect]
    connect_grants = [r for r in children(synthesis, "connect") if r.type == ROLE_ASSIGNMENT]
    assert connect_grants == senders
    hub = synthesis.of_type("azure-native:eventhub:EventHub")[0].inputs["eventHubName"]
    assert senders[0].inputs["scope"].endswith("/" + hub)


def test_role_assignment_roles_are_data_plane_roles_only(production):
    # Data-plane built-in role names all carry "Data" or "Crypto"; management roles never do.
    from infra.azure.roles import ROLE_NAMES

    used = {a.inputs["roleDefinitionId"].rsplit("/", 1)[-1] for a in production.of_type(ROLE_ASSIGNMENT)}
    assert used <= set(ROLE_NAMES)
    assert all(("Data" in ROLE_NAMES[r]) or ("Crypto" in ROLE_NAMES[r]) for r in used)


@pytest.mark.parametrize("scope", [
    "/subscriptions/0000", "/subscriptions/0000/", "/subscriptions/0000/resourceGroups/rg",
    "/providers/Microsoft.Management/managementGroups/root", "/",
])
def test_check_scope_refuses_broad_scopes(scope):
    with pytest.raises(ValueError, match="too broad"):
        check_scope(scope)


def test_check_scope_accepts_one_resource():
    scope = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/blobServices/default/containers/raw"
    assert check_scope(scope) == scope


def test_unknown_roles_cannot_be_assigned():
    from infra.azure.roles import role_definition_id

    with pytest.raises(ValueError, match="data-plane roles"):
        role_definition_id("0000", OWNER)
