"""Logging and audit (catalogue group G): S3 access logs, API Gateway, EMR / Glue / Firehose,
VPC flow logs, log retention, Azure diagnostic settings and flow logs, GCP logs."""

from __future__ import annotations

from policies.check import applies_to, companions, label, of_type, refers_to
from policies.config import setting
from policies.props import get, number

S3_BUCKET = "aws:s3/bucket:Bucket"
S3_LOGGING = "aws:s3/bucketLogging:BucketLogging"


def s3_access_logging(args, report) -> None:
    """Every bucket except the log targets sends server access logs to another bucket."""
    loggings = of_type(args.resources, S3_LOGGING)
    buckets = of_type(args.resources, S3_BUCKET)
    targets = {b.urn for b in buckets if any(refers_to(l, "targetBucket", b) for l in loggings)}
    for bucket in buckets:
        if bucket.urn in targets:
            continue
        mine = [l for l in loggings if refers_to(l, "bucket", bucket)]
        if not mine and not bucket.props.get("logging"):
            report(f"bucket {label(bucket)}: add an aws.s3.BucketLogging with target_bucket the stack's log bucket",
                   bucket.urn)
        for logging in mine:
            if refers_to(logging, "targetBucket", bucket):
                report(f"bucket {label(bucket)} logs to itself: send access logs to the dedicated log bucket",
                       logging.urn)


def _looks_json(fmt: object) -> bool:
    return str(fmt or "").strip().startswith("{")


@applies_to("aws:apigateway/stage:Stage", "aws:apigateway/methodSettings:MethodSettings",
            "aws:apigatewayv2/stage:Stage")
def api_stage_logging(args, report) -> None:
    props = args.props
    if args.resource_type.endswith("methodSettings:MethodSettings"):
        level = get(props, "settings.loggingLevel", "OFF")
        if level not in ("ERROR", "INFO"):
            report("set settings.logging_level to 'ERROR' (or 'INFO')")
        if get(props, "settings.dataTraceEnabled") is True:
            report("set settings.data_trace_enabled=False: full request logging writes payloads to CloudWatch")
        return
    access = props.get("accessLogSettings") or {}
    if not access.get("destinationArn"):
        report("set access_log_settings.destination_arn to an encrypted log group")
    elif not _looks_json(access.get("format")):
        report("set access_log_settings.format to a JSON line ($context.requestId, identity, status, ...)")
    if args.resource_type.startswith("aws:apigateway/") and props.get("xrayTracingEnabled") is not True:
        report("set xray_tracing_enabled=True")


@applies_to("aws:emr/cluster:Cluster", "aws:glue/job:Job", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
def pipeline_logging(args, report) -> None:
    props, kind = args.props, args.resource_type.rsplit(":", 1)[1]
    if kind == "Cluster":
        if not props.get("logUri"):
            report("set log_uri to the log bucket (s3://.../emr/)")
    elif kind == "Job":
        if str(get(props, "defaultArguments", {}).get("--enable-continuous-cloudwatch-log", "")).lower() != "true":
            report("set default_arguments['--enable-continuous-cloudwatch-log']='true'")
    else:
        for dest in ("extendedS3Configuration", "httpEndpointConfiguration", "redshiftConfiguration"):
            if props.get(dest) and get(props, f"{dest}.cloudwatchLoggingOptions.enabled") is not True:
                report(f"set {dest}.cloudwatch_logging_options (enabled, log group and stream) to see delivery errors")


def vpc_flow_logs(args, report) -> None:
    flow_logs = of_type(args.resources, "aws:ec2/flowLog:FlowLog")
    for vpc in of_type(args.resources, "aws:ec2/vpc:Vpc"):
        if not any(refers_to(f, "vpcId", vpc) for f in flow_logs):
            report(f"VPC {label(vpc)} has no flow log: add aws.ec2.FlowLog(vpc_id=..., traffic_type='ALL') to an "
                   "encrypted log group", vpc.urn)


@applies_to("aws:cloudwatch/logGroup:LogGroup")
def log_group_retention(args, report) -> None:
    days = number(args.props.get("retentionInDays"))
    floor = setting(args.get_config(), "minLogRetentionDays")
    if days is None or days == 0:
        report(f"set retention_in_days explicitly (at least {floor} in this profile); the default keeps logs forever")
    elif days < floor:
        report(f"retention_in_days is {days:g}: set at least {floor} in this profile")


DIAGNOSED = ("azure-native:storage:StorageAccount", "azure-native:keyvault:Vault",
             "azure-native:eventhub:Namespace", "azure-native:databricks:Workspace")
DIAGNOSTIC = "azure-native:monitor:DiagnosticSetting"


def azure_diagnostics(args, report) -> None:
    """Storage, Key Vault, Event Hubs and Databricks send diagnostics to Log Analytics; flow logs kept 90 days."""
    for resource in of_type(args.resources, *DIAGNOSED):
        settings = companions(resource, args.resources, [DIAGNOSTIC, "azure-native:insights:DiagnosticSetting"],
                              "resourceUri")
        if not any(s.props.get("workspaceId") for s in settings):
            report(f"{label(resource)}: add a monitor.DiagnosticSetting (resource_uri=its id, workspace_id=the "
                   "Log Analytics workspace, category group allLogs)", resource.urn)
    for flow in of_type(args.resources, "azure-native:network:FlowLog"):
        days = number(get(flow.props, "retentionPolicy.days"), 0.0)
        if get(flow.props, "retentionPolicy.enabled") is not True or days < 90:
            report(f"{label(flow)}: set retention_policy={{'enabled': True, 'days': 90}} or more", flow.urn)


@applies_to("gcp:compute/subnetwork:Subnetwork", "gcp:compute/firewall:Firewall")
def gcp_network_logging(args, report) -> None:
    if args.resource_type.endswith(":Subnetwork"):
        if not args.props.get("logConfig"):
            report("set log_config (VPC flow logs; aggregation_interval and flow_sampling keep the cost down)")
    elif not get(args.props, "logConfig.metadata"):
        report("set log_config={'metadata': 'INCLUDE_ALL_METADATA'} (firewall rule logging)")


def gcs_access_logging(args, report) -> None:
    """Every GCS bucket except the log bucket writes usage logs to another bucket."""
    buckets = of_type(args.resources, "gcp:storage/bucket:Bucket")
    log_names = {get(b.props, "logging.logBucket") for b in buckets} - {None}
    for bucket in buckets:
        name = bucket.props.get("name")
        if name in log_names or bucket.name.endswith("-logs") or bucket.name.endswith("-log"):
            continue
        target = get(bucket.props, "logging.logBucket")
        if not target:
            report(f"bucket {label(bucket)}: set logging={{'log_bucket': <the stack's log bucket>}}", bucket.urn)
        elif target == name:
            report(f"bucket {label(bucket)} logs to itself: use a dedicated log bucket", bucket.urn)
