"""The Spark engine: Dataproc Serverless (a session template) or, as an option, a Dataproc cluster.

Serverless (default): a session template is the standing resource. It pins
the stage's service account, the processing subnet and zone tag (so the
firewall's processing rules apply, no public IPs), the staging bucket, the
stack key, an idle TTL (sessions end after 30 minutes idle in learning, an
hour in production) and Spark's dynamic allocation cap from ``max_vcpu``.
A template costs nothing; only running batches and sessions bill.

Cluster (``engine: cluster``): internal IPs only, shielded VMs, the stage's
service account with the ``cloud-platform`` scope (access comes from IAM),
CMEK on disks, no component gateway, an autoscaling policy between 2 and
``max_vcpu / 4`` workers, and in learning an idle-delete TTL of one hour.
A cluster bills per node while it exists (``bp cost`` prices each node);
config refuses it in learning unless ``acceptIdleCost`` is set.

Versions: Serverless runtime 2.3 and cluster image 2.3 (Spark 3.5); runtime
2.2 left support on 2026-09-30. The processing subnet has no route to the
internet (no Cloud NAT, no external IPs), so a job cannot ``pip install`` or
fetch Maven packages at start: stage extra Python files, wheels and jars in
the staging bucket and pass them as ``--py-files``/``--jars`` (gs:// URIs),
or build a custom container image.

Where GCP differs: the serverless minimum is a driver and two executors
of 4 vCPUs (12 vCPUs), so ``max_vcpu`` below 12 is refused; a cluster
deleted by its idle TTL disappears outside Pulumi (``pulumi refresh``, then
``pulumi up`` recreates it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext
from components.zones import Zone

from infra.gcp.network import zone_tag

CORES_PER_NODE = 4
SERVERLESS_MIN_VCPU = 3 * CORES_PER_NODE
MACHINE_TYPE = "n2-standard-4"
RUNTIME_VERSION = "2.3"
IMAGE_VERSION = "2.3-debian12"
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
IDLE_DELETE_TTL = "1800s"
"""A learning cluster deletes itself after 30 idle minutes, the policy pack's ``maxIdleMinutes``."""


def max_executors(max_vcpu: int) -> int:
    """Executors of 4 vCPUs that fit next to a 4-vCPU driver."""
    return (max_vcpu - CORES_PER_NODE) // CORES_PER_NODE


