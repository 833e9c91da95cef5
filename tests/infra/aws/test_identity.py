"""IAM across the whole AWS program: least privilege, trust, one role per stage."""

from __future__ import annotations

import pytest

from blueprint.engine import synthesize
from components.config import ConfigError, StageName, load_config
from infra.aws.identity import WILDCARD_RESOURCE_ACTIONS, PolicyError, check_statements
from tests.conftest import stack_config, synth
from tests.infra.aws.support import LEARNING, PRODUCTION, as_list, doc, of_type, one, statements, variation

STACKS = [LEARNING, PRODUCTION]


def all_synths():
    return [synth(LEARNING), synth(PRODUCTION), variation("overrides"), variation("cluster")]


def permission_documents(s):
    """Every permission policy document the program registers."""
    for r in of_type(s, "aws:iam/policy:Policy") + of_type(s, "aws:iam/rolePolicy:RolePolicy"):
        yield r.name, doc(r.inputs["policy"])
    for r in of_type(s, "aws:iam/role:Role"):
        for inline in r.inputs.get("inlinePolicies") or []:
            yield r.name, doc(inline["policy"])


def test_every_policy_document_is_concrete_and_found():
    for s in all_synths():
        assert len(list(permission_documents(s))) >= 5


@pytest.mark.parametrize("index", range(4))
def test_no_wildcard_actions(index):
    s = all_synths()[index]
    for name, document in permission_documents(s):
        for statement in statements(document):
            for action in as_list(statement.get("Action", [])) + as_list(statement.get("NotAction", [])):
                assert action != "*" and not action.endswith(":*"), f"{name}: {action}"
            assert "NotAction" not in statement and "NotResource" not in statement, name


@pytest.mark.parametrize("index", range(4))
def test_no_wildcard_resources_outside_the_allow_list(index):
    s = all_synths()[index]
    for name, document in permission_documents(s):
        for statement in statements(document):
            if "*" in as_list(statement["Resource"]):
                assert set(as_list(statement["Action"])) <= set(WILDCARD_RESOURCE_ACTIONS), name


def test_allow_list_entries_give_a_reason():
    assert all(isinstance(reason, str) and len(reason) > 10 for reason in WILDCARD_RESOURCE_ACTIONS.values())


@pytest.mark.parametrize("index", range(4))
def test_trust_policies_name_service_principals_or_this_account(index):
    s = all_synths()[index]
    for role in of_type(s, "aws:iam/role:Role"):
        for statement in statements(doc(role.inputs["assumeRolePolicy"])):
            assert statement["Effect"] == "Allow" and statement["Action"] == "sts:AssumeRole"
            principal = statement["Principal"]
            assert isinstance(principal, dict) and set(principal) <= {"Service", "AWS"}, role.name
            for service in as_list(principal.get("Service", [])):
                assert service.endswith(".amazonaws.com") and "*" not in service, role.name
            for account in as_list(principal.get("AWS", [])):
                assert account == "arn:aws:iam::123456789012:root", role.name


def test_service_roles_trust_named_services():
    s = synth(LEARNING)
    services = set()
    for role in of_type(s, "aws:iam/role:Role"):
        for statement in statements(doc(role.inputs["assumeRolePolicy"])):
            services.update(as_list(statement["Principal"].get("Service", [])))
    assert {"apigateway.amazonaws.com", "firehose.amazonaws.com", "emr-serverless.amazonaws.com",
            "vpc-flow-logs.amazonaws.com"} <= services


@pytest.mark.parametrize("stack", STACKS)
def test_at_least_one_role_per_stage_and_each_stage_identity_is_its_own_role(stack):
    s = synth(stack)
    stages_with_roles = {r.inputs["tags"]["stage"] for r in of_type(s, "aws:iam/role:Role")}
    assert {stage.value for stage in StageName} <= stages_with_roles
    components = {r.type.split(":")[-1].lower(): r.outputs for r in s.resources if r.type.startswith("blueprint:stage:")}
    arns = [components[stage.value]["identity"] for stage in StageName]
    assert len(set(arns)) == len(arns) and all(a.startswith("arn:aws:iam::123456789012:role/") for a in arns)


def test_no_aws_managed_policies_on_default_roles():
    for stack in STACKS:
        for attachment in of_type(synth(stack), "aws:iam/rolePolicyAttachment:RolePolicyAttachment"):
            assert ":iam::aws:policy/" not in attachment.inputs["policyArn"]


def test_iam_users_and_access_keys_never_created():
    for s in all_synths():
        assert of_type(s, "aws:iam/user:User") == [] and of_type(s, "aws:iam/accessKey:AccessKey") == []


# -- the pure guard used by every stage -----------------------------------

def test_check_statements_refuses_star_action():
    with pytest.raises(PolicyError, match="role 'r'.*wildcard action '\\*'"):
        check_statements("r", [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}])


