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


def test_reachability_from_firewall_rules_is_the_declared_matrix_between_zones(learning, production):
    # internet -> edge has no rule on GCP: no VM lives in the edge zone.
    between_zones = {(src, dst) for src, dst in REACHABILITY if src != INTERNET}
    assert derived_reachability(learning) == between_zones
    assert derived_reachability(production) == between_zones


def test_every_allow_rule_has_a_target_and_everything_else_is_denied_and_logged(learning):
    rules = learning.of_type(FIREWALL)
    for rule in rules:
        if rule.inputs.get("allows"):
            assert rule.inputs.get("targetTags"), f"{rule.name} would open every VM"
        assert rule.inputs["logConfig"]["metadata"] == "EXCLUDE_ALL_METADATA"  # learning: logged, cheaper
    deny = one(r for r in rules if r.inputs.get("denies"))
    assert deny.inputs["denies"] == [{"protocol": "all"}]
    assert deny.inputs["sourceRanges"] == ["0.0.0.0/0"]
    assert deny.inputs["priority"] > max(r.inputs["priority"] for r in rules if r.inputs.get("allows"))


def test_nothing_is_open_to_the_internet(learning, production):
    # A 0.0.0.0/0 -> 443 rule to the edge tag would wait for the first VM tagged by mistake.
    for s in (learning, production):
        rules = s.of_type(FIREWALL)
        assert not [r.name for r in rules if r.inputs.get("allows") and r.inputs.get("sourceRanges")]
        assert not [r.name for r in rules if "zone-edge" in r.inputs.get("targetTags", [])]
        assert [r.inputs["sourceRanges"] for r in rules if r.inputs.get("denies")] == [["0.0.0.0/0"]]


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
        assert subnet.inputs["region"] == "us-central1"


def test_production_samples_every_flow_and_learning_logs_at_the_cheapest_settings(production, learning):
    assert [s.inputs["logConfig"] for s in production.of_type(SUBNET)] == [
        {"aggregationInterval": "INTERVAL_5_SEC", "flowSampling": 1, "metadata": "INCLUDE_ALL_METADATA"}] * 4
    assert [s.inputs["logConfig"] for s in learning.of_type(SUBNET)] == [
        {"aggregationInterval": "INTERVAL_10_MIN", "flowSampling": 0.1, "metadata": "EXCLUDE_ALL_METADATA"}] * 4
    assert {r.inputs["logConfig"]["metadata"] for r in production.of_type(FIREWALL)} == {"INCLUDE_ALL_METADATA"}
    assert {r.inputs["logConfig"]["metadata"] for r in learning.of_type(FIREWALL)} == {"EXCLUDE_ALL_METADATA"}


def test_no_cloud_nat_or_router_or_external_address(learning, production):
    for s in (learning, production):
        assert not [r for r in s.custom() if r.type.split(":")[1].split("/")[-1].lower()
                    in ("router", "routernat", "address", "globaladdress")]


def test_the_network_belongs_to_the_foundation(learning):
    assert len(in_stage(learning, "foundation", NETWORK, SUBNET, FIREWALL)) == 1 + 4 + 4 + 1  # 4 zone-to-zone rules
