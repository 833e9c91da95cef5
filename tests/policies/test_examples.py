"""The pack on every example stack (one per ``Pulumi.*.yaml``), and on deliberately unsafe variants.

An example stack must have no mandatory violation in its own profile. Findings
that are the infrastructure's fault are listed in ``KNOWN_FINDINGS`` (reported
to the cloud's owner, not hidden by weakening the rule); a test notices when
one is fixed so the list only shrinks.
"""

from __future__ import annotations

import copy
import dataclasses
import json

import pytest

from blueprint.engine import RecordedResource, Synthesis
from blueprint.policy_check import evaluate, main, stage_of
from tests.conftest import EXAMPLE_STACKS, synth

KNOWN_FINDINGS: dict[str, set[str]] = {}
"""(stack -> rules) mandatory violations caused by the infrastructure, reported to its owner."""


def _profile(stack: str) -> str:
    return str(synth(stack).config.get("blueprint:profile", "learning"))


def _mandatory(stack: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for v in evaluate(synth(stack), _profile(stack)):
        if v.mandatory:
            found.setdefault(v.rule, []).append((v.resource, v.message))
    return found


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_example_stack_has_no_unexpected_mandatory_violation(stack):
    unexpected = {rule: hits for rule, hits in _mandatory(stack).items()
                  if rule not in KNOWN_FINDINGS.get(stack, set())}
    assert unexpected == {}


def test_known_findings_are_still_there():
    """Fails once the infrastructure is fixed: then drop the entry from KNOWN_FINDINGS."""
    fixed = {(stack, rule) for stack, rules in KNOWN_FINDINGS.items() if stack in EXAMPLE_STACKS
             for rule in rules if rule not in _mandatory(stack)}
    assert fixed == set()


# -- deliberately unsafe variants of a synthesized stack -----------------------

def _variant(stack: str, change) -> Synthesis:
    base = synth(stack)
    resources = [dataclasses.replace(r, inputs=copy.deepcopy(r.inputs)) for r in base.resources]
    variant = Synthesis(stack=base.stack, project=base.project, config=dict(base.config), resources=resources)
    change(variant)
    return variant


def _first(synthesis: Synthesis, token: str) -> RecordedResource:
    return next(r for r in synthesis.resources if r.type == token)


def _rules(synthesis: Synthesis) -> set[str]:
    profile = str(synthesis.config.get("blueprint:profile", "learning"))
    return {v.rule for v in evaluate(synthesis, profile) if v.mandatory}


def _public_bucket(s):
    block = _first(s, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    block.inputs["blockPublicPolicy"] = False
    policy = _first(s, "aws:s3/bucketPolicy:BucketPolicy")
    doc = json.loads(policy.inputs["policy"])
    doc["Statement"].append({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"})
    policy.inputs["policy"] = json.dumps(doc)


def _wildcard_action(s):
    for r in s.resources:
        if r.type == "aws:iam/policy:Policy":
            doc = json.loads(r.inputs["policy"])
            doc["Statement"][0]["Action"] = "*"
            r.inputs["policy"] = json.dumps(doc)
            return


def _drop(token):
    def change(s):
        s.resources[:] = [r for r in s.resources if r.type != token]
    return change


def _open_nsg(s):
    nsg = _first(s, "azure-native:network:NetworkSecurityGroup")
    nsg.inputs.setdefault("securityRules", []).append({
        "name": "ssh", "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "priority": 100,
        "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationPortRange": "22",
        "destinationAddressPrefix": "*"})


def _all_users(s):
    member = next(r for r in s.resources if r.type.startswith("gcp:storage/bucketIAM"))
    member.inputs["member"] = "allUsers"


def _first_named(s, token, suffix):
    return next(r for r in s.resources if r.type == token and r.name.endswith(suffix))


def _namespace_off_the_edge(s):
    _first(s, "azure-native:eventhub:Namespace").inputs["tags"]["zone"] = "data"


def _edge_namespace_with_sas(s):
    _first(s, "azure-native:eventhub:Namespace").inputs["disableLocalAuth"] = False


def _lake_open_to_an_address(s):
    account = _first(s, "azure-native:storage:StorageAccount")
    account.inputs["networkRuleSet"]["ipRules"] = [{"iPAddressOrRange": "203.0.113.7", "action": "Allow"}]


def _key_without_expiry(s):
    del _first(s, "azure-native:keyvault:Key").inputs["properties"]["attributes"]["expires"]


def _databricks_without_cmk(s):
    del _first(s, "azure-native:databricks:Workspace").inputs["encryption"]


def _vault_without_diagnostics(s):
    setting = _first_named(s, "azure-native:monitor:DiagnosticSetting", "vault-diagnostics")
    s.resources.remove(setting)


UNSAFE = [
    ("aws", _public_bucket, {"aws-s3-bucket-public-access-block", "aws-resource-policy-not-public"}),
    ("aws", _wildcard_action, {"aws-iam-no-wildcards"}),
    ("aws", _drop("aws:budgets/budget:Budget"), {"budget-present"}),
    ("aws", _drop("aws:ec2/flowLog:FlowLog"), {"aws-vpc-flow-logs"}),
    ("azure", _open_nsg, {"azure-nsg-no-internet-ingress"}),
    ("azure", _drop("azure-native:consumption:Budget"), {"budget-present"}),
    ("azure-prod", _namespace_off_the_edge, {"azure-private-network-access"}),
    ("azure-prod", _edge_namespace_with_sas, {"azure-private-network-access", "azure-local-auth-disabled"}),
    ("azure-prod", _lake_open_to_an_address, {"azure-private-network-access"}),
    ("azure-prod", _drop("azure-native:authorization:ManagementLockByScope"), {"azure-resource-locks"}),
    ("azure-prod", _key_without_expiry, {"azure-key-vault-expiry"}),
    ("azure-prod", _databricks_without_cmk, {"azure-databricks-cmk"}),
    ("azure-prod", _vault_without_diagnostics, {"azure-diagnostic-settings"}),
    ("gcp", _all_users, {"gcp-no-public-members"}),
    ("gcp", _drop("gcp:billing/budget:Budget"), {"budget-present"}),
]


@pytest.mark.parametrize("stack,change,expected", UNSAFE, ids=[f"{s}-{c.__name__}" for s, c, _ in UNSAFE])
def test_unsafe_change_is_caught(stack, change, expected):
    if stack not in EXAMPLE_STACKS:
        pytest.skip(f"no Pulumi.{stack}.yaml")
    before = _rules(synth(stack))
    after = _rules(_variant(stack, change))
    assert expected <= after - before


def test_cli_exit_codes_and_json(tmp_path, capsys, monkeypatch):
    import blueprint.policy_check as pc

    monkeypatch.setattr("blueprint.engine.synthesize", lambda stack, config=None: synth("aws"))
    out = tmp_path / "v.json"
    code = main(["aws", "--json", str(out), "--advisory"])
    assert code == (1 if _mandatory("aws") else 0)
    rows = json.loads(out.read_text())
    assert all({"rule", "resource", "stage", "severity", "enforcement", "fix"} <= set(r) for r in rows)
    unsafe = _variant("aws", _drop("aws:budgets/budget:Budget"))
    monkeypatch.setattr("blueprint.engine.synthesize", lambda stack, config=None: unsafe)
    assert main(["aws"]) == pc.EXIT_VIOLATIONS
    assert "budget-present" in capsys.readouterr().out


def test_stage_is_the_nearest_stage_component():
    s = synth("aws")
    by_urn = s.by_urn
    stream = _first(s, "aws:kinesis/stream:Stream")
    budget = _first(s, "aws:budgets/budget:Budget")
    assert stage_of(stream, by_urn) == "buffer"
    assert stage_of(budget, by_urn) == "foundation"


def test_aws_production_needs_no_endpoint_for_services_called_from_outside_the_vpc():
    # Firehose and Athena run outside the VPC; NET-05 must not ask for their interface endpoints.
    found = [v for v in evaluate(synth("aws-prod"), "production") if v.rule == "aws-vpc-endpoints"]
    assert found == []
