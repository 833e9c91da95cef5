"""``bp diff``: what a change adds, changes and removes, as Markdown for a pull-request comment."""

from __future__ import annotations

import json
from typing import Any

from blueprint.plan import Plan, PlannedResource


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat or {prefix: {}}
    return {prefix: value}


def changed_keys(before: PlannedResource, after: PlannedResource) -> list[str]:
    a, b = _flatten(before.inputs), _flatten(after.inputs)
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    if before.protect != after.protect:
        keys.append("(protect)")
    return keys


def markdown(base: Plan, head: Plan) -> str:
    old = {r.urn: r for r in base.custom_resources}
    new = {r.urn: r for r in head.custom_resources}
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = {u: changed_keys(old[u], new[u]) for u in sorted(old.keys() & new.keys())}
    changed = {u: k for u, k in changed.items() if k}
    lines = [f"### Plan diff for stack `{head.stack}`", "",
             f"**{len(added)} to add, {len(changed)} to change, {len(removed)} to remove** "
             f"({len(new)} resources after the change)", ""]

    def row(r: PlannedResource, sign: str, detail: str = "") -> str:
        return f"| {sign} | {r.stage} | `{r.type}` | `{r.name}` | {detail} |"

    if added or changed or removed:
        lines += ["| | stage | type | name | changed inputs |", "|---|---|---|---|---|"]
        lines += [row(new[u], "+") for u in added]
        lines += [row(new[u], "~", ", ".join(f"`{k}`" for k in keys[:8]) + (" ..." if len(keys) > 8 else ""))
                  for u, keys in changed.items()]
        lines += [row(old[u], "-") for u in removed]
        risky = [old[u] for u in removed if old[u].protect]
        if risky:
            lines += ["", f"**Warning:** {len(risky)} protected resource(s) would be removed: "
                      + ", ".join(f"`{r.name}`" for r in risky)]
    else:
        lines.append("No resource changes.")
    if base.exports != head.exports:
        lines += ["", "<details><summary>Exports changed</summary>", "", "```json",
                  json.dumps(head.exports, indent=2, sort_keys=True, default=str), "```", "</details>"]
    return "\n".join(lines) + "\n"
