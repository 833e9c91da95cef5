"""Processing: the Cloud Storage subscription to raw, and Dataproc Serverless or a Dataproc cluster."""

from __future__ import annotations

import pytest

from components.config import ConfigError
from tests.infra.gcp.conftest import children_types, in_stage, one, variant

SUB = "gcp:pubsub/subscription:Subscription"
BUCKET_GRANT = "gcp:storage/bucketIAMMember:BucketIAMMember"
TEMPLATE = "gcp:dataproc/sessionTemplate:SessionTemplate"
CLUSTER = "gcp:dataproc/cluster:Cluster"
POLICY = "gcp:dataproc/autoscalingPolicy:AutoscalingPolicy"
CUSTOM_ROLE = "gcp:projects/iAMCustomRole:IAMCustomRole"
SUB_GRANT = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember"
AGENT = "serviceAccount:service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com"


def _bucket_name(s, stage, zone):
    return one(b for b in in_stage(s, stage, "gcp:storage/bucket:Bucket") if b.name.endswith("-" + zone)).inputs["name"]


def _sa_member(s, stage):
    # The stage's identity; production's processing stage also holds the daily run's scheduler account.
    sa = one(r for r in in_stage(s, stage, "gcp:serviceaccount/account:Account") if r.name == f"platform-{stage}-sa")
    return f"serviceAccount:{sa.inputs['accountId']}@{sa.inputs['project']}.iam.gserviceaccount.com"


def test_sink_is_a_cloud_storage_subscription_writing_the_raw_bucket(learning):
    sink = one(in_stage(learning, "processing", SUB))
    config = sink.inputs["cloudStorageConfig"]
    assert config["bucket"] == _bucket_name(learning, "store", "raw")
    assert config["filenamePrefix"] == "events/"
    assert config["avroConfig"]["writeMetadata"] is True
    # A file closes after 5 minutes or 100 MiB (Pub/Sub accepts 1-10 minutes and 1 KB-10 GiB), whichever is first.
    assert (config["maxDuration"], config["maxBytes"]) == ("300s", 104857600)
    assert (config["filenameDatetimeFormat"], config["filenameSuffix"]) == ("YYYY-MM-DD/hh_mm_ssZ", ".avro")
    # The longest acknowledgement deadline Pub/Sub allows: a file write may take a while.
    assert sink.inputs["ackDeadlineSeconds"] == 300
    assert sink.inputs["topic"].endswith("/topics/" + learning.exports["buffer"]["stream"])
    dead_letter = one(t for t in in_stage(learning, "buffer", "gcp:pubsub/topic:Topic") if t.name.endswith("dead-letter"))
    assert sink.inputs["deadLetterPolicy"]["deadLetterTopic"].endswith("/topics/" + dead_letter.inputs["name"])
    assert learning.exports["processing"]["sink"].endswith("/subscriptions/" + sink.inputs["name"])
    assert learning.exports["processing"]["sink_delivery"] == "at-least-once"


def test_the_pubsub_agent_may_write_raw_before_the_sink_exists(learning):
    sink = one(in_stage(learning, "processing", SUB))
    raw = _bucket_name(learning, "store", "raw")
    grants = [g for g in learning.of_type(BUCKET_GRANT) if g.inputs["member"] == AGENT]
    assert {g.inputs["role"] for g in grants} == {"roles/storage.objectCreator", "roles/storage.legacyBucketReader"}
    assert {g.inputs["bucket"] for g in grants} == {raw}
    assert all(g.urn in sink.dependencies for g in grants)


def test_engine_identity_reads_raw_writes_processed_and_curated(learning):
    member = _sa_member(learning, "processing")
    roles = {(g.inputs["bucket"], g.inputs["role"]) for g in learning.of_type(BUCKET_GRANT)
             if g.inputs["member"] == member}
    raw, processed, curated = (_bucket_name(learning, "store", z) for z in ("raw", "processed", "curated"))
    staging = _bucket_name(learning, "processing", "staging")
    assert (raw, "roles/storage.objectViewer") in roles
    assert (raw, "roles/storage.objectAdmin") not in roles
    assert {(processed, "roles/storage.objectAdmin"), (curated, "roles/storage.objectAdmin"),
            (staging, "roles/storage.objectAdmin")} <= roles
    project = [g for g in learning.of_type("gcp:projects/iAMMember:IAMMember") if g.inputs["member"] == member]
    role = one(learning.of_type(CUSTOM_ROLE))
    assert [g.inputs["role"] for g in project] == [f"projects/blueprint-learning/roles/{role.inputs['roleId']}"]


def test_no_project_level_dataproc_worker_anywhere(learning, production, cluster_learning):
    # roles/dataproc.worker carries storage.objects.* on every bucket of the project.
    for s in (learning, production, cluster_learning):
        assert "roles/dataproc.worker" not in {g.inputs["role"] for g in s.of_type("gcp:projects/iAMMember:IAMMember")}


