"""The zone network: reachability derived from NSG rules, subnet rules and public endpoints is the matrix."""

from __future__ import annotations

import ipaddress

import pytest

from components.zones import INTERNET, REACHABILITY, Zone
from tests.infra.azure.support import (
    ACCOUNT, NAMESPACE, NSG, PRIVATE_ENDPOINT, SUBNET, SYNAPSE, VAULT, DATABRICKS,
)


def _nsg_zone_by_id(synthesis) -> dict[str, str]:
    """NSG resource id suffix (its name) -> the NSG's zone tag."""
    return {r.inputs["networkSecurityGroupName"]: r.inputs["tags"]["zone"] for r in synthesis.of_type(NSG)}


def subnet_zones(synthesis) -> dict[str, str]:
    """Subnet address prefix -> zone, via the zone tag of the NSG attached to the subnet (by name)."""
    by_name = _nsg_zone_by_id(synthesis)
    out = {}
    for subnet in synthesis.of_type(SUBNET):
        nsg_id = subnet.inputs["networkSecurityGroup"]["id"]
        out[subnet.inputs["addressPrefix"]] = by_name[nsg_id.rsplit("/", 1)[-1]]
    return out


def subnet_zone_by_name(synthesis) -> dict[str, str]:
    zones = subnet_zones(synthesis)
    return {s.inputs["subnetName"]: zones[s.inputs["addressPrefix"]] for s in synthesis.of_type(SUBNET)}


def _props(resource) -> dict:
    return resource.inputs.get("properties", resource.inputs)


