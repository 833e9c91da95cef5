"""AzureConnect: the hub's HTTPS endpoint and a send-only identity; SAS only in learning with api-key."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.infra.azure.support import NAMESPACE, SAS_RULE, HUB, T, child_types, component

SAS_EXPORT = "connect_sas_connection_string"


def test_secure_default_is_entra_with_no_sas_rule(learning, production):
    for synthesis in (learning, production):
        assert synthesis.of_type(SAS_RULE) == []
        assert component(synthesis, "connect").outputs["auth"] == "entra"
        assert SAS_EXPORT not in synthesis.exports
    outputs = component(learning, "connect").outputs
    namespace = learning.of_type(NAMESPACE)[0].inputs["namespaceName"]
    hub = learning.of_type(HUB)[0].inputs["eventHubName"]
    assert outputs["endpoint"] == f"https://{namespace}.servicebus.windows.net/{hub}/messages"
    # A producer names the identity's client id (the offline engine gives client ids the -...0002 tail).
    assert outputs["producer_identity"] == "56b36a7-0000-4000-8000-000000000002"
    assert not outputs["producer_identity"].startswith("/subscriptions/")
    assert outputs["delivery"] == "at-least-once"


def test_override_wins_api_key_gives_a_send_only_rule_and_a_secret(overridden):
    rules = overridden.of_type(SAS_RULE)
    assert len(rules) == 1 and rules[0].inputs["rights"] == ["Send"]
    assert overridden.of_type(NAMESPACE)[0].inputs["disableLocalAuth"] is False
    assert component(overridden, "connect").outputs["auth"] == "sas"
    exported = overridden.exports[SAS_EXPORT]
    assert isinstance(exported, dict) and "secret" in exported  # recorded as a Pulumi secret


def test_api_key_in_production_is_refused_before_any_resource():
    from components.config import ConfigError
    from tests.conftest import stack_config, synth

    with pytest.raises(ConfigError, match="stages.connect.auth"):
        synth("azure-prod", stack_config("azure-prod", stages={"connect": {"auth": "api-key"}}))


def test_exact_children(learning, overridden):
    assert child_types(learning, "connect") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "authorization:RoleAssignment": 1})
    assert child_types(overridden, "connect") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "authorization:RoleAssignment": 1,
        T + "eventhub:EventHubAuthorizationRule": 1})


def test_external_producer_federates_into_the_send_only_identity():
    from tests.conftest import read_stack_config, synth

    config = read_stack_config("azure")
    federation = {"issuer": "https://token.actions.githubusercontent.com",
                  "subject": "repo:acme/ingest:environment:prod"}
    synthesis = synth("azure", {**config, "blueprint:azure": {"location": "eastus", "producerFederation": federation}})
    (credential,) = [r for r in synthesis.of_type(T + "managedidentity:FederatedIdentityCredential")]
    identity = [r for r in synthesis.of_type(T + "managedidentity:UserAssignedIdentity")
                if r.inputs["tags"]["stage"] == "connect"][0]
    assert credential.inputs["resourceName"] == identity.inputs["resourceName"]
    assert credential.inputs["issuer"] == "https://token.actions.githubusercontent.com"
    assert credential.inputs["subject"] == "repo:acme/ingest:environment:prod"
    assert credential.inputs["audiences"] == ["api://AzureADTokenExchange"]
    assert synthesis.exports["connect_producer_tenant_id"] == "11111111-1111-4111-8111-111111111111"


def test_no_federated_credential_unless_configured(learning, overridden):
    assert learning.of_type(T + "managedidentity:FederatedIdentityCredential") == []
    assert learning.exports["connect_producer_tenant_id"] == "11111111-1111-4111-8111-111111111111"
