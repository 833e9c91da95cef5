"""Cost guardrails (catalogue group H): a budget per cloud, size caps, idle termination,
the expiry tag in learning stacks, query and throttling caps, lifecycle and regions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from policies.check import applies_to, companions, label, of_type
from policies.config import is_production, setting
from policies.props import as_list, duration_seconds, get, is_computed, number
from policies.tokens import cloud_of

AWS_BUDGET = "aws:budgets/budget:Budget"
AZURE_BUDGET = "azure-native:consumption:Budget"
GCP_BUDGET = "gcp:billing/budget:Budget"


def _aws_budget_ok(props) -> list[str]:
    problems = []
    if props.get("budgetType") != "COST":
        problems.append("budget_type='COST'")
    notes = [n for n in as_list(props.get("notifications")) if isinstance(n, dict)]
    subscribed = [n for n in notes if n.get("subscriberEmailAddresses") or n.get("subscriberSnsTopicArns")]
    if not any(n.get("notificationType") == "ACTUAL" and number(n.get("threshold"), 0) <= 80 for n in subscribed):
        problems.append("an ACTUAL notification at 80 % or less with a subscriber")
    if not any(n.get("notificationType") == "FORECASTED" and number(n.get("threshold"), 0) <= 100 for n in subscribed):
        problems.append("a FORECASTED notification at 100 % or less with a subscriber")
    return problems


def _azure_budget_ok(props) -> list[str]:
    notes = [n for n in (props.get("notifications") or {}).values() if isinstance(n, dict)]
    subscribed = [n for n in notes if n.get("enabled") is not False and (n.get("contactEmails") or n.get("contactGroups"))]
    problems = []
    if not any(n.get("thresholdType", "Actual") == "Actual" and number(n.get("threshold"), 0) <= 80 for n in subscribed):
        problems.append("an Actual notification at 80 % or less with contact e-mails or an action group")
    if not any(n.get("thresholdType") == "Forecasted" and number(n.get("threshold"), 0) <= 100 for n in subscribed):
        problems.append("a Forecasted notification at 100 % or less with contacts")
    return problems


def _gcp_budget_ok(props) -> list[str]:
    rules = [r for r in as_list(props.get("thresholdRules")) if isinstance(r, dict)]
    problems = []
    if not any(r.get("spendBasis", "CURRENT_SPEND") == "CURRENT_SPEND" and number(r.get("thresholdPercent"), 9) <= 0.8
               for r in rules):
        problems.append("a threshold rule at 0.8 or less on current spend")
    if not any(r.get("spendBasis") == "FORECASTED_SPEND" and number(r.get("thresholdPercent"), 9) <= 1.0
               for r in rules):
        problems.append("a threshold rule at 1.0 or less on FORECASTED_SPEND")
    channel = props.get("allUpdatesRule") or {}
    if not channel.get("pubsubTopic") and not channel.get("monitoringNotificationChannels"):
        problems.append("all_updates_rule with a Pub/Sub topic or monitoring notification channels")
    return problems


def _planned(resource):
    from blueprint.plan import PlannedResource, cloud_of as plan_cloud

    return PlannedResource(urn=resource.urn, type=resource.resource_type, name=resource.name, parent="",
                           cloud=plan_cloud(resource.resource_type), stage="", zone="", custom=True, protect=False,
                           inputs=dict(resource.props))


def _plan(resources):
    from blueprint.plan import Plan

    return Plan(stack="", project="", resources=[_planned(r) for r in resources], exports={})


def idle_per_month(resources) -> dict[str, float]:
    """Idle USD per month per cloud of the stack's resources, by the price table (``bp cost``)."""
    from blueprint.cost.estimate import estimate

    providers = {r.provider.urn: r.provider for r in resources if getattr(r, "provider", None)}
    return estimate(_plan([*resources, *providers.values()])).idle_by_cloud()


