"""Network zoning (catalogue group E): AWS security groups, default SG, EMR placement,
VPC endpoints; Azure private access, Databricks, NSGs; GCP networks and firewalls."""

from __future__ import annotations

from policies.check import applies_to, companions, label, of_type, refers_to
from policies.config import is_production, setting
from policies.props import as_list, get, number
from policies.tokens import canonical

OPEN_V4, OPEN_V6 = "0.0.0.0/0", "::/0"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"


def _port_range(rule: dict) -> tuple[float, float]:
    protocol = str(rule.get("protocol", rule.get("ipProtocol", "-1")))
    low = number(rule.get("fromPort"), 0.0)
    high = number(rule.get("toPort"), 65535.0)
    if protocol in ("-1", "all"):
        return 0.0, 65535.0
    return low, high


def _public_ingress(rule: dict, allowed_ports: list[int]) -> bool:
    cidrs = as_list(rule.get("cidrBlocks")) + as_list(rule.get("ipv6CidrBlocks"))
    cidrs += as_list(rule.get("cidrIpv4")) + as_list(rule.get("cidrIpv6"))
    if not any(c in (OPEN_V4, OPEN_V6) for c in cidrs):
        return False
    low, high = _port_range(rule)
    return not (low == high and int(low) in allowed_ports)


@applies_to(SECURITY_GROUP, INGRESS_RULE, SG_RULE)
def security_group_no_public_ingress(args, report) -> None:
    allowed = [int(p) for p in setting(args.get_config(), "publicIngressPorts")]
    if args.resource_type.endswith(":SecurityGroup"):
        rules = as_list(args.props.get("ingress"))
    elif canonical(args.resource_type) == SG_RULE:
        rules = [args.props] if args.props.get("type") == "ingress" else []
    else:
        rules = [args.props]
    for rule in rules:
        if _public_ingress(rule, allowed):
            low, high = _port_range(rule)
            report(f"ingress from the internet on ports {low:g}-{high:g}: allow only the zone's source security "
                   "group (referenced_security_group_id) or allow-list the port in publicIngressPorts")


@applies_to(SECURITY_GROUP, INGRESS_RULE, EGRESS_RULE, SG_RULE)
def security_group_descriptions(args, report) -> None:
    if not args.props.get("description"):
        report("add a description saying which zone may connect and why")
    for rule in as_list(args.props.get("ingress")) + as_list(args.props.get("egress")):
        if isinstance(rule, dict) and not rule.get("description"):
            report("add a description to every inline rule")
            break


VPC = "aws:ec2/vpc:Vpc"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"


def vpc_default_security_group_closed(args, report) -> None:
    """Each VPC adopts its default security group with no rules; no public IPs on subnets; no default VPC."""
    for vpc in of_type(args.resources, VPC):
        defaults = companions(vpc, args.resources, [DEFAULT_SG], "vpcId")
        if not defaults:
            report(f"VPC {label(vpc)}: adopt its default security group with aws.ec2.DefaultSecurityGroup "
                   "(vpc_id=..., no ingress, no egress) so nothing can use it", vpc.urn)
    for sg in of_type(args.resources, DEFAULT_SG):
        if sg.props.get("ingress") or sg.props.get("egress"):
            report(f"{label(sg)}: remove every ingress and egress rule from the default security group", sg.urn)
    for subnet in of_type(args.resources, "aws:ec2/subnet:Subnet"):
        if subnet.props.get("mapPublicIpOnLaunch") is True:
            report(f"subnet {label(subnet)}: set map_public_ip_on_launch=False", subnet.urn)
    for vpc in of_type(args.resources, "aws:ec2/defaultVpc:DefaultVpc"):
        report(f"{label(vpc)}: do not manage the default VPC; the platform builds its own", vpc.urn)


@applies_to("aws:emr/cluster:Cluster", "aws:emrserverless/application:Application")
def emr_private_network(args, report) -> None:
    props = args.props
    if args.resource_type.endswith(":Cluster"):
        if not get(props, "ec2Attributes.subnetId") and not get(props, "ec2Attributes.subnetIds"):
            report("set ec2_attributes.subnet_id to a private processing subnet")
        if not get(props, "ec2Attributes.emrManagedMasterSecurityGroup"):
            report("set ec2_attributes.emr_managed_master_security_group (and slave) to the processing zone's "
                   "security groups")
        return
    net = props.get("networkConfiguration") or {}
    if not as_list(net.get("subnetIds")) or not as_list(net.get("securityGroupIds")):
        report("set network_configuration with the private processing subnets and the processing security group")


ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
SERVICE_ENDPOINTS = {
    "aws:kinesis/stream": "kinesis-streams", "aws:glue/": "glue", "aws:kms/": "kms", "aws:cloudwatch/logGroup": "logs",
}
"""Services that workloads inside the VPC call. Firehose and Athena run outside the VPC and are called
from outside it (producers through API Gateway, dashboards through the public API): an endpoint for
them would bill $0.24/day per AZ and carry nothing."""


