"""The diff as plain text for a terminal or a log."""

from __future__ import annotations

import json
from typing import Any

from blueprint.diff.comparison import SIGNS
from blueprint.diff.markdown import by_stage, cost_lines
from blueprint.diff.report import Report


def _plain(report: Report, value: Any, path: str) -> str:
    return "(none)" if value is None else json.dumps(report.mask.value(value, path), sort_keys=True, default=str)


def text(report: Report) -> str:
    c = report.comparison
    n = c.counts()
    lines = [f"{report.project}/{report.stack}: {n['create']} to create, {n['update']} to update, "
             f"{n['replace']} to replace, {n['delete']} to delete ({c.unchanged} unchanged)"]
    for stage, zone, counts in report.by_stage_and_zone():
        lines.append(f"  {stage:<11} {zone:<11} " + "  ".join(f"{SIGNS[a]}{counts[a]}" for a in SIGNS))
    lines.append("")
    for w in report.warnings:
        lines.append(f"WARNING {w.kind}: {w.resource} ({w.type}, {w.stage}): {w.message}")
    if report.policy is not None:
        p = report.policy
        lines.append(f"policy: {len(p.added)} added ({len(p.blocking)} mandatory), {len(p.fixed)} fixed")
        lines += [f"  + {v['enforcement']} {v['rule']} {v['resource']}: {v['message']}" for v in p.added]
        lines += [f"  - fixed {v['rule']} {v['resource']}" for v in p.fixed]
    lines.append(cost_lines(report)[0].replace("**", ""))
    lines.append("")
    for change in by_stage(report):
        r = change.resource
        lines.append(f"{SIGNS[change.action]:>2} {r.stage}/{r.zone} {r.name} {r.type}")
        if change.action in ("update", "replace"):
            for i in change.inputs:
                mark = "  (forces replacement)" if i.replaces else ""
                lines.append(f"      {i.path}: {_plain(report, i.old, i.path)} -> {_plain(report, i.new, i.path)}{mark}")
    if c.exports:
        lines += ["", "exports changed:"]
        lines += [f"  {e.path}: {_plain(report, e.old, e.path)} -> {_plain(report, e.new, e.path)}" for e in c.exports]
    return report.mask.scrub("\n".join(lines)) + "\n"
