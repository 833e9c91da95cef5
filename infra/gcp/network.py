"""The zone network: a custom-mode VPC, one subnet per security zone, firewall rules for the matrix.

Creates a VPC without automatic subnets, one regional subnet per ``Zone``
(the ``networkCidr`` split in four), each with Private Google Access (the
Dataproc VMs reach Google APIs without public IPs or Cloud NAT) and VPC flow
logs, and one ingress ``allow`` rule per edge between zones of
``components.zones.REACHABILITY`` on the ports of ``ZONE_PORTS``, plus an
explicit, logged deny-all ingress rule at the lowest priority. Rules select
workloads by network tag (``zone-<zone>``), which the Dataproc cluster and the
Serverless session template carry.

The matrix's ``internet -> edge`` edge has no rule on GCP: the edge zone holds
no VM (producers call Google's Pub/Sub API, dashboards call BigQuery), and a
rule opening 443 from 0.0.0.0/0 to a tag nobody carries would only wait for
the first VM someone tags by mistake. Whatever is put in the edge zone later
adds its own rule.

Logging: production samples every flow every 5 seconds with all metadata.
Learning keeps flow logs and firewall logs on (they answer "what talked to
what") but at the cheapest settings, because their volume, billed per GiB,
grows with Spark's shuffle traffic: 10-minute aggregation, 10 % sampling and
no metadata for flow logs, no metadata for firewall logs.

Where GCP differs: subnets are regional and span every zone of the region,
so there is no "one AZ in learning, several in production" choice; most of
the platform (Pub/Sub, GCS, BigQuery) is Google APIs, not VMs in the VPC, so
the data and serving zones are enforced by IAM on those resources and the
firewall rules are the matrix for whatever runs in the VPC. No Cloud NAT is
created: nothing needs the internet, and NAT IPs bill even idle.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext
from components.zones import INTERNET, REACHABILITY, ZONE_PORTS, Zone

ANYWHERE = "0.0.0.0/0"
DENY_ALL_PRIORITY = 65534
ALLOW_PRIORITY = 1000


def zone_tag(zone: Zone | str) -> str:
    """The network tag that places a VM in ``zone``."""
    return f"zone-{Zone(zone).value}"


def zone_cidrs(network_cidr: str) -> dict[Zone, str]:
    """The network split into four equal subnets, one per zone in ``Zone`` order."""
    net = ipaddress.ip_network(network_cidr)
    parts = list(net.subnets(prefixlen_diff=2))
    return {zone: str(parts[i]) for i, zone in enumerate(Zone)}


def log_metadata(production: bool) -> str:
    return "INCLUDE_ALL_METADATA" if production else "EXCLUDE_ALL_METADATA"


def flow_log_config(production: bool) -> gcp.compute.SubnetworkLogConfigArgs:
    """Every flow every 5 s in production; the cheapest sampling that still logs in learning."""
    return gcp.compute.SubnetworkLogConfigArgs(
        aggregation_interval="INTERVAL_5_SEC" if production else "INTERVAL_10_MIN",
        flow_sampling=1.0 if production else 0.1,
        metadata=log_metadata(production),
    )


def _rule_name(source: str, destination: str) -> str:
    return f"fw-{source}-to-{destination}"


@dataclass
class ZoneNetwork:
    """The native resources of the network (escape hatch)."""

    network: gcp.compute.Network
    subnets: dict[Zone, gcp.compute.Subnetwork]
    firewalls: dict[str, gcp.compute.Firewall]


def create_network(name: str, ctx: StageContext, cidr: str, opts: pulumi.ResourceOptions) -> ZoneNetwork:
    """The VPC, subnets and firewall rules, children named ``f"{name}-<role>"``."""
    settings = ctx.config.gcp
    production = ctx.is_production
    network = gcp.compute.Network(
        f"{name}-vpc",
        name=ctx.name("gcp-network", "foundation-vpc"),
        project=settings.project,
        auto_create_subnetworks=False,
        routing_mode="REGIONAL",
        description="blueprint zone network (custom mode)",
        opts=opts,
    )
    subnets: dict[Zone, gcp.compute.Subnetwork] = {}
    for zone, cidr in zone_cidrs(cidr).items():
        subnets[zone] = gcp.compute.Subnetwork(
            f"{name}-subnet-{zone.value}",
            name=ctx.name("gcp-network", f"foundation-{zone.value}"),
            project=settings.project,
            region=settings.region,
            network=network.id,
            ip_cidr_range=cidr,
            private_ip_google_access=True,
            log_config=flow_log_config(production),
            description=f"{zone.value} zone",
            opts=opts,
        )
    firewalls: dict[str, gcp.compute.Firewall] = {}
    log = gcp.compute.FirewallLogConfigArgs(metadata=log_metadata(production))
    for source, destination in sorted(REACHABILITY):
        if source == INTERNET:
            continue  # nothing runs in the edge zone on GCP (see the module docstring)
        role = _rule_name(source, destination)
        ports = ZONE_PORTS[Zone(destination)]
        if ports:
            allows = [gcp.compute.FirewallAllowArgs(protocol="tcp", ports=[str(p) for p in ports])]
        else:  # intra-zone compute (Spark): every protocol and port
            allows = [gcp.compute.FirewallAllowArgs(protocol=p) for p in ("tcp", "udp", "icmp")]
        firewalls[role] = gcp.compute.Firewall(
            f"{name}-{role}",
            name=ctx.name("gcp-network", f"foundation-{role}"),
            project=settings.project,
            network=network.id,
            direction="INGRESS",
            priority=ALLOW_PRIORITY,
            allows=allows,
            target_tags=[zone_tag(destination)],
            log_config=log,
            description=f"{source} may open connections to the {destination} zone",
            source_tags=[zone_tag(source)],
            opts=opts,
        )
    firewalls["fw-deny-all-ingress"] = gcp.compute.Firewall(
        f"{name}-fw-deny-all-ingress",
        name=ctx.name("gcp-network", "foundation-fw-deny-all-ingress"),
        project=settings.project,
        network=network.id,
        direction="INGRESS",
        priority=DENY_ALL_PRIORITY,
        denies=[gcp.compute.FirewallDenyArgs(protocol="all")],
        source_ranges=[ANYWHERE],
        log_config=log,
        description="everything the zone matrix does not allow is refused, and logged",
        opts=opts,
    )
    return ZoneNetwork(network=network, subnets=subnets, firewalls=firewalls)