def test_check_statements_refuses_service_star():
    with pytest.raises(PolicyError, match="s3:\\*"):
        check_statements("r", [{"Effect": "Allow", "Action": ["s3:*"], "Resource": "arn:aws:s3:::b"}])


def test_check_statements_refuses_star_resource_not_allow_listed():
    with pytest.raises(PolicyError, match="Resource '\\*' for s3:GetObject"):
        check_statements("r", [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}])


def test_check_statements_accepts_narrow_statements():
    check_statements("r", [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}])


def test_invalid_api_gateway_logging_role_is_refused_naming_the_key():
    with pytest.raises(ConfigError, match=r"blueprint:aws\.apiGatewayLoggingRole"):
        load_config({"cloud": "aws", "owner": "me", "alertEmails": ["a@example.com"],
                     "aws": {"apiGatewayLoggingRole": "maybe"}})


ASSUMED_BY_PEOPLE = ("buffer-producer", "buffer-consumer", "connect-producer", "store-steward", "visualize-reader",
                     "processing-submitter")


def test_roles_people_assume_trust_the_account_by_default():
    s = synth(LEARNING)
    for role in ASSUMED_BY_PEOPLE:
        trust = doc(one(s, "aws:iam/role:Role", f"{role}-role").inputs["assumeRolePolicy"])
        assert statements(trust) == [{"Sid": "TrustThisAccount", "Effect": "Allow",
                                      "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                      "Action": "sts:AssumeRole"}], role


def test_roles_people_assume_trust_exactly_the_configured_principals():
    principals = ["arn:aws:iam::123456789012:role/producers", "arn:aws:iam::123456789012:user/ci/bot"]
    s = synthesize(LEARNING, stack_config(LEARNING, aws={"region": "us-east-1", "trustedPrincipals": principals}))
    for role in ASSUMED_BY_PEOPLE:
        trust = doc(one(s, "aws:iam/role:Role", f"{role}-role").inputs["assumeRolePolicy"])
        assert statements(trust) == [{"Sid": "TrustConfiguredPrincipals", "Effect": "Allow",
                                      "Principal": {"AWS": ["arn:aws:iam::123456789012:role/producers",
                                                            "arn:aws:iam::123456789012:user/ci/bot"]},
                                      "Action": "sts:AssumeRole"}], role
    # Service roles keep their service principals.
    trust = doc(one(s, "aws:iam/role:Role", "processing-sink-role").inputs["assumeRolePolicy"])
    assert [st["Principal"] for st in statements(trust)] == [{"Service": "firehose.amazonaws.com"}]


@pytest.mark.parametrize("principals", [["arn:aws:iam::123456789012:role/producers"],
                                        ["arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/ci/bot"]])
def test_trusted_principals_accept_iam_arns(principals):
    s = synthesize(LEARNING, stack_config(LEARNING, aws={"region": "us-east-1", "trustedPrincipals": principals}))
    assert one(s, "aws:iam/role:Role", "buffer-producer-role")


@pytest.mark.parametrize("bad", ["*", "arn:aws:iam::12345:root", "arn:aws:s3:::bucket", "123456789012",
                                 "arn:aws:iam::123456789012:group/people"])
def test_trusted_principals_refuse_anything_else_naming_the_key(bad):
    with pytest.raises(ConfigError, match=r"blueprint:aws\.trustedPrincipals") as caught:
        synthesize(LEARNING, stack_config(LEARNING, aws={"region": "us-east-1", "trustedPrincipals": [bad]}))
    assert bad in str(caught.value) and "arn:<partition>:iam::<12-digit account>:root" in str(caught.value)


def test_trusted_principals_of_another_account_are_refused_naming_the_key_and_the_account():
    with pytest.raises(ConfigError, match=r"blueprint:aws\.trustedPrincipals") as caught:
        synthesize(LEARNING, stack_config(LEARNING, aws={"region": "us-east-1", "trustedPrincipals": [
            "arn:aws:iam::123456789012:role/producers", "arn:aws:iam::210987654321:role/partner"]}))
    message = str(caught.value)
    assert "arn:aws:iam::210987654321:role/partner" in message and "123456789012" in message
    assert "arn:aws:iam::123456789012:role/producers not" not in message


@pytest.mark.parametrize("stack", [LEARNING, PRODUCTION])
def test_every_role_session_lasts_one_hour_the_shortest_iam_allows(stack):
    roles = of_type(synth(stack), "aws:iam/role:Role")
    # Unset, IAM's default is also one hour.
    durations = {r.name: r.inputs.get("maxSessionDuration", 3600) for r in roles}
    assert len(roles) >= 10 and durations == {r.name: 3600 for r in roles}
    assert sum("maxSessionDuration" in r.inputs for r in roles) >= 10
