"""Physical names and labels stay valid for adversarial project and stack names (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from components.naming import RULES, Namer, NamingError
from components.tags import labels

STACKS = st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "P", "S", "Z")), min_size=1, max_size=80)
PROJECTS = st.sampled_from(["blueprint", "b", "a-very-long-project-name-that-keeps-going-and-going"])
GCP_NAMES = {
    "gcs-bucket": ["store-raw", "store-processed", "store-curated", "processing-staging"],
    "gcp-service-account": ["connect-sa", "buffer-sa", "processing-sa", "store-sa", "visualize-sa"],
    "pubsub": ["buffer-events", "buffer-dead-letter", "buffer-sink", "processing-sink", "foundation-budget-alerts"],
    "bigquery-dataset": ["store-lake"],
    "gcp-network": ["foundation-vpc", "foundation-processing", "foundation-fw-internet-to-edge"],
    "dataproc": ["processing-spark", "processing-cluster"],
    "dataproc-autoscaling-policy": ["processing-autoscaling"],
    "gcp-budget": ["foundation-budget"],
}


@settings(max_examples=150, deadline=None)
@given(project=PROJECTS, stack=STACKS)
def test_every_gcp_name_fits_its_service(project, stack):
    namer = Namer(project, stack)
    for service, roles in GCP_NAMES.items():
        for role in roles:
            try:
                name = namer.name(service, role)
            except NamingError as exc:  # allowed only with the override named
                assert f"blueprint:names.{role}" in str(exc)
                continue
            assert RULES[service].check(name) is None, (service, role, name)


@settings(max_examples=150, deadline=None)
@given(stack=STACKS)
def test_service_account_ids_are_6_to_30_and_bucket_names_never_start_with_goog(stack):
    namer = Namer("blueprint", stack)
    for role in GCP_NAMES["gcp-service-account"]:
        account = namer.name("gcp-service-account", role)
        assert 6 <= len(account) <= 30 and re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", account)
    for role in GCP_NAMES["gcs-bucket"]:
        bucket = namer.name("gcs-bucket", role)
        assert 3 <= len(bucket) <= 63 and not bucket.startswith("goog") and "google" not in bucket[:6]


@settings(max_examples=150, deadline=None)
@given(stack=STACKS, owner=st.from_regex(r"[a-z][a-z0-9-]{0,62}", fullmatch=True))
def test_labels_are_valid_gcp_labels(stack, owner):
    result = labels({"owner": owner, "stack": stack, "stage": "store", "zone": "data",
                     "expires-at": "2026-01-01T00:00Z"})
    for key, value in result.items():
        assert re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", key), key
        assert re.fullmatch(r"[a-z0-9_-]{0,63}", value), value


def test_distinct_stacks_get_distinct_bucket_names():
    a, b = Namer("blueprint", "x" * 70 + "a"), Namer("blueprint", "x" * 70 + "b")
    assert a.name("gcs-bucket", "store-raw") != b.name("gcs-bucket", "store-raw")


def test_with_the_lake_abroad_the_staging_buckets_log_bucket_is_declared():
    from components.config import load_config
    from infra.gcp.names import names

    gcp = {"project": "blueprint-prod", "billingAccount": "012345-6789AB-CDEF01", "usageLogs": True}
    base = {"cloud": "gcp", "profile": "production", "owner": "data-team", "alertEmails": ["team@example.com"],
            "gcp": gcp}
    abroad = load_config({**base, "stages": {"store": {"cloud": "aws"}, "visualize": {"cloud": "aws"},
                                              "buffer": {"consumers": ["spark"]}}})
    assert ("gcs-bucket", "processing-logs") in names(abroad)
    assert ("gcs-bucket", "processing-logs") not in names(load_config(base))
