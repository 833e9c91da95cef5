"""Renderings of an estimate: a terminal table, Markdown for pull requests, JSON for machines."""

from __future__ import annotations

import json

from blueprint.cost.estimate import OUT_OF_SCOPE, Estimate, Line


def _money(value: float) -> str:
    return f"${value:,.3f}" if value < 10 else f"${value:,.2f}"


def _rows(lines: list[Line]) -> list[tuple[str, str, str, str, str]]:
    return [(line.stage, line.resource, f"{line.item}: {line.what}", _money(line.per_day), _money(line.per_month))
            for line in sorted(lines, key=lambda l: (l.stage, l.resource, l.item))]


def _header(est: Estimate) -> str:
    where = ", ".join(f"{cloud} {region}" for cloud, region in sorted(est.regions.items())) or "no cloud"
    return f"Cost of stack {est.stack} ({where}), USD"


def _usage_title(est: Estimate) -> str:
    u = est.usage
    assert u is not None
    return (f"usage: {u.events_per_day:,} events/day of {u.event_kb:g} KB, {u.spark_minutes_per_day:g} Spark "
            f"min/day, {u.query_gb_per_day:g} GB scanned/day")


def markdown(est: Estimate) -> str:
    out = [f"### {_header(est)}", "", "| stage | resource | item | per day | per month |", "|---|---|---|---:|---:|"]
    out += [f"| {a} | `{b}` | {c} | {d} | {e} |" for a, b, c, d, e in _rows(est.idle)]
    out.append(f"| **idle** | | | **{_money(est.idle_per_day)}** | **{_money(est.idle_per_month)}** |")
    if est.usage is not None:
        out += ["", f"{_usage_title(est)}:", "", "| stage | resource | item | per day | per month |",
                "|---|---|---|---:|---:|"]
        out += [f"| {a} | `{b}` | {c} | {d} | {e} |" for a, b, c, d, e in _rows(est.used)]
        out.append(f"| **idle + usage** | | | **{_money(est.total_per_day)}** | "
                   f"**{_money(est.total_per_day * 730 / 24)}** |")
    if est.unpriced:
        out += ["", "No price entry (not included above):", ""]
        out += [f"- `{u.resource}` ({u.stage}): {u.item}, {u.what}, {u.cloud} {u.region}" for u in est.unpriced]
    out += ["", f"_{OUT_OF_SCOPE} Prices and sources: `blueprint/cost/prices.yaml`._", ""]
    return "\n".join(out)


def text(est: Estimate) -> str:
    rows = _rows(est.idle)
    used = _rows(est.used) if est.usage is not None else []
    headers = ("idle + usage", "resource", "item", "per day", "per month")  # the widest total label sets column 1
    widths = [max([len(r[i]) for r in rows + used] + [len(h)]) for i, h in enumerate(headers)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if i >= 3 else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [_header(est), "", "idle (billed while deployed, no data flowing):",
           line(("stage", "resource", "item", "per day", "per month"))]
    out += [line(r) for r in rows]
    out.append(line(("idle total", "", "", _money(est.idle_per_day), _money(est.idle_per_month))))
    if est.usage is not None:
        out += ["", _usage_title(est) + ":"]
        out += [line(r) for r in used]
        out.append(line(("usage total", "", "", _money(est.usage_per_day), _money(est.usage_per_day * 730 / 24))))
        out.append(line(("idle + usage", "", "", _money(est.total_per_day), _money(est.total_per_day * 730 / 24))))
    if est.unpriced:
        out += ["", "no price entry (not included above):"]
        out += [f"  {u.resource} ({u.stage}): {u.item}, {u.what}, {u.cloud} {u.region}" for u in est.unpriced]
    out += ["", OUT_OF_SCOPE, "Prices and sources: blueprint/cost/prices.yaml", ""]
    return "\n".join(out)


def as_json(est: Estimate) -> str:
    return json.dumps(est.to_json(), indent=2, sort_keys=True) + "\n"


FORMATS = {"text": text, "markdown": markdown, "json": as_json}
