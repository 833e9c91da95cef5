"""``bp diff``: adds, changes and removals between two plan files, as Markdown."""

from __future__ import annotations

from blueprint.diff import markdown
from blueprint.plan import Plan, PlannedResource


def res(name: str, stage: str = "store", protect: bool = False, **inputs) -> PlannedResource:
    return PlannedResource(urn=f"urn:x::{name}", type="aws:s3/bucket:Bucket", name=name, parent="", cloud="aws",
                           stage=stage, zone="data", custom=True, protect=protect, inputs=inputs)


def plan(*resources: PlannedResource) -> Plan:
    return Plan(stack="aws", project="blueprint", resources=list(resources), exports={})


def test_counts_and_rows_for_add_change_remove():
    base = plan(res("keep", forceDestroy=True), res("gone", protect=True), res("same"))
    head = plan(res("keep", forceDestroy=False), res("new", stage="buffer"), res("same"))
    text = markdown(base, head)
    assert "**1 to add, 1 to change, 1 to remove**" in text
    assert "| + | buffer | `aws:s3/bucket:Bucket` | `new` |" in text
    assert "| ~ | store | `aws:s3/bucket:Bucket` | `keep` | `forceDestroy` |" in text
    assert "| - | store | `aws:s3/bucket:Bucket` | `gone` |" in text
    assert "protected resource(s) would be removed: `gone`" in text


def test_nested_input_changes_are_named_by_path():
    base = plan(res("b", tags={"owner": "a", "stage": "store"}))
    head = plan(res("b", tags={"owner": "b", "stage": "store"}))
    assert "`tags.owner`" in markdown(base, head)


def test_no_changes():
    assert "No resource changes." in markdown(plan(res("a")), plan(res("a")))


def test_plan_round_trips_through_json(tmp_path):
    original = plan(res("a", tags={"k": "v"}))
    path = tmp_path / "p.json"
    original.write(path)
    again = Plan.read(path)
    assert again.resources == original.resources and again.stack == "aws"
