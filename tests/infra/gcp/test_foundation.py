"""Foundation: project services, the stack key and the budget."""

from __future__ import annotations

import pytest

from components.config import BUDGET_THRESHOLDS, ConfigError
from tests.infra.gcp.conftest import children_types, in_stage, one, variant

SERVICE = "gcp:projects/service:Service"
KEY_RING = "gcp:kms/keyRing:KeyRing"
KEY = "gcp:kms/cryptoKey:CryptoKey"
KEY_GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
BUDGET = "gcp:billing/budget:Budget"
CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
TOPIC = "gcp:pubsub/topic:Topic"
IDENTITY = "gcp:projects/serviceIdentity:ServiceIdentity"


def test_the_apis_are_enabled_and_stay_enabled_on_destroy(learning):
    services = learning.of_type(SERVICE)
    names = {s.inputs["service"] for s in services}
    for api in ("pubsub", "storage", "bigquery", "cloudkms", "compute", "dataproc", "billingbudgets", "monitoring"):
        assert f"{api}.googleapis.com" in names
    assert all(s.inputs["disableOnDestroy"] is False for s in services)
    assert all(s.inputs["project"] == "blueprint-learning" for s in services)


def test_every_other_foundation_resource_waits_for_the_apis(learning):
    apis = {s.urn for s in learning.of_type(SERVICE)}
    for r in in_stage(learning, "foundation"):
        if r.type != SERVICE:
            assert apis <= set(r.dependencies), r.name


def test_key_rotates_lives_in_the_region_and_is_auto_named_so_recreation_works(learning, production):
    ring = one(learning.of_type(KEY_RING))
    assert ring.inputs["location"] == "us-central1"
    assert "name" not in ring.inputs  # a fixed name would collide with the ring a destroy leaves behind
    key = one(learning.of_type(KEY))
    assert "name" not in key.inputs
    assert key.inputs["rotationPeriod"] == f"{90 * 24 * 3600}s"
    assert key.inputs["purpose"] == "ENCRYPT_DECRYPT"
    assert key.inputs["destroyScheduledDuration"] == "86400s"
    assert one(production.of_type(KEY)).inputs["destroyScheduledDuration"] == "2592000s"


def test_only_the_service_agents_may_use_the_key_and_only_on_the_key(learning):
    grants = learning.of_type(KEY_GRANT)
    members = sorted(g.inputs["member"] for g in grants)
    assert {g.inputs["role"] for g in grants} == {"roles/cloudkms.cryptoKeyEncrypterDecrypter"}
    assert all(m.startswith("serviceAccount:") for m in members)
    domains = {m.split("@")[1] for m in members}
    assert domains == {"gs-project-accounts.iam.gserviceaccount.com", "gcp-sa-pubsub.iam.gserviceaccount.com",
                       "bigquery-encryption.iam.gserviceaccount.com", "dataproc-accounts.iam.gserviceaccount.com",
                       "compute-system.iam.gserviceaccount.com"}
    key = one(learning.of_type(KEY))
    assert all(key.urn in g.dependencies for g in grants)


def test_budget_is_on_the_configured_account_filtered_to_the_project_with_the_thresholds(learning):
    budget = one(learning.of_type(BUDGET))
    inputs = budget.inputs
    assert inputs["billingAccount"] == "012345-6789AB-CDEF01"
    assert inputs["budgetFilter"]["projects"] == ["projects/123456789"]  # the mocked project number
    assert inputs["amount"]["specifiedAmount"] == {"currencyCode": "USD", "units": "10"}
    rules = {(r["spendBasis"], r["thresholdPercent"]) for r in inputs["thresholdRules"]}
    expected = {("CURRENT_SPEND" if kind == "actual" else "FORECASTED_SPEND", pct / 100)
                for kind, pct in BUDGET_THRESHOLDS}
    assert rules == expected


