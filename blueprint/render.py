"""Ways to show a plan: a terminal tree by stage and zone, and a Mermaid architecture diagram."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

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


# Inputs that carry a resource's physical name, most specific first (the
# offline engine has no provider to auto-name, so a name shows only where the
# program sets one).
_PHYSICAL_NAME_KEYS = ("bucket", "name", "accountName", "namespaceName", "eventHubName", "workspaceName",
                       "containerName", "datasetId", "tableId", "accountId", "roleId", "workGroup",
                       "restApiName", "streamName")


def physical_name(resource: PlannedResource) -> str:
    """The name the cloud will know the resource by, when the program sets one."""
    kind = resource.type.rsplit(":", 1)[-1]
    # azure-native names a resource in an input named after its kind (Subnet: subnetName).
    for key in (f"{kind[:1].lower()}{kind[1:]}Name", *_PHYSICAL_NAME_KEYS):
        value = resource.inputs.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def tree_lines(plan: Plan) -> list[Text]:
    """The resources by stage and zone, one row each, like ``pulumi preview``: action, type, name, physical name.

    Rows never wrap: a type token or an Azure id broken across lines cannot be
    copied, so long rows run past the terminal's edge instead.
    """
    grouped: dict[str, dict[str, list[PlannedResource]]] = defaultdict(lambda: defaultdict(list))
    for r in plan.custom_resources:
        grouped[r.stage][r.zone or "-"].append(r)
    type_width = max((len(r.type) for r in plan.custom_resources), default=4)
    name_width = max((len(r.name) for r in plan.custom_resources), default=4)
    lines = [Text.from_markup(f"[bold]Previewing[/] {plan.project} stack [bold cyan]{plan.stack}[/] "
                              "[dim](offline: the program under the mock runtime; nothing is deployed)[/]"),
             Text(""),
             Text(f"    {'Type':<{type_width + 6}} {'Name':<{name_width}}  Physical name", style="bold")]
    sections = SECTION_ORDER + sorted(set(grouped) - set(SECTION_ORDER))
    for section in (s for s in sections if s in grouped):
        zones = grouped[section]
        clouds = ", ".join(sorted({r.cloud for rs in zones.values() for r in rs}))
        count = sum(len(v) for v in zones.values())
        lines.append(Text.from_markup(f"    [bold magenta]{section}[/] [dim]({clouds}; {count} resources)[/]"))
        for z, zone in enumerate(sorted(zones)):
            last_zone = z == len(zones) - 1
            lines.append(Text.from_markup(f"    {'└─' if last_zone else '├─'} [green]zone {zone}[/]"))
            rows = sorted(zones[zone], key=lambda x: (x.type, x.name))
            for i, r in enumerate(rows):
                branch = ("   " if last_zone else "│  ") + ("└─ " if i == len(rows) - 1 else "├─ ")
                lock = " [yellow](protected)[/]" if r.protect else ""
                lines.append(Text.from_markup(
                    f"[green]+[/]   {branch}[blue]{r.type:<{type_width}}[/] {r.name:<{name_width}}  "
                    f"[dim]{physical_name(r)}[/]{lock}"))
    return lines


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


def export_lines(plan: Plan) -> list[Text]:
    """``key: value`` per export, unwrapped, so ids and URIs stay whole."""
    lines = [Text("Outputs:", style="bold")]
    for key, value in sorted(plan.exports.items()):
        items = sorted(value.items()) if isinstance(value, dict) else [(None, value)]
        for sub, item in items:
            label = f"{key}.{sub}" if sub is not None else key
            lines.append(Text(f"    {label}: {_show(item)}"))
    return lines


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return "null" if value is None else str(value)


def summary_line(plan: Plan) -> Text:
    """The line ``pulumi preview`` ends with: what would happen to how many resources."""
    counts = plan.counts()
    protected = f", {counts['protected']} protected" if counts["protected"] else ""
    return Text.from_markup(f"[bold]Resources:[/] [green]+ {counts['resources']} to create[/]{protected} "
                            f"[dim]({counts['components']} components; clouds: "
                            + ", ".join(f"{c} {n}" for c, n in counts["by_cloud"].items()) + ")[/]")


def text_report(plan: Plan) -> Group:
    """Print with ``soft_wrap=True``: rows run past a narrow terminal's edge rather than break."""
    return Group(*tree_lines(plan), Text(""), *export_lines(plan), Text(""), counts_table(plan), Text(""),
                 summary_line(plan))


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
    crossing = {key.split("-to-")[0].split("-")[0]: edge for key, edge in (plan.exports.get("edges") or {}).items()}
    for a, b in zip(flow, flow[1:]):
        # A cross-cloud edge is labelled with its connector, so the picture shows where data leaves a cloud.
        lines.append(f"  {a} ==>|cross-cloud: {crossing[a]['connector']}| {b}" if a in crossing else f"  {a} ==> {b}")
    for src, dst in sorted(REACHABILITY):
        if src == INTERNET or src == dst:
            continue
        lines.append(f"  zone_{src} -.->|may connect| zone_{dst}")
    return "\n".join(line for line in lines if line) + "\n"