def vpc_endpoints(args, report) -> None:
    """Data VPCs reach S3 through a gateway endpoint, and in production the services in use through interface
    endpoints."""
    endpoints = of_type(args.resources, ENDPOINT)
    types = {canonical(r.resource_type) for r in args.resources}
    for vpc in of_type(args.resources, VPC):
        mine = [e for e in endpoints if refers_to(e, "vpcId", vpc)]
        services = {str(e.props.get("serviceName", "")).rsplit(".", 1)[-1] for e in mine}
        if "s3" not in services:
            report(f"VPC {label(vpc)}: add an S3 gateway endpoint (free; keeps lake traffic off the internet)",
                   vpc.urn)
        if not is_production(args.get_config()):
            continue
        wanted = sorted({svc for prefix, svc in SERVICE_ENDPOINTS.items() if any(t.startswith(prefix) for t in types)})
        missing = [svc for svc in wanted if svc not in services]
        if missing:
            report(f"VPC {label(vpc)}: add interface endpoints for {', '.join(missing)} "
                   "(private DNS on) so private subnets need no NAT", vpc.urn)


PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
AZURE_PRIVATE = ("azure-native:storage:StorageAccount", "azure-native:keyvault:Vault", "azure-native:eventhub:Namespace")


EVENT_HUB = "azure-native:eventhub:EventHub"
EDGE_ZONE = "edge"


def is_edge(resource) -> bool:
    """Tagged ``zone: edge``: the zone the matrix opens to the internet (components.zones)."""
    tags = resource.props.get("tags") if hasattr(resource.props, "get") else None
    return isinstance(tags, dict) and tags.get("zone") == EDGE_ZONE


def capture_writers(account, resources) -> list:
    """Event hubs whose Capture writes into ``account``."""
    hubs = []
    for hub in of_type(resources, EVENT_HUB):
        if get(hub.props, "captureDescription.enabled") is not True:
            continue
        target = get(hub.props, "captureDescription.destination.storageAccountResourceId")
        if refers_to(hub, "captureDescription", account) or (target and target == account.props.get("id")):
            hubs.append(hub)
    return hubs


def _edge_namespace(resource, report) -> None:
    """An internet-facing ingest namespace: public by design, so Entra-only and TLS 1.2 instead."""
    props = resource.props
    if props.get("disableLocalAuth") is not True:
        report(f"{label(resource)}: an edge (internet-facing) namespace must set disable_local_auth=True so "
               "only Entra ID tokens are accepted", resource.urn)
    if props.get("minimumTlsVersion") not in ("1.2", "1.3"):
        report(f"{label(resource)}: an edge (internet-facing) namespace must set minimum_tls_version='1.2'",
               resource.urn)


def _capture_destination(resource, report) -> None:
    """A Capture destination may keep its public endpoint only for trusted Azure services."""
    rules = resource.props.get("networkRuleSet") or {}
    if "AzureServices" not in str(rules.get("bypass") or ""):
        report(f"{label(resource)}: set network_rule_set.bypass='AzureServices' (Event Hubs Capture writes as a "
               "trusted service) or set public_network_access='Disabled'", resource.urn)
    if as_list(rules.get("ipRules")) or as_list(rules.get("virtualNetworkRules")):
        report(f"{label(resource)}: a Capture destination with a public endpoint admits trusted Azure services "
               "only: remove ip_rules and virtual_network_rules (use the private endpoint)", resource.urn)


def azure_private_access(args, report) -> None:
    """Storage, Key Vault and Event Hubs: public network access off, default Deny, a private endpoint.

    Two platform constraints narrow "public network access off", each
    replaced by controls the rule checks instead:
    - an Event Hubs namespace tagged ``zone: edge`` is the internet-facing
      ingest endpoint (producers anywhere send to it), so it must accept
      Entra ID only (``disableLocalAuth``) over TLS 1.2;
    - a storage account that an Event Hubs Capture in the stack writes to
      must keep public network access "Enabled", because Capture reaches
      it through the trusted-service exception, which Azure Storage ignores
      when public network access is "Disabled"; it must then deny by
      default, bypass for AzureServices and have no IP or subnet rules.
    Both still need a private endpoint, and everything else fails as before.
    """
    for resource in of_type(args.resources, *AZURE_PRIVATE):
        props = resource.props
        kind = resource.resource_type.rsplit(":", 1)[1]
        if kind == "Vault":
            public, default = get(props, "properties.publicNetworkAccess"), get(props, "properties.networkAcls.defaultAction")
        else:
            public, default = props.get("publicNetworkAccess"), get(props, "networkRuleSet.defaultAction")
        if kind == "Namespace" and is_edge(resource):
            _edge_namespace(resource, report)
        elif kind == "StorageAccount" and capture_writers(resource, args.resources) \
                and str(public).lower() != "disabled":
            _capture_destination(resource, report)
        elif str(public).lower() != "disabled":
            report(f"{label(resource)}: set public_network_access='Disabled'", resource.urn)
        if kind != "Namespace" and default != "Deny":
            report(f"{label(resource)}: set the network rule default_action='Deny'", resource.urn)
        if not companions(resource, args.resources, [PRIVATE_ENDPOINT], "privateLinkServiceConnections"):
            report(f"{label(resource)}: add an azure-native network.PrivateEndpoint in the data subnet with a "
                   "private DNS zone group", resource.urn)


