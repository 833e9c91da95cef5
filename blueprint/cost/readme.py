"""Cost figures in the README and the cloud pages, generated from the estimator.

Each generated block sits between ``<!-- cost:NAME -->`` and
``<!-- /cost:NAME -->``. ``python -m blueprint.cost.readme`` rewrites every
block in place; ``--check`` exits non-zero when a file disagrees with the
estimator (``tests/blueprint/cost/test_readme.py`` runs the check).
"""

from __future__ import annotations

import io
import re
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Callable

from blueprint.cost.estimate import Estimate, Line, estimate
from blueprint.cost.table import HOURS_PER_MONTH, table
from blueprint.engine import ROOT, synthesize
from blueprint.plan import build_plan

STACKS = {"aws": ("aws", "aws-prod"), "azure": ("azure", "azure-prod"), "gcp": ("gcp", "gcp-prod")}
COMMANDS = {"bp-cost-aws": ["cost", "aws"], "bp-cost-aws-1m": ["cost", "aws", "--events-per-day", "1000000"]}
_BLOCK = re.compile(r"(<!-- cost:(?P<name>[\w.-]+) -->\n)(?P<body>.*?)(<!-- /cost:(?P=name) -->)", re.S)


class Figures:
    """Estimates of the example stacks, computed once per run."""

    def __init__(self) -> None:
        self._cache: dict[str, Estimate] = {}

    def __call__(self, stack: str) -> Estimate:
        if stack not in self._cache:
            self._cache[stack] = estimate(build_plan(synthesize(stack)))
        return self._cache[stack]


def _money(value: float) -> str:
    return f"${value:.3f}" if value < 1 else f"${value:.2f}"


def _parts(est: Estimate) -> str:
    grouped: dict[str, list[Line]] = {}
    for line in est.idle:
        grouped.setdefault(line.item, []).append(line)
    parts = sorted(grouped.items(), key=lambda kv: -sum(line.per_day for line in kv[1]))
    text = [f"{item}{f' × {len(found)}' if len(found) > 1 else ''} ({', '.join(sorted({l.what for l in found}))}) "
            f"{_money(sum(line.per_day for line in found))}" for item, found in parts]
    missing: dict[str, int] = {}
    for u in est.unpriced:
        missing[u.item] = missing.get(u.item, 0) + 1
    text += [f"no price entry: {item}{f' × {n}' if n > 1 else ''}" for item, n in sorted(missing.items())]
    return "; ".join(text) or "nothing bills while idle"


def idle_summary(figures: Figures) -> str:
    rows = ["| cloud | learning idle | what makes it up | production idle | what makes it up |",
            "|---|---|---|---|---|"]
    for cloud, (learning, production) in STACKS.items():
        low, high = figures(learning), figures(production)
        rows.append(f"| {cloud} | **{_money(low.idle_per_day)}/day** ({_money(low.idle_per_month)}/month) | "
                    f"{_parts(low)} | {_money(high.idle_per_day)}/day ({_money(high.idle_per_month)}/month) | "
                    f"{_parts(high)} |")
    return "\n".join(rows) + "\n"


def idle_items(est: Estimate) -> str:
    rows = ["| stage | resource | item | unit price | per day |", "|---|---|---|---|---:|"]
    for line in sorted(est.idle, key=lambda l: (l.stage, l.resource, l.item)):
        rows.append(f"| {line.stage} | `{line.resource}` | {line.item}: {line.what} | ${line.unit_usd:g} per "
                    f"{line.unit} | {_money(line.per_day)} |")
    rows.append(f"| **total** | | | | **{_money(est.idle_per_day)}** ({_money(est.idle_per_month)}/month) |")
    for u in est.unpriced:
        rows.append(f"| {u.stage} | `{u.resource}` | {u.item}: {u.what} | no price entry for {u.region} | "
                    "not counted |")
    return "\n".join(rows) + "\n"


def idle_prices(cloud: str) -> str:
    prices = table()
    rows = ["| item | unit | list price | per day for one unit | source (date, confidence) |", "|---|---|---|---:|---|"]
    for item, entry in sorted(prices.items[cloud].items()):
        if entry["per"] == "use":
            continue
        family = next(iter(prices.regions[cloud]))
        price = prices.price(cloud, item, prices.regions[cloud][family][0])
        usd = "no entry" if price is None else f"${price.usd:g}"
        day = "-" if price is None else _money(price.per_hour * 24)
        rows.append(f"| {item} | {entry['unit']} | {usd} ({family}) | {day} | {entry['source']} "
                    f"({entry['date']}, {entry['confidence']}) |")
    return "\n".join(rows) + "\n"


def command_output(argv: list[str]) -> str:
    from blueprint.cli import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        main(argv)
    return f"```\n$ ./bp {' '.join(argv)}\n{buffer.getvalue().rstrip()}\n```\n"


def blocks(figures: Figures) -> dict[str, Callable[[], str]]:
    out: dict[str, Callable[[], str]] = {"idle-summary": lambda: idle_summary(figures)}
    for name, argv in COMMANDS.items():
        out[name] = lambda argv=argv: command_output(argv)
    for cloud, stacks in STACKS.items():
        out[f"idle-prices-{cloud}"] = lambda cloud=cloud: idle_prices(cloud)
        for stack in stacks:
            out[f"idle-{stack}"] = lambda stack=stack: idle_items(figures(stack))
    return out


FILES = [ROOT / "README.md", *(ROOT / "docs" / "clouds" / f"{cloud}.md" for cloud in STACKS)]


def render(text: str, generators: dict[str, Callable[[], str]]) -> str:
    def replace(match: re.Match) -> str:
        name = match["name"]
        if name not in generators:
            raise KeyError(f"unknown generated block cost:{name}")
        return match[1] + generators[name]() + match[4]

    return _BLOCK.sub(replace, text)


def stale(files: list[Path] = FILES) -> list[Path]:
    """The files whose generated blocks differ from the estimator's figures."""
    generators = blocks(Figures())
    return [path for path in files if render(path.read_text(), generators) != path.read_text()]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = stale()
        for path in found:
            print(f"{path.relative_to(ROOT)}: cost figures differ from the estimator; "
                  "run python -m blueprint.cost.readme")
        return 1 if found else 0
    generators = blocks(Figures())
    for path in FILES:
        path.write_text(render(path.read_text(), generators))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
