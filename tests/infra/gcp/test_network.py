"""The zone network: custom-mode VPC, a subnet per zone, firewall rules that are the zone matrix."""

from __future__ import annotations

import ipaddress

from components.zones import INTERNET, REACHABILITY, Zone
from tests.infra.gcp.conftest import in_stage, one

FIREWALL = "gcp:compute/firewall:Firewall"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
NETWORK = "gcp:compute/network:Network"


def _zone_of_tag(tag: str) -> str:
    assert tag.startswith("zone-"), tag
    return tag.removeprefix("zone-")


def derived_reachability(synthesis) -> set[tuple[str, str]]:
    """(source, destination) pairs that some ingress allow rule opens, read from the rules only."""
    edges = set()
    for rule in synthesis.of_type(FIREWALL):
        inputs = rule.inputs
        if inputs.get("direction") != "INGRESS" or not inputs.get("allows") or inputs.get("disabled"):
            continue
        sources = [INTERNET for r in inputs.get("sourceRanges", []) if ipaddress.ip_network(r).prefixlen == 0]
        sources += [_zone_of_tag(t) for t in inputs.get("sourceTags", [])]
        assert not inputs.get("sourceServiceAccounts"), "rules select zones by tag"
        for target in inputs["targetTags"]:
            edges |= {(src, _zone_of_tag(target)) for src in sources}
    return edges


def test_reachability_from_firewall_rules_is_the_declared_matrix(learning, production):
    assert derived_reachability(learning) == set(REACHABILITY)
    assert derived_reachability(production) == set(REACHABILITY)


def test_every_allow_rule_has_a_target_and_everything_else_is_denied_and_logged(learning):
    rules = learning.of_type(FIREWALL)
    for rule in rules:
        if rule.inputs.get("allows"):
            assert rule.inputs.get("targetTags"), f"{rule.name} would open every VM"
        assert rule.inputs["logConfig"]["metadata"] == "INCLUDE_ALL_METADATA"
    deny = one(r for r in rules if r.inputs.get("denies"))
    assert deny.inputs["denies"] == [{"protocol": "all"}]
    assert deny.inputs["sourceRanges"] == ["0.0.0.0/0"]
    assert deny.inputs["priority"] > max(r.inputs["priority"] for r in rules if r.inputs.get("allows"))


def test_only_the_edge_zone_is_open_to_the_internet_and_only_on_443(learning):
    open_rules = [r for r in learning.of_type(FIREWALL) if r.inputs.get("allows") and r.inputs.get("sourceRanges")]
    rule = one(open_rules)
    assert rule.inputs["targetTags"] == ["zone-edge"]
    assert rule.inputs["allows"] == [{"protocol": "tcp", "ports": ["443"]}]


def test_custom_mode_vpc_with_one_private_google_access_subnet_per_zone_and_flow_logs(learning):
    network = one(learning.of_type(NETWORK))
    assert network.inputs["autoCreateSubnetworks"] is False
    subnets = learning.of_type(SUBNET)
    assert sorted(s.name.rsplit("-", 1)[-1] for s in subnets) == sorted(z.value for z in Zone)
    ranges = [ipaddress.ip_network(s.inputs["ipCidrRange"]) for s in subnets]
    space = ipaddress.ip_network("10.60.0.0/16")  # blueprint:networkCidr of Pulumi.gcp.yaml
    assert all(r.subnet_of(space) for r in ranges)
    assert not any(a.overlaps(b) for i, a in enumerate(ranges) for b in ranges[i + 1:])
    for subnet in subnets:
        assert subnet.inputs["privateIpGoogleAccess"] is True
        assert subnet.inputs["logConfig"]["metadata"] == "INCLUDE_ALL_METADATA"
        assert subnet.inputs["region"] == "us-central1"


def test_production_samples_every_flow(production, learning):
    assert {s.inputs["logConfig"]["flowSampling"] for s in production.of_type(SUBNET)} == {1.0}
    assert {s.inputs["logConfig"]["flowSampling"] for s in learning.of_type(SUBNET)} == {0.5}


def test_no_cloud_nat_or_router_or_external_address(learning, production):
    for s in (learning, production):
        assert not [r for r in s.custom() if r.type.split(":")[1].split("/")[-1].lower()
                    in ("router", "routernat", "address", "globaladdress")]


def test_the_network_belongs_to_the_foundation(learning):
    assert len(in_stage(learning, "foundation", NETWORK, SUBNET, FIREWALL)) == 1 + 4 + len(REACHABILITY) + 1
