"""The lifecycle check on real synthesized stacks, with versions planted in the recorded inputs.

Dates are literals read from the clouds' pages (see ``blueprint/rules/releases.py``), never the
table's own values: a wrong date in the table must fail a test here.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from blueprint.cli import main
from blueprint.engine import Synthesis
from blueprint.rules import Context, Severity, check
from blueprint.rules.lifecycle import lifecycle
from tests.conftest import EXAMPLE_STACKS

POOL = "azure-native:synapse:BigDataPool"
TEMPLATE = "gcp:dataproc/sessionTemplate:SessionTemplate"
EMR_APP = "aws:emrserverless/application:Application"


def planted(synthesis: Synthesis, token: str, path: str, value: str, *, as_type: str | None = None) -> Synthesis:
    """A copy of ``synthesis`` whose resources of type ``token`` have ``value`` at ``path``."""
    planted = copy.deepcopy(synthesis)
    hits = 0
    for resource in planted.resources:
        if resource.type == token:
            node = resource.inputs
            *parents, leaf = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
            resource.type = as_type or resource.type
            hits += 1
    assert hits == 1, f"expected one {token} in stack {synthesis.stack}, found {hits}"
    return planted


def findings(synthesis: Synthesis, today: str):
    return list(lifecycle(synthesis, Context(today=dt.date.fromisoformat(today))))


@pytest.fixture(scope="module")
def azure_34(synthesized):
    return planted(synthesized("azure"), POOL, "sparkVersion", "3.4")


@pytest.mark.parametrize("today, severity", [
    ("2025-12-30", None),               # 91 days before 2026-03-31
    ("2025-12-31", Severity.WARNING),   # 90 days before
    ("2026-01-01", Severity.WARNING),   # 89 days before
    ("2026-03-31", Severity.WARNING),   # the last supported day
    ("2026-04-01", Severity.ERROR),     # the day after
])
def test_synapse_spark_34_boundaries(azure_34, today, severity):
    found = findings(azure_34, today)
    if severity is None:
        assert found == []
    else:
        assert [f.severity for f in found] == [severity]
        assert "2026-03-31" in found[0].rule


def test_synapse_spark_34_refusal_names_resource_input_value_and_rule(azure_34):
    [finding] = findings(azure_34, "2026-04-01")
    message = finding.message()
    assert "BigDataPool platform-processing-spark" in message
    assert "sparkVersion = '3.4'" in message
    assert "reached end of support on 2026-03-31" in message
    assert "use 3.5" in message
    assert "learn.microsoft.com" in finding.source


def test_synapse_spark_35_is_supported_until_october_2028(synthesized):
    stack = planted(synthesized("azure"), POOL, "sparkVersion", "3.5")
    assert findings(stack, "2028-08-01") == []
    assert [f.severity for f in findings(stack, "2028-10-31")] == [Severity.WARNING]
    assert [f.severity for f in findings(stack, "2028-11-01")] == [Severity.ERROR]


def test_unknown_synapse_version_is_refused(synthesized):
    stack = planted(synthesized("azure"), POOL, "sparkVersion", "3.6")
    [finding] = findings(stack, "2026-11-30")
    assert finding.severity is Severity.ERROR
    assert "not a known Synapse Spark runtime" in finding.rule
    assert "3.5" in finding.rule  # what is supported that day


def test_versioned_azure_native_token_is_judged_too(synthesized):
    """A pinned API version is refused unless listed, and the pool behind it is still checked."""
    stack = planted(synthesized("azure"), POOL, "sparkVersion", "3.4",
                    as_type="azure-native:synapse/v20210601:BigDataPool")
    found = findings(stack, "2026-04-01")
    assert sorted(f.input for f in found) == ["(type)", "sparkVersion"]
    api = next(f for f in found if f.input == "(type)")
    assert "synapse/v20210601" in api.rule and api.severity is Severity.ERROR


@pytest.mark.parametrize("today, severity", [
    ("2026-07-01", None),               # 91 days before 2026-09-30
    ("2026-07-02", Severity.WARNING),   # 90 days before
    ("2026-09-30", Severity.WARNING),
    ("2026-10-01", Severity.ERROR),
])
def test_dataproc_serverless_22_boundaries(synthesized, today, severity):
    stack = planted(synthesized("gcp"), TEMPLATE, "runtimeConfig.version", "2.2")
    found = findings(stack, today)
    assert [f.severity for f in found] == ([severity] if severity else [])
    if severity is Severity.ERROR:
        message = found[0].message()
        assert "SessionTemplate platform-processing-session-template" in message
        assert "runtimeConfig.version = '2.2'" in message
        assert "end of support on 2026-09-30" in message


def test_dataproc_serverless_subminor_pin_is_unknown(synthesized):
    """Dataproc Serverless does not support pinning 2.2.30; it is not a release the table knows."""
    stack = planted(synthesized("gcp"), TEMPLATE, "runtimeConfig.version", "2.2.30")
    [finding] = findings(stack, "2026-06-01")
    assert finding.severity is Severity.ERROR and "not a known Dataproc Serverless runtime" in finding.rule


@pytest.mark.parametrize("label, today, severity", [
    ("emr-7.5.0", "2026-11-20", Severity.WARNING),   # standard support until November 20, 2026
    ("emr-7.5.0", "2026-11-21", Severity.ERROR),
    ("emr-7.9.0", "2027-02-17", None),               # 91 days before May 19, 2027
    ("emr-7.9.0", "2027-02-18", Severity.WARNING),
    ("emr-6.15.0", "2026-01-01", Severity.ERROR),    # not in the table
])
def test_emr_release_labels(synthesized, label, today, severity):
    stack = planted(synthesized("aws"), EMR_APP, "releaseLabel", label)
    found = findings(stack, today)
    assert [f.severity for f in found] == ([severity] if severity else [])
    if found:
        assert found[0].input == "releaseLabel" and found[0].value == label


@pytest.mark.parametrize("version", ["2.2", "2.2-debian12", "2.2.45-debian12"])
def test_dataproc_image_lines_share_one_date(version):
    from blueprint.rules.lifecycle import judge
    from blueprint.rules.releases import DATAPROC_IMAGE

    assert judge(DATAPROC_IMAGE, version, Context(today=dt.date(2026, 12, 30))) is None
    assert judge(DATAPROC_IMAGE, version, Context(today=dt.date(2027, 3, 31)))[0] is Severity.WARNING
    assert judge(DATAPROC_IMAGE, version, Context(today=dt.date(2027, 4, 1)))[0] is Severity.ERROR


@pytest.mark.parametrize("stack, token, path, value", [
    ("gcp", "gcp:dataproc/cluster:Cluster", "clusterConfig.softwareConfig.imageVersion", "2.1-debian11"),
    ("aws", "aws:emr/cluster:Cluster", "releaseLabel", "emr-7.4.0"),
])
def test_cluster_engines_are_judged_too(stack, token, path, value):
    """The cluster engines pin their own versions; plant a retired one in each (2.1: 2026-03-31,
    emr-7.4.0: 2026-11-12) and judge it the day after the later date."""
    from blueprint.engine import synthesize
    from tests.conftest import stack_config

    config = stack_config(stack, stages={"processing": {"engine": "cluster", "acceptIdleCost": True}})
    found = findings(planted(synthesize(stack, config), token, path, value), "2026-11-13")
    assert [(f.input, f.value, f.severity) for f in found] == [(path, value, Severity.ERROR)]
    assert "platform-processing-cluster" in found[0].message()


def test_lifecycle_runs_with_every_preview_check(azure_34):
    report = check(azure_34, Context(today=dt.date(2026, 4, 1)))
    assert any(f.input == "sparkVersion" and f.severity is Severity.ERROR for f in report.errors)


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_example_stacks_pin_supported_versions_today(synthesized, stack):
    """Deployable today: this fails as soon as a pinned runtime passes its end of support."""
    errors = [f.message() for f in lifecycle(synthesized(stack), Context()) if f.severity is Severity.ERROR]
    assert errors == []


# -- bp preview: the exit code a user sees ----------------------------------------------------------


@pytest.mark.parametrize("module, constant, value, stack", [
    ("infra.azure.processing", "SPARK_VERSION", "3.4", "azure"),
    ("infra.gcp.engine", "RUNTIME_VERSION", "2.2", "gcp"),
])
def test_preview_refuses_a_retired_runtime(monkeypatch, capsys, module, constant, value, stack):
    """Any day from now on is past both dates (2026-03-31, 2026-09-30), so the real clock is enough."""
    monkeypatch.setattr(f"{module}.{constant}", value)
    assert main(["preview", stack]) != 0
    out = capsys.readouterr()
    said = " ".join((out.out + out.err).split())  # a report may wrap long lines
    assert f"= '{value}'" in said
    assert "end of support" in said
