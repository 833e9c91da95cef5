"""Every Azure physical name fits its service's limits, also under adversarial stack names."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from components.naming import RULES, Namer
from tests.conftest import read_stack_config, synth
from tests.infra.azure.support import (
    ACCOUNT, ACTION_GROUP, DATABRICKS, HUB, IDENTITY, NAMESPACE, RESOURCE_GROUP, SPARK_POOL, SYNAPSE, VAULT, T,
)

# Service limits (Azure naming rules for resources), written independently of components.naming.
STORAGE_ACCOUNT = re.compile(r"[a-z0-9]{3,24}")
KEY_VAULT = re.compile(r"(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]")
EVENTHUBS_NAMESPACE = re.compile(r"[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]")
SYNAPSE_WORKSPACE = re.compile(r"[a-z0-9][a-z0-9-]{0,43}[a-z0-9]")
SPARK_POOL_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9]{0,14}")
LOG_ANALYTICS = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]")
LOG_WORKSPACE = T + "operationalinsights:Workspace"

TYPE_RULES: dict[str, tuple[str, str]] = {
    RESOURCE_GROUP: ("resourceGroupName", "azure-resource-group"),
    ACCOUNT: ("accountName", "azure-storage-account"),
    VAULT: ("vaultName", "azure-key-vault"),
    NAMESPACE: ("namespaceName", "azure-eventhubs-namespace"),
    HUB: ("eventHubName", "azure-eventhub"),
    SYNAPSE: ("workspaceName", "azure-synapse-workspace"),
    SPARK_POOL: ("bigDataPoolName", "azure-synapse-spark-pool"),
    DATABRICKS: ("workspaceName", "azure-databricks-workspace"),
    IDENTITY: ("resourceName", "azure-managed-identity"),
    ACTION_GROUP: ("groupShortName", "azure-action-group-short"),
    LOG_WORKSPACE: ("workspaceName", "azure-log-analytics-workspace"),
}
GENERIC: dict[str, str] = {
    T + "network:VirtualNetwork": "virtualNetworkName", T + "network:NetworkSecurityGroup": "networkSecurityGroupName",
    T + "network:Subnet": "subnetName", T + "network:PrivateEndpoint": "privateEndpointName",
    T + "keyvault:Key": "keyName", T + "consumption:Budget": "budgetName", T + "monitor:ActionGroup": "actionGroupName",
    T + "network:NatGateway": "natGatewayName", T + "network:PublicIPAddress": "publicIpAddressName",
    T + "databricks:AccessConnector": "connectorName", T + "authorization:ManagementLockByScope": "lockName",
    T + "privatedns:VirtualNetworkLink": "virtualNetworkLinkName", T + "monitor:DiagnosticSetting": "name",
}
INDEPENDENT = {ACCOUNT: STORAGE_ACCOUNT, VAULT: KEY_VAULT, NAMESPACE: EVENTHUBS_NAMESPACE,
               SYNAPSE: SYNAPSE_WORKSPACE, SPARK_POOL: SPARK_POOL_NAME, LOG_WORKSPACE: LOG_ANALYTICS}
ADVERSARIAL = ["42-stack", "s" * 60, "ünïcødé-štäck", "---", "a"]


def assert_names_valid(synthesis) -> int:
    checked = 0
    for resource in synthesis.custom():
        if resource.type in TYPE_RULES:
            key, service = TYPE_RULES[resource.type]
            problems = [RULES[service].check(resource.inputs[key])]
            if resource.type in INDEPENDENT:
                assert INDEPENDENT[resource.type].fullmatch(resource.inputs[key]), resource.inputs[key]
        elif resource.type in GENERIC:
            problems = [RULES["azure-generic"].check(resource.inputs[GENERIC[resource.type]])]
        else:
            continue
        assert problems == [None], (resource.type, resource.inputs, problems)
        checked += 1
    return checked


@pytest.mark.parametrize("stack", ["azure", "azure-prod"])
def test_example_stack_names_are_valid(stack):
    assert assert_names_valid(synth(stack)) > 20


@pytest.mark.parametrize("stack", ADVERSARIAL[:3])
def test_adversarial_stack_names_synthesize_with_valid_names(stack):
    assert assert_names_valid(synth(stack, read_stack_config("azure"))) > 20


def test_adversarial_production_stack_synthesizes_with_valid_names():
    assert assert_names_valid(synth("---", read_stack_config("azure-prod"))) > 40


def test_two_stacks_get_different_global_names():
    a, b = synth("s" * 60, read_stack_config("azure")), synth("s" * 59 + "t", read_stack_config("azure"))
    for token, (key, _) in TYPE_RULES.items():
        if token in (ACCOUNT, VAULT, NAMESPACE, SYNAPSE):
            assert {r.inputs[key] for r in a.of_type(token)}.isdisjoint({r.inputs[key] for r in b.of_type(token)})


USED: list[tuple[str, str]] = [
    ("azure-resource-group", "group"), ("azure-storage-account", "store-lake"), ("azure-key-vault", "vault"),
    ("azure-eventhubs-namespace", "buffer-namespace"), ("azure-eventhub", "buffer-events"),
    ("azure-synapse-workspace", "processing-spark"), ("azure-synapse-workspace", "visualize-sql"),
    ("azure-synapse-spark-pool", "spark"), ("azure-databricks-workspace", "processing-databricks"),
    ("azure-managed-identity", "processing-identity"), ("azure-action-group-short", "ag"),
    ("azure-resource-group", "processing-managed"), ("azure-generic", "network-processing-subnet"),
    ("azure-log-analytics-workspace", "logs"), ("azure-generic", "logs-to-workspace"),
]


@settings(max_examples=150, deadline=None)
@given(project=st.text(min_size=1, max_size=40), stack=st.text(min_size=1, max_size=80),
       salt=st.text(max_size=30))
def test_names_fit_for_any_project_and_stack(project, stack, salt):
    namer = Namer(project, stack)
    for service, role in USED:
        name = namer.name(service, role, salt=salt)
        assert RULES[service].check(name) is None, (service, name)
    assert STORAGE_ACCOUNT.fullmatch(namer.name("azure-storage-account", "store-lake"))
    assert KEY_VAULT.fullmatch(namer.name("azure-key-vault", "vault", salt=salt))


def test_vault_salt_changes_the_name():
    namer = Namer("blueprint", "azure")
    assert namer.name("azure-key-vault", "vault", salt="lease-a") != namer.name("azure-key-vault", "vault", salt="lease-b")


GLOBAL_NAMES: dict[str, str] = {
    ACCOUNT: "accountName", NAMESPACE: "namespaceName", SYNAPSE: "workspaceName", VAULT: "vaultName",
}
"""Names that are one DNS namespace for all of Azure, by type and input."""


def _global_names(synthesis) -> list[str]:
    return sorted(r.inputs[key] for kind, key in GLOBAL_NAMES.items() for r in synthesis.of_type(kind))


def _in_subscription(subscription: str):
    config = read_stack_config("azure")
    return synth("azure", {**config, "blueprint:azure": {"location": "eastus", "subscriptionId": subscription}})


def test_global_names_differ_between_subscriptions_and_stay_for_one(learning):
    first = _global_names(_in_subscription("6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"))
    again = _global_names(_in_subscription("6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"))
    other = _global_names(_in_subscription("0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9"))
    assert len(first) == 5  # account, namespace, two Synapse workspaces, vault
    assert first == again
    assert not set(first) & set(other)
    # Without the key, the deploying client's subscription (the offline engine's) salts the same way.
    assert _global_names(learning) == _global_names(_in_subscription("00000000-0000-4000-8000-000000000000"))
