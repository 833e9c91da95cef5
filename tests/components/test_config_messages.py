"""Validation messages in the user's words: no regular expressions, values as written."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from components.config import PATTERN_WORDS, ConfigError, PlatformConfig, load_config

BASE = {"cloud": "aws", "owner": "me", "alertEmails": ["a@example.com"]}


def _pattern_fields(model: type[BaseModel], path: str = ""):
    for name, field in model.model_fields.items():
        key = f"{path}{field.alias or name}"
        annotation = field.annotation
        for meta in field.metadata:
            if getattr(meta, "pattern", None):
                yield key, meta.pattern
        for candidate in getattr(annotation, "__args__", ()) + (annotation,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                yield from _pattern_fields(candidate, f"{key}.")


def test_every_pattern_a_field_must_match_is_said_in_words():
    fields = list(_pattern_fields(PlatformConfig))
    assert len(fields) >= 5
    for key, pattern in fields:
        assert pattern in PATTERN_WORDS, f"{key}: say what {pattern} means in PATTERN_WORDS"


@pytest.mark.parametrize("values, key", [
    ({"owner": "Me"}, "blueprint:owner"),
    ({"gcp": {"billingAccount": "abc"}}, "blueprint:gcp.billingAccount"),
    ({"gcp": {"project": "1x"}}, "blueprint:gcp.project"),
])
def test_pattern_errors_name_the_key_and_hold_no_regular_expression(values, key):
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, **values})
    line = next(line for line in str(err.value).splitlines() if key in line)
    assert "pattern" not in line and "^" not in line and "$" not in line and "[" not in line.split(":", 2)[-1], line


@pytest.mark.parametrize("key, value, shown", [
    ("alertEmails", None, "blueprint:alertEmails = null"),
    ("alertEmails", True, "blueprint:alertEmails = true"),
    ("ttl", "72:00", "blueprint:ttl = '72:00'"),
    ("alertEmails", [], "blueprint:alertEmails = []"),
])
def test_values_are_shown_as_the_user_wrote_them(key, value, shown):
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, key: value})
    assert shown in str(err.value)
    assert "None" not in str(err.value) and "True" not in str(err.value)


def test_at_most_ten_alert_recipients():
    # AWS Budgets takes at most 10 e-mail subscribers per notification.
    load_config({**BASE, "alertEmails": [f"a{i}@example.com" for i in range(10)]})
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, "alertEmails": [f"a{i}@example.com" for i in range(11)]})
    assert "blueprint:alertEmails" in str(err.value)


def test_ingest_throttle_limits_at_their_boundaries():
    # API Gateway's account-level defaults: 10,000 requests per second steady, bursts of 5,000.
    load_config({**BASE, "stages": {"connect": {"throttleRate": 10000, "throttleBurst": 5000}}})
    for key, value in (("throttleRate", 10001), ("throttleBurst", 5001), ("throttleBurst", 0)):
        with pytest.raises(ConfigError) as err:
            load_config({**BASE, "stages": {"connect": {key: value}}})
        assert f"blueprint:stages.connect.{key}" in str(err.value)


@pytest.mark.parametrize("condition", ["true", "1==1", "!false", " (TRUE) "])
def test_a_gcp_federation_condition_that_admits_everyone_is_refused(condition):
    gcp = {"project": "blueprint-learning", "billingAccount": "012345-6789AB-CDEF01",
           "producerFederation": {"issuerUri": "https://token.actions.githubusercontent.com",
                                  "attributeCondition": condition}}
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, "cloud": "gcp", "gcp": gcp})
    assert "blueprint:gcp.producerFederation.attributeCondition" in str(err.value)


def test_a_fractional_ingest_rate_is_accepted_and_zero_is_refused():
    # API Gateway's rateLimit is a double: half a request per second is a valid steady-state rate.
    assert load_config({**BASE, "stages": {"connect": {"throttleRate": 0.5}}}).stages.connect.throttle_rate == 0.5
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, "stages": {"connect": {"throttleRate": 0}}})
    assert "blueprint:stages.connect.throttleRate = 0" in str(err.value)


AZURE_FEDERATION = {"issuer": "https://token.actions.githubusercontent.com", "subject": "repo:org/repo:ref:main"}


@pytest.mark.parametrize("key", ["subject", "audience"])
def test_azure_federation_claims_take_one_to_600_characters(key):
    # Microsoft Entra federated identity credentials: subject and audience are non-empty, at most 600 characters.
    for value in ("x", "x" * 600):
        cfg = load_config({**BASE, "cloud": "azure", "azure": {"producerFederation": {**AZURE_FEDERATION, key: value}}})
        assert getattr(cfg.azure.producer_federation, key) == value
    for value in ("", "x" * 601):
        with pytest.raises(ConfigError) as err:
            load_config({**BASE, "cloud": "azure", "azure": {"producerFederation": {**AZURE_FEDERATION, key: value}}})
        assert f"blueprint:azure.producerFederation.{key}" in str(err.value)


def test_a_gcp_federation_condition_takes_up_to_4096_characters():
    # Workload identity pool providers accept an attribute condition of at most 4,096 characters.
    gcp = {"project": "blueprint-learning", "billingAccount": "012345-6789AB-CDEF01",
           "producerFederation": {"issuerUri": "https://token.actions.githubusercontent.com"}}
    condition = "assertion.repository == 'org/" + "r" * 4066 + "'"
    assert len(condition) == 4096
    gcp["producerFederation"]["attributeCondition"] = condition
    assert load_config({**BASE, "cloud": "gcp", "gcp": gcp}).gcp.producer_federation.attribute_condition == condition
    gcp["producerFederation"]["attributeCondition"] = condition[:-1] + "r'"
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, "cloud": "gcp", "gcp": gcp})
    assert "blueprint:gcp.producerFederation.attributeCondition" in str(err.value)


def test_a_gcp_federation_accepts_at_most_10_audiences():
    # Workload identity pool OIDC providers take at most 10 allowedAudiences.
    gcp = {"project": "blueprint-learning", "billingAccount": "012345-6789AB-CDEF01",
           "producerFederation": {"issuerUri": "https://token.actions.githubusercontent.com",
                                  "attributeCondition": "assertion.repository == 'org/repo'"}}
    gcp["producerFederation"]["allowedAudiences"] = [f"aud-{i}" for i in range(10)]
    assert len(load_config({**BASE, "cloud": "gcp", "gcp": gcp}).gcp.producer_federation.allowed_audiences) == 10
    gcp["producerFederation"]["allowedAudiences"] = [f"aud-{i}" for i in range(11)]
    with pytest.raises(ConfigError) as err:
        load_config({**BASE, "cloud": "gcp", "gcp": gcp})
    assert "blueprint:gcp.producerFederation.allowedAudiences" in str(err.value)