def test_budget_notifies_a_pubsub_topic_and_one_email_channel_per_address(learning, production):
    for s, emails in ((learning, ["data-team@example.com"]),
                      (production, ["data-platform@example.com", "finops@example.com"])):
        budget = one(s.of_type(BUDGET))
        channels = s.of_type(CHANNEL)
        assert sorted(c.inputs["labels"]["email_address"] for c in channels) == emails
        assert all(c.inputs["type"] == "email" for c in channels)
        rule = budget.inputs["allUpdatesRule"]
        assert len(rule["monitoringNotificationChannels"]) == len(emails)
        topic = one(t for t in in_stage(s, "foundation", TOPIC))
        assert rule["pubsubTopic"].endswith("/topics/" + topic.inputs["name"])
        grant = one(g for g in s.of_type("gcp:pubsub/topicIAMMember:TopicIAMMember")
                    if g.inputs["member"] == "serviceAccount:billing-budget-alert@system.gserviceaccount.com")
        assert grant.inputs["role"] == "roles/pubsub.publisher"
        assert grant.inputs["topic"] == topic.inputs["name"]


def test_budget_amount_follows_config(learning):
    s = variant(budget=12.5)
    amount = one(s.of_type(BUDGET)).inputs["amount"]["specifiedAmount"]
    assert amount["units"] == "12" and amount["nanos"] == 500_000_000


def test_foundation_exact_children(learning):
    assert children_types(learning, "foundation") == {
        SERVICE: 11, "gcp:compute/network:Network": 1, "gcp:compute/subnetwork:Subnetwork": 4,
        "gcp:compute/firewall:Firewall": 5, KEY_RING: 1, KEY: 1, KEY_GRANT: 5, TOPIC: 1,
        "gcp:pubsub/topicIAMMember:TopicIAMMember": 1, CHANNEL: 1, BUDGET: 1, IDENTITY: 3,
    }


def test_the_pubsub_agent_is_created_before_anything_is_granted_to_it(learning):
    # On a recent project the Pub/Sub agent exists only once asked for; a grant to it fails before.
    agent = one(i for i in learning.of_type(IDENTITY) if i.inputs["service"] == "pubsub.googleapis.com")
    apis = {s.urn for s in learning.of_type(SERVICE)}
    assert apis <= set(agent.dependencies)
    pubsub_grants = [
        r for r in learning.custom()
        if "gcp-sa-pubsub" in str(r.inputs.get("member", "")) and r.type != IDENTITY
    ]
    # the key grant, dead letters (publish + subscribe per subscription), the sink's bucket grants
    assert len(pubsub_grants) >= 5
    for grant in pubsub_grants:
        assert agent.urn in grant.property_dependencies.get("member", []), grant.name


def test_agent_lookups_wait_for_the_apis_they_call(learning):
    # The invokes behind these members call the Storage, BigQuery and Resource Manager APIs,
    # which a new project may not have before the stack enables them.
    apis = {s.inputs["service"]: s.urn for s in learning.of_type(SERVICE)}
    grants = {g.name: g for g in learning.of_type(KEY_GRANT)}
    storage = grants["platform-gcp-key-storage-agent"].property_dependencies["member"]
    bigquery = grants["platform-gcp-key-bigquery-agent"].property_dependencies["member"]
    assert apis["storage.googleapis.com"] in storage
    assert apis["bigquery.googleapis.com"] in bigquery
    dataproc = grants["platform-gcp-key-dataproc-agent"].property_dependencies["member"]
    assert apis["cloudresourcemanager.googleapis.com"] in dataproc  # the project number


def test_more_than_five_alert_addresses_is_refused_for_gcp():
    with pytest.raises(ConfigError, match=r"blueprint:alertEmails .*at most 5"):
        variant(alertEmails=[f"a{i}@example.com" for i in range(6)])


def _provider_of(s, resource):
    urn = resource.provider.rsplit("::", 1)[0]
    return one(r for r in s.resources if r.urn == urn)


