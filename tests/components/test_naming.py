"""Physical names: every generated name satisfies its service's limits, for any project and stack name."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from components.naming import RULES, Namer, NamingError, label_key, label_value, stable_hash

# Adversarial stack names: what `pulumi stack init` accepts (letters, digits, -, _, .) and worse.
stack_names = st.one_of(
    st.from_regex(r"[A-Za-z0-9._-]{1,100}", fullmatch=True),
    st.text(min_size=1, max_size=120),
    st.sampled_from(["42", "-", "___", "a" * 200, "PROD", "prod.eu-west-1", "ünïcode", "x--y", "xn--abc", "goog"]),
)
roles = st.sampled_from(["store-raw", "store-processed", "store-curated", "store-logs", "buffer-stream",
                         "processing-spark", "visualize-reader", "foundation-key", "connect-api", "x"])


@settings(max_examples=300, deadline=None)
@given(project=st.sampled_from(["blueprint", "b", "my-very-long-project-name-for-data"]), stack=stack_names,
       role=roles, service=st.sampled_from(sorted(RULES)))
def test_every_generated_name_satisfies_its_service_rule(project, stack, role, service):
    rule = RULES[service]
    try:
        name = Namer(project, stack).name(service, role)
    except NamingError as exc:
        # Only acceptable when the role itself cannot fit, and the error names the override.
        assert f"blueprint:names.{role}" in str(exc)
        return
    assert rule.check(name) is None, f"{service}: {name!r} breaks {rule}"


@settings(max_examples=200, deadline=None)
@given(stack=stack_names)
def test_names_are_stable_and_differ_between_stacks(stack):
    a = Namer("blueprint", stack).name("s3-bucket", "store-raw")
    assert a == Namer("blueprint", stack).name("s3-bucket", "store-raw")
    assert a != Namer("blueprint", stack + "x").name("s3-bucket", "store-raw")


def test_long_stacks_that_share_a_prefix_do_not_collide():
    base = "a" * 80
    first = Namer("blueprint", base + "-one").name("azure-storage-account", "store")
    second = Namer("blueprint", base + "-two").name("azure-storage-account", "store")
    assert len(first) <= 24 and len(second) <= 24
    assert first != second


def test_storage_account_names_have_no_separators():
    name = Namer("blueprint", "Dev-Stack_1").name("azure-storage-account", "store")
    assert re.fullmatch(r"[a-z0-9]{3,24}", name)


def test_salt_changes_only_the_hash():
    namer = Namer("blueprint", "dev")
    plain, salted = namer.name("azure-key-vault", "store-vault"), namer.name("azure-key-vault", "store-vault", salt="2")
    assert plain != salted and plain[:-6] == salted[:-6]


def test_valid_override_wins():
    assert Namer("blueprint", "dev", {"store-raw": "my-raw-bucket"}).name("s3-bucket", "store-raw") == "my-raw-bucket"


@pytest.mark.parametrize("service,value", [("s3-bucket", "Bad_Bucket"), ("azure-storage-account", "has-hyphen"),
                                            ("gcp-service-account", "short"), ("azure-key-vault", "1starts-digit")])
def test_invalid_override_is_refused_naming_the_key(service, value):
    with pytest.raises(NamingError, match=r"blueprint:names\.role-x = "):
        Namer("blueprint", "dev", {"role-x": value}).name(service, "role-x")


def test_role_that_cannot_fit_names_the_override():
    with pytest.raises(NamingError, match=r"set blueprint:names\.r+ to a valid name"):
        Namer("blueprint", "dev").name("azure-grafana", "r" * 30)


def test_stable_hash_is_short_and_deterministic():
    assert stable_hash("a", "b") == stable_hash("a", "b") != stable_hash("ab", "")
    assert re.fullmatch(r"[0-9a-f]{6}", stable_hash("x"))


@given(st.text(max_size=200))
def test_labels_are_valid_gcp_labels(text):
    value, key = label_value(text), label_key(text)
    assert re.fullmatch(r"[a-z0-9_-]{0,63}", value)
    assert re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", key)


def test_truncation_never_leaves_a_doubled_separator():
    # A digit-first prefix gets a leading letter; cutting it to fit must not end on a hyphen.
    name = Namer("0000000", "0:0").name("azure-key-vault", "vault")
    assert "--" not in name and RULES["azure-key-vault"].check(name) is None


@pytest.mark.parametrize("service,good,bad", [
    # Lambda FunctionName (a name, not an ARN): 1-64 of letters, digits, - and _.
    ("lambda-function", "a" * 64, ["a" * 65, "drain.fn", "drain:fn"]),
    # EventBridge Scheduler schedule Name: 1-64 of letters, digits, -, _ and .
    ("eventbridge-scheduler", "a.b_c-" + "d" * 58, ["a" * 65, "drain/fn", "drain fn"]),
])
def test_lambda_and_schedule_names_follow_their_api_limits(service, good, bad):
    assert RULES[service].check(good) is None
    for value in bad:
        assert RULES[service].check(value) is not None, value


def test_a_role_that_leaves_one_character_for_the_prefix_still_gets_a_name():
    # Managed Grafana names hold at most 23 characters: 14 of role, two hyphens and the 6-character hash leave 1.
    name = Namer("blueprint", "dev").name("azure-grafana", "r" * 14)
    assert re.fullmatch(r"b-r{14}-[0-9a-f]{6}", name) and len(name) == 23
    with pytest.raises(NamingError, match=r"within 23 characters"):
        Namer("blueprint", "dev").name("azure-grafana", "r" * 15)


def test_gcp_labels_are_cut_at_63_characters():
    # Label keys and values hold at most 63 characters.
    assert label_value("A" * 100) == "a" * 63
    assert label_key("1" * 100) == "k" + "1" * 62


def test_a_refused_name_is_explained_in_words():
    assert RULES["s3-bucket"].check("Bad_Bucket") == (
        "must match 3-63 lower-case letters, digits and hyphens, starting and ending alphanumeric")
    assert RULES["s3-bucket"].check("a" * 64) == "length 64 is outside 3-63"


def test_a_prefix_starts_with_a_letter_and_only_gets_one_when_it_lacks_it():
    assert re.fullmatch(r"a1-dev-store-raw-[0-9a-f]{6}", Namer("a1", "dev").name("s3-bucket", "store-raw"))
    assert re.fullmatch(r"b42-dev-store-raw-[0-9a-f]{6}", Namer("42", "dev").name("s3-bucket", "store-raw"))
