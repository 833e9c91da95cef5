"""Tokens from Synapse's ``getToken`` as an azure-core credential: the audience asked for, the expiry read."""

from __future__ import annotations

import base64
import json

import pytest
from azure.identity import CredentialUnavailableError

from pipeline.synapse_credential import SynapseCredential


def jwt(exp: int) -> str:
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
    return f"{part({'alg': 'none'})}.{part({'exp': exp, 'aud': 'x'})}.sig"


def test_storage_is_asked_by_its_alias_and_event_hubs_by_its_resource_with_the_tokens_expiry():
    asked = []

    def source(audience):
        asked.append(audience)
        return jwt(1_900_000_000)

    credential = SynapseCredential(source)
    storage = credential.get_token("https://storage.azure.com/.default")
    hubs = credential.get_token("https://eventhubs.azure.net/.default")
    assert asked == ["Storage", "https://eventhubs.azure.net"]
    assert storage.expires_on == hubs.expires_on == 1_900_000_000
    assert hubs.token == jwt(1_900_000_000)


def test_a_refused_audience_makes_the_credential_unavailable_so_a_chain_moves_on():
    def source(audience):
        raise RuntimeError("Audience has invalid characters")

    with pytest.raises(CredentialUnavailableError, match="Audience has invalid characters"):
        SynapseCredential(source).get_token("https://eventhubs.azure.net/.default")


def test_outside_synapse_the_credential_is_unavailable():
    with pytest.raises(CredentialUnavailableError, match="not in Synapse Spark"):
        SynapseCredential().get_token("https://storage.azure.com/.default")