def test_apis_are_enabled_through_a_provider_without_the_user_project_override(learning):
    # With the override every call is billed to the project, whose Resource Manager API is not on yet.
    services = learning.of_type(SERVICE)
    assert {"serviceusage.googleapis.com", "cloudresourcemanager.googleapis.com"} <= {
        s.inputs["service"] for s in services}
    for service in services:
        provider = _provider_of(learning, service)
        assert provider.type == "pulumi:providers:gcp"
        assert "userProjectOverride" not in provider.inputs and "billingProject" not in provider.inputs
        assert provider.inputs["project"] == "blueprint-learning"
    # everything else keeps the stack's provider (the budget needs a quota project)
    budget = one(learning.of_type(BUDGET))
    assert _provider_of(learning, budget).inputs["userProjectOverride"] == "true"


def test_everything_outside_the_api_step_depends_on_every_api(learning):
    apis = {s.urn for s in learning.of_type(SERVICE)}
    assert len(apis) == 11
    for r in learning.custom():
        if r.type != SERVICE:
            assert apis <= set(r.dependencies), r.name


def test_dataproc_and_compute_agents_are_created_and_the_key_grants_wait_for_them(learning):
    agents = {i.inputs["service"]: i for i in learning.of_type(IDENTITY)}
    assert set(agents) == {"pubsub.googleapis.com", "dataproc.googleapis.com", "compute.googleapis.com"}
    grants = {g.name: g for g in learning.of_type(KEY_GRANT)}
    for api, email in (("dataproc", "service-123456789@dataproc-accounts.iam.gserviceaccount.com"),
                       ("compute", "service-123456789@compute-system.iam.gserviceaccount.com")):
        grant = grants[f"platform-gcp-key-{api}-agent"]
        assert grant.inputs["member"] == f"serviceAccount:{email}"
        assert agents[f"{api}.googleapis.com"].urn in grant.property_dependencies["member"]


def test_without_the_budget_topic_no_external_publisher_is_granted():
    s = variant(gcp={"project": "blueprint-learning", "region": "us-central1",
                     "billingAccount": "012345-6789AB-CDEF01", "budgetTopic": False})
    assert not [g for g in s.custom()
                if g.inputs.get("member") == "serviceAccount:billing-budget-alert@system.gserviceaccount.com"]
    assert not in_stage(s, "foundation", TOPIC)
    rule = one(s.of_type(BUDGET)).inputs["allUpdatesRule"]
    assert "pubsubTopic" not in rule and len(rule["monitoringNotificationChannels"]) == 1
    foundation = one(r for r in s.resources if r.type == "blueprint:platform:Foundation")
    assert foundation.outputs["alert_channel"].startswith("projects/blueprint-learning/notificationChannels/")


def _key_grants_waited_for(s, resource) -> set[str]:
    grants = {g.urn: g.name.removeprefix("platform-gcp-key-").removesuffix("-agent") for g in s.of_type(KEY_GRANT)}
    return {grants[d] for d in resource.dependencies if d in grants}


def test_each_stage_waits_only_for_the_key_grants_it_uses(learning):
    def of(stage, token):
        return in_stage(learning, stage, token)

    for topic in of("buffer", TOPIC):
        assert _key_grants_waited_for(learning, topic) == {"pubsub"}, topic.name
    for bucket in of("store", "gcp:storage/bucket:Bucket"):
        assert _key_grants_waited_for(learning, bucket) == {"storage"}, bucket.name
    dataset = one(of("store", "gcp:bigquery/dataset:Dataset"))
    assert _key_grants_waited_for(learning, dataset) == {"bigquery"}
    sink = one(of("processing", "gcp:pubsub/subscription:Subscription"))
    assert _key_grants_waited_for(learning, sink) == {"pubsub", "storage"}
    template = one(of("processing", "gcp:dataproc/sessionTemplate:SessionTemplate"))
    assert _key_grants_waited_for(learning, template) == {"dataproc", "compute", "storage"}
    for stage in ("connect", "visualize"):
        for r in in_stage(learning, stage):
            assert _key_grants_waited_for(learning, r) == set(), r.name
