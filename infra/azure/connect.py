"""AzureConnect: the Event Hubs HTTPS ingest endpoint and a send-only producer identity.

Creates the Connect stage's managed identity and assigns it
"Azure Event Hubs Data Sender" on the Buffer's hub, nothing else.
``producer_identity`` is that identity's client id, which is what a
producer names when it asks Microsoft Entra ID for a token; the stack also
exports the tenant (``connect_producer_tenant_id``). Producers running on
Azure attach the identity and send with an Entra token (``auth: entra``).
A producer outside Azure uses workload identity federation, never a stored
key: with ``blueprint:azure.producerFederation`` (issuer, subject and
audience of the producer's own OIDC token, pinned exactly; user-assigned
identities accept no wildcard subject) the stack adds a federated identity
credential to the identity, and the producer exchanges its token for an
Entra token at ``https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token``
(``client_assertion`` = its OIDC token, ``client_id`` = ``producer_identity``,
``scope`` = ``https://eventhubs.azure.net/.default``), then POSTs to
``endpoint`` with ``Authorization: Bearer <token>``.

Only in learning, and only with ``blueprint:stages.connect.auth: api-key``,
a hub-level SAS rule with the single right ``Send`` is created and its
connection string exported as a secret (``connect_sas_connection_string``);
``auth`` is then ``sas``. Production never creates one: the namespace has
local auth disabled and config validation refuses ``api-key``.

Where Azure differs: there is no separate gateway in front of the buffer.
The hub's own HTTPS endpoint (``/<hub>/messages``) is the ingest endpoint,
so throttling is the namespace's throughput units (1 MB/s or 1,000 events/s
per unit), not ``throttle_rate``/``throttle_burst``; API Management could
add both, at a cost, and is left out. Ingest is at least once.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import eventhub, managedidentity

from components.stages.connect import Connect, ConnectArgs
from infra.azure.identity import grant, stage_identity
from infra.azure.roles import EVENT_HUBS_DATA_SENDER

SAS_EXPORT = "connect_sas_connection_string"
TENANT_EXPORT = "connect_producer_tenant_id"
FEDERATION_NAME = "producer"
"""Name of the federated identity credential on the Connect identity."""


class AzureConnect(Connect):
    producer_grant: object
    send_rule: eventhub.EventHubAuthorizationRule | None

    def __init__(self, name: str, args: ConnectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        buffer = args["buffer"]
        foundation = ctx.foundation
        choices = foundation.choices
        auth = args.get("auth", ctx.config.stages.connect.auth)
        if auth == "api-key" and ctx.is_production:
            raise ValueError("blueprint:stages.connect.auth = 'api-key': production on Azure uses Entra only (no SAS keys)")
        if auth == "api-key" and not choices.local_auth:
            raise ValueError("blueprint:stages.connect.auth = 'api-key' needs local (SAS) auth on the namespace")
        choices.check(production=ctx.is_production)

        self.identity = stage_identity(name, ctx, self.STAGE, None, self)
        self.producer_grant = grant(f"{name}-sender-grant", ctx, self.identity,
                                    EVENT_HUBS_DATA_SENDER, buffer.stream_id, self)
        self.federation = None
        federation = ctx.config.azure.producer_federation
        if auth == "iam" and federation is not None:
            self.federation = managedidentity.FederatedIdentityCredential(
                f"{name}-federation",
                federated_identity_credential_resource_name=FEDERATION_NAME,
                resource_name_=self.identity.name,
                resource_group_name=foundation.resource_group_name,
                issuer=federation.issuer,
                subject=federation.subject,
                audiences=[federation.audience],
                opts=pulumi.ResourceOptions(parent=self),
            )
        pulumi.export(TENANT_EXPORT, foundation.tenant_id)
        self.send_rule = None
        if auth == "api-key":
            self.send_rule = eventhub.EventHubAuthorizationRule(
                f"{name}-send-rule",
                authorization_rule_name=ctx.name("azure-generic", "connect-send"),
                event_hub_name=buffer.hub.name,
                namespace_name=buffer.namespace.name,
                resource_group_name=foundation.resource_group_name,
                rights=["Send"],
                opts=pulumi.ResourceOptions(parent=self),
            )
            keys = eventhub.list_event_hub_keys_output(
                authorization_rule_name=self.send_rule.name,
                event_hub_name=buffer.hub.name,
                namespace_name=buffer.namespace.name,
                resource_group_name=foundation.resource_group_name,
                opts=pulumi.InvokeOutputOptions(parent=self),
            )
            self.sas_connection_string = pulumi.Output.secret(keys.primary_connection_string)
            pulumi.export(SAS_EXPORT, self.sas_connection_string)

        self._publish(
            cloud="azure",
            identity=self.identity.id,
            endpoint=pulumi.Output.concat(
                "https://", buffer.namespace.name, ".servicebus.windows.net/", buffer.hub.name, "/messages"
            ),
            producer_identity=self.identity.client_id,
            auth="sas" if auth == "api-key" else "entra",
            delivery="at-least-once",
        )
