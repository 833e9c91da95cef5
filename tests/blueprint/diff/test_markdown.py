"""The comment: summary first, old -> new values, changed exports only, a picture, and the size cap."""

from __future__ import annotations

import pytest

from blueprint.diff import build_report, markdown
from blueprint.diff.plan_file import empty_like
from tests.blueprint.diff.conftest import plant, without

GITHUB_LIMIT = 65_536


def test_summary_before_details_with_counts_by_stage_and_zone(example_plan):
    head = plant(example_plan("aws"), "platform-buffer-stream", "tags.owner", "platform-team")
    head = without(head, "platform-store-curated")
    out = markdown(build_report(example_plan("aws"), head, estimator="off"))
    assert out.startswith("### Plan diff `blueprint/aws`: 0 to create, 1 to update, 0 to replace, 1 to delete\n")
    assert "| buffer | data | 0 | 1 | 0 | 0 |" in out
    assert "| store | data | 0 | 0 | 0 | 1 |" in out
    assert out.index("| buffer | data |") < out.index("Data-loss warnings") < out.index("<details>")


def test_changed_inputs_show_old_and_new_values(example_plan):
    head = plant(example_plan("aws"), "platform-buffer-stream", "tags.owner", "platform-team")
    head = plant(head, "platform-store-curated", "bucket", "blueprint-aws-store-curated-new")
    before = next(r for r in example_plan("aws").resources if r.name == "platform-store-curated").inputs["bucket"]
    out = markdown(build_report(example_plan("aws"), head, estimator="off"))
    assert "  - `tags.owner`: `data-team` → `platform-team`" in out
    assert (f"  - `bucket`: `{before}` → `blueprint-aws-store-curated-new` "
            "*(forces replacement)*") in out


def test_a_policy_document_change_shows_the_statement_that_changed(example_plan):
    base = example_plan("aws")
    key = next(r for r in base.resources if r.name == "platform-aws-key-cmk")
    head = example_plan("aws")
    new_key = next(r for r in head.resources if r.name == "platform-aws-key-cmk")
    new_key.inputs["policy"] = key.inputs["policy"].replace('"Effect": "Allow"', '"Effect": "Deny"', 1)
    out = markdown(build_report(base, head, estimator="off"))
    assert "  - `policy.Statement[0].Effect`: `Allow` → `Deny`" in out


def test_only_changed_exports_are_listed(example_plan):
    head = example_plan("aws")
    head.exports["profile"] = "production"
    out = markdown(build_report(example_plan("aws"), head, estimator="off"))
    assert "<summary>Exports changed (1)</summary>" in out
    assert "- `profile`: `learning` → `production`" in out
    assert "`expires_at`" not in out


def test_the_picture_marks_changed_and_endangered_stages(example_plan):
    head = plant(example_plan("aws"), "platform-buffer-stream", "tags.owner", "platform-team")
    head = without(head, "platform-store-curated")
    out = markdown(build_report(example_plan("aws"), head, estimator="off"))
    assert '  buffer["buffer<br/>~1"]' in out
    assert "  class buffer changed" in out
    assert "  class store danger" in out
    assert "  class processing" not in out


@pytest.mark.parametrize("stack", ["aws", "aws-prod", "azure", "azure-prod", "gcp", "gcp-prod"])
def test_a_whole_stack_created_from_nothing_fits_a_comment(example_plan, stack):
    head = example_plan(stack)
    out = markdown(build_report(empty_like(head), head, estimator="off"))
    assert len(out) < GITHUB_LIMIT
    assert f"{len(head.custom_resources)} to create" in out


def test_the_cap_keeps_summary_and_warnings_and_points_to_the_artifact(example_plan):
    base = example_plan("gcp")
    head = empty_like(base)  # everything deleted: a warning per stateful resource
    report = build_report(base, head, estimator="off")
    full = markdown(report, artifact="the pr-preview-gcp artifact")
    capped = markdown(report, limit=4000, artifact="the pr-preview-gcp artifact")
    assert len(full) > 4000 >= len(capped)
    assert capped.startswith("### Plan diff `blueprint/gcp`: 0 to create, 0 to update, 0 to replace,")
    for w in report.warnings:
        assert f"**{w.kind}** `{w.resource}`" in capped
    assert "_Cut to fit a comment:" in capped
    assert capped.rstrip().endswith("Full plans and diff: the pr-preview-gcp artifact.")


def test_a_tiny_cap_still_holds(example_plan):
    base = example_plan("aws")
    report = build_report(base, empty_like(base), estimator="off")
    assert len(markdown(report, limit=1000)) <= 1000


def test_two_different_stacks_compared_on_purpose(example_plan):
    out = markdown(build_report(example_plan("aws"), example_plan("gcp"), estimator="off", other_stack=True))
    assert len(out) < GITHUB_LIMIT
    assert "Data-loss warnings" in out


def test_a_diff_changing_every_resource_is_cut_below_the_default_cap(example_plan):
    head = example_plan("aws")
    for r in head.custom_resources:
        for i in range(12):
            r.inputs.setdefault("tags", {})[f"note{i}"] = "x" * 120
    report = build_report(example_plan("aws"), head, estimator="off")
    out = markdown(report)
    assert 59_000 < len(out) <= 60_000
    assert "_Cut to fit a comment:" in out and "more resources in the full diff" in out
    assert out.startswith(f"### Plan diff `blueprint/aws`: 0 to create, {len(head.custom_resources)} to update")