def test_spark_runtime_role_holds_dataproc_reporting_logs_and_metrics_and_no_storage(learning):
    role = one(learning.of_type(CUSTOM_ROLE))
    assert sorted(role.inputs["permissions"]) == [
        "dataproc.agents.create", "dataproc.agents.delete", "dataproc.agents.get", "dataproc.agents.list",
        "dataproc.agents.update", "dataproc.tasks.lease", "dataproc.tasks.listInvalidatedLeases",
        "dataproc.tasks.reportStatus", "logging.logEntries.create", "monitoring.metricDescriptors.create",
        "monitoring.metricDescriptors.get", "monitoring.metricDescriptors.list",
        "monitoring.monitoredResourceDescriptors.get", "monitoring.monitoredResourceDescriptors.list",
        "monitoring.timeSeries.create",
    ]
    assert not [p for p in role.inputs["permissions"] if p.startswith(("storage.", "bigquery.", "pubsub."))]
    assert role.inputs["project"] == "blueprint-learning"


def test_spark_role_id_is_valid_and_new_for_each_incarnation_of_the_account(learning):
    # A deleted custom role id stays taken for up to 37 days: the id ends with the account's unique id,
    # which Google assigns anew when the account is created again after a destroy.
    import re

    role = one(learning.of_type(CUSTOM_ROLE))
    sa = one(in_stage(learning, "processing", "gcp:serviceaccount/account:Account"))
    assert re.fullmatch(r"[a-zA-Z0-9_.]{3,64}", role.inputs["roleId"])
    assert re.fullmatch(r"blueprint_spark_[0-9a-z]+", role.inputs["roleId"])
    assert sa.urn in role.property_dependencies["roleId"]


def test_serverless_session_template_is_private_tagged_encrypted_and_times_out(learning, production):
    template = one(learning.of_type(TEMPLATE))
    execution = template.inputs["environmentConfig"]["executionConfig"]
    assert execution["serviceAccount"] == _sa_member(learning, "processing").removeprefix("serviceAccount:")
    subnet = one(r for r in learning.of_type("gcp:compute/subnetwork:Subnetwork") if r.name.endswith("-processing"))
    assert execution["subnetworkUri"].endswith("/subnetworks/" + subnet.inputs["name"])
    assert execution["networkTags"] == ["zone-processing"]
    assert execution["stagingBucket"] == _bucket_name(learning, "processing", "staging")
    assert execution["kmsKey"].startswith("projects/")
    assert execution["idleTtl"] == "1800s"
    assert one(production.of_type(TEMPLATE)).inputs["environmentConfig"]["executionConfig"]["idleTtl"] == "3600s"
    assert template.inputs["runtimeConfig"]["properties"]["spark.dynamicAllocation.maxExecutors"] == "3"  # 16 vCPU
    assert template.inputs["runtimeConfig"]["version"] == "2.3"  # 2.2 left support on 2026-09-30
    assert learning.exports["processing"]["engine"] == "dataproc-serverless"
    assert not learning.of_type(CLUSTER)


def test_max_vcpu_override_caps_executors():
    s = variant(stages={"processing": {"maxVcpu": 40}})
    props = one(s.of_type(TEMPLATE)).inputs["runtimeConfig"]["properties"]
    assert props["spark.dynamicAllocation.maxExecutors"] == "9"


def test_staging_bucket_is_a_secure_bucket_that_expires(learning):
    staging = one(b for b in in_stage(learning, "processing", "gcp:storage/bucket:Bucket"))
    assert staging.inputs["publicAccessPrevention"] == "enforced"
    assert staging.inputs["uniformBucketLevelAccess"] is True
    assert any(r["action"]["type"] == "Delete" and r["condition"].get("age") == 7
               for r in staging.inputs["lifecycleRules"])


@pytest.fixture(scope="module")
def cluster_learning():
    return variant(stages={"processing": {"engine": "cluster", "acceptIdleCost": True}})


def test_cluster_option_internal_ips_autoscaling_and_idle_delete(cluster_learning):
    cluster = one(cluster_learning.of_type(CLUSTER))
    config = cluster.inputs["clusterConfig"]
    gce = config["gceClusterConfig"]
    assert gce["internalIpOnly"] is True
    assert gce["tags"] == ["zone-processing"]
    assert gce["serviceAccount"] == _sa_member(cluster_learning, "processing").removeprefix("serviceAccount:")
    assert gce["serviceAccountScopes"] == ["https://www.googleapis.com/auth/cloud-platform"]
    assert config["lifecycleConfig"]["idleDeleteTtl"] == "1800s"  # the pack's 30 learning idle minutes
    assert config["endpointConfig"]["enableHttpPortAccess"] is False
    assert config["encryptionConfig"]["kmsKeyName"].startswith("projects/")
    assert config["softwareConfig"]["imageVersion"] == "2.3-debian12"
    policy = one(cluster_learning.of_type(POLICY))
    assert config["autoscalingConfig"]["policyUri"].endswith("/autoscalingPolicies/" + policy.inputs["policyId"])
    assert policy.inputs["workerConfig"] == {"minInstances": 2, "maxInstances": 3}
    assert not cluster_learning.of_type(TEMPLATE)
    assert cluster_learning.exports["processing"]["engine"] == "dataproc-cluster"


