"""AwsConnect: API Gateway with a direct Kinesis integration, auth, throttling and logs."""

from __future__ import annotations

import json

import pytest

from components.config import ConnectSettings
from blueprint.engine import read_stack_config
from tests.conftest import stack_config, synth
from tests.infra.aws.support import (
    LEARNING, PRODUCTION, by_urn, child_types, component, doc, of_type, one, statements, variation,
)


def test_regional_rest_api():
    api = one(synth(LEARNING), "aws:apigateway/restApi:RestApi")
    assert api.inputs["endpointConfiguration"]["types"] == "REGIONAL"


def test_iam_auth_by_default():
    s = synth(LEARNING)
    method = one(s, "aws:apigateway/method:Method")
    assert method.inputs["httpMethod"] == "POST"
    assert method.inputs["authorization"] == "AWS_IAM"
    assert of_type(s, "aws:apigateway/apiKey:ApiKey") == []


def test_api_key_auth_when_asked():
    s = variation("overrides")
    method = one(s, "aws:apigateway/method:Method")
    assert method.inputs["authorization"] == "NONE" and method.inputs["apiKeyRequired"] is True
    key = one(s, "aws:apigateway/apiKey:ApiKey")
    plan = one(s, "aws:apigateway/usagePlan:UsagePlan")
    assert plan.inputs["throttleSettings"] == {"rateLimit": 7, "burstLimit": 11}
    link = one(s, "aws:apigateway/usagePlanKey:UsagePlanKey")
    assert link.property_dependencies["keyId"] == [key.urn]
    assert link.property_dependencies["usagePlanId"] == [plan.urn]
    out = component(s, "blueprint:stage:Connect").outputs
    assert out["auth"] == "api-key"
    assert out["producer_identity"] == f"{key.name}-id"


def test_direct_kinesis_integration_without_lambda():
    s = synth(LEARNING)
    integration = one(s, "aws:apigateway/integration:Integration")
    assert integration.inputs["type"] == "AWS"
    assert integration.inputs["uri"] == "arn:aws:apigateway:us-east-1:kinesis:action/PutRecord"
    assert integration.inputs["passthroughBehavior"] == "NEVER"
    template = json.loads(integration.inputs["requestTemplates"]["application/json"])
    assert template["StreamName"] == one(s, "aws:kinesis/stream:Stream").inputs["name"]
    # Re-serialized by API Gateway: a pretty-printed body still becomes one line of JSON Lines in raw.
    assert template["Data"] == "$util.base64Encode($input.json('$'))"
    assert "$input.body" not in integration.inputs["requestTemplates"]["application/json"]
    assert of_type(s, "aws:lambda/function:Function") == []
    role = by_urn(s, integration.property_dependencies["credentials"][0])
    assert role.type == "aws:iam/role:Role" and role.parent == component(s, "blueprint:stage:Connect").urn


def test_integration_role_may_only_put_on_that_stream_and_encrypt():
    s = synth(LEARNING)
    stream = one(s, "aws:kinesis/stream:Stream").inputs["name"]
    policy = statements(doc(one(s, "aws:iam/policy:Policy", "connect-integration-policy").inputs["policy"]))
    actions = {a: st["Resource"] for st in policy for a in st["Action"]}
    assert actions["kinesis:PutRecord"] == f"arn:aws:kinesis:us-east-1:123456789012:stream/{stream}"
    assert actions["kms:GenerateDataKey"].startswith("arn:aws:kms:")
    assert "kms:Decrypt" not in actions and not any(a.startswith("kinesis:Get") for a in actions)
    kms = [st for st in policy if any(a.startswith("kms:") for a in st["Action"])]
    assert all(st["Condition"] == {"StringEquals": {"kms:ViaService": "kinesis.us-east-1.amazonaws.com"}}
               for st in kms)


def test_stage_logs_json_to_encrypted_group_with_tracing():
    s = synth(LEARNING)
    stage = one(s, "aws:apigateway/stage:Stage")
    assert stage.inputs["xrayTracingEnabled"] is True
    group = by_urn(s, stage.property_dependencies["accessLogSettings"][0])
    assert group.type == "aws:cloudwatch/logGroup:LogGroup" and group.inputs["kmsKeyId"].startswith("arn:aws:kms:")
    fields = json.loads(stage.inputs["accessLogSettings"]["format"])
    assert fields["requestId"] == "$context.requestId" and "status" in fields
    for log_group in (r for r in of_type(s, "aws:cloudwatch/logGroup:LogGroup") if "connect" in r.name):
        assert log_group.inputs["retentionInDays"] > 0 and log_group.inputs["kmsKeyId"]


