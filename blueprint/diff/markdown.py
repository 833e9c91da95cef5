"""The diff as Markdown for a pull-request comment, kept under GitHub's comment limit.

GitHub refuses a comment body over 65,536 characters. The summary, the
data-loss warnings, the policy and cost lines are always kept; the picture,
the per-resource changes and the exports follow while they fit, then a
line says what was cut and where the full diff is (the workflow's artifact).
"""

from __future__ import annotations

import json
from typing import Any

from blueprint.diff.comparison import SIGNS, InputChange, ResourceChange
from blueprint.diff.picture import mermaid
from blueprint.diff.report import Report
from blueprint.render import SECTION_ORDER

LIMIT = 60_000
"""Default cap: GitHub's 65,536 less room for the marker and the commenting job's own lines."""
VALUE_WIDTH = 80
INPUTS_PER_RESOURCE = 12


def _code(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    if len(text) > VALUE_WIDTH:
        text = text[:VALUE_WIDTH - 1] + "…"
    return "`" + text.replace("`", "'").replace("\n", " ") + "`"


def _value(report: Report, value: Any, path: str) -> str:
    return "*(none)*" if value is None else _code(report.mask.value(value, path))


def _input_line(report: Report, item: InputChange) -> str:
    note = " *(forces replacement)*" if item.replaces else ""
    return f"  - `{item.path}`: {_value(report, item.old, item.path)} → {_value(report, item.new, item.path)}{note}"


def _resource_lines(report: Report, change: ResourceChange) -> list[str]:
    r = change.resource
    lines = [f"- `{SIGNS[change.action]}` **{r.name}** `{r.type}` ({change.action}, zone {r.zone or '-'})"]
    if change.action in ("update", "replace"):
        lines += [_input_line(report, i) for i in change.inputs[:INPUTS_PER_RESOURCE]]
        if len(change.inputs) > INPUTS_PER_RESOURCE:
            lines.append(f"  - … {len(change.inputs) - INPUTS_PER_RESOURCE} more inputs in the full diff")
    return lines


def summary(report: Report) -> list[str]:
    c = report.comparison
    counts = c.counts()
    head = (f"### Plan diff `{report.project}/{report.stack}`: {counts['create']} to create, "
            f"{counts['update']} to update, {counts['replace']} to replace, {counts['delete']} to delete")
    lines = [head, "", f"{len(c.head.custom_resources)} resources after the change, {c.unchanged} unchanged.", ""]
    rows = report.by_stage_and_zone()
    if rows:
        lines += ["| stage | zone | create | update | replace | delete |", "|---|---|--:|--:|--:|--:|"]
        lines += [f"| {s} | {z} | " + " | ".join(str(n[a]) for a in SIGNS) + " |" for s, z, n in rows]
    else:
        lines.append("No resource changes.")
    return lines + [""]


def warning_lines(report: Report) -> list[str]:
    if not report.warnings:
        return ["**Data loss:** no stateful resource is removed, replaced or weakened.", ""]
    lines = [f"**⚠️ Data-loss warnings ({len(report.warnings)})**", ""]
    lines += [f"- **{w.kind}** `{w.resource}` (`{w.type}`, {w.stage}): {w.message}" for w in report.warnings]
    return lines + [""]


def policy_lines(report: Report) -> tuple[list[str], list[str]]:
    """(the always-kept summary line, the details)."""
    p = report.policy
    if p is None:
        return ["**Policy:** not run for this diff.", ""], []
    line = (f"**Policy:** {len(p.added)} violation(s) added ({len(p.blocking)} mandatory), {len(p.fixed)} fixed; "
            f"after the change: {p.head_mandatory} mandatory, {p.head_advisory} advisory.")
    details: list[str] = []
    for title, rows in (("Added", p.added), ("Fixed", p.fixed)):
        if rows:
            details += ["<details><summary>" + f"{title} violations ({len(rows)})</summary>", "",
                        "| rule | resource | stage | enforcement | message |", "|---|---|---|---|---|"]
            details += [f"| {v['rule']} | `{v['resource']}` | {v['stage']} | {v['enforcement']} | "
                        f"{report.mask.scrub(str(v['message'])).replace('|', '/')} |" for v in rows]
            details += ["", "</details>", ""]
    return [line, ""], details


def cost_lines(report: Report) -> list[str]:
    c = report.cost
    if c.unavailable:
        return [f"**Idle cost:** unavailable ({c.unavailable}).", ""]
    assert c.base is not None and c.head is not None and c.delta is not None
    return [f"**Idle cost:** ${c.base:.2f}/day → ${c.head:.2f}/day ({c.delta:+.2f} USD/day).", ""]


def by_stage(report: Report) -> list[ResourceChange]:
    order = {s: i for i, s in enumerate(SECTION_ORDER)}
    return sorted(report.comparison.changes, key=lambda c: (order.get(c.resource.stage, len(order)),
                                                          c.resource.stage, c.resource.zone, c.resource.name))


def export_lines(report: Report) -> list[str]:
    exports = report.comparison.exports
    if not exports:
        return []
    lines = [f"<details><summary>Exports changed ({len(exports)})</summary>", ""]
    lines += [f"- `{e.path}`: {_value(report, e.old, e.path)} → {_value(report, e.new, e.path)}" for e in exports]
    return lines + ["", "</details>", ""]


def markdown(report: Report, *, limit: int = LIMIT, artifact: str = "", marker: str = "") -> str:
    """The comment body; never longer than ``limit`` characters."""
    policy_head, policy_details = policy_lines(report)
    kept = ([marker] if marker else []) + summary(report) + warning_lines(report) + policy_head + cost_lines(report)
    pointer = (f"Full plans and diff: {artifact}." if artifact else
               "Full diff: `bp diff BASE.json HEAD.json --format json`.")
    cut_note = "_Cut to fit a comment: {what} left out._ " + pointer
    budget = limit - len(cut_note) - 200
    text = report.mask.scrub("\n".join(kept))
    if len(text) > budget:  # even the warnings overflow: keep as many as fit and count the rest
        text = text[:budget].rsplit("\n", 1)[0] + "\n\n… further warnings are in the full diff.\n"
    body: list[str] = []
    left_out: list[str] = []

    def add(block: list[str], name: str) -> bool:
        candidate = report.mask.scrub("\n".join(block))
        if len(text) + sum(len(b) + 1 for b in body) + len(candidate) + 1 <= budget:
            body.append(candidate)
            return True
        left_out.append(name)
        return False

    if report.comparison.changes:
        add(["```mermaid", mermaid(report).rstrip(), "```", ""], "the picture")
    if policy_details:
        add(policy_details, "the policy details")
    changes = by_stage(report)
    if changes:
        header = [f"<details><summary>Changes by resource ({len(changes)})</summary>", ""]
        rows: list[str] = []
        shown = 0
        for change in changes:
            block = _resource_lines(report, change)
            trial = header + rows + block + ["", "</details>", ""]
            if len(text) + sum(len(b) + 1 for b in body) + len("\n".join(trial)) + 1 > budget:
                break
            rows += block
            shown += 1
        if shown < len(changes):
            rows.append(f"- … {len(changes) - shown} more resources in the full diff")
            left_out.append(f"{len(changes) - shown} of {len(changes)} resources")
        body.append(report.mask.scrub("\n".join(header + rows + ["", "</details>", ""])))
    if report.comparison.exports:
        add(export_lines(report), "the exports")
    out = text + "\n" + "\n".join(body)
    out += ("\n" + cut_note.format(what=", ".join(left_out)) if left_out else "\n" + pointer) + "\n"
    return out[:limit]
