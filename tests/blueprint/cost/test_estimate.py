"""Idle cost of the example stacks by the estimator, against figures worked by hand from the cited list prices."""

from __future__ import annotations

import pytest

from blueprint.cost.estimate import estimate
from blueprint.cost.usage import Usage
from tests.blueprint.cost.support import idle, lines, plan_of, plant

DAY = 24 / 730
"""A monthly price's share of one day (730-hour month)."""


@pytest.mark.parametrize("stack", ["aws", "azure", "gcp"])
def test_learning_stacks_idle_at_or_below_one_dollar_a_day(stack):
    assert idle(plan_of(stack)) <= 1.00


def test_the_hybrid_learning_stack_idles_at_or_below_one_dollar_a_day_on_each_cloud():
    per_day = {cloud: month * DAY for cloud, month in estimate(plan_of("hybrid")).idle_by_cloud().items()}
    assert set(per_day) == {"aws", "gcp"}
    assert all(usd <= 1.00 for usd in per_day.values()), per_day


def test_hybrid_aws_idle_is_the_shard_the_edge_consumer_and_the_key_without_an_endpoint():
    est = estimate(plan_of("hybrid"))
    # one shard ($0.015/h), the import topic's enhanced fan-out consumer on that shard ($0.015/consumer-shard-hour),
    # the key; Processing runs on GCP, so no Glue interface endpoint
    assert est.idle_by_cloud()["aws"] == pytest.approx(10.95 + 10.95 + 1.00, abs=1e-6)
    assert est.idle_by_cloud()["gcp"] == pytest.approx(0.06, abs=1e-6)
    assert lines(est, "vpc-interface-endpoint") == []
    assert est.unpriced == []


def test_an_enhanced_fan_out_consumer_bills_per_shard_of_its_provisioned_stream():
    plan = plan_of("hybrid")
    stream = next(r for r in plan.custom_resources if r.type == "aws:kinesis/stream:Stream")
    stream.inputs["shardCount"] = 3
    [consumer] = lines(estimate(plan), "kinesis-enhanced-fan-out")
    assert consumer.quantity == 3
    assert consumer.per_day == pytest.approx(3 * 0.015 * 24, abs=1e-6)


def test_an_enhanced_fan_out_consumer_of_an_on_demand_stream_bills_nothing_idle():
    # aws-prod: an on-demand stream with three registered consumers, billed per GB read only
    assert lines(estimate(plan_of("aws-prod")), "kinesis-enhanced-fan-out") == []


def test_aws_learning_idle_is_a_shard_a_glue_endpoint_zone_and_a_key():
    est = estimate(plan_of("aws"))
    assert est.idle_per_day == pytest.approx(0.36 + 0.24 + 1.00 * DAY, abs=1e-6)
    assert est.idle_per_month == pytest.approx(10.95 + 7.30 + 1.00, abs=0.01)
    assert est.by_stage() == pytest.approx({"buffer": 0.36, "foundation": 0.24 + DAY})


def test_aws_production_idle_itemised():
    # on-demand stream, 5 interface endpoints (kinesis-streams, glue, kms, sts, logs) in 2 AZs, one key,
    # a web ACL with 3 rules
    est = estimate(plan_of("aws-prod"))
    assert est.idle_per_day == pytest.approx(0.96 + 5 * 2 * 0.24 + 1.00 * DAY + (5 + 3 * 1) * DAY, abs=1e-6)
    assert est.unpriced == []


def test_azure_learning_idle_is_one_standard_throughput_unit():
    est = estimate(plan_of("azure"))
    assert est.idle_per_day == pytest.approx(0.72, abs=1e-6)


def test_azure_production_idle_itemised():
    # Event Hubs Standard 1 TU, Capture on 1 TU, NAT gateway and its address, 8 private endpoints
    # (vault, dfs, blob, namespace, SQL on-demand, Databricks back end, front end, browser authentication)
    est = estimate(plan_of("azure-prod"))
    assert est.idle_per_day == pytest.approx(0.72 + 2.40 + 1.08 + 0.12 + 8 * 0.24, abs=1e-6)
    assert sum(1 for u in est.unpriced if u.item == "private-dns-zone") == 6


def test_gcp_learning_idle_is_one_key_version():
    assert idle(plan_of("gcp")) == pytest.approx(0.06 * DAY, abs=1e-6)


