"""Pack contract: names, metadata, coverage of the catalogue, enforcement per profile, the analyzer's answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel, StackValidationPolicy
from pulumi_policy.policy import _PolicyAnalyzerServicer

from policies.catalogue import GROUPS, PACK_NAME, RULES, pack_arguments, pack_config, policies

ROOT = Path(__file__).resolve().parents[2]
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_at_least_45_rules_with_unique_kebab_case_names():
    names = [r.name for r in RULES]
    assert len(names) >= 45
    assert len(set(names)) == len(names)
    assert [n for n in names if not KEBAB.match(n)] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_metadata_present(rule):
    assert rule.description.endswith(".") and len(rule.description) > 20
    assert rule.fix and rule.equivalents
    assert re.match(r"^(ENC|KEY|TLS|PUB|NET|IAM|LOG|COST|TAG|DP|HYG)-\d{2}$", rule.ref)
    policy = rule.policy("learning")
    assert policy.severity is not None and policy.remediation_steps == rule.fix
    assert policy.framework.reference == rule.ref and policy.framework.specification == rule.equivalents
    assert "profile" in policy.config_schema.properties
    for key in rule.settings:
        assert key in policy.config_schema.properties


EXPECTED_CLOUDS = {
    "ENC": {"aws", "azure", "gcp"}, "KEY": {"aws", "azure", "gcp"}, "TLS": {"aws", "azure"},
    "PUB": {"aws", "azure", "gcp"}, "NET": {"aws", "azure", "gcp"}, "IAM": {"aws", "azure", "gcp"},
    "LOG": {"aws", "azure", "gcp"}, "COST": {"aws", "azure", "gcp"}, "TAG": {"aws", "azure", "gcp"},
    "DP": {"aws", "azure", "gcp"},
}


@pytest.mark.parametrize("group", sorted(EXPECTED_CLOUDS))
def test_every_group_covers_every_cloud_where_it_applies(group):
    clouds = {c for r in RULES if r.group == group for c in r.clouds}
    assert clouds >= EXPECTED_CLOUDS[group]
    assert group in GROUPS


def test_catalogue_entries_covered():
    refs = {r.ref for r in RULES}
    expected = {f"ENC-{i:02}" for i in range(1, 11)} | {f"KEY-{i:02}" for i in range(1, 5)} \
        | {f"TLS-{i:02}" for i in range(1, 6)} | {f"PUB-{i:02}" for i in range(1, 9)} \
        | {f"NET-{i:02}" for i in range(1, 10)} | {f"IAM-{i:02}" for i in range(1, 8)} \
        | {f"LOG-{i:02}" for i in range(1, 8)} | {f"COST-{i:02}" for i in range(1, 7)} \
        | {"TAG-01", "TAG-02"} | {f"DP-{i:02}" for i in range(1, 7)}
    assert expected - refs == set()


@pytest.mark.parametrize("level,learning,production", [
    ("M", "mandatory", "mandatory"), ("M(prod)", "advisory", "mandatory"),
    ("M(non-prod)", "mandatory", "advisory"), ("A", "advisory", "advisory"),
])
def test_enforcement_per_profile(level, learning, production):
    rules = [r for r in RULES if r.level == level]
    assert rules
    for rule in rules:
        assert rule.policy("learning").enforcement_level.value == learning
        assert rule.policy("production").enforcement_level.value == production


def test_some_known_levels():
    by = {r.name: r for r in RULES}
    assert by["aws-s3-bucket-public-access-block"].enforcement("learning") == EnforcementLevel.MANDATORY
    assert by["versioning"].enforcement("learning") == EnforcementLevel.ADVISORY
    assert by["versioning"].enforcement("production") == EnforcementLevel.MANDATORY
    assert by["ttl-tag"].enforcement("production") == EnforcementLevel.ADVISORY


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_committed_profile_files_match_the_catalogue(profile):
    path = ROOT / "policies" / "profiles" / f"{profile}.json"
    assert json.loads(path.read_text()) == pack_config(profile)


def test_unknown_profile_refused():
    with pytest.raises(ValueError, match="profile"):
        policies("staging")


def test_pack_files():
    text = (ROOT / "policies" / "PulumiPolicy.yaml").read_text()
    assert "name: python" in text and "version:" in text
    assert "pulumi-policy" in (ROOT / "policies" / "requirements.txt").read_text()
    main = (ROOT / "policies" / "__main__.py").read_text()
    assert main.count("PolicyPack(") == 1


def _servicer(profile: str) -> _PolicyAnalyzerServicer:
    return _PolicyAnalyzerServicer(version="0.1.0", enforcement_level=EnforcementLevel.ADVISORY,
                                   **pack_arguments(profile))


@pytest.mark.parametrize("profile", ["learning", "production"])
def test_analyzer_answers_its_info_call(profile):
    info = _servicer(profile).GetAnalyzerInfo(None, None)
    assert info.name == PACK_NAME and info.supportsConfig
    assert [p.name for p in info.policies] == [r.name for r in RULES]
    wanted = {"advisory": proto.ADVISORY, "mandatory": proto.MANDATORY}
    for policy, rule in zip(info.policies, RULES):
        assert policy.enforcementLevel == wanted[rule.enforcement(profile).value]
        assert policy.remediation_steps == rule.fix and policy.severity != proto.POLICY_SEVERITY_UNSPECIFIED
        stack = isinstance(rule.policy(profile), StackValidationPolicy)
        assert policy.policy_type == (proto.PolicyType.POLICY_TYPE_STACK if stack
                                      else proto.PolicyType.POLICY_TYPE_RESOURCE)
    assert dict(info.initialConfig[RULES[0].name].properties) == {"profile": profile}


def test_analyzer_reports_a_violation_over_grpc_messages():
    servicer = _servicer("learning")
    props = struct_pb2.Struct()
    props.update({"encryptionType": "NONE", "tags": {}})
    request = proto.AnalyzeRequest(type="aws:kinesis/stream:Stream", properties=props,
                                   urn="urn:pulumi:dev::blueprint::aws:kinesis/stream:Stream::s", name="s")
    response = servicer.Analyze(request, None)
    names = {d.policyName for d in response.diagnostics}
    assert {"aws-kinesis-stream-encrypted", "required-tags"} <= names
    mandatory = {d.policyName for d in response.diagnostics if d.enforcementLevel == proto.MANDATORY}
    assert "aws-kinesis-stream-encrypted" in mandatory


def test_docs_list_every_rule():
    text = (ROOT / "docs" / "policies.md").read_text()
    assert [r.name for r in RULES if f"| `{r.name}` |" not in text] == []
