"""Ways to show a plan: a terminal tree by stage and zone, and a Mermaid architecture diagram."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.tree import Tree

from blueprint.plan import FOUNDATION, Plan, PlannedResource
from components.config import STAGE_ORDER
from components.zones import INTERNET, REACHABILITY, Zone

SECTION_ORDER = [FOUNDATION] + [s.value for s in STAGE_ORDER]

# Supporting resources left out of the diagram's service list (they are in the tree).
_SUPPORTING = ("Policy", "Attachment", "Iam", "IAM", "Rule", "Assignment", "Association", "Block", "Controls",
               "Configuration", "Versioning", "Logging", "Member", "Binding", "Alias", "Route",
               "Settings", "Method", "Integration", "Resource", "Deployment", "Response", "Link", "Record")


def _kind(token: str) -> str:
    return token.split(":")[-1]


def _service(token: str) -> str:
    """``aws:kinesis/stream:Stream`` -> ``kinesis Stream``."""
    module = token.split(":")[1].split("/")[0]
    return f"{module} {_kind(token)}"


def tree(plan: Plan) -> Tree:
    root = Tree(f"[bold]{plan.project}[/] stack [bold cyan]{plan.stack}[/]")
    grouped: dict[str, dict[str, list[PlannedResource]]] = defaultdict(lambda: defaultdict(list))
    for r in plan.custom_resources:
        grouped[r.stage][r.zone or "-"].append(r)
    for section in SECTION_ORDER + sorted(set(grouped) - set(SECTION_ORDER)):
        if section not in grouped:
            continue
        zones = grouped[section]
        clouds = sorted({r.cloud for rs in zones.values() for r in rs})
        count = sum(len(v) for v in zones.values())
        branch = root.add(f"[bold magenta]{section}[/] ({', '.join(clouds)}; {count} resources)")
        for zone in sorted(zones):
            zone_branch = branch.add(f"[green]zone {zone}[/]")
            for r in sorted(zones[zone], key=lambda x: (x.type, x.name)):
                lock = " [yellow](protected)[/]" if r.protect else ""
                zone_branch.add(f"{_kind(r.type)} [dim]{r.name}[/] [blue]{r.type}[/]{lock}")
    return root


def counts_table(plan: Plan) -> Table:
    counts = plan.counts()
    table = Table(title="Counts", show_header=True)
    table.add_column("stage")
    table.add_column("resources", justify="right")
    by_stage = counts["by_stage"]
    for stage in sorted(by_stage, key=lambda x: (SECTION_ORDER + [x]).index(x)):
        table.add_row(stage, str(by_stage[stage]))
    table.add_row("[bold]total[/]", f"[bold]{counts['resources']}[/]")
    table.add_row("[dim]components[/]", f"[dim]{counts['components']}[/]")
    table.add_row("[dim]protected[/]", f"[dim]{counts['protected']}[/]")
    table.caption = ("clouds: " + ", ".join(f"{c} {n}" for c, n in counts["by_cloud"].items()))
    return table


def exports_table(plan: Plan) -> Table:
    table = Table(title="Exports", show_header=True)
    table.add_column("output")
    table.add_column("value", overflow="fold")
    for key, value in sorted(plan.exports.items()):
        if isinstance(value, dict):
            for sub, item in sorted(value.items()):
                table.add_row(f"{key}.{sub}", _show(item))
        else:
            table.add_row(key, _show(value))
    return table


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return "" if value is None else str(value)


def text_report(plan: Plan) -> Group:
    return Group(tree(plan), exports_table(plan), counts_table(plan))


def mermaid(plan: Plan) -> str:
    """A Mermaid flowchart: zones as subgraphs, stages as nodes, the data flow and the zone matrix as edges."""
    by_stage: dict[str, list[PlannedResource]] = defaultdict(list)
    for r in plan.custom_resources:
        by_stage[r.stage].append(r)
    stage_zone: dict[str, str] = {}
    for r in plan.resources:
        if r.type.startswith("blueprint:stage:"):
            stage_zone[r.stage] = r.zone
    lines = ["flowchart LR", f"  {INTERNET}((internet))"]
    for zone in Zone:
        members = [s.value for s in STAGE_ORDER if stage_zone.get(s.value) == zone.value]
        lines.append(f'  subgraph zone_{zone.value}["{zone.value} zone"]')
        if not members:
            lines.append(f'    zone_{zone.value}_empty[" "]')
        for stage in members:
            resources = by_stage.get(stage, [])
            clouds = ", ".join(sorted({r.cloud for r in resources}))
            kinds = sorted({_service(r.type) for r in resources if not any(s in _kind(r.type) for s in _SUPPORTING)})
            label = f"<b>{stage.capitalize()}</b> ({clouds})<br/>" + "<br/>".join(kinds[:8])
            lines.append(f'    {stage}["{label}"]')
        lines.append("  end")
    flow = [s.value for s in STAGE_ORDER if s.value in stage_zone]
    lines.append(f"  {INTERNET} -->|HTTPS, authenticated| {flow[0]}" if flow else "")
    for a, b in zip(flow, flow[1:]):
        lines.append(f"  {a} ==> {b}")
    for src, dst in sorted(REACHABILITY):
        if src == INTERNET or src == dst:
            continue
        lines.append(f"  zone_{src} -.->|may connect| zone_{dst}")
    return "\n".join(line for line in lines if line) + "\n"