def test_gcp_production_idle_is_one_key_version_and_the_daily_run_job():
    # Cloud Scheduler bills $0.10 a month per job, whether it runs or not.
    assert idle(plan_of("gcp-prod")) == pytest.approx((0.06 + 0.10) * DAY, abs=1e-6)


def test_a_region_without_prices_is_reported_not_guessed():
    from tests.conftest import stack_config

    plan = plan_of("aws", stack_config("aws", aws={"region": "eu-west-1"}))
    est = estimate(plan)
    assert est.regions == {"aws": "eu-west-1"}
    assert est.idle_per_day == 0
    assert {(u.item, u.region) for u in est.unpriced} == {
        ("kinesis-shard", "eu-west-1"), ("vpc-interface-endpoint", "eu-west-1"), ("kms-key", "eu-west-1")}


def test_light_use_on_aws_adds_requests_sink_storage_spark_and_queries():
    est = estimate(plan_of("aws"), Usage(events_per_day=200_000, event_kb=5, spark_minutes_per_day=10,
                                         query_gb_per_day=1))
    gb = 200_000 * 5 / 1024 ** 2
    assert lines(est, "apigateway-rest-requests")[0].per_day == pytest.approx(0.2 * 3.50)
    assert lines(est, "kinesis-put-payload-units")[0].per_day == pytest.approx(0.2 * 0.014)
    assert lines(est, "firehose-ingest")[0].per_day == pytest.approx(gb * 0.029)
    assert lines(est, "s3-standard-storage")[0].per_day == pytest.approx(gb * 30 * 0.023 * DAY)
    spark = sum(line.per_day for line in est.used if line.kind == "spark")
    assert spark == pytest.approx((12 * 0.052624 + 48 * 0.0057785) * 10 / 60)
    assert lines(est, "athena-scan")[0].per_day == pytest.approx(5.00 / 1024)


def test_service_rounding_of_event_sizes():
    # 6 KB events: Firehose bills 10 KB (5 KB units), Kinesis one 25 KB payload unit, Event Hubs one 64 KB event
    usage = Usage(events_per_day=1_000_000, event_kb=6)
    aws = estimate(plan_of("aws"), usage)
    assert lines(aws, "firehose-ingest")[0].quantity == pytest.approx(1_000_000 * 10 / 1024 ** 2)
    assert lines(aws, "kinesis-put-payload-units")[0].quantity == pytest.approx(1.0)
    on_demand = estimate(plan_of("aws-prod"), usage)
    assert lines(on_demand, "kinesis-on-demand-data-in")[0].quantity == pytest.approx(1_000_000 * 6 / 1024 ** 2)
    azure = estimate(plan_of("azure"), Usage(events_per_day=1_000_000, event_kb=65))
    assert lines(azure, "eventhubs-ingress")[0].per_day == pytest.approx(2 * 0.028)


def test_gcp_usage_bills_publish_delivery_and_the_storage_subscription():
    est = estimate(plan_of("gcp"), Usage(events_per_day=1_048_576, event_kb=1, spark_minutes_per_day=60,
                                         query_gb_per_day=1024))
    # 1 GiB published and delivered to the spark pull subscription; 1 GiB written by the sink
    assert lines(est, "pubsub-throughput")[0].per_day == pytest.approx(2 * 40.00 / 1024)
    assert lines(est, "pubsub-storage-subscription")[0].per_day == pytest.approx(50.00 / 1024)
    assert lines(est, "dataproc-serverless-dcu")[0].per_day == pytest.approx(12 * 0.06)
    assert lines(est, "bigquery-scan")[0].per_day == pytest.approx(6.25)


def test_clusters_that_bill_idle_add_no_spark_usage():
    from tests.conftest import stack_config

    cluster = {"processing": {"engine": "cluster", "acceptIdleCost": True}}
    est = estimate(plan_of("gcp", stack_config("gcp", stages=cluster)), Usage())
    assert not [line for line in est.used if line.kind == "spark"]


def test_usage_is_refused_when_negative():
    assert Usage(events_per_day=-1).problems() == ["--events-per-day = -1: must be zero or more"]
    assert Usage(spark_minutes_per_day=1441).problems() == [
        "--spark-minutes-per-day = 1441: a day has 1440 minutes"]


def test_a_planted_priced_resource_appears_under_its_stage():
    est = estimate(plant(plan_of("aws"), "aws:kms/key:Key", "extra-key", "store"))
    assert est.by_stage()["store"] == pytest.approx(1.00 * DAY)
