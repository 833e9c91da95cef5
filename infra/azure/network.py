"""Zone network: a VNet with one subnet per security zone, each behind its own NSG.

The NSG rules are generated from ``components.zones.REACHABILITY`` and
``ZONE_PORTS``: for each zone, one inbound Allow rule per permitted source
(the source zone's address ranges, or the ``Internet`` service tag) on the
zone's ports, then an explicit inbound Deny of everything at priority 4096.
That last rule matters on Azure: the default NSG rules allow all traffic
inside the VNet (``AllowVnetInBound``), which would let every zone reach
every other one. The edge, data and serving NSGs also deny opening
connections to the processing zone (``outbound_rules``), because Azure
Databricks' own inbound rule on its subnets admits the whole VNet at a
priority no rule of ours can precede.

Address plan: the network CIDR is cut into eight equal blocks; blocks 0-3
are the edge, processing, data and serving subnets, blocks 4 and 5 are
reserved for the two delegated Databricks subnets (part of the processing
zone when the profile runs Databricks), 6 and 7 are spare.

Subnets: private-endpoint network policies on (so NSGs apply to private
endpoints), no default outbound internet access. In learning, the
processing and serving subnets carry service endpoints for Storage, Event
Hubs and Key Vault (free) so those services can admit them by subnet rule.
Subnets are created one after another: Azure refuses concurrent writes to
one VNet ("AnotherOperationInProgress").
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from components.context import StageContext
from components.zones import INTERNET, ZONE_PORTS, Zone, allowed_sources

ZONE_ORDER: tuple[Zone, ...] = (Zone.EDGE, Zone.PROCESSING, Zone.DATA, Zone.SERVING)
"""Zone subnets take blocks 0-3 of the address plan in this order."""
DATABRICKS_BLOCKS: tuple[int, int] = (4, 5)
"""Blocks for the Databricks host (public) and container (private) subnets."""
SERVICE_ENDPOINTS: tuple[str, ...] = ("Microsoft.Storage", "Microsoft.EventHub", "Microsoft.KeyVault")
SERVICE_ENDPOINT_ZONES: tuple[Zone, ...] = (Zone.PROCESSING, Zone.SERVING)
"""Zones whose subnets may reach data services by service endpoint (learning)."""
SERVICE_PORTS: dict[tuple[str, Zone], tuple[int, ...]] = {
    # Synapse serverless SQL speaks TDS on 1433 behind its SqlOnDemand private endpoint (serving).
    (Zone.EDGE.value, Zone.SERVING): (1433,),
    # Event Hubs consumers in the VNet use AMQP (5671 over TLS, 5672) or the Kafka endpoint (9093)
    # through the namespace's private endpoint (data zone), besides HTTPS and AMQP over WebSockets on 443.
    (Zone.PROCESSING.value, Zone.DATA): (5671, 5672, 9093),
}
"""Ports of the Azure services behind a zone's private endpoints, per (source, zone), added to ``ZONE_PORTS``."""
DENY_ALL_PRIORITY = 4096
FIRST_PRIORITY = 100
"""Priority of a zone NSG's first allow rule."""
DATABRICKS_FIRST_PRIORITY = 200
"""First allow rule on the Databricks subnets' NSGs. Azure Databricks adds its own
``Microsoft.Databricks-workspaces_UseOnly_*`` rules to those NSGs at priorities
100-104 (inbound and outbound) through the subnet delegation and refuses a
workspace whose NSG already holds another rule at one of them."""


OUTBOUND_DENY_PRIORITY = 4000
"""Priority of the outbound Deny towards the processing zone on the other zones' NSGs."""


def outbound_rules(zone: Zone, prefixes: dict[Zone, list[str]]) -> list[dict]:
    """Outbound rules of ``zone``: deny opening connections to the processing zone, which no other zone may.

    Inbound rules alone cannot keep the other zones out of the Databricks
    subnets: Azure Databricks adds its worker-to-worker rule (source and
    destination ``VirtualNetwork``, every port) at priority 100, the first
    priority an NSG rule may take (100-4096), so nothing can come before it.
    The other zones' NSGs therefore refuse the connection where it starts.
    Replies to connections processing opens are not affected (NSGs are
    stateful).
    """
    if zone == Zone.PROCESSING:
        return []
    return [{
        "name": "deny-processing-outbound",
        "priority": OUTBOUND_DENY_PRIORITY,
        "direction": "Outbound",
        "access": "Deny",
        "protocol": "*",
        "source_port_range": "*",
        "source_address_prefix": "*",
        "destination_port_range": "*",
        "destination_address_prefixes": list(prefixes[Zone.PROCESSING]),
    }]


