"""Private endpoints with private DNS (production).

``PrivateLinks`` belongs to the foundation. ``connect`` puts a private
endpoint for one sub-resource (``group_id``) of a target resource into the
subnet of a zone and registers its address in the matching
``privatelink.*`` DNS zone, which is created once per stack and linked to
the VNet on first use. Each endpoint bills by the hour, idle or not, plus
per GB each way (``bp cost``), which is why learning uses service
endpoints instead.

The zone of an endpoint is the zone of the subnet that holds it: the NSG of
that subnet decides who may connect to it.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import network, privatedns

from components.context import StageContext
from components.zones import Zone

DNS_ZONES: dict[str, str] = {
    "blob": "privatelink.blob.core.windows.net",
    "dfs": "privatelink.dfs.core.windows.net",
    "vault": "privatelink.vaultcore.azure.net",
    "namespace": "privatelink.servicebus.windows.net",
    "SqlOnDemand": "privatelink.sql.azuresynapse.net",
    "databricks_ui_api": "privatelink.azuredatabricks.net",
    "browser_authentication": "privatelink.azuredatabricks.net",
}
"""Private DNS zone per private-link sub-resource (Azure private endpoint DNS reference)."""


class PrivateLinks:
    """Creates private endpoints and, lazily, the private DNS zones they need."""

    def __init__(self, name: str, ctx: StageContext, *, resource_group_name: pulumi.Input[str],
                 location: str, vnet: network.VirtualNetwork, subnets: dict[Zone, network.Subnet],
                 parent: pulumi.Resource) -> None:
        self._name, self._ctx, self._rg, self._location = name, ctx, resource_group_name, location
        self._vnet, self._subnets, self._parent = vnet, subnets, parent
        self.zones: dict[str, privatedns.PrivateZone] = {}
        """By DNS zone name: sub-resources that share a zone (Databricks) share one."""
        self.links: dict[str, privatedns.VirtualNetworkLink] = {}
        self.endpoints: list[network.PrivateEndpoint] = []

    def dns_zone(self, group_id: str) -> privatedns.PrivateZone:
        zone_name = DNS_ZONES[group_id]
        if zone_name not in self.zones:
            key = group_id.lower().replace("_", "-")
            self.zones[zone_name] = privatedns.PrivateZone(
                f"{self._name}-dns-{key}",
                private_zone_name=zone_name,
                resource_group_name=self._rg,
                location="global",
                tags=self._ctx.foundation_tags(Zone.DATA),
                opts=pulumi.ResourceOptions(parent=self._parent),
            )
            self.links[zone_name] = privatedns.VirtualNetworkLink(
                f"{self._name}-dns-{key}-link",
                virtual_network_link_name=self._ctx.name("azure-generic", f"network-dns-{key}-link"),
                private_zone_name=self.zones[zone_name].name,
                resource_group_name=self._rg,
                location="global",
                registration_enabled=False,
                virtual_network={"id": self._vnet.id},
                tags=self._ctx.foundation_tags(Zone.DATA),
                opts=pulumi.ResourceOptions(parent=self._parent),
            )
        return self.zones[zone_name]

    def connect(
        self, name: str, *, owner: str, tags: dict[str, str], zone: Zone, target_id: pulumi.Input[str],
        group_id: str, parent: pulumi.Resource, purpose: str = "",
    ) -> network.PrivateEndpoint:
        """A private endpoint ``f"{name}-pe"`` for ``group_id`` of ``target_id`` in ``zone``'s subnet.

        ``owner`` is the stage (or ``foundation``) the endpoint belongs to; it starts the name's role.
        ``purpose`` tells two endpoints for one sub-resource apart (Databricks' back end and front end).
        """
        ctx = self._ctx
        role = f"{owner}-{group_id.lower().replace('_', '-')}{'-' + purpose if purpose else ''}-pe"
        endpoint = network.PrivateEndpoint(
            f"{name}-pe",
            private_endpoint_name=ctx.name("azure-generic", role),
            resource_group_name=self._rg,
            location=self._location,
            subnet={"id": self._subnets[zone].id},
            private_link_service_connections=[{
                "name": f"{group_id}-connection",
                "private_link_service_id": target_id,
                "group_ids": [group_id],
            }],
            tags=tags,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        network.PrivateDnsZoneGroup(
            f"{name}-pe-dns",
            private_endpoint_name=endpoint.name,
            private_dns_zone_group_name="default",
            resource_group_name=self._rg,
            private_dns_zone_configs=[{"name": group_id, "private_dns_zone_id": self.dns_zone(group_id).id}],
            opts=pulumi.ResourceOptions(parent=parent),
        )
        self.endpoints.append(endpoint)
        return endpoint
