"""Each known idle trap, planted into a real stack, raises the estimate by the listed amount.

The dollar figures are the cited list prices, typed here; they are not read from the table.
"""

from __future__ import annotations

import pytest

from tests.blueprint.cost.support import idle, plan_of, plant, resource
from tests.conftest import stack_config


def test_nat_gateway_adds_1_08_a_day():
    base = idle(plan_of("aws"))
    assert idle(plant(plan_of("aws"), "aws:ec2/natGateway:NatGateway", "nat", "foundation")) - base == \
        pytest.approx(1.08)


def test_azure_nat_gateway_and_its_address_add_1_20_a_day():
    base = idle(plan_of("azure"))
    plan = plant(plan_of("azure"), "azure-native:network:NatGateway", "nat", "processing")
    plan = plant(plan, "azure-native:network:PublicIPAddress", "nat-ip", "processing")
    assert idle(plan) - base == pytest.approx(1.08 + 0.12)


def test_interface_endpoint_adds_0_24_a_day_per_zone():
    base = idle(plan_of("aws"))
    endpoint = {"vpcEndpointType": "Interface", "subnetIds": ["a", "b"], "serviceName": "com.amazonaws.us-east-1.sts"}
    assert idle(plant(plan_of("aws"), "aws:ec2/vpcEndpoint:VpcEndpoint", "sts", "foundation", endpoint)) - base == \
        pytest.approx(2 * 0.24)


def test_gateway_endpoint_adds_nothing():
    base = idle(plan_of("aws"))
    endpoint = {"vpcEndpointType": "Gateway", "serviceName": "com.amazonaws.us-east-1.dynamodb"}
    assert idle(plant(plan_of("aws"), "aws:ec2/vpcEndpoint:VpcEndpoint", "ddb", "foundation", endpoint)) == base


def test_on_demand_stream_adds_0_96_a_day():
    base = idle(plan_of("aws"))
    stream = {"streamModeDetails": {"streamMode": "ON_DEMAND"}}
    assert idle(plant(plan_of("aws"), "aws:kinesis/stream:Stream", "more", "buffer", stream)) - base == \
        pytest.approx(0.96)


def test_switching_the_shard_to_on_demand_costs_0_60_a_day_more():
    base = idle(plan_of("aws"))
    plan = plan_of("aws")
    resource(plan, "aws:kinesis/stream:Stream").inputs["streamModeDetails"] = {"streamMode": "ON_DEMAND"}
    assert idle(plan) - base == pytest.approx(0.96 - 0.36)


def test_pre_initialized_workers_bill_their_vcpu_and_memory_around_the_clock():
    base = idle(plan_of("aws"))
    plan = plan_of("aws")
    app = resource(plan, "aws:emrserverless/application:Application")
    app.inputs["initialCapacities"] = [{"initialCapacityType": "Driver", "initialCapacityConfig": {
        "workerCount": 1, "workerConfiguration": {"cpu": "4 vCPU", "memory": "16 GB"}}}]
    # 4 vCPU x $0.052624 + 16 GB x $0.0057785 per hour
    assert idle(plan) - base == pytest.approx((4 * 0.052624 + 16 * 0.0057785) * 24)


def test_event_hubs_capture_adds_2_40_a_day_per_throughput_unit():
    base = idle(plan_of("azure"))
    plan = plan_of("azure")
    resource(plan, "azure-native:eventhub:EventHub").inputs["captureDescription"] = {"enabled": True}
    assert idle(plan) - base == pytest.approx(2.40)
    resource(plan, "azure-native:eventhub:Namespace").inputs["sku"]["capacity"] = 2
    assert idle(plan) - base == pytest.approx(2 * 2.40 + 0.72)  # and the second Standard TU


def test_private_endpoint_adds_0_24_a_day():
    base = idle(plan_of("azure"))
    assert idle(plant(plan_of("azure"), "azure-native:network:PrivateEndpoint", "pe", "store")) - base == \
        pytest.approx(0.24)


def test_aws_managed_grafana_adds_one_editor_licence():
    base = idle(plan_of("aws"))
    planted = idle(plant(plan_of("aws"), "aws:grafana/workspace:Workspace", "grafana", "visualize"))
    assert planted - base == pytest.approx(9.00 * 24 / 730)  # ≥ $9/month, about $0.30/day
    assert round(planted - base, 2) == 0.30


def test_azure_managed_grafana_standard_adds_1_66_a_day():
    base = idle(plan_of("azure"))
    planted = plant(plan_of("azure"), "azure-native:dashboard:Grafana", "grafana", "visualize",
                    {"sku": {"name": "Standard"}})
    assert idle(planted) - base == pytest.approx(1.66, abs=0.005)


def test_dataproc_cluster_adds_5_62_a_day_per_node():
    base = idle(plan_of("gcp"))
    cluster = plan_of("gcp", stack_config("gcp", stages={"processing": {"engine": "cluster", "acceptIdleCost": True}}))
    # a primary and two workers, n2-standard-4, VM + Dataproc fee ($0.194 + 4 x $0.010 per hour)
    assert idle(cluster) - base == pytest.approx(3 * 5.62, abs=0.01)


def test_emr_cluster_adds_5_76_a_day_per_node_and_its_endpoints():
    base = idle(plan_of("aws"))
    cluster = plan_of("aws", stack_config("aws", stages={"processing": {"engine": "cluster", "acceptIdleCost": True}}))
    # primary + one core m5.xlarge (EC2 $0.192 + EMR $0.048 per hour), and the elasticmapreduce and kms
    # interface endpoints in 1 AZ ($0.24 a day each)
    assert idle(cluster) - base == pytest.approx(2 * 5.76 + 2 * 0.24)


def test_a_synapse_pool_that_never_pauses_bills_its_minimum_nodes():
    base = idle(plan_of("azure"))
    plan = plan_of("azure")
    resource(plan, "azure-native:synapse:BigDataPool").inputs["autoPause"]["enabled"] = False
    # 3 Small nodes of 4 vCores at $0.143 per vCore-hour
    assert idle(plan) - base == pytest.approx(3 * 4 * 0.143 * 24)


def test_cluster_disks_without_a_price_entry_are_listed_not_guessed():
    from blueprint.cost.estimate import estimate

    cluster = plan_of("gcp", stack_config("gcp", stages={"processing": {"engine": "cluster", "acceptIdleCost": True}}))
    assert [(u.item, u.what) for u in estimate(cluster).unpriced] == [("pd-balanced", "100 GB of boot disks"),
                                                                       ("pd-balanced", "200 GB of boot disks")]
