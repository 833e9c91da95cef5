"""AzureBuffer: an Event Hubs namespace, one hub and a consumer group per consumer.

Creates the namespace (TLS 1.2 minimum, Entra-only unless local auth is
allowed), the hub (retention ``retention_hours``), one consumer group per
named consumer, and the Buffer's managed identity, which holds
"Azure Event Hubs Data Receiver" on this hub only: it is the
``consumer_identity``.

By profile (``infra.azure.choices``): learning runs Standard with one
throughput unit and no Capture (idle cost: ``bp cost``); production runs Standard
with auto-inflate, zone redundancy, a private endpoint in the data subnet,
and Event Hubs Capture of every event to the Store's raw container (Avro,
every 5 minutes or 300 MB, empty windows skipped), written by the Buffer
identity, attached to the namespace and holding
"Storage Blob Data Contributor" on the raw container only, and a
diagnostic setting sending the namespace's logs to the stack's Log
Analytics workspace.

Where Azure differs:
- the namespace is at once the internet-facing ingest endpoint and the
  consumers' endpoint, so it is tagged ``zone: edge`` and keeps public
  network access: producers anywhere on the internet send over HTTPS/AMQPS
  with TLS 1.2 and an Entra token (local SAS auth off in production);
  consumers in production reach it through the private endpoint in the
  data zone. The policy pack judges an edge namespace by those controls
  instead of "public access disabled";
- Event Hubs offers customer-managed keys only on Premium and Dedicated;
  the Standard namespace here is encrypted with Microsoft-managed keys
  (Premium bills many times Standard's hourly rate while idle; ``bp cost``);
- Capture is a property of the hub, so the stage that owns the hub sets it;
  it reads the raw container from the foundation, where the Store
  registered it (create the Store first; the platform does);
- permissions are roles, not identities: ``producer_identity`` is the
  built-in "Azure Event Hubs Data Sender" role definition that a producer
  must hold on this hub. Connect assigns it to its send-only identity.
  One managed identity per stage holds: the Buffer's is the consumer.

Delivery is at least once: a receiver that restarts from its last
checkpoint sees events again.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import eventhub

from components.stages.buffer import Buffer, BufferArgs
from components.zones import Zone
from infra.azure.identity import grant, stage_identity
from infra.azure.names import global_name
from infra.azure.propagation import PropagationWait
from infra.azure.roles import (
    EVENT_HUBS_DATA_RECEIVER,
    EVENT_HUBS_DATA_SENDER,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
    role_definition_id,
)

CAPTURE_INTERVAL_SECONDS = 300
CAPTURE_SIZE_BYTES = 300 * 1024 * 1024
CAPTURE_ARCHIVE_FORMAT = "{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}"
"""Capture blob names: time-partitioned under the raw container."""
PARTITIONS = {False: 2, True: 4}
"""Partitions by profile (production: True); fixed at creation on Standard."""


class AzureBuffer(Buffer):
    namespace: eventhub.Namespace
    hub: eventhub.EventHub
    consumer_groups: dict[str, eventhub.ConsumerGroup]
    capture_enabled: bool

    def __init__(self, name: str, args: BufferArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        foundation = ctx.foundation
        choices = foundation.choices
        retention = args.get("retention_hours", ctx.config.buffer_retention_hours)
        consumer_names = list(args.get("consumers", ctx.config.stages.buffer.consumers))
        choices.check(production=ctx.is_production, retention_hours=retention, consumers=len(consumer_names))
        rg = foundation.resource_group_name
        production = ctx.is_production

        self.identity = stage_identity(name, ctx, self.STAGE, None, self)
        self.capture_enabled = choices.capture
        lake = foundation.lake
        if choices.capture and lake is None:
            raise ValueError(
                "Event Hubs Capture writes to the Store's raw container: create the Azure Store before the Buffer"
            )

        namespace_identity = None
        if choices.capture:
            namespace_identity = {"type": "UserAssigned",
                                  "user_assigned_identities": [self.identity.id]}
        self.namespace = eventhub.Namespace(
            f"{name}-namespace",
            namespace_name=global_name(ctx, "azure-eventhubs-namespace", "buffer-namespace"),
            resource_group_name=rg,
            location=foundation.location,
            sku={"name": choices.eventhubs_sku, "tier": choices.eventhubs_sku, "capacity": choices.throughput_units},
            is_auto_inflate_enabled=bool(choices.auto_inflate_max),
            maximum_throughput_units=choices.auto_inflate_max or None,
            zone_redundant=choices.zone_redundant,
            minimum_tls_version="1.2",
            disable_local_auth=not choices.local_auth,
            public_network_access="Enabled",
            identity=namespace_identity,
            tags=ctx.tags(self.STAGE, Zone.EDGE),
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect),
        )

        depends: list[pulumi.Resource] = []
        capture = None
        if choices.capture:
            raw = lake.containers["raw"]
            self.capture_grant = grant(f"{name}-capture-grant", ctx, self.identity,
                                       STORAGE_BLOB_DATA_CONTRIBUTOR, raw.id, self)
            self.capture_wait = PropagationWait(f"{name}-capture-grant-wait", [self.capture_grant], self)
            depends += [self.capture_grant, self.capture_wait]
            capture = {
                "enabled": True,
                "encoding": "Avro",
                "interval_in_seconds": CAPTURE_INTERVAL_SECONDS,
                "size_limit_in_bytes": CAPTURE_SIZE_BYTES,
                "skip_empty_archives": True,
                "destination": {
                    "name": "EventHubArchive.AzureBlockBlob",
                    "storage_account_resource_id": lake.account.id,
                    "blob_container": raw.name,
                    "archive_name_format": CAPTURE_ARCHIVE_FORMAT,
                    "identity": {"type": "UserAssigned", "user_assigned_identity": self.identity.id},
                },
            }
        self.hub = eventhub.EventHub(
            f"{name}-hub",
            event_hub_name=ctx.name("azure-eventhub", "buffer-events"),
            namespace_name=self.namespace.name,
            resource_group_name=rg,
            partition_count=PARTITIONS[production],
            retention_description={"cleanup_policy": "Delete", "retention_time_in_hours": retention},
            capture_description=capture,
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect, depends_on=depends),
        )
        self.consumer_groups = {
            consumer: eventhub.ConsumerGroup(
                f"{name}-{consumer}",
                consumer_group_name=consumer,
                event_hub_name=self.hub.name,
                namespace_name=self.namespace.name,
                resource_group_name=rg,
                user_metadata=f"blueprint consumer {consumer}",
                opts=pulumi.ResourceOptions(parent=self),
            )
            for consumer in consumer_names
        }
        self.receiver_grant = grant(f"{name}-receiver-grant", ctx, self.identity,
                                    EVENT_HUBS_DATA_RECEIVER, self.hub.id, self)
        self.private_endpoint = None
        if choices.private_endpoints:
            self.private_endpoint = foundation.private_links.connect(
                f"{name}-namespace", owner=self.STAGE.value, tags=ctx.tags(self.STAGE, Zone.DATA),
                zone=Zone.DATA, target_id=self.namespace.id, group_id="namespace", parent=self,
            )

        self.diagnostic_setting = None
        if foundation.diagnostics is not None:
            self.diagnostic_setting = foundation.diagnostics.send(
                f"{name}-namespace", ctx, resource_uri=self.namespace.id, parent=self)

        self._publish(
            cloud="azure",
            identity=self.identity.id,
            stream_name=self.hub.name,
            stream_id=self.hub.id,
            endpoint=pulumi.Output.concat("sb://", self.namespace.name, ".servicebus.windows.net/"),
            producer_identity=role_definition_id(foundation.subscription_id, EVENT_HUBS_DATA_SENDER),
            consumer_identity=self.identity.id,
            consumers={c: g.id for c, g in self.consumer_groups.items()},
            retention_hours=retention,
            delivery="at-least-once",
        )
