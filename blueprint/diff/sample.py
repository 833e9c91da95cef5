"""The sample comment the README shows: a real diff between two configurations of the ``aws`` example.

The base keeps raw events longer and the stream 72 hours; the head is the
example stack as it is. Both sides are synthesized, checked by the policy
pack and compared exactly as the pull-request job does.
"""

from __future__ import annotations

from dataclasses import asdict

from blueprint.diff.markdown import markdown
from blueprint.diff.report import build_report
from blueprint.engine import read_stack_config, synthesize
from blueprint.plan import build_plan
from blueprint.policy_check import evaluate

STACK = "aws"
BASE_CHANGES = {
    "blueprint:stages": {"buffer": {"retentionHours": 72}, "store": {"rawExpirationDays": 90},
                         "connect": {"throttleRate": 50}},
}


def sample_comment() -> str:
    config = read_stack_config(STACK)
    sides = []
    for overrides in (BASE_CHANGES, {}):
        synthesis = synthesize(STACK, {**config, **overrides})
        profile = str(config.get("blueprint:profile", "learning"))
        sides.append((build_plan(synthesis), [asdict(v) for v in evaluate(synthesis, profile)]))
    (base, base_policy), (head, head_policy) = sides
    report = build_report(base, head, policy=(base_policy, head_policy))
    return markdown(report, artifact="the `pr-preview-aws` artifact of the check")


if __name__ == "__main__":
    print(sample_comment(), end="")