def budget_covers_idle(budget, idle_month: float) -> str | None:
    """Why the budget's amount is below 1.5 x the idle cost (alerts that fire for nothing), or None."""
    from blueprint.cost.budget import IDLE_COVER, configured_budgets, minimum_budget

    amount = next(iter(configured_budgets(_plan([budget])).values()), None)
    needed = minimum_budget(idle_month)
    if amount is None or amount >= needed:
        return None
    return (f"budget {label(budget)} is {amount:g} USD/month, below {IDLE_COVER:g} x the stack's idle cost "
            f"(${idle_month:.2f}/month by list prices): its alerts would fire for doing nothing; "
            f"set at least {needed:g}")


BUDGETS = {"aws": (AWS_BUDGET, _aws_budget_ok), "azure": (AZURE_BUDGET, _azure_budget_ok),
           "gcp": (GCP_BUDGET, _gcp_budget_ok)}


def budget_present(args, report) -> None:
    """Each cloud that has resources in the stack has a budget that alerts someone, and covers idle cost."""
    clouds = sorted({cloud_of(r.resource_type) for r in args.resources
                     if cloud_of(r.resource_type) and not r.resource_type.startswith("pulumi:providers:")})
    for cloud in clouds:
        token, judge = BUDGETS[cloud]
        budgets = of_type(args.resources, token)
        if not budgets:
            report(f"the stack has {cloud} resources but no {token.rsplit(':', 1)[1]} ({token}): add a monthly cost "
                   "budget with actual 80 % and forecast 100 % alerts to the alert e-mails")
            continue
        verdicts = [(b, judge(b.props)) for b in budgets]
        if all(problems for _, problems in verdicts):
            budget, problems = verdicts[0]
            report(f"budget {label(budget)} alerts nobody in time: add {'; '.join(problems)}", budget.urn)
            continue
        idle = idle_per_month(args.resources).get(cloud, 0.0)
        for budget in budgets:
            if problem := budget_covers_idle(budget, idle):
                report(problem, budget.urn)


def _emr_serverless_vcpu(value: object) -> float | None:
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*vcpu", str(value or ""), re.I)
    return float(match[1]) if match else number(value)


@applies_to("aws:emr/cluster:Cluster", "aws:emrserverless/application:Application", "aws:glue/job:Job",
            "aws:kinesis/stream:Stream")
def aws_size_caps(args, report) -> None:
    props, config, kind = args.props, args.get_config(), args.resource_type.rsplit(":", 1)[1]
    if kind == "Cluster":
        types = setting(config, "allowedInstanceTypes")
        total = 0.0
        for group in ("masterInstanceGroup", "coreInstanceGroup", "taskInstanceGroup"):
            instance = get(props, f"{group}.instanceType")
            if instance and instance not in types:
                report(f"{group}.instance_type {instance!r} is not allowed here; use one of {', '.join(types)}")
            if props.get(group):
                total += number(get(props, f"{group}.instanceCount"), 1.0)
        if total > setting(config, "maxEmrInstances"):
            report(f"{total:g} EMR instances exceed maxEmrInstances={setting(config, 'maxEmrInstances')}")
    elif kind == "Application":
        cpu = _emr_serverless_vcpu(get(props, "maximumCapacity.cpu"))
        cap = setting(config, "maxSparkVcpu")
        if cpu is None:
            report(f"set maximum_capacity (cpu, memory) so one job cannot scale without bound (at most {cap} vCPU)")
        elif cpu > cap:
            report(f"maximum_capacity.cpu is {cpu:g} vCPU: at most {cap} in this profile")
    elif kind == "Job":
        worker = props.get("workerType")
        if worker and worker not in setting(config, "allowedGlueWorkerTypes"):
            report(f"worker_type {worker!r}: use one of {', '.join(setting(config, 'allowedGlueWorkerTypes'))}")
        workers = number(props.get("numberOfWorkers"), 0.0)
        if workers > setting(config, "maxGlueWorkers"):
            report(f"number_of_workers {workers:g} exceeds maxGlueWorkers={setting(config, 'maxGlueWorkers')}")
    else:
        if get(props, "streamModeDetails.streamMode", "PROVISIONED") == "ON_DEMAND":
            return
        shards = number(props.get("shardCount"), 0.0)
        if shards > setting(config, "maxKinesisShards"):
            report(f"shard_count {shards:g} exceeds maxKinesisShards={setting(config, 'maxKinesisShards')}")