@pytest.mark.parametrize("stack,level", [(LEARNING, "ERROR"), (PRODUCTION, "INFO")])
def test_method_settings(stack, level):
    settings = one(synth(stack), "aws:apigateway/methodSettings:MethodSettings").inputs["settings"]
    assert settings["loggingLevel"] == level
    assert settings["dataTraceEnabled"] is False
    assert settings["metricsEnabled"] is True
    defaults = ConnectSettings()
    assert settings["throttlingRateLimit"] == defaults.throttle_rate
    assert settings["throttlingBurstLimit"] == defaults.throttle_burst


def test_throttling_override_wins():
    settings = one(variation("overrides"), "aws:apigateway/methodSettings:MethodSettings").inputs["settings"]
    assert (settings["throttlingRateLimit"], settings["throttlingBurstLimit"]) == (7, 11)


def test_account_logging_setting_left_alone_in_learning_and_created_in_production():
    # One setting per account and region: a learning stack must not reset production's role on destroy.
    assert of_type(variation("overrides"), "aws:apigateway/account:Account") == []
    default = stack_config(LEARNING, aws={"region": "us-east-1"})
    assert of_type(synth(LEARNING, default), "aws:apigateway/account:Account") == []
    s = synth(PRODUCTION)
    account = one(s, "aws:apigateway/account:Account")
    role = by_urn(s, account.property_dependencies["cloudwatchRoleArn"][0])
    trust = doc(role.inputs["assumeRolePolicy"])
    assert statements(trust) == [{
        "Sid": "TrustApigateway", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
    }]
    assert account.urn in one(s, "aws:apigateway/stage:Stage").dependencies


def test_learning_creates_the_account_setting_only_when_asked():
    # The example learning stack asks: it is what a fresh account deploys first, and the stage's logs
    # need the region's role ("CloudWatch Logs role ARN must be set in account settings").
    assert read_stack_config(LEARNING)["blueprint:aws"]["apiGatewayLoggingRole"] == "create"
    assert len(of_type(synth(LEARNING), "aws:apigateway/account:Account")) == 1
    s = synth(LEARNING, stack_config(LEARNING, aws={"region": "us-east-1", "apiGatewayLoggingRole": "create"}))
    assert len(of_type(s, "aws:apigateway/account:Account")) == 1
    p = synth(PRODUCTION, stack_config(PRODUCTION, aws={"region": "us-east-1", "apiGatewayLoggingRole": "existing"}))
    assert of_type(p, "aws:apigateway/account:Account") == []


def test_logging_role_cannot_create_log_groups():
    s = synth(PRODUCTION)
    (statement,) = statements(doc(one(s, "aws:iam/policy:Policy", "connect-api-logging-policy").inputs["policy"]))
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == ["logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
                                   "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"]
    assert statement["Resource"] == ["arn:aws:logs:us-east-1:123456789012:log-group:*",
                                     "arn:aws:logs:us-east-1:123456789012:log-group:*:log-stream:*"]


def test_integration_role_trusts_api_gateway_of_this_account_only():
    s = synth(LEARNING)
    trust = doc(one(s, "aws:iam/role:Role", "connect-integration-role").inputs["assumeRolePolicy"])
    assert statements(trust) == [{
        "Sid": "TrustApigateway", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
    }]


def test_ingest_method_validates_the_body_as_one_json_object():
    s = synth(LEARNING)
    validator = one(s, "aws:apigateway/requestValidator:RequestValidator")
    assert validator.inputs["validateRequestBody"] is True and validator.inputs["validateRequestParameters"] is True
    model = one(s, "aws:apigateway/model:Model")
    assert json.loads(model.inputs["schema"]) == {
        "$schema": "http://json-schema.org/draft-04/schema#", "title": "Event", "type": "object"}
    method = one(s, "aws:apigateway/method:Method")
    assert method.property_dependencies["requestValidatorId"] == [validator.urn]
    assert method.inputs["requestModels"] == {"application/json": "Event"}


def test_endpoint_output_is_the_events_resource_of_the_stage():
    out = component(synth(LEARNING), "blueprint:stage:Connect").outputs
    assert out["endpoint"].startswith("https://") and out["endpoint"].endswith("/v1/events")
    assert out["delivery"] == "at-least-once" and out["auth"] == "iam"


