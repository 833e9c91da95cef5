"""The diff as JSON: every change with masked old and new values, for machines and the artifact."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from blueprint.diff.comparison import InputChange
from blueprint.diff.report import Report

DIFF_VERSION = 1


def _input(report: Report, item: InputChange) -> dict[str, Any]:
    return {"path": item.path, "old": report.mask.value(item.old, item.path),
            "new": report.mask.value(item.new, item.path), "replaces": item.replaces}


def document(report: Report) -> dict[str, Any]:
    c = report.comparison
    cost = report.cost
    policy = report.policy
    return {
        "version": DIFF_VERSION,
        "project": report.project,
        "stack": report.stack,
        "base_stack": c.base.stack,
        "counts": c.counts(),
        "unchanged": c.unchanged,
        "by_stage_and_zone": [{"stage": s, "zone": z, **n} for s, z, n in report.by_stage_and_zone()],
        "warnings": [asdict(w) for w in report.warnings],
        "policy": None if policy is None else {
            "added": policy.added, "fixed": policy.fixed, "blocking": len(policy.blocking),
            "head_mandatory": policy.head_mandatory, "head_advisory": policy.head_advisory},
        "idle_cost_per_day": {"base": cost.base, "head": cost.head, "delta": cost.delta,
                              "unavailable": cost.unavailable or None},
        "changes": [{
            "action": ch.action, "urn": ch.resource.urn, "name": ch.resource.name, "type": ch.resource.type,
            "stage": ch.resource.stage, "zone": ch.resource.zone,
            "inputs": [_input(report, i) for i in ch.inputs] if ch.action != "create" else [],
        } for ch in c.changes],
        "exports": [_input(report, e) for e in c.exports],
    }
