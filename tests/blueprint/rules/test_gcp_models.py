"""GCP inputs against the discovery documents: enum, pattern, range and format, planted in a real stack."""

from __future__ import annotations

from tests.blueprint.rules.support import findings_for, planted

FIREWALL, FW_NAME = "gcp:compute/firewall:Firewall", "platform-gcp-fw-edge-to-serving"


def test_model_enum_a_firewall_direction_outside_the_model_is_refused():
    [finding] = findings_for(planted("gcp", FIREWALL, FW_NAME, "direction", "INBOUND"), FW_NAME, "direction")
    assert finding.value == "INBOUND" and finding.rule == "one of EGRESS, INGRESS"
    assert finding.source.startswith("Google discovery compute.v1 Firewall.direction")


def test_model_pattern_a_firewall_name_with_capitals_is_refused():
    [finding] = findings_for(planted("gcp", FIREWALL, FW_NAME, "name", "Edge_To_Serving"), FW_NAME, "name")
    assert finding.value == "Edge_To_Serving" and finding.rule.startswith("must match")


def test_model_range_an_int32_priority_stops_at_2147483647():
    assert findings_for(planted("gcp", FIREWALL, FW_NAME, "priority", 2147483647), FW_NAME, "priority") == []
    [finding] = findings_for(planted("gcp", FIREWALL, FW_NAME, "priority", 2147483648), FW_NAME, "priority")
    assert finding.rule == "at most 2147483647"


def test_model_format_a_retention_that_is_not_a_duration_in_seconds_is_refused():
    token, name = "gcp:pubsub/topic:Topic", "platform-buffer-events"
    s = planted("gcp", token, name, "messageRetentionDuration", "1d")
    [finding] = findings_for(s, name, "messageRetentionDuration")
    assert finding.value == "1d" and "Topic.messageRetentionDuration" in finding.source
    assert findings_for(planted("gcp", token, name, "messageRetentionDuration", "86400s"), name,
                        "messageRetentionDuration") == []


def test_model_enum_cloud_nat_settings_outside_the_model_are_refused():
    from tests.conftest import stack_config, synth

    stages = {"store": {"cloud": "aws"}, "visualize": {"cloud": "aws"}, "buffer": {"consumers": ["spark"]}}
    s = synth("hybrid", stack_config("hybrid", stages=stages))  # a fresh synthesis: planting in place is safe
    name = "platform-processing-to-store-nat"
    [nat] = [r for r in s.resources if r.name == name]
    assert findings_for(s, name, "natIpAllocateOption") == []
    assert findings_for(s, name, "subnetworks[0].sourceIpRangesToNats[0]") == []
    nat.inputs["natIpAllocateOption"] = "AUTO"
    nat.inputs["subnetworks"][0]["sourceIpRangesToNats"] = ["ALL"]
    [allocate] = findings_for(s, name, "natIpAllocateOption")
    assert allocate.rule == "one of AUTO_ONLY, MANUAL_ONLY"
    assert allocate.source.startswith("Google discovery compute.v1 RouterNat.natIpAllocateOption")
    [ranges] = findings_for(s, name, "subnetworks[0].sourceIpRangesToNats[0]")
    assert ranges.value == "ALL" and "LIST_OF_SECONDARY_IP_RANGES" in ranges.rule
