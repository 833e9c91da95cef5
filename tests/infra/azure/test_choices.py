"""Service choices per profile, and the combinations refused before anything is registered."""

from __future__ import annotations

import dataclasses

import pytest

from components.config import ConfigError, load_config
from infra.azure.choices import ServiceChoices, choices_for
from tests.conftest import stack_config
from blueprint.engine import read_stack_config


def _config(stack: str, **overrides):
    values = {k.removeprefix("blueprint:"): v for k, v in read_stack_config(stack).items()}
    values.update(overrides)
    return load_config(values, stack)


def test_each_profile_default_is_valid():
    for stack in ("azure", "azure-prod"):
        cfg = _config(stack)
        assert choices_for(cfg).problems(production=cfg.is_production, retention_hours=cfg.buffer_retention_hours,
                                         consumers=len(cfg.stages.buffer.consumers)) == []


def test_learning_is_cheap_and_production_is_strong():
    learning, production = choices_for(_config("azure")), choices_for(_config("azure-prod"))
    assert (learning.capture, learning.private_endpoints, learning.auto_inflate_max) == (False, False, 0)
    assert learning.throughput_units == 1 and learning.engine == "synapse-spark" and learning.spark_auto_pause
    assert not learning.local_auth and not learning.purge_protection
    assert production.capture and production.private_endpoints and production.engine == "databricks"
    assert production.purge_protection and production.customer_managed_key and not production.local_auth


def test_api_key_turns_on_local_auth_in_learning_only():
    cfg = _config("azure", stages={"connect": {"auth": "api-key"}})
    assert choices_for(cfg).local_auth


@pytest.mark.parametrize("change, production, fragment", [
    ({"eventhubs_sku": "Basic", "capture": True}, False, "capture=True"),
    ({"eventhubs_sku": "Basic", "private_endpoints": True}, False, "private_endpoints=True"),
    ({"eventhubs_sku": "Premium", "auto_inflate_max": 4}, False, "auto_inflate_max=4"),
    ({"throughput_units": 4, "auto_inflate_max": 2}, False, "auto_inflate_max=2"),
    ({"throughput_units": 0}, False, "throughput_units=0"),
    ({"soft_delete_days": 3}, False, "soft_delete_days=3"),
    ({"customer_managed_key": True}, False, "customer_managed_key=True"),
    ({"local_auth": True}, True, "local_auth=True"),
    ({"capture": False}, True, "capture=False"),
    ({"private_endpoints": False}, True, "private_endpoints=False"),
    ({"engine": "synapse-spark"}, True, "engine='synapse-spark'"),
    ({"purge_protection": False, "customer_managed_key": False}, True, "purge_protection=False"),
])
def test_invalid_combinations_are_refused_naming_the_choice(change, production, fragment):
    base = choices_for(_config("azure-prod" if production else "azure"))
    bad = dataclasses.replace(base, **change)
    with pytest.raises(ValueError, match="invalid Azure service choices") as error:
        bad.check(production=production)
    assert fragment in str(error.value)


def test_basic_cannot_hold_two_consumer_groups_or_a_week_of_events():
    basic = ServiceChoices(eventhubs_sku="Basic")
    assert any("consumers=2" in p for p in basic.problems(production=False, consumers=2))
    assert any("retention_hours=48" in p for p in basic.problems(production=False, retention_hours=48))
    assert basic.problems(production=False, retention_hours=24, consumers=1) == []


def test_config_refuses_api_key_in_azure_production_naming_the_key():
    with pytest.raises(ConfigError) as error:
        _config("azure-prod", stages={"connect": {"auth": "api-key"}})
    assert error.value.keys == ["blueprint:stages.connect.auth"]


def test_config_refuses_more_than_a_week_of_retention_on_azure_naming_the_key():
    with pytest.raises(ConfigError) as error:
        _config("azure", stages={"buffer": {"retentionHours": 169}})
    assert error.value.keys == ["blueprint:stages.buffer.retentionHours"]
    _config("azure", stages={"buffer": {"retentionHours": 168}})  # the limit itself is fine


def test_a_refused_config_registers_no_resource():
    from blueprint.engine import synthesize
    from blueprint.mocks import PlatformMocks

    class Counting(PlatformMocks):
        created: list[str] = []

        def new_resource(self, args):
            self.created.append(args.typ)
            return super().new_resource(args)

    mocks = Counting()
    with pytest.raises(ConfigError):
        synthesize("azure-prod", stack_config("azure-prod", stages={"connect": {"auth": "api-key"}}), mocks=mocks)
    with pytest.raises(ConfigError, match=r"azure\.databricksPrincipalId"):
        synthesize("azure-prod", stack_config("azure-prod", azure={
            "location": "eastus", "databricksPrincipalId": "00000000-0000-4000-8000-00000000abcd"}), mocks=mocks)
    assert mocks.created == []


@pytest.mark.parametrize("placeholder", [
    "00000000-0000-4000-8000-00000000abcd",  # the dummy the production example used to carry
    "00000000-0000-0000-0000-000000000000",
    "22222222-2222-4222-8222-222222222222",
    "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d",  # the AzureDatabricks application id, not an object id
])
def test_config_refuses_a_placeholder_databricks_principal_naming_the_key(placeholder):
    with pytest.raises(ConfigError, match=r"blueprint:azure\.databricksPrincipalId.*" + placeholder):
        _config("azure-prod", azure={"location": "eastus", "databricksPrincipalId": placeholder})


def test_config_takes_a_real_databricks_principal_or_none():
    with pytest.raises(ConfigError, match=r"blueprint:azure\.databricksPrincipalId"):
        _config("azure-prod", azure={"location": "eastus", "databricksPrincipalId": "not-a-guid"})
    real = "9b1c2a7e-53d4-4f0e-9a61-2c8d7e4b5f30"
    assert _config("azure-prod", azure={"location": "eastus", "databricksPrincipalId": real}) \
        .azure.databricks_principal_id == real
    assert _config("azure-prod", azure={"location": "eastus"}).azure.databricks_principal_id is None  # looked up


def test_production_choices_send_diagnostics_and_refuse_without():
    production = choices_for(_config("azure-prod"))
    assert production.diagnostics and not choices_for(_config("azure")).diagnostics
    with pytest.raises(ValueError, match="diagnostics=False"):
        dataclasses.replace(production, diagnostics=False).check(production=True)