@applies_to("azure-native:eventhub:Namespace", "azure-native:databricks:Workspace")
def azure_size_caps(args, report) -> None:
    props, config = args.props, args.get_config()
    if args.resource_type.endswith(":Workspace"):
        return  # Databricks bills per cluster; the workspace has no size
    sku = get(props, "sku.name")
    if sku not in setting(config, "allowedEventHubSkus"):
        report(f"Event Hubs SKU {sku!r}: use one of {', '.join(setting(config, 'allowedEventHubSkus'))}")
    units = max(number(get(props, "sku.capacity"), 1.0), number(props.get("maximumThroughputUnits"), 0.0))
    if units > setting(config, "maxEventHubThroughputUnits"):
        report(f"{units:g} throughput units exceed maxEventHubThroughputUnits="
               f"{setting(config, 'maxEventHubThroughputUnits')} (capacity / maximum_throughput_units)")


@applies_to("gcp:dataproc/cluster:Cluster")
def gcp_size_caps(args, report) -> None:
    config = args.get_config()
    types = setting(config, "allowedInstanceTypes")
    total = 0.0
    for group in ("masterConfig", "workerConfig", "preemptibleWorkerConfig"):
        machine = get(args.props, f"clusterConfig.{group}.machineType")
        if machine and str(machine).rsplit("/", 1)[-1] not in types:
            report(f"cluster_config.{group}.machine_type {machine!r}: use one of {', '.join(types)}")
        total += number(get(args.props, f"clusterConfig.{group}.numInstances"), 0.0)
    if total > setting(config, "maxEmrInstances"):
        report(f"{total:g} Dataproc nodes exceed maxEmrInstances={setting(config, 'maxEmrInstances')}")


@applies_to("aws:emr/cluster:Cluster", "aws:emrserverless/application:Application", "gcp:dataproc/cluster:Cluster",
            "aws:glue/job:Job")
def idle_termination(args, report) -> None:
    props, config = args.props, args.get_config()
    if is_production(config):
        return  # production engines may run continuously; the rule guards learning bills
    limit = setting(config, "maxIdleMinutes")
    token = args.resource_type
    if token.startswith("aws:emr/"):
        idle = number(get(props, "autoTerminationPolicy.idleTimeout"))
        if idle is None or idle > limit * 60:
            report(f"set auto_termination_policy.idle_timeout to at most {limit * 60} seconds")
    elif token.startswith("aws:emrserverless/"):
        if get(props, "autoStopConfiguration.enabled") is False:
            report("set auto_stop_configuration.enabled=True")
        idle = number(get(props, "autoStopConfiguration.idleTimeoutMinutes"), 15.0)
        if idle > limit:
            report(f"set auto_stop_configuration.idle_timeout_minutes to at most {limit}")
        if props.get("initialCapacities"):
            report("remove initial_capacities: pre-initialized workers bill while idle")
    elif token.startswith("gcp:dataproc/"):
        lifecycle = get(props, "clusterConfig.lifecycleConfig") or {}
        ttl = duration_seconds(lifecycle.get("idleDeleteTtl"))
        if not lifecycle.get("autoDeleteTime") and (ttl is None or ttl > limit * 60):
            report(f"set cluster_config.lifecycle_config.idle_delete_ttl to at most '{limit * 60}s'")
    else:
        timeout = number(props.get("timeout"), 2880.0)
        if timeout > setting(config, "maxGlueTimeoutMinutes"):
            report(f"set timeout to at most {setting(config, 'maxGlueTimeoutMinutes')} minutes (default 2880)")


_EXPIRY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[tT](\d{2})[:-](\d{2})(?:[:-]\d{2})?[zZ]?$")


def parse_expiry(value: object) -> datetime | None:
    """``expires-at`` as a tag (``2025-01-04T00:00Z``) or a GCP label (``2025-01-04t00-00z``)."""
    match = _EXPIRY.match(str(value or ""))
    if not match:
        return None
    year, month, day, hour, minute = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)
    except ValueError:
        return None


