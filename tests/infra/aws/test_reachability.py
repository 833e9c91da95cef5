"""The reachability derived from the synthesized network equals the declared matrix."""

from __future__ import annotations

import pytest

from components.zones import INTERNET, REACHABILITY
from tests.conftest import synth
from tests.infra.aws.support import LEARNING, PRODUCTION, by_urn, of_type, one, variation

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ANYWHERE = {"0.0.0.0/0", "::/0"}


def zone_of(s, urns):
    (urn,) = urns
    return by_urn(s, urn).inputs["tags"]["zone"]


def peer(s, rule):
    """The other side of a rule: a referenced group's zone, an endpoint's zone, or the internet."""
    deps = rule.property_dependencies
    if deps.get("referencedSecurityGroupId"):
        return zone_of(s, deps["referencedSecurityGroupId"])
    if deps.get("prefixListId"):
        return zone_of(s, deps["prefixListId"])
    cidr = rule.inputs.get("cidrIpv4") or rule.inputs.get("cidrIpv6")
    if cidr in ANYWHERE:
        return INTERNET
    raise AssertionError(f"{rule.name}: a peer this test cannot place ({cidr!r})")


def derived_edges(s):
    edges = set()
    for rule in of_type(s, INGRESS):
        edges.add((peer(s, rule), zone_of(s, rule.property_dependencies["securityGroupId"])))
    for rule in of_type(s, EGRESS):
        edges.add((zone_of(s, rule.property_dependencies["securityGroupId"]), peer(s, rule)))
    # Inline rules would escape the derivation: there must be none.
    for group in of_type(s, "aws:ec2/securityGroup:SecurityGroup"):
        assert not group.inputs.get("ingress") and not group.inputs.get("egress"), group.name
    # The public ingest endpoint: a REGIONAL API whose methods all require authentication.
    api = one(s, "aws:apigateway/restApi:RestApi")
    if api.inputs["endpointConfiguration"]["types"] in ("REGIONAL", "EDGE"):
        for method in of_type(s, "aws:apigateway/method:Method"):
            assert method.inputs["authorization"] != "NONE" or method.inputs.get("apiKeyRequired") is True
        edges.add((INTERNET, api.inputs["tags"]["zone"]))
    # Interface endpoints accept only what their data-zone group admits.
    for endpoint in of_type(s, "aws:ec2/vpcEndpoint:VpcEndpoint"):
        for urn in endpoint.property_dependencies.get("securityGroupIds", []):
            assert by_urn(s, urn).inputs["tags"]["zone"] == endpoint.inputs["tags"]["zone"]
    return edges


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_derived_reachability_equals_the_declared_matrix(stack):
    assert derived_edges(synth(stack)) == set(REACHABILITY)


@pytest.mark.parametrize("name", ["overrides", "cluster"])
def test_variations_keep_the_matrix(name):
    assert derived_edges(variation(name)) == set(REACHABILITY)


def test_no_group_admits_the_internet():
    for s in (synth(LEARNING), synth(PRODUCTION)):
        for rule in of_type(s, INGRESS):
            assert rule.inputs.get("cidrIpv4") not in ANYWHERE and rule.inputs.get("cidrIpv6") not in ANYWHERE


def test_data_zone_listens_on_https_only():
    s = synth(LEARNING)
    for rule in of_type(s, INGRESS):
        if zone_of(s, rule.property_dependencies["securityGroupId"]) == "data":
            assert (rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]) == ("tcp", 443, 443)