def test_iam_producer_may_only_invoke_post_events():
    s = synth(LEARNING)
    (statement,) = statements(doc(one(s, "aws:iam/policy:Policy", "connect-producer-policy").inputs["policy"]))
    assert statement["Action"] == ["execute-api:Invoke"]
    assert statement["Resource"].endswith("/v1/POST/events")
    assert statement["Resource"].startswith("arn:aws:execute-api:us-east-1:123456789012:")


def test_production_puts_a_web_acl_in_front_of_the_stage():
    assert of_type(synth(LEARNING), "aws:wafv2/webAcl:WebAcl") == []
    s = synth(PRODUCTION)
    acl = one(s, "aws:wafv2/webAcl:WebAcl")
    assert acl.inputs["scope"] == "REGIONAL"
    rules = {r["name"]: r for r in acl.inputs["rules"]}
    assert rules["aws-common-rule-set"]["statement"]["managedRuleGroupStatement"] == {
        "vendorName": "AWS", "name": "AWSManagedRulesCommonRuleSet",
        "ruleActionOverrides": [{"name": "SizeRestrictions_BODY", "actionToUse": {"count": {}}}]}
    assert rules["aws-known-bad-inputs"]["statement"]["managedRuleGroupStatement"] == {
        "vendorName": "AWS", "name": "AWSManagedRulesKnownBadInputsRuleSet"}
    # The default stage throttle is 100 requests/s: WAF must not block a producer within it.
    assert rules["per-ip-rate-limit"]["statement"]["rateBasedStatement"] == {
        "aggregateKeyType": "IP", "limit": 30000, "evaluationWindowSec": 300}
    assert rules["per-ip-rate-limit"]["action"] == {"block": {}}
    association = one(s, "aws:wafv2/webAclAssociation:WebAclAssociation")
    assert association.property_dependencies["resourceArn"] == [one(s, "aws:apigateway/stage:Stage").urn]
    assert association.property_dependencies["webAclArn"] == [acl.urn]


def test_production_web_acl_logs_to_an_encrypted_waf_log_group_with_secrets_redacted():
    s = synth(PRODUCTION)
    logging = one(s, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
    assert logging.property_dependencies["resourceArn"] == [one(s, "aws:wafv2/webAcl:WebAcl").urn]
    (group_urn,) = logging.property_dependencies["logDestinationConfigs"]
    group = by_urn(s, group_urn)
    assert group.inputs["name"].startswith("aws-waf-logs-")
    assert group.inputs["kmsKeyId"].startswith("arn:aws:kms:") and group.inputs["retentionInDays"] == 365
    assert logging.inputs["redactedFields"] == [{"singleHeader": {"name": "authorization"}},
                                                {"singleHeader": {"name": "x-api-key"}}]


def test_waf_rate_limit_follows_a_configured_throttle():
    s = synth(PRODUCTION, stack_config(PRODUCTION, stages={"connect": {"throttleRate": 7, "throttleBurst": 11},
                                                            "buffer": {"consumers": ["sink"]}}))
    rules = {r["name"]: r for r in one(s, "aws:wafv2/webAcl:WebAcl").inputs["rules"]}
    assert rules["per-ip-rate-limit"]["statement"]["rateBasedStatement"]["limit"] == 2100


def test_exact_children():
    s = synth(LEARNING)
    assert child_types(s, component(s, "blueprint:stage:Connect")) == {
        "RestApi": 1, "Resource": 1, "Method": 1, "Integration": 1, "MethodResponse": 3,
        "IntegrationResponse": 3, "Deployment": 1, "Stage": 1, "MethodSettings": 1, "LogGroup": 2,
        "Model": 1, "RequestValidator": 1, "Role": 3, "Policy": 3, "RolePolicyAttachment": 3, "Account": 1,
    }
    p = synth(PRODUCTION)
    assert child_types(p, component(p, "blueprint:stage:Connect"))["WebAcl"] == 1
    assert child_types(p, component(p, "blueprint:stage:Connect"))["WebAclAssociation"] == 1
    v = variation("overrides")
    assert child_types(v, component(v, "blueprint:stage:Connect")) == {
        "RestApi": 1, "Resource": 1, "Method": 1, "Integration": 1, "MethodResponse": 3,
        "IntegrationResponse": 3, "Deployment": 1, "Stage": 1, "MethodSettings": 1, "LogGroup": 2,
        "Model": 1, "RequestValidator": 1,
        "ApiKey": 1, "UsagePlan": 1, "UsagePlanKey": 1, "Role": 1, "Policy": 1, "RolePolicyAttachment": 1,
    }