DATABRICKS_INBOUND = [{
    "name": "Microsoft.Databricks-workspaces_UseOnly_databricks-worker-to-worker-inbound",
    "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "*",
    "sourceAddressPrefix": "VirtualNetwork", "destinationAddressPrefix": "VirtualNetwork",
    "destinationPortRange": "*",
}]
"""The inbound rule Azure Databricks adds to the NSGs of its delegated subnets (with requiredNsgRules
NoAzureDatabricksRules it is the one that stays): every address of the VNet, every port."""
AZURE_DEFAULT_RULES = [
    {"priority": 65000, "direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "VirtualNetwork"},
    {"priority": 65001, "direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "AzureLoadBalancer"},
    {"priority": 65500, "direction": "Inbound", "access": "Deny", "sourceAddressPrefix": "*"},
    {"priority": 65000, "direction": "Outbound", "access": "Allow", "destinationAddressPrefix": "VirtualNetwork"},
    {"priority": 65001, "direction": "Outbound", "access": "Allow", "destinationAddressPrefix": "Internet"},
    {"priority": 65500, "direction": "Outbound", "access": "Deny", "destinationAddressPrefix": "*"},
]
"""Every NSG's default rules."""


def _matches(prefixes: list[str], address: str) -> bool:
    for prefix in prefixes:
        if prefix == "*" or prefix == address:
            return True
        if prefix == "VirtualNetwork" and address != "Internet":
            return True
        if "/" in prefix and address != "Internet" and ipaddress.ip_network(address).subnet_of(ipaddress.ip_network(prefix)):
            return True
    return False


def _first(rules: list[dict], direction: str, address: str) -> dict:
    """The first rule by priority of ``direction`` whose other end matches ``address`` (as Azure evaluates)."""
    side = "source" if direction == "Inbound" else "destination"
    ordered = sorted((r for r in rules if r["direction"] == direction), key=lambda r: r["priority"])
    return next(r for r in ordered
                if _matches(r.get(f"{side}AddressPrefixes") or [r[f"{side}AddressPrefix"]], address))


def _admitted(rules: list[dict], source: str) -> bool:
    """Whether the NSG with ``rules`` lets a connection from ``source`` in."""
    return _first(rules, "Inbound", source)["access"] == "Allow"


def _let_out(rules: list[dict], destination: str) -> bool:
    """Whether the NSG with ``rules`` lets a connection to ``destination`` out."""
    return _first(rules, "Outbound", destination)["access"] == "Allow"


def derived_reachability(synthesis) -> set[tuple[str, str]]:
    """(source, destination) pairs the synthesized network admits, read from the resources only."""
    zones = subnet_zones(synthesis)
    by_subnet_name = subnet_zone_by_name(synthesis)
    delegated = {s.inputs["networkSecurityGroup"]["id"].rsplit("/", 1)[-1]
                 for s in synthesis.of_type(SUBNET) if s.inputs.get("delegations")}
    nsg_rules = {}
    for nsg in synthesis.of_type(NSG):
        rules = list(nsg.inputs["securityRules"]) + AZURE_DEFAULT_RULES
        if nsg.inputs["networkSecurityGroupName"] in delegated:
            rules += DATABRICKS_INBOUND
        nsg_rules[nsg.inputs["networkSecurityGroupName"]] = rules
    subnets = [(s.inputs["addressPrefix"], zones[s.inputs["addressPrefix"]],
                nsg_rules[s.inputs["networkSecurityGroup"]["id"].rsplit("/", 1)[-1]]) for s in synthesis.of_type(SUBNET)]
    edges: set[tuple[str, str]] = set()
    for destination_prefix, destination, inbound in subnets:
        if _admitted(inbound, "Internet"):
            edges.add((INTERNET, destination))
        for source_prefix, source, outbound in subnets:
            # Both NSGs must agree: the source's lets the connection out, the destination's lets it in.
            if _let_out(outbound, destination_prefix) and _admitted(inbound, source_prefix):
                edges.add((source, destination))
    # Services with a public endpoint: open to the internet unless a default-deny rule set closes it;
    # subnet (service endpoint) rules admit that subnet's zone.
    for resource in synthesis.of_type(ACCOUNT, VAULT):
        props = _props(resource)
        zone = resource.inputs["tags"]["zone"]
        rules = props.get("networkRuleSet") or props.get("networkAcls") or {}
        if props.get("publicNetworkAccess") == "Disabled":
            continue
        if rules.get("defaultAction") != "Deny" or rules.get("ipRules"):
            edges.add((INTERNET, zone))
        for vnet_rule in rules.get("virtualNetworkRules", []):
            subnet_id = vnet_rule.get("virtualNetworkResourceId") or vnet_rule.get("id")
            edges.add((by_subnet_name[subnet_id.rsplit("/", 1)[-1]], zone))
    for resource in synthesis.of_type(NAMESPACE, SYNAPSE, DATABRICKS):
        if resource.inputs.get("publicNetworkAccess") == "Disabled":
            continue
        if resource.type == SYNAPSE:
            # Synapse admits nobody on its public endpoint without an IP firewall rule.
            if synthesis.of_type("azure-native:synapse:IpFirewallRule"):
                edges.add((INTERNET, resource.inputs["tags"]["zone"]))
            continue
        edges.add((INTERNET, resource.inputs["tags"]["zone"]))
    return edges


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_reachability_is_the_declared_matrix(profile, request):
    synthesis = request.getfixturevalue(profile)
    assert derived_reachability(synthesis) == set(REACHABILITY)


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_every_nsg_ends_with_an_explicit_deny_all_inbound(profile, request):
    # The default AllowVnetInBound rule would otherwise let every zone reach every other one.
    for nsg in request.getfixturevalue(profile).of_type(NSG):
        rules = nsg.inputs["securityRules"]
        denies = [r for r in rules if r["direction"] == "Inbound" and r["access"] == "Deny"
                  and r.get("sourceAddressPrefix") == "*" and r.get("destinationPortRange") == "*"]
        assert denies, nsg.name
        allows = [r["priority"] for r in rules if r["access"] == "Allow"]
        assert all(p < denies[0]["priority"] for p in allows), nsg.name
        assert denies[0]["priority"] < 65000  # before the default rules


def test_only_the_edge_accepts_the_internet_and_only_on_443(learning):
    for nsg in learning.of_type(NSG):
        for rule in nsg.inputs["securityRules"]:
            if rule["access"] == "Allow" and rule.get("sourceAddressPrefix") in ("Internet", "*", "0.0.0.0/0"):
                assert nsg.inputs["tags"]["zone"] == Zone.EDGE.value
                assert rule["destinationPortRanges"] == ["443"] and rule["protocol"] == "Tcp"


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_one_subnet_per_zone_each_with_an_nsg_inside_the_network(profile, request):
    synthesis = request.getfixturevalue(profile)
    cidr = ipaddress.ip_network(synthesis.config["blueprint:networkCidr"])
    zones = subnet_zones(synthesis)
    foundation_subnets = [s for s in synthesis.of_type(SUBNET) if "Foundation" in s.parent]
    assert sorted(zones[s.inputs["addressPrefix"]] for s in foundation_subnets) == sorted(z.value for z in Zone)
    prefixes = [ipaddress.ip_network(s.inputs["addressPrefix"]) for s in synthesis.of_type(SUBNET)]
    assert all(p.subnet_of(cidr) for p in prefixes)
    assert not any(a.overlaps(b) for i, a in enumerate(prefixes) for b in prefixes[i + 1:])
    for subnet in synthesis.of_type(SUBNET):
        assert subnet.inputs["defaultOutboundAccess"] is False
        assert subnet.inputs.get("privateEndpointNetworkPolicies", "Enabled") == "Enabled"


def test_learning_uses_service_endpoints_and_no_private_endpoints(learning):
    assert not learning.of_type(PRIVATE_ENDPOINT)
    with_endpoints = [s for s in learning.of_type(SUBNET) if s.inputs.get("serviceEndpoints")]
    assert {subnet_zone_by_name(learning)[s.inputs["subnetName"]] for s in with_endpoints} <= {"processing", "serving"}


def test_production_private_endpoints_sit_in_the_zone_of_their_service_and_have_dns(production):
    by_name = subnet_zone_by_name(production)
    endpoints = production.of_type(PRIVATE_ENDPOINT)
    groups = sorted(g for e in endpoints for c in e.inputs["privateLinkServiceConnections"] for g in c["groupIds"])
    assert groups == sorted(["vault", "dfs", "blob", "namespace", "databricks_ui_api", "databricks_ui_api",
                             "browser_authentication", "SqlOnDemand"])
    for endpoint in endpoints:
        subnet_zone = by_name[endpoint.inputs["subnet"]["id"].rsplit("/", 1)[-1]]
        assert endpoint.inputs["tags"]["zone"] == subnet_zone
    dns_groups = production.of_type("azure-native:network:PrivateDnsZoneGroup")
    assert sorted(g.inputs["privateEndpointName"] for g in dns_groups) == sorted(
        e.inputs["privateEndpointName"] for e in endpoints)
    zones = {z.inputs["privateZoneName"] for z in production.of_type("azure-native:privatedns:PrivateZone")}
    # Databricks' back end, front end and browser authentication share privatelink.azuredatabricks.net.
    assert zones == {"privatelink.blob.core.windows.net", "privatelink.dfs.core.windows.net",
                     "privatelink.vaultcore.azure.net", "privatelink.servicebus.windows.net",
                     "privatelink.sql.azuresynapse.net", "privatelink.azuredatabricks.net"}
    assert len(production.of_type("azure-native:privatedns:VirtualNetworkLink")) == len(zones)


def _allow_ports(synthesis, zone: str, source: str) -> list[str]:
    nsgs = [n for n in synthesis.of_type(NSG) if n.inputs["tags"]["zone"] == zone and "Foundation" in n.parent]
    (nsg,) = nsgs
    (rule,) = [r for r in nsg.inputs["securityRules"] if r["name"] == f"allow-{source}-inbound"]
    return sorted(rule["destinationPortRanges"], key=int)


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_service_ports_are_admitted_where_their_private_endpoints_sit(profile, request):
    synthesis = request.getfixturevalue(profile)
    # Serverless SQL (serving) speaks TDS on 1433; dashboards come from the edge.
    assert _allow_ports(synthesis, "serving", "edge") == ["443", "1433"]
    # Event Hubs consumers in processing use AMQP 5671/5672 or Kafka 9093 besides HTTPS.
    assert _allow_ports(synthesis, "data", "processing") == ["443", "5671", "5672", "9093"]
    assert _allow_ports(synthesis, "data", "serving") == ["443"]
    assert _allow_ports(synthesis, "edge", "internet") == ["443"]


def test_other_zones_cannot_open_connections_to_processing_although_databricks_admits_the_vnet(production):
    """Databricks' worker-to-worker rule (priority 100, the first an NSG allows) admits the whole VNet into its
    subnets; the other zones' NSGs refuse the connection where it starts."""
    zones = subnet_zones(production)
    nsgs = {n.inputs["networkSecurityGroupName"]: n for n in production.of_type(NSG)}
    databricks_prefixes = [s.inputs["addressPrefix"] for s in production.of_type(SUBNET) if s.inputs.get("delegations")]
    assert len(databricks_prefixes) == 2
    for subnet in production.of_type(SUBNET):
        zone = zones[subnet.inputs["addressPrefix"]]
        rules = list(nsgs[subnet.inputs["networkSecurityGroup"]["id"].rsplit("/", 1)[-1]].inputs["securityRules"])
        for target in databricks_prefixes:
            assert _let_out(rules + AZURE_DEFAULT_RULES, target) == (zone == "processing"), (subnet.name, target)
    for nsg in nsgs.values():
        assert all(100 <= rule["priority"] <= 4096 for rule in nsg.inputs["securityRules"]), nsg.name


def test_a_zone_nsg_allows_each_source_from_the_first_priority_and_denies_the_rest_last():
    from infra.azure.network import inbound_rules, zone_prefixes

    prefixes = zone_prefixes("10.40.0.0/16", databricks=False)
    # NSG priorities run from 100 (evaluated first) to 4096 (last); allow rules step by 10 to leave room.
    assert inbound_rules(Zone.DATA, prefixes) == [
        {"name": "allow-processing-inbound", "priority": 100, "direction": "Inbound", "access": "Allow",
         "protocol": "Tcp", "source_port_range": "*", "destination_address_prefixes": ["10.40.64.0/19"],
         "source_address_prefixes": ["10.40.32.0/19"], "destination_port_ranges": ["443", "5671", "5672", "9093"]},
        {"name": "allow-serving-inbound", "priority": 110, "direction": "Inbound", "access": "Allow",
         "protocol": "Tcp", "source_port_range": "*", "destination_address_prefixes": ["10.40.64.0/19"],
         "source_address_prefixes": ["10.40.96.0/19"], "destination_port_ranges": ["443"]},
        {"name": "deny-all-inbound", "priority": 4096, "direction": "Inbound", "access": "Deny", "protocol": "*",
         "source_port_range": "*", "source_address_prefix": "*", "destination_port_range": "*",
         "destination_address_prefix": "*"},
    ]


def test_other_zones_deny_every_protocol_and_port_towards_processing_and_processing_denies_nothing_out():
    from infra.azure.network import outbound_rules, zone_prefixes

    prefixes = zone_prefixes("10.40.0.0/16", databricks=True)
    processing = ["10.40.32.0/19", "10.40.128.0/19", "10.40.160.0/19"]
    for zone in (Zone.EDGE, Zone.DATA, Zone.SERVING):
        assert outbound_rules(zone, prefixes) == [{
            "name": "deny-processing-outbound", "priority": 4000, "direction": "Outbound", "access": "Deny",
            "protocol": "*", "source_port_range": "*", "source_address_prefix": "*", "destination_port_range": "*",
            "destination_address_prefixes": processing}]
    assert outbound_rules(Zone.PROCESSING, prefixes) == []


def test_databricks_subnets_allow_processing_from_200_after_the_rules_databricks_adds_at_100_to_104(production):
    priorities = {n.inputs["networkSecurityGroupName"]: [r["priority"] for r in n.inputs["securityRules"]]
                  for n in production.of_type(NSG) if "Foundation" not in n.parent}
    assert len(priorities) == 2 and all(p == [200, 4096] for p in priorities.values()), priorities
