"""The whole program, for every example stack: stages, tags, names and lifecycle.

These properties hold on every cloud, so they are checked once here over all
``Pulumi.*.yaml`` stacks; a new example stack is covered automatically.
"""

from __future__ import annotations

import importlib
import inspect
from functools import lru_cache

import pytest

from blueprint.plan import build_plan
from components.config import STAGE_ORDER
from components.tags import required_keys
from tests.conftest import EXAMPLE_STACKS, synth

LEARNING = [s for s in EXAMPLE_STACKS if not s.endswith("-prod")]
PRODUCTION = [s for s in EXAMPLE_STACKS if s.endswith("-prod")]

# Resources that keep data or keys: production must protect each of them.
STATEFUL_TYPES = {
    "aws:s3/bucket:Bucket", "aws:kinesis/stream:Stream", "aws:kms/key:Key", "aws:glue/catalogDatabase:CatalogDatabase",
    "aws:athena/workgroup:Workgroup",
    "azure-native:resources:ResourceGroup", "azure-native:storage:StorageAccount", "azure-native:keyvault:Vault",
    "azure-native:eventhub:Namespace", "azure-native:eventhub:EventHub", "azure-native:databricks:Workspace",
    "gcp:storage/bucket:Bucket", "gcp:kms/cryptoKey:CryptoKey", "gcp:bigquery/dataset:Dataset",
    "gcp:pubsub/topic:Topic", "gcp:bigquery/table:Table",
}

_SDK = {"aws": "pulumi_aws", "azure-native": "pulumi_azure_native", "gcp": "pulumi_gcp"}


@lru_cache(maxsize=None)
def tag_argument(token: str) -> str | None:
    """``tags``/``labels`` if the SDK class for ``token`` accepts it (so the resource is taggable), else None."""
    package, module, kind = token.split(":")
    if package not in _SDK:
        return None
    # aws/gcp: "s3/bucket" -> pulumi_aws.s3; azure-native: "storage/v20230101" -> ...storage.v20230101
    submodule = module.replace("/", ".") if package == "azure-native" else module.split("/")[0]
    mod_path = f"{_SDK[package]}.{submodule}"
    cls = getattr(importlib.import_module(mod_path), kind)
    params = inspect.signature(cls._internal_init).parameters
    if package == "gcp" and "user_labels" in params:
        return "userLabels"  # monitoring notification channels: `labels` holds the channel's settings
    wanted = "labels" if package == "gcp" else "tags"
    return wanted if wanted in params else None


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_all_five_stages_are_built(stack):
    plan = build_plan(synth(stack))
    stages = {r.stage for r in plan.custom_resources}
    assert {s.value for s in STAGE_ORDER} <= stages
    assert set(plan.exports) >= {s.value for s in STAGE_ORDER} | {"budgets"}


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_every_taggable_resource_carries_the_common_tags(stack):
    s = synth(stack)
    profile = s.config["blueprint:profile"]
    expected = set(required_keys(profile))
    checked, missing = 0, []
    for r in s.custom():
        arg = tag_argument(r.type)
        if arg is None:
            continue
        checked += 1
        tags = r.inputs.get(arg) or {}
        if not expected <= set(tags):
            missing.append(f"{r.type} {r.name}: missing {sorted(expected - set(tags))}")
            continue
        assert tags["stack"] == stack and tags["managed-by"] == "blueprint"
        assert tags["profile"] == profile
        assert tags["owner"] == s.config["blueprint:owner"]
    assert not missing, "\n".join(missing)
    assert checked >= 10


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_stage_and_zone_tags_match_the_plan(stack):
    plan = build_plan(synth(stack))
    for r in plan.custom_resources:
        tags = r.inputs.get("tags") or r.inputs.get("labels")
        if isinstance(tags, dict) and "stage" in tags and r.stage != "platform":
            assert tags["stage"] == r.stage, f"{r.name} tagged {tags['stage']} but sits in {r.stage}"


@pytest.mark.parametrize("stack", LEARNING)
def test_learning_is_destroyable_in_one_go(stack):
    protected = [r.name for r in synth(stack).resources if r.protect or r.retain_on_delete]
    assert protected == []


@pytest.mark.parametrize("stack", PRODUCTION)
def test_production_protects_every_stateful_resource(stack):
    stateful = [r for r in synth(stack).custom() if r.type in STATEFUL_TYPES]
    assert stateful, "a production stack without stateful resources?"
    assert [r.name for r in stateful if not r.protect] == []


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_resource_names_are_unique_per_type(stack):
    seen: dict[tuple[str, str], int] = {}
    for r in synth(stack).resources:
        seen[(r.type, r.name)] = seen.get((r.type, r.name), 0) + 1
    assert [k for k, n in seen.items() if n > 1] == []


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_every_resource_has_an_explicit_provider(stack):
    s = synth(stack)
    providers = {r.urn for r in s.resources if r.type.startswith("pulumi:providers:")}
    for r in s.custom():
        if r.type == "pulumi-python:dynamic:Resource":
            # A dynamic resource's provider is the program's own code, run by the language host:
            # it has no cloud credentials or region to configure.
            continue
        assert r.provider.rsplit("::", 1)[0] in providers, f"{r.name} uses a default provider"