def resource_tags(args) -> dict | None:
    """The resource's tags (labels on GCP) merged over its provider's default tags, or None if untaggable."""
    from policies.rules.tags import effective_tags

    return effective_tags(args)


def ttl_tag(args, report) -> None:
    config = args.get_config()
    if is_production(config):
        return  # production stacks carry no expiry
    tags = resource_tags(args)
    if tags is None or is_computed(tags):
        return
    value = tags.get("expires-at") or tags.get("ttl")
    if value is None:
        report("learning resources carry an 'expires-at' tag (set blueprint:ttl; ctx.tags() adds it)")
        return
    expiry = parse_expiry(value)
    if expiry is None:
        report(f"expires-at={value!r} is not an ISO date such as 2025-01-04T00:00Z")
        return
    now = datetime.now(timezone.utc)
    limit = setting(config, "maxTtlDays")
    if expiry > now + timedelta(days=limit):
        report(f"expires-at={value!r} is more than {limit} days ahead: shorten blueprint:ttl")


@applies_to("aws:athena/workgroup:Workgroup", "aws:apigateway/methodSettings:MethodSettings",
            "aws:apigatewayv2/stage:Stage")
def query_and_throttle_caps(args, report) -> None:
    props = args.props
    if args.resource_type.startswith("aws:athena/"):
        conf = props.get("configuration") or {}
        if not conf.get("bytesScannedCutoffPerQuery"):
            report("set configuration.bytes_scanned_cutoff_per_query (blueprint:stages.visualize.scanLimitGb)")
        if conf.get("publishCloudwatchMetricsEnabled") is not True:
            report("set configuration.publish_cloudwatch_metrics_enabled=True")
    elif args.resource_type.startswith("aws:apigateway/"):
        settings = props.get("settings") or {}
        if number(settings.get("throttlingRateLimit"), -1) < 0 or number(settings.get("throttlingBurstLimit"), -1) < 0:
            report("set settings.throttling_rate_limit and throttling_burst_limit (account defaults are 10000/5000)")
    else:
        route = props.get("defaultRouteSettings") or {}
        if route.get("throttlingRateLimit") is None or route.get("throttlingBurstLimit") is None:
            report("set default_route_settings.throttling_rate_limit and throttling_burst_limit")


S3_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"


def storage_lifecycle(args, report) -> None:
    """Buckets and accounts clean up after themselves: aborted uploads, old versions, ageing data."""
    for bucket in of_type(args.resources, "aws:s3/bucket:Bucket"):
        rules = [r for c in companions(bucket, args.resources, [S3_LIFECYCLE], "bucket")
                 for r in as_list(c.props.get("rules")) if isinstance(r, dict) and r.get("status") == "Enabled"]
        if not any(r.get("abortIncompleteMultipartUpload") for r in rules):
            report(f"bucket {label(bucket)}: add a lifecycle rule with abort_incomplete_multipart_upload", bucket.urn)
        if not any(r.get("noncurrentVersionExpiration") for r in rules):
            report(f"bucket {label(bucket)}: add a lifecycle rule with noncurrent_version_expiration", bucket.urn)
    for account in of_type(args.resources, "azure-native:storage:StorageAccount"):
        if not companions(account, args.resources, ["azure-native:storage:ManagementPolicy"], "accountName"):
            report(f"{label(account)}: add a storage.ManagementPolicy (tiering, deletion of old versions)", account.urn)
    for bucket in of_type(args.resources, "gcp:storage/bucket:Bucket"):
        if not as_list(bucket.props.get("lifecycleRules")):
            report(f"bucket {label(bucket)}: add lifecycle_rules (delete noncurrent versions, age out raw data)",
                   bucket.urn)


def approved_regions(args, report) -> None:
    approved = setting(args.get_config(), "approvedRegions")
    for provider in args.resources:
        if not provider.resource_type.startswith("pulumi:providers:"):
            continue
        region = provider.props.get("region") or provider.props.get("location")
        if isinstance(region, str) and region and not is_computed(region) and region not in approved:
            report(f"provider {provider.name} uses {region!r}: approved regions are {', '.join(approved)}",
                   provider.urn)
