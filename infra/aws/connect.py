"""AwsConnect: an API Gateway REST API that writes straight into Kinesis (no Lambda).

Creates a REGIONAL REST API with one resource, ``POST /events``, whose
integration is the AWS service integration ``kinesis:PutRecord``: a request
validator refuses (400) any body that is not one JSON object (the ``Event``
model), a mapping template turns the body into a PutRecord call (data is
``$input.json('$')``, API Gateway's one-line re-serialization, base64
encoded, so a pretty-printed body still becomes one line of JSON Lines in
raw; partition key = the request id) and only ``application/json`` is
accepted (``passthrough_behavior = NEVER``: anything else is refused with 415).
The integration assumes the Connect stage role (trusted by API Gateway of
this account only, ``aws:SourceAccount``), which may put records on that
one stream and generate data keys with the stack key through Kinesis only, nothing else.

Authentication: ``auth: iam`` (default): the method requires SigV4-signed
requests (``AWS_IAM``), and ``producer_identity`` is a role this account may
assume that can invoke only ``POST /events`` of this API's stage.
``auth: api-key``: the method requires an API key, issued through a usage plan
with the same throttling; ``producer_identity`` is the key's id (read its
value with ``aws apigateway get-api-key --include-value``).

The stage ``v1``: JSON access logs and execution logs (ERROR in learning, INFO
in production, never full request data) in KMS-encrypted log groups with
retention, detailed metrics, X-Ray tracing, and stage-wide throttling from
``throttle_rate``/``throttle_burst``.

Where AWS differs: API Gateway can write CloudWatch logs (access or execution)
only once the region's account setting names a CloudWatch role. That setting
is one per account and region, shared by every API: two stacks that both
``create`` it overwrite each other, and destroying either resets it
(pulumi-aws v7), turning logging off for every other API of the region.
So ``blueprint:aws.apiGatewayLoggingRole`` defaults by profile: production
``create`` (the stack creates the role and sets it with
``aws.apigateway.Account``), learning ``existing`` (the stack leaves the
setting alone and relies on the role already there, typically production's).
In a fresh account with no production stack, set ``create`` in exactly one
stack of the account and region. The role may write log streams and events
but not create log groups: the stack creates its groups encrypted beforehand,
and a request arriving after destroy must not recreate one unencrypted.
Production puts an AWS WAF web ACL in front of the stage (``firewall.py``);
learning does not (it bills while idle). The edge has no custom domain, and
ingest is at least once (a retried request may write twice).
"""

from __future__ import annotations

import hashlib
import json

import pulumi
import pulumi_aws as aws

from components.stages.connect import Connect, ConnectArgs
from infra.aws.buffer import kinesis_service
from infra.aws.firewall import api_firewall
from infra.aws.identity import Principals, kms_use, source_account, stage_role

STAGE_NAME = "v1"
RESOURCE_PATH = "events"
LOG_RETENTION_DAYS = {False: 7, True: 365}
LOGGING_LEVEL = {False: "ERROR", True: "INFO"}

ACCESS_LOG_FORMAT = json.dumps({
    "requestId": "$context.requestId",
    "extendedRequestId": "$context.extendedRequestId",
    "ip": "$context.identity.sourceIp",
    "caller": "$context.identity.caller",
    "user": "$context.identity.user",
    "apiKeyId": "$context.identity.apiKeyId",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "integrationStatus": "$context.integration.status",
    "integrationError": "$context.integration.error",
    "xrayTraceId": "$context.xrayTraceId",
}, separators=(",", ":"))
"""One JSON object per request (API Gateway substitutes the ``$context`` variables)."""


def request_template(stream_name: str) -> str:
    """The mapping template: the request body becomes one Kinesis record."""
    return json.dumps({
        "StreamName": stream_name,
        "Data": "$util.base64Encode($input.json('$'))",
        "PartitionKey": "$context.requestId",
    }, indent=2)


EVENT_MODEL = "Event"
EVENT_SCHEMA = json.dumps({"$schema": "http://json-schema.org/draft-04/schema#", "title": EVENT_MODEL,
                           "type": "object"})
"""An event is one JSON object (API Gateway models are JSON Schema draft 4)."""

RESPONSE_TEMPLATE = '{"sequenceNumber": "$input.path(\'$.SequenceNumber\')", "shardId": "$input.path(\'$.ShardId\')"}'
ERROR_RESPONSES: dict[str, str] = {"400": r"4\d{2}", "500": r"5\d{2}"}
"""Method status code to the selection pattern on the Kinesis response status."""


