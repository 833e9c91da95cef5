"""GCP configuration errors are refused at preview, before any resource is registered."""

from __future__ import annotations

import pytest

from blueprint.engine import synthesize
from blueprint.mocks import PlatformMocks
from components.config import ConfigError
from tests.conftest import stack_config


class CountingMocks(PlatformMocks):
    def __init__(self) -> None:
        super().__init__()
        self.created: list[str] = []

    def new_resource(self, args):
        self.created.append(args.name)
        return super().new_resource(args)


@pytest.mark.parametrize("key, message", [
    ("gcp", r"blueprint:gcp.billingAccount = \(not set\): required when a stage runs on GCP"),
])
def test_missing_billing_account_is_a_clear_error_with_no_resource(key, message):
    config = stack_config("gcp", gcp={"project": "blueprint-learning", "region": "us-central1"})
    mocks = CountingMocks()
    with pytest.raises(ConfigError, match=message):
        synthesize("gcp", config, mocks=mocks)
    assert mocks.created == []


def test_missing_project_and_billing_account_are_reported_together():
    config = stack_config("gcp", gcp={"region": "us-central1"})
    with pytest.raises(ConfigError) as info:
        synthesize("gcp", config, mocks=CountingMocks())
    assert {"blueprint:gcp.project", "blueprint:gcp.billingAccount"} <= set(info.value.keys)


def test_malformed_billing_account_names_the_key():
    config = stack_config("gcp", gcp={"project": "blueprint-learning", "billingAccount": "not-an-account"})
    with pytest.raises(ConfigError, match=r"blueprint:gcp.billingAccount = 'not-an-account'"):
        synthesize("gcp", config, mocks=CountingMocks())


def test_every_gcp_limit_is_reported_in_one_error():
    config = stack_config(
        "gcp",
        alertEmails=[f"a{i}@example.com" for i in range(6)],
        stages={"buffer": {"retentionHours": 1000}, "connect": {"auth": "api-key"}, "processing": {"maxVcpu": 4}},
    )
    mocks = CountingMocks()
    with pytest.raises(ConfigError) as info:
        synthesize("gcp", config, mocks=mocks)
    assert set(info.value.keys) == {
        "blueprint:alertEmails", "blueprint:stages.buffer.retentionHours", "blueprint:stages.connect.auth",
        "blueprint:stages.processing.maxVcpu",
    }
    assert mocks.created == []


def test_the_gcp_limits_do_not_apply_to_other_clouds():
    from components.config import load_config

    cfg = load_config({"cloud": "aws", "owner": "a", "alertEmails": [f"a{i}@example.com" for i in range(6)],
                       "stages": {"connect": {"auth": "api-key"}, "processing": {"maxVcpu": 4}}})
    assert cfg.stages.processing.max_vcpu == 4


def test_throttle_and_an_open_federation_condition_are_refused_before_any_resource():
    config = stack_config(
        "gcp",
        gcp={"project": "blueprint-learning", "billingAccount": "012345-6789AB-CDEF01",
             "producerFederation": {"issuerUri": "https://token.actions.githubusercontent.com",
                                    "attributeCondition": "true"}},
        stages={"connect": {"throttleRate": 10, "throttleBurst": 20}},
    )
    mocks = CountingMocks()
    with pytest.raises(ConfigError) as info:
        synthesize("gcp", config, mocks=mocks)
    assert set(info.value.keys) == {
        "blueprint:gcp.producerFederation.attributeCondition", "blueprint:stages.connect.throttleRate",
        "blueprint:stages.connect.throttleBurst",
    }
    assert mocks.created == []
