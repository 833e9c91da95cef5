"""The policy delta (violations added and fixed) and the idle-cost delta (from an injected estimator)."""

from __future__ import annotations

from blueprint.diff import build_report, markdown
from blueprint.diff.cost_delta import cost_delta, default_estimator
from blueprint.diff.plan_file import empty_like
from tests.blueprint.diff.conftest import without


def violation(rule, resource, enforcement="advisory", message="m"):
    return {"rule": rule, "ref": "X-01", "urn": f"urn:{resource}", "resource": resource, "type": "t",
            "stage": "store", "severity": "high", "enforcement": enforcement, "message": message, "fix": "f"}


def test_violations_added_and_fixed(example_plan):
    base = [violation("bucket-encrypted", "lake"), violation("tags-required", "stream")]
    head = [violation("tags-required", "stream"), violation("no-public-bucket", "lake", "mandatory", "public|read")]
    report = build_report(example_plan("aws"), example_plan("aws"), policy=(base, head), estimator="off")
    assert [v["rule"] for v in report.policy.added] == ["no-public-bucket"]
    assert [v["rule"] for v in report.policy.fixed] == ["bucket-encrypted"]
    out = markdown(report)
    assert ("**Policy:** 1 violation(s) added (1 mandatory), 1 fixed; after the change: 1 mandatory, 1 advisory."
            in out)
    assert "| no-public-bucket | `lake` | store | mandatory | public/read |" in out
    assert "| bucket-encrypted | `lake` | store | advisory | m |" in out


def test_the_same_rule_on_another_resource_is_a_new_violation(example_plan):
    report = build_report(example_plan("aws"), example_plan("aws"), estimator="off",
                          policy=([violation("r", "a")], [violation("r", "a"), violation("r", "b")]))
    assert [v["resource"] for v in report.policy.added] == ["b"] and report.policy.fixed == []


def stream_estimator(plan):
    """A test estimator: 0.50 a day for the stack, 0.96 a day per Kinesis stream."""
    return 0.5 + 0.96 * sum(r.type == "aws:kinesis/stream:Stream" for r in plan.custom_resources)


def test_idle_cost_delta_from_the_given_estimator(example_plan):
    base = without(example_plan("aws"), "platform-buffer-stream")
    out = markdown(build_report(base, example_plan("aws"), estimator=stream_estimator))
    assert "**Idle cost:** $0.50/day → $1.46/day (+0.96 USD/day)." in out


def test_a_new_stack_costs_nothing_before(example_plan):
    head = example_plan("aws")
    delta = cost_delta(empty_like(head), head, stream_estimator)
    assert (delta.base, delta.head) == (0.0, 1.46)


def test_a_failing_estimator_is_said_and_the_rest_of_the_diff_stays(example_plan):
    def broken(plan):
        raise KeyError("aws:kinesis/stream:Stream")

    assert cost_delta(example_plan("aws"), example_plan("aws"), broken).unavailable == (
        "the cost estimator failed: KeyError: 'aws:kinesis/stream:Stream'")
    out = markdown(build_report(example_plan("aws"), example_plan("aws"), estimator=broken))
    assert "**Idle cost:** unavailable (the cost estimator failed: KeyError: 'aws:kinesis/stream:Stream')." in out


def test_the_default_estimator_prices_the_example_from_the_price_table(example_plan):
    # The aws example idles on list prices (README cost table); nothing priced would give 0.
    assert 0.3 < default_estimator(example_plan("aws")) < 1.0
