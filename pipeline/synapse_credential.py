"""An azure-core token credential backed by Synapse Spark's ``mssparkutils.credentials.getToken``.

In a Synapse Spark job there is no key and no connection string: tokens come
from the runtime's token service for the identity the job runs as.
``getToken`` takes an audience *alias*, not a scope; Microsoft's page for it
documents aliases such as ``Storage``, ``AzureManagement``, ``Synapse``,
``DW``, ``AzureDataExplorer``; an Event Hubs alias is not among them, and a
full audience URL has been reported refused ("Audience has invalid
characters"). So the credential maps the scopes it knows to aliases, tries
the resource URL for the others, and raises ``CredentialUnavailableError``
when the runtime refuses, so that a ``ChainedTokenCredential`` moves on to the
next credential (``DefaultAzureCredential``: the environment's managed
identity).
"""

from __future__ import annotations

import base64
import json
import time

ALIASES = {
    "https://storage.azure.com": "Storage",
}
"""Scopes (without ``/.default``) that ``getToken`` knows by an alias."""
EVENT_HUBS_SCOPE = "https://eventhubs.azure.net/.default"
STORAGE_SCOPE = "https://storage.azure.com/.default"
FALLBACK_LIFETIME_SECONDS = 300


def audience_of(scope: str) -> str:
    resource = scope.removesuffix("/.default").rstrip("/")
    return ALIASES.get(resource, resource)


def expires_on(token: str) -> int:
    """The token's ``exp`` claim; a short lifetime when the token is not a readable JWT."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return int(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return int(time.time()) + FALLBACK_LIFETIME_SECONDS


class SynapseCredential:
    """``get_token(scope)`` through ``getToken`` (``token_source`` stands in for it outside Synapse)."""

    def __init__(self, token_source=None) -> None:
        self._source = token_source

    def _get(self, audience: str) -> str:
        from azure.identity import CredentialUnavailableError

        source = self._source
        if source is None:
            try:
                from notebookutils import mssparkutils
            except ImportError:
                raise CredentialUnavailableError("not in Synapse Spark (no notebookutils)") from None
            source = mssparkutils.credentials.getToken
        try:
            token = source(audience)
        except Exception as exc:  # noqa: BLE001 (py4j errors carry the runtime's reason; any refusal is "unavailable")
            raise CredentialUnavailableError(f"Synapse refused a token for {audience!r}: {exc}") from None
        if not token:
            raise CredentialUnavailableError(f"Synapse returned no token for {audience!r}")
        return token

    def get_token(self, *scopes: str, **_kwargs):
        from azure.core.credentials import AccessToken

        if len(scopes) != 1:
            raise ValueError(f"one scope per token, got {len(scopes)}")
        token = self._get(audience_of(scopes[0]))
        return AccessToken(token, expires_on(token))

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        pass


def credential():
    """The Synapse runtime's token service, else ``DefaultAzureCredential`` (managed identity, CLI, environment)."""
    from azure.identity import ChainedTokenCredential, DefaultAzureCredential

    return ChainedTokenCredential(SynapseCredential(),
                                  DefaultAzureCredential(exclude_interactive_browser_credential=True))