@applies_to("azure-native:databricks:Workspace")
def databricks_network(args, report) -> None:
    props = args.props
    if get(props, "parameters.enableNoPublicIp.value") is not True:
        report("set parameters.enable_no_public_ip.value=True (secure cluster connectivity)")
    for key in ("customVirtualNetworkId", "customPrivateSubnetName", "customPublicSubnetName"):
        if not get(props, f"parameters.{key}.value"):
            report(f"set parameters.{key} for VNet injection (both subnets with an NSG)")
    if props.get("publicNetworkAccess") != "Disabled":
        report("set public_network_access='Disabled' with required_nsg_rules='NoAzureDatabricksRules' and "
               "Private Link")


INTERNET_SOURCES = ("*", "internet", "0.0.0.0/0", "any", "::/0")
RISKY_PORTS = (22, 3389, 80)


def _nsg_rule_open(rule: dict) -> str | None:
    if str(rule.get("access")).lower() != "allow" or str(rule.get("direction")).lower() != "inbound":
        return None
    sources = as_list(rule.get("sourceAddressPrefix")) + as_list(rule.get("sourceAddressPrefixes"))
    if not any(str(s).lower() in INTERNET_SOURCES for s in sources):
        return None
    if str(rule.get("protocol")).lower() == "udp":
        return "UDP"
    for port in as_list(rule.get("destinationPortRange")) + as_list(rule.get("destinationPortRanges")):
        port = str(port)
        if port == "*":
            return "all ports"
        low, _, high = port.partition("-")
        lo, hi = int(low), int(high or low)
        hit = [p for p in RISKY_PORTS if lo <= p <= hi]
        if hit:
            return f"port {hit[0]}"
    return None


SUBNET_EXEMPT = ("GatewaySubnet", "AzureFirewallSubnet", "AzureBastionSubnet", "RouteServerSubnet")


@applies_to("azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule",
            "azure-native:network:Subnet", "azure-native:network:VirtualNetwork")
def nsg_no_internet_ingress(args, report) -> None:
    kind = args.resource_type.rsplit(":", 1)[1]
    if kind in ("NetworkSecurityGroup", "SecurityRule"):
        rules = as_list(args.props.get("securityRules")) if kind == "NetworkSecurityGroup" else [args.props]
        for rule in rules:
            what = _nsg_rule_open(rule)
            if what:
                report(f"rule {rule.get('name', args.name)!r} allows {what} inbound from the internet: use a "
                       "service tag or the zone's address range, HTTPS (443) only at the edge")
        return
    subnets = [args.props] if kind == "Subnet" else as_list(args.props.get("subnets"))
    for subnet in subnets:
        name = subnet.get("name") or subnet.get("subnetName") or args.name
        if name in SUBNET_EXEMPT:
            continue
        if not subnet.get("networkSecurityGroup"):
            report(f"subnet {name!r} has no network security group: set network_security_group={{'id': ...}}")


@applies_to("gcp:compute/network:Network", "gcp:compute/subnetwork:Subnetwork", "gcp:dataproc/cluster:Cluster")
def gcp_network_private(args, report) -> None:
    props, kind = args.props, args.resource_type.rsplit(":", 1)[1]
    if kind == "Network":
        if props.get("autoCreateSubnetworks") is not False:
            report("set auto_create_subnetworks=False (custom-mode network; no default subnets)")
    elif kind == "Subnetwork":
        if props.get("privateIpGoogleAccess") is not True:
            report("set private_ip_google_access=True so private workloads reach Google APIs without public IPs")
    elif get(props, "clusterConfig.gceClusterConfig.internalIpOnly") is not True:
        report("set cluster_config.gce_cluster_config.internal_ip_only=True and a private subnetwork")


@applies_to("gcp:compute/firewall:Firewall")
def gcp_firewall_no_public_ingress(args, report) -> None:
    props = args.props
    if str(props.get("direction", "INGRESS")) != "INGRESS":
        return
    if not any(r in (OPEN_V4, OPEN_V6) for r in as_list(props.get("sourceRanges"))):
        return
    for allow in as_list(props.get("allows")):
        ports = [str(p) for p in as_list(allow.get("ports"))]
        if not ports or str(allow.get("protocol")) == "all":
            report("ingress from 0.0.0.0/0 on all ports: restrict source_ranges to the zone or use "
                   "source_service_accounts / source_tags")
            continue
        for port in ports:
            low, _, high = port.partition("-")
            if any(int(low) <= p <= int(high or low) for p in (22, 3389)):
                report(f"ingress from 0.0.0.0/0 on {port}: use IAP (35.235.240.0/20) or the zone's range instead")