def test_cluster_vms_boot_shielded_and_refuse_project_wide_ssh_keys(cluster_learning):
    gce = one(cluster_learning.of_type(CLUSTER)).inputs["clusterConfig"]["gceClusterConfig"]
    # Secure boot refuses unsigned boot components, the vTPM measures the boot, integrity monitoring reports drift.
    assert gce["shieldedInstanceConfig"] == {"enableSecureBoot": True, "enableVtpm": True,
                                             "enableIntegrityMonitoring": True}
    # Project metadata SSH keys would let anyone holding one log in to every node.
    assert gce["metadata"] == {"block-project-ssh-keys": "true"}


def test_cluster_nodes_and_autoscaling_stay_within_what_dataproc_accepts(cluster_learning):
    config = one(cluster_learning.of_type(CLUSTER)).inputs["clusterConfig"]
    disk = {"bootDiskType": "pd-balanced", "bootDiskSizeGb": 100}
    assert config["masterConfig"] == {"numInstances": 1, "machineType": "n2-standard-4", "diskConfig": disk}
    # A standard cluster has at least two primary workers.
    assert config["workerConfig"] == {"numInstances": 2, "machineType": "n2-standard-4", "diskConfig": disk}
    # Scale factors lie in [0, 1]; the cooldown is at least 2 minutes; decommissioning waits at most a day.
    assert one(cluster_learning.of_type(POLICY)).inputs["basicAlgorithm"] == {
        "cooldownPeriod": "120s",
        "yarnConfig": {"gracefulDecommissionTimeout": "600s", "scaleUpFactor": 0.5, "scaleDownFactor": 1}}


def test_production_cluster_has_no_idle_delete():
    s = variant("gcp-prod", stages={"processing": {"engine": "cluster"}})
    assert "lifecycleConfig" not in one(s.of_type(CLUSTER)).inputs["clusterConfig"]


def test_cluster_in_learning_needs_the_explicit_opt_in():
    with pytest.raises(ConfigError, match=r"blueprint:stages.processing.engine = 'cluster'"):
        variant(stages={"processing": {"engine": "cluster"}})


def test_serverless_below_its_minimum_size_is_refused():
    with pytest.raises(ConfigError, match=r"blueprint:stages.processing.maxVcpu = 8: Dataproc Serverless"):
        variant(stages={"processing": {"maxVcpu": 8}})


def test_processing_exact_children(learning, cluster_learning):
    base = {SUB: 1, SUB_GRANT: 2, BUCKET_GRANT: 10,
            "gcp:storage/bucket:Bucket": 1, "gcp:serviceaccount/account:Account": 1,
            "gcp:bigquery/datasetIamMember:DatasetIamMember": 1, "gcp:projects/iAMMember:IAMMember": 1,
            CUSTOM_ROLE: 1}
    # The serverless engine also gets the sensor job's code and entry point in the staging bucket.
    assert children_types(learning, "processing") == {**base, TEMPLATE: 1, "gcp:storage/bucketObject:BucketObject": 2}
    assert children_types(cluster_learning, "processing") == {**base, CLUSTER: 1, POLICY: 1}


def test_spark_may_consume_the_spark_subscription(learning, production):
    for s in (learning, production):
        spark = one(sub for sub in in_stage(s, "buffer", SUB) if sub.name.endswith("-spark"))
        grants = [g for g in s.of_type(SUB_GRANT) if g.inputs["member"] == _sa_member(s, "processing")]
        assert [(g.inputs["subscription"], g.inputs["role"]) for g in grants] == [
            (spark.inputs["name"], "roles/pubsub.subscriber")]


def test_sink_retries_with_backoff_before_dead_lettering(learning):
    sink = one(in_stage(learning, "processing", SUB))
    assert sink.inputs["retryPolicy"] == {"minimumBackoff": "10s", "maximumBackoff": "600s"}
    assert sink.inputs["deadLetterPolicy"]["maxDeliveryAttempts"] == 5


def test_no_sink_when_the_consumers_leave_it_out():
    s = variant(stages={"buffer": {"consumers": ["spark"]}})
    assert not in_stage(s, "processing", SUB)
    assert not [g for g in s.of_type(BUCKET_GRANT) if g.inputs["member"] == AGENT]
    assert s.exports["processing"].get("sink") is None
    assert s.exports["processing"].get("sink_delivery") is None
    assert one(s.of_type(TEMPLATE))  # the engine is still there


def test_a_learning_cluster_keeps_within_the_packs_idle_limit(cluster_learning):
    from blueprint.policy_check import evaluate

    assert [v.message for v in evaluate(cluster_learning, "learning") if v.rule == "idle-termination"] == []