def address_plan(cidr: str) -> list[str]:
    """The eight equal blocks of ``cidr`` (a /16 gives /19s, a /22 gives /25s)."""
    net = ipaddress.ip_network(cidr)
    return [str(block) for block in net.subnets(new_prefix=net.prefixlen + 3)]


def zone_prefixes(cidr: str, *, databricks: bool) -> dict[Zone, list[str]]:
    """The address ranges of each zone."""
    blocks = address_plan(cidr)
    prefixes = {zone: [blocks[i]] for i, zone in enumerate(ZONE_ORDER)}
    if databricks:
        prefixes[Zone.PROCESSING] += [blocks[i] for i in DATABRICKS_BLOCKS]
    return prefixes


def inbound_rules(zone: Zone, prefixes: dict[Zone, list[str]], first_priority: int = FIRST_PRIORITY) -> list[dict]:
    """The NSG rules of ``zone``: allow each declared source on the zone's ports, deny the rest.

    The allow rules take ``first_priority``, ``first_priority + 10``, ...
    """
    rules: list[dict] = []
    for index, source in enumerate(allowed_sources(zone)):
        ports = ZONE_PORTS[zone] + SERVICE_PORTS.get((source, zone), ()) if ZONE_PORTS[zone] else ()
        rule: dict = {
            "name": f"allow-{source}-inbound",
            "priority": first_priority + 10 * index,
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "Tcp" if ports else "*",
            "source_port_range": "*",
            "destination_address_prefixes": list(prefixes[zone]),
        }
        if source == INTERNET:
            rule["source_address_prefix"] = "Internet"
        else:
            rule["source_address_prefixes"] = list(prefixes[Zone(source)])
        if ports:
            rule["destination_port_ranges"] = [str(p) for p in ports]
        else:
            rule["destination_port_range"] = "*"
        rules.append(rule)
    rules.append({
        "name": "deny-all-inbound",
        "priority": DENY_ALL_PRIORITY,
        "direction": "Inbound",
        "access": "Deny",
        "protocol": "*",
        "source_port_range": "*",
        "source_address_prefix": "*",
        "destination_port_range": "*",
        "destination_address_prefix": "*",
    })
    return rules


@dataclass
class ZoneNetwork:
    """The VNet, its zone subnets and their NSGs (children of ``parent``)."""

    vnet: network.VirtualNetwork
    subnets: dict[Zone, network.Subnet]
    security_groups: dict[Zone, network.NetworkSecurityGroup]
    prefixes: dict[Zone, list[str]]
    blocks: list[str]

    @classmethod
    def create(
        cls, name: str, ctx: StageContext, *, resource_group_name: pulumi.Input[str], location: str,
        databricks: bool, service_endpoints: bool, parent: pulumi.Resource,
    ) -> "ZoneNetwork":
        cidr = ctx.config.network_cidr
        blocks = address_plan(cidr)
        prefixes = zone_prefixes(cidr, databricks=databricks)
        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            virtual_network_name=ctx.name("azure-generic", "network-vnet"),
            resource_group_name=resource_group_name,
            location=location,
            address_space={"address_prefixes": [cidr]},
            tags=ctx.foundation_tags(Zone.DATA),
            opts=pulumi.ResourceOptions(parent=parent),
        )
        subnets: dict[Zone, network.Subnet] = {}
        groups: dict[Zone, network.NetworkSecurityGroup] = {}
        previous: list[pulumi.Resource] = []
        for zone in ZONE_ORDER:
            groups[zone] = network.NetworkSecurityGroup(
                f"{name}-{zone.value}-nsg",
                network_security_group_name=ctx.name("azure-generic", f"network-{zone.value}-nsg"),
                resource_group_name=resource_group_name,
                location=location,
                security_rules=inbound_rules(zone, prefixes) + outbound_rules(zone, prefixes),
                tags=ctx.foundation_tags(zone),
                opts=pulumi.ResourceOptions(parent=parent),
            )
            endpoints = (
                [{"service": s} for s in SERVICE_ENDPOINTS]
                if service_endpoints and zone in SERVICE_ENDPOINT_ZONES else None
            )
            subnets[zone] = network.Subnet(
                f"{name}-{zone.value}-subnet",
                subnet_name=ctx.name("azure-generic", f"network-{zone.value}-subnet"),
                virtual_network_name=vnet.name,
                resource_group_name=resource_group_name,
                address_prefix=prefixes[zone][0],
                network_security_group={"id": groups[zone].id},
                private_endpoint_network_policies="Enabled",
                default_outbound_access=False,
                service_endpoints=endpoints,
                opts=pulumi.ResourceOptions(parent=parent, depends_on=previous),
            )
            previous = [subnets[zone]]
        return cls(vnet, subnets, groups, prefixes, blocks)
