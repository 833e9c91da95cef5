"""Idle meters: what each billable resource type costs while deployed and idle.

A meter reads one planned resource's inputs and returns the price-table
items it bills by the hour or month, with quantities (shards, availability
zones, throughput units, nodes). Types that cost nothing idle are listed in
``prices.yaml`` under ``free`` instead. To price a new type: add its items
to ``prices.yaml`` and one function here, registered with ``@meter``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from blueprint.plan import Plan, PlannedResource


@dataclass(frozen=True)
class Metered:
    item: str
    quantity: float
    what: str
    """Why this quantity, in words (``1 shard``, ``2 AZs``)."""


Meter = Callable[[PlannedResource, Plan], list[Metered]]
METERS: dict[str, Meter] = {}


def meter(*tokens: str) -> Callable[[Meter], Meter]:
    def register(fn: Meter) -> Meter:
        for token in tokens:
            METERS[token] = fn
        return fn
    return register


def _number(value: object, default: float = 0.0) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _plural(n: float, word: str) -> str:
    return f"{n:g} {word}{'' if n == 1 else 's'}"


# --- AWS ---------------------------------------------------------------------------------------

@meter("aws:kinesis/stream:Stream")
def _kinesis_stream(r: PlannedResource, plan: Plan) -> list[Metered]:
    mode = (r.inputs.get("streamModeDetails") or {}).get("streamMode", "PROVISIONED")
    if mode == "ON_DEMAND":
        return [Metered("kinesis-on-demand-stream", 1, "on-demand stream")]
    shards = _number(r.inputs.get("shardCount"), 1)
    return [Metered("kinesis-shard", shards, _plural(shards, "shard"))]


@meter("aws:kinesis/streamConsumer:StreamConsumer")
def _enhanced_fan_out(r: PlannedResource, plan: Plan) -> list[Metered]:
    # Billed per consumer-shard-hour on a provisioned stream; on an on-demand stream only per GB read.
    name = str(r.inputs.get("streamArn", "")).rsplit("/", 1)[-1]
    stream = next((s for s in plan.custom_resources if s.type == "aws:kinesis/stream:Stream"
                   and s.inputs.get("name") == name), None)
    if stream is not None and (stream.inputs.get("streamModeDetails") or {}).get("streamMode") == "ON_DEMAND":
        return []
    shards = _number(stream.inputs.get("shardCount"), 1) if stream is not None else 1
    return [Metered("kinesis-enhanced-fan-out", shards, f"registered consumer, {_plural(shards, 'shard')}")]


@meter("aws:ec2/vpcEndpoint:VpcEndpoint")
def _vpc_endpoint(r: PlannedResource, plan: Plan) -> list[Metered]:
    if r.inputs.get("vpcEndpointType", "Gateway") != "Interface":
        return []  # gateway endpoints (S3, DynamoDB) have no charge
    zones = len(r.inputs.get("subnetIds") or []) or 1
    return [Metered("vpc-interface-endpoint", zones, _plural(zones, "AZ"))]


@meter("aws:ec2/natGateway:NatGateway")
def _aws_nat(r: PlannedResource, plan: Plan) -> list[Metered]:
    return [Metered("nat-gateway", 1, "gateway")]


@meter("aws:kms/key:Key")
def _kms_key(r: PlannedResource, plan: Plan) -> list[Metered]:
    return [Metered("kms-key", 1, "key")]


@meter("aws:wafv2/webAcl:WebAcl")
def _web_acl(r: PlannedResource, plan: Plan) -> list[Metered]:
    rules = len(r.inputs.get("rules") or [])
    return [Metered("waf-web-acl", 1, "web ACL"), Metered("waf-rule", rules, _plural(rules, "rule"))]


_CAPACITY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)?\s*$", re.I)


def _amount(value: object) -> float:
    match = _CAPACITY.match(str(value or ""))
    return float(match[1]) if match else 0.0


@meter("aws:emrserverless/application:Application")
def _emr_serverless(r: PlannedResource, plan: Plan) -> list[Metered]:
    """Pre-initialized workers bill while the application is started, idle or not."""
    vcpu = memory = 0.0
    for capacity in r.inputs.get("initialCapacities") or []:
        config = capacity.get("initialCapacityConfig") or {}
        workers = _number(config.get("workerCount"), 1)
        worker = config.get("workerConfiguration") or {}
        vcpu += workers * _amount(worker.get("cpu"))
        memory += workers * _amount(worker.get("memory"))
    if not vcpu and not memory:
        return []
    return [Metered("emr-serverless-initial-vcpu", vcpu, f"{vcpu:g} pre-initialized vCPU"),
            Metered("emr-serverless-initial-memory", memory, f"{memory:g} pre-initialized GB")]


@meter("aws:emr/cluster:Cluster")
def _emr_cluster(r: PlannedResource, plan: Plan) -> list[Metered]:
    out: list[Metered] = []
    for group in ("masterInstanceGroup", "coreInstanceGroup", "taskInstanceGroup"):
        spec = r.inputs.get(group)
        if not spec:
            continue
        count = _number(spec.get("instanceCount"), 1)
        kind = spec.get("instanceType", "")
        role = group.removesuffix("InstanceGroup")
        out += [Metered(f"ec2-{kind}", count, f"{_plural(count, role + ' node')} ({kind})"),
                Metered(f"emr-fee-{kind}", count, f"EMR fee, {_plural(count, role + ' node')}"),
                Metered("ebs-emr-default", count, f"default EBS volumes of {_plural(count, role + ' node')}")]
    return out


@meter("aws:grafana/workspace:Workspace")
def _aws_grafana(r: PlannedResource, plan: Plan) -> list[Metered]:
    return [Metered("grafana-editor", 1, "the one editor licence every workspace needs")]


# --- Azure -------------------------------------------------------------------------------------

_EVENT_HUBS_UNIT = {"Basic": "eventhubs-basic-tu", "Standard": "eventhubs-standard-tu",
                    "Premium": "eventhubs-premium-pu"}


def _namespace_units(plan: Plan, namespace: str) -> float:
    for r in plan.custom_resources:
        if r.type == "azure-native:eventhub:Namespace" and r.inputs.get("namespaceName") == namespace:
            return _number((r.inputs.get("sku") or {}).get("capacity"), 1)
    return 1.0


@meter("azure-native:eventhub:Namespace")
def _event_hubs(r: PlannedResource, plan: Plan) -> list[Metered]:
    sku = (r.inputs.get("sku") or {}).get("name", "Standard")
    units = _number((r.inputs.get("sku") or {}).get("capacity"), 1)
    word = "processing unit" if sku == "Premium" else "throughput unit"
    return [Metered(_EVENT_HUBS_UNIT[sku], units, f"{sku}, {_plural(units, word)}")]


@meter("azure-native:eventhub:EventHub")
def _capture(r: PlannedResource, plan: Plan) -> list[Metered]:
    capture = r.inputs.get("captureDescription") or {}
    if not capture or capture.get("enabled") is False:
        return []
    units = _namespace_units(plan, r.inputs.get("namespaceName", ""))
    return [Metered("eventhubs-capture", units, f"Capture on {_plural(units, 'throughput unit')}")]


@meter("azure-native:network:PrivateEndpoint")
def _private_endpoint(r: PlannedResource, plan: Plan) -> list[Metered]:
    return [Metered("private-endpoint", 1, "endpoint")]


@meter("azure-native:network:NatGateway")
def _azure_nat(r: PlannedResource, plan: Plan) -> list[Metered]:
    return [Metered("nat-gateway", 1, "gateway")]


@meter("azure-native:network:PublicIPAddress")
def _public_ip(r: PlannedResource, plan: Plan) -> list[Metered]:
    return [Metered("public-ip-standard", 1, "static address")]


@meter("azure-native:privatedns:PrivateZone")
def _private_zone(r: PlannedResource, plan: Plan) -> list[Metered]:
    return [Metered("private-dns-zone", 1, "zone")]


@meter("azure-native:keyvault:Key")
def _vault_key(r: PlannedResource, plan: Plan) -> list[Metered]:
    kty = str((r.inputs.get("properties") or {}).get("kty", "RSA"))
    if not kty.endswith("-HSM"):
        return []  # software-protected keys are billed per operation only
    return [Metered("keyvault-hsm-key", 1, f"{kty} key")]


_SYNAPSE_VCORES = {"Small": 4, "Medium": 8, "Large": 16, "XLarge": 32, "XXLarge": 64}


@meter("azure-native:synapse:BigDataPool")
def _spark_pool(r: PlannedResource, plan: Plan) -> list[Metered]:
    if (r.inputs.get("autoPause") or {}).get("enabled", False):
        return []  # a paused pool bills nothing
    nodes = _number((r.inputs.get("autoScale") or {}).get("minNodeCount"), _number(r.inputs.get("nodeCount"), 3))
    vcores = nodes * _SYNAPSE_VCORES.get(str(r.inputs.get("nodeSize")), 0)
    return [Metered("synapse-spark-vcore", vcores, f"{_plural(nodes, 'node')} that never pause, {vcores:g} vCores")]


@meter("azure-native:dashboard:Grafana")
def _azure_grafana(r: PlannedResource, plan: Plan) -> list[Metered]:
    tier = str((r.inputs.get("sku") or {}).get("name", "Standard"))
    return [Metered(f"grafana-{tier.lower()}", 1, f"{tier} instance")]


# --- GCP ---------------------------------------------------------------------------------------

@meter("gcp:kms/cryptoKey:CryptoKey")
def _gcp_key(r: PlannedResource, plan: Plan) -> list[Metered]:
    return [Metered("kms-key-version", 1, "active key version")]


@meter("gcp:compute/routerNat:RouterNat")
def _cloud_nat(r: PlannedResource, plan: Plan) -> list[Metered]:
    # No VM, no gateway-hour; an auto-allocated address may be kept while idle, so count one.
    return [Metered("cloud-nat-ip", 1, "1 NAT IP")]


_MACHINE_VCPUS = re.compile(r"-(\d+)$")


@meter("gcp:cloudscheduler/job:Job")
def _scheduler_job(r: PlannedResource, plan: Plan) -> list[Metered]:
    # Billed per job, not per run; the 3 free jobs per billing account are a free tier (out of scope).
    return [Metered("cloud-scheduler-job", 1, "job")]


@meter("gcp:dataproc/cluster:Cluster")
def _dataproc_cluster(r: PlannedResource, plan: Plan) -> list[Metered]:
    config = r.inputs.get("clusterConfig") or {}
    out: list[Metered] = []
    for group, default in (("masterConfig", 1), ("workerConfig", 2), ("preemptibleWorkerConfig", 0)):
        spec = config.get(group) or {}
        count = _number(spec.get("numInstances"), default)
        if not count:
            continue
        machine = str(spec.get("machineType", "n2-standard-4")).rsplit("/", 1)[-1]
        match = _MACHINE_VCPUS.search(machine)
        role = group.removesuffix("Config").replace("preemptibleWorker", "secondary worker")
        vcpus = count * int(match[1]) if match else 0
        disk = spec.get("diskConfig") or {}
        gb = count * _number(disk.get("bootDiskSizeGb"), 500)
        out += [Metered(f"vm-{machine}", count, f"{_plural(count, role + ' node')} ({machine})"),
                Metered("dataproc-fee", vcpus, f"Dataproc fee on {vcpus:g} vCPUs"),
                Metered(str(disk.get("bootDiskType", "pd-standard")), gb, f"{gb:g} GB of boot disks")]
    return out