def max_workers(max_vcpu: int) -> int:
    """Cluster workers of 4 vCPUs next to a 4-vCPU master, at least the 2 a standard cluster needs."""
    return max(2, (max_vcpu - CORES_PER_NODE) // CORES_PER_NODE)


@dataclass
class SparkEngine:
    kind: str
    """``dataproc-serverless`` or ``dataproc-cluster``."""
    id: pulumi.Output[str]
    session_template: Optional[gcp.dataproc.SessionTemplate] = None
    cluster: Optional[gcp.dataproc.Cluster] = None
    autoscaling_policy: Optional[gcp.dataproc.AutoscalingPolicy] = None


def serverless_engine(
    name: str, ctx: StageContext, *, account_email: pulumi.Input[str], subnet_id: pulumi.Input[str],
    staging_bucket: pulumi.Input[str], key_id: pulumi.Input[str], max_vcpu: int, labels: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> SparkEngine:
    settings = ctx.config.gcp
    template_id = ctx.name("dataproc", "processing-spark")
    template = gcp.dataproc.SessionTemplate(
        f"{name}-session-template",
        name=f"projects/{settings.project}/locations/{settings.region}/sessionTemplates/{template_id}",
        project=settings.project,
        location=settings.region,
        labels=labels,
        jupyter_session=gcp.dataproc.SessionTemplateJupyterSessionArgs(kernel="PYTHON", display_name="blueprint spark"),
        runtime_config=gcp.dataproc.SessionTemplateRuntimeConfigArgs(
            version=RUNTIME_VERSION,
            properties={
                "spark.dynamicAllocation.enabled": "true",
                "spark.dynamicAllocation.maxExecutors": str(max_executors(max_vcpu)),
                "spark.executor.cores": str(CORES_PER_NODE),
                "spark.driver.cores": str(CORES_PER_NODE),
            },
        ),
        environment_config=gcp.dataproc.SessionTemplateEnvironmentConfigArgs(
            execution_config=gcp.dataproc.SessionTemplateEnvironmentConfigExecutionConfigArgs(
                service_account=account_email,
                subnetwork_uri=subnet_id,
                network_tags=[zone_tag(Zone.PROCESSING)],
                staging_bucket=staging_bucket,
                kms_key=key_id,
                idle_ttl="3600s" if ctx.is_production else "1800s",
                ttl="14400s",
            ),
        ),
        opts=opts,
    )
    return SparkEngine(kind="dataproc-serverless", id=template.name, session_template=template)


def cluster_engine(
    name: str, ctx: StageContext, *, account_email: pulumi.Input[str], subnet_id: pulumi.Input[str],
    staging_bucket: pulumi.Input[str], key_id: pulumi.Input[str], max_vcpu: int, labels: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> SparkEngine:
    settings = ctx.config.gcp
    policy = gcp.dataproc.AutoscalingPolicy(
        f"{name}-autoscaling",
        policy_id=ctx.name("dataproc-autoscaling-policy", "processing-autoscaling"),
        project=settings.project,
        location=settings.region,
        basic_algorithm=gcp.dataproc.AutoscalingPolicyBasicAlgorithmArgs(
            cooldown_period="120s",
            yarn_config=gcp.dataproc.AutoscalingPolicyBasicAlgorithmYarnConfigArgs(
                graceful_decommission_timeout="600s", scale_up_factor=0.5, scale_down_factor=1.0,
            ),
        ),
        worker_config=gcp.dataproc.AutoscalingPolicyWorkerConfigArgs(
            min_instances=2, max_instances=max_workers(max_vcpu)
        ),
        opts=opts,
    )
    disk = gcp.dataproc.ClusterClusterConfigMasterConfigDiskConfigArgs(boot_disk_type="pd-balanced", boot_disk_size_gb=100)
    cluster = gcp.dataproc.Cluster(
        f"{name}-cluster",
        name=ctx.name("dataproc", "processing-cluster"),
        project=settings.project,
        region=settings.region,
        labels=labels,
        cluster_config=gcp.dataproc.ClusterClusterConfigArgs(
            staging_bucket=staging_bucket,
            temp_bucket=staging_bucket,
            gce_cluster_config=gcp.dataproc.ClusterClusterConfigGceClusterConfigArgs(
                internal_ip_only=True,
                subnetwork=subnet_id,
                service_account=account_email,
                service_account_scopes=[CLOUD_PLATFORM_SCOPE],
                tags=[zone_tag(Zone.PROCESSING)],
                metadata={"block-project-ssh-keys": "true"},
                shielded_instance_config=gcp.dataproc.ClusterClusterConfigGceClusterConfigShieldedInstanceConfigArgs(
                    enable_secure_boot=True, enable_vtpm=True, enable_integrity_monitoring=True,
                ),
            ),
            master_config=gcp.dataproc.ClusterClusterConfigMasterConfigArgs(
                num_instances=1, machine_type=MACHINE_TYPE, disk_config=disk,
            ),
            worker_config=gcp.dataproc.ClusterClusterConfigWorkerConfigArgs(
                num_instances=2, machine_type=MACHINE_TYPE,
                disk_config=gcp.dataproc.ClusterClusterConfigWorkerConfigDiskConfigArgs(
                    boot_disk_type="pd-balanced", boot_disk_size_gb=100
                ),
            ),
            software_config=gcp.dataproc.ClusterClusterConfigSoftwareConfigArgs(image_version=IMAGE_VERSION),
            autoscaling_config=gcp.dataproc.ClusterClusterConfigAutoscalingConfigArgs(policy_uri=policy.name),
            encryption_config=gcp.dataproc.ClusterClusterConfigEncryptionConfigArgs(kms_key_name=key_id),
            endpoint_config=gcp.dataproc.ClusterClusterConfigEndpointConfigArgs(enable_http_port_access=False),
            lifecycle_config=None if ctx.is_production else gcp.dataproc.ClusterClusterConfigLifecycleConfigArgs(
                idle_delete_ttl=IDLE_DELETE_TTL
            ),
        ),
        opts=opts,
    )
    return SparkEngine(kind="dataproc-cluster", id=cluster.id, cluster=cluster, autoscaling_policy=policy)