class AwsConnect(Connect):
    rest_api: aws.apigateway.RestApi
    stage: aws.apigateway.Stage
    method: aws.apigateway.Method
    integration: aws.apigateway.Integration

    def __init__(self, name: str, args: ConnectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        foundation = ctx.foundation
        buffer = args["buffer"]
        auth = args.get("auth", ctx.config.stages.connect.auth)
        rate = args.get("throttle_rate", ctx.config.stages.connect.throttle_rate)
        burst = args.get("throttle_burst", ctx.config.stages.connect.throttle_burst)
        production = ctx.is_production
        tags = ctx.tags(self.STAGE)
        child = pulumi.ResourceOptions(parent=self)
        logs = pulumi.ResourceOptions(parent=self, protect=ctx.protect, delete_before_replace=True)
        region = foundation.region

        self.integration_role = stage_role(
            name, ctx, self.STAGE, "integration",
            principals=Principals(services={"apigateway.amazonaws.com": source_account(foundation.account_id)}),
            statements=[
                {"Sid": "PutRecordsOnTheBuffer", "Effect": "Allow",
                 "Action": ["kinesis:PutRecord", "kinesis:PutRecords"], "Resource": buffer.stream_id},
                kms_use(foundation.key_arn, decrypt=False, via=kinesis_service(region)),
            ],
            description="API Gateway integration: put records on the buffer stream",
            parent=self,
        )

        self.rest_api = aws.apigateway.RestApi(
            f"{name}-api",
            name=ctx.name("api-gateway", "connect-api"),
            description="Ingest endpoint: POST /events writes one record to the buffer",
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="REGIONAL"),
            tags=tags,
            opts=child,
        )
        resource = aws.apigateway.Resource(
            f"{name}-events", rest_api=self.rest_api.id, parent_id=self.rest_api.root_resource_id,
            path_part=RESOURCE_PATH, opts=child,
        )
        # The body must be one JSON object: anything else is refused with 400 before Kinesis is called.
        self.event_model = aws.apigateway.Model(
            f"{name}-event-model",
            rest_api=self.rest_api.id,
            name=EVENT_MODEL,
            content_type="application/json",
            schema=EVENT_SCHEMA,
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
        )
        self.request_validator = aws.apigateway.RequestValidator(
            f"{name}-validator",
            rest_api=self.rest_api.id,
            name="body-and-parameters",
            validate_request_body=True,
            validate_request_parameters=True,
            opts=child,
        )
        self.method = aws.apigateway.Method(
            f"{name}-post",
            rest_api=self.rest_api.id,
            resource_id=resource.id,
            http_method="POST",
            authorization="AWS_IAM" if auth == "iam" else "NONE",
            api_key_required=auth == "api-key",
            request_validator_id=self.request_validator.id,
            request_models={"application/json": self.event_model.name},
            opts=child,
        )
        self.integration = aws.apigateway.Integration(
            f"{name}-kinesis",
            rest_api=self.rest_api.id,
            resource_id=resource.id,
            http_method=self.method.http_method,
            type="AWS",
            integration_http_method="POST",
            uri=pulumi.Output.concat("arn:", foundation.partition, ":apigateway:", region, ":kinesis:action/PutRecord"),
            credentials=self.integration_role.arn,
            passthrough_behavior="NEVER",
            request_parameters={"integration.request.header.Content-Type": "'application/x-amz-json-1.1'"},
            request_templates={"application/json": buffer.stream_name.apply(request_template)},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.integration_role.attachment]),
        )
        responses = [aws.apigateway.MethodResponse(
            f"{name}-200", rest_api=self.rest_api.id, resource_id=resource.id, http_method=self.method.http_method,
            status_code="200", opts=child,
        )]
        integration_responses = [aws.apigateway.IntegrationResponse(
            f"{name}-200-mapping", rest_api=self.rest_api.id, resource_id=resource.id,
            http_method=self.method.http_method, status_code="200",
            response_templates={"application/json": RESPONSE_TEMPLATE},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.integration, responses[0]]),
        )]
        for status, pattern in ERROR_RESPONSES.items():
            response = aws.apigateway.MethodResponse(
                f"{name}-{status}", rest_api=self.rest_api.id, resource_id=resource.id,
                http_method=self.method.http_method, status_code=status, opts=child,
            )
            responses.append(response)
            integration_responses.append(aws.apigateway.IntegrationResponse(
                f"{name}-{status}-mapping", rest_api=self.rest_api.id, resource_id=resource.id,
                http_method=self.method.http_method, status_code=status, selection_pattern=pattern,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.integration, response]),
            ))

        # Redeploy when the API's shape changes.
        shape = hashlib.sha256(json.dumps(
            [RESOURCE_PATH, auth, request_template("{stream}"), RESPONSE_TEMPLATE, ERROR_RESPONSES, EVENT_SCHEMA]
        ).encode()).hexdigest()[:16]
        deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            rest_api=self.rest_api.id,
            description=f"shape {shape}",
            triggers={"shape": shape},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.method, self.integration, self.request_validator,
                                                                 *responses, *integration_responses]),
        )

        self.account_setting = None
        stage_depends: list[pulumi.Resource] = []
        if ctx.config.aws.api_gateway_logging(production) == "create":
            self.logging_role = stage_role(
                name, ctx, self.STAGE, "api-logging",
                principals=Principals(services={"apigateway.amazonaws.com": source_account(foundation.account_id)}),
                statements=[{
                    # No logs:CreateLogGroup: the stack creates its groups encrypted beforehand; a request
                    # arriving after destroy must fail to log rather than recreate a group unencrypted.
                    "Sid": "WriteApiGatewayLogsOfThisRegion", "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:DescribeLogGroups",
                               "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents",
                               "logs:FilterLogEvents"],
                    # The role is account-wide (every API of the region logs through it).
                    "Resource": [foundation.arn("logs", "log-group:*"),
                                 foundation.arn("logs", "log-group:*:log-stream:*")],
                }],
                description="API Gateway account setting: write API logs to CloudWatch Logs in this region",
                parent=self,
            )
            self.account_setting = aws.apigateway.Account(
                f"{name}-account-logging",
                cloudwatch_role_arn=self.logging_role.arn,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.logging_role.attachment]),
            )
            stage_depends.append(self.account_setting)

        self.access_log_group = aws.cloudwatch.LogGroup(
            f"{name}-access-logs",
            name=ctx.name("log-group", "connect-access-logs"),
            retention_in_days=LOG_RETENTION_DAYS[production],
            kms_key_id=foundation.key_arn,
            tags=tags,
            opts=logs,
        )
        # API Gateway writes execution logs to this exact name; creating it first
        # gives it the key and a retention (otherwise it is created unencrypted, kept forever).
        self.execution_log_group = aws.cloudwatch.LogGroup(
            f"{name}-execution-logs",
            name=pulumi.Output.concat("API-Gateway-Execution-Logs_", self.rest_api.id, f"/{STAGE_NAME}"),
            retention_in_days=LOG_RETENTION_DAYS[production],
            kms_key_id=foundation.key_arn,
            tags=tags,
            opts=logs,
        )
        self.stage = aws.apigateway.Stage(
            f"{name}-stage",
            rest_api=self.rest_api.id,
            deployment=deployment.id,
            stage_name=STAGE_NAME,
            xray_tracing_enabled=True,
            access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                destination_arn=self.access_log_group.arn, format=ACCESS_LOG_FORMAT),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*stage_depends, self.execution_log_group]),
        )
        self.method_settings = aws.apigateway.MethodSettings(
            f"{name}-method-settings",
            rest_api=self.rest_api.id,
            stage_name=self.stage.stage_name,
            method_path="*/*",
            settings=aws.apigateway.MethodSettingsSettingsArgs(
                logging_level=LOGGING_LEVEL[production],
                data_trace_enabled=False,
                metrics_enabled=True,
                throttling_rate_limit=rate,
                throttling_burst_limit=burst,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=stage_depends),
        )

        self.web_acl = None
        if production:
            self.web_acl, _ = api_firewall(name, ctx, self.stage.arn, tags, self, rate)

        if auth == "api-key":
            self.api_key = aws.apigateway.ApiKey(
                f"{name}-api-key", name=ctx.name("api-gateway", "connect-producer-key"), enabled=True,
                description="Producer key for POST /events", tags=tags, opts=child,
            )
            self.usage_plan = aws.apigateway.UsagePlan(
                f"{name}-usage-plan",
                name=ctx.name("api-gateway", "connect-usage-plan"),
                api_stages=[aws.apigateway.UsagePlanApiStageArgs(api_id=self.rest_api.id, stage=self.stage.stage_name)],
                throttle_settings=aws.apigateway.UsagePlanThrottleSettingsArgs(rate_limit=rate, burst_limit=burst),
                tags=tags,
                opts=child,
            )
            aws.apigateway.UsagePlanKey(
                f"{name}-usage-plan-key", key_id=self.api_key.id, key_type="API_KEY",
                usage_plan_id=self.usage_plan.id, opts=child,
            )
            producer_identity = self.api_key.id
        else:
            self.producer = stage_role(
                name, ctx, self.STAGE, "producer",
                principals=Principals(account=True),
                statements=[{
                    "Sid": "InvokeIngestOnly", "Effect": "Allow", "Action": ["execute-api:Invoke"],
                    "Resource": foundation.arn(
                        "execute-api", pulumi.Output.concat(self.rest_api.id, f"/{STAGE_NAME}/POST/{RESOURCE_PATH}")),
                }],
                description="Send-only: POST /events on the ingest API",
                parent=self,
            )
            producer_identity = self.producer.arn

        self._publish(
            cloud="aws",
            identity=self.integration_role.arn,
            endpoint=pulumi.Output.concat(self.stage.invoke_url, f"/{RESOURCE_PATH}"),
            producer_identity=producer_identity,
            auth=auth,
            delivery="at-least-once",
        )
