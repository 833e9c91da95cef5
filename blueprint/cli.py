"""The ``bp`` command line: offline preview, policy checks and plan diffs.

    bp preview STACK [--format text|mermaid|json] [--json FILE]
    bp policy STACK [...]
    bp diff BASE.json HEAD.json [--format markdown|text|json] [--policy B.json H.json]
    bp cost STACK [--format text|markdown|json] [--json FILE] [usage options]
    bp stacks
    bp smoke STACK [--through raw|curated] [--local]
    bp run STACK [--day YYYY-MM-DD]
    bp lease STACK [--renew 72h]
    bp sweep STACK [--state FILE] [--cloud C] [--delete]
    bp destroy STACK [--yes]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from blueprint.engine import ROOT, SynthesisError, synthesize
from blueprint.paths import writable_file
from blueprint.plan import build_plan
from components.config import ConfigError
from components.naming import NamingError

EXIT_INPUT = 2
"""Exit code for refused input (bad config, unknown stack, invalid names)."""
EXIT_RULES = 1
"""Exit code when a cloud rule finds a value the cloud would refuse."""


def _stacks(root: Path = ROOT) -> list[str]:
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in root.glob("Pulumi.*.yaml"))


def cmd_preview(args: argparse.Namespace) -> int:
    import json

    from blueprint.rules import check

    synthesis = synthesize(args.stack)
    plan = build_plan(synthesis)
    report = check(synthesis)
    document = json.dumps({**plan.to_json(), "rules": report.to_json()}, indent=2, sort_keys=True, default=str)
    if args.json:
        Path(args.json).write_text(document + "\n")
    # Wide enough for a resource name and its type on one line, even when piped.
    out = Console(width=max(Console().width, 140))
    if args.format == "mermaid":
        sys.stdout.write(__import__("blueprint.render", fromlist=["mermaid"]).mermaid(plan))
    elif args.format == "json":
        sys.stdout.write(document + "\n")
    else:
        from blueprint.render import text_report

        out.print(text_report(plan), soft_wrap=True)
        if args.json:
            out.print(f"plan written to {args.json}")
    # Findings and warnings go to stderr so a piped JSON or Mermaid output stays clean.
    print("\n".join(report.lines()), file=sys.stderr)
    budget_warnings(plan)
    return EXIT_RULES if report.errors else 0


def cmd_policy(args: argparse.Namespace) -> int:
    from blueprint import policy_check

    return policy_check.run(args)


def cmd_test(args: argparse.Namespace) -> int:
    """``bp test`` normally runs from the ``bp`` launcher (which installs the test extra first)."""
    import subprocess

    return subprocess.call([sys.executable, "-m", "pytest", *args.pytest_args], cwd=ROOT)


def cmd_diff(args: argparse.Namespace) -> int:
    from blueprint.diff.command import run

    return run(args)


def budget_warnings(plan: Plan) -> None:
    """Warn (stderr) when a configured budget is below 1.5 x the stack's idle cost."""
    from blueprint.cost.budget import budget_warnings as warnings

    for warning in warnings(plan):
        print(warning, file=sys.stderr)


def cmd_cost(args: argparse.Namespace) -> int:
    from blueprint.cost.estimate import estimate
    from blueprint.cost.report import FORMATS, as_json
    from blueprint.cost.usage import Usage

    usage = Usage(events_per_day=args.events_per_day, event_kb=args.event_kb,
                  spark_minutes_per_day=args.spark_minutes_per_day, query_gb_per_day=args.query_gb_per_day)
    if problems := usage.problems():
        print("; ".join(problems), file=sys.stderr)
        return EXIT_INPUT
    est = estimate(build_plan(synthesize(args.stack)), usage)
    if args.json:
        Path(args.json).write_text(as_json(est))
    sys.stdout.write(FORMATS[args.format](est))
    return 0


def cmd_stacks(args: argparse.Namespace) -> int:
    for stack in _stacks():
        print(stack)
    return 0


def add_dataflow(sub) -> None:
    from blueprint.dataflow.commands import add_parsers

    add_parsers(sub)


def cmd_lease(args: argparse.Namespace) -> int:
    from blueprint.teardown import commands

    return commands.lease(args)


def cmd_sweep(args: argparse.Namespace) -> int:
    from blueprint.teardown import commands

    return commands.sweep(args)


def cmd_destroy(args: argparse.Namespace) -> int:
    from blueprint.teardown import commands

    return commands.destroy(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bp", description="Offline tooling for the blueprint data platform.")
    sub = p.add_subparsers(dest="command", required=True)

    preview = sub.add_parser("preview", help="run the program offline and show what it would create")
    preview.add_argument("stack", help="an example stack, e.g. aws (reads Pulumi.<stack>.yaml), or a path to a stack file")
    preview.add_argument("--json", metavar="FILE", type=writable_file, help="also write the plan as JSON to FILE")
    preview.add_argument("--format", choices=("text", "mermaid", "json"), default="text",
                         help="text: tree by stage and zone (default); mermaid: architecture diagram; json: the plan")
    preview.set_defaults(func=cmd_preview)

    from blueprint import policy_check

    policy = sub.add_parser("policy", help="run the policy pack on a stack's synthesized resources",
                            description="Run the policy pack on a stack, offline; exit 1 on mandatory violations.")
    policy_check.add_arguments(policy)
    policy.set_defaults(func=cmd_policy)

    diff = sub.add_parser("diff", help="what HEAD creates, changes and deletes relative to BASE, with data-loss "
                                       "warnings, policy and cost deltas (Markdown, text or JSON)")
    from blueprint.diff.command import add_arguments

    add_arguments(diff)
    diff.set_defaults(func=cmd_diff)

    cost = sub.add_parser("cost", help="idle and usage cost of a stack by list prices, itemised by stage and resource")
    cost.add_argument("stack", help="an example stack, e.g. aws, or a path to a stack file")
    cost.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      help="text (default), markdown (for a pull-request comment) or json")
    cost.add_argument("--json", metavar="FILE", help="also write the estimate as JSON to FILE")
    cost.add_argument("--events-per-day", type=int, default=200_000, help="events ingested per day (200000)")
    cost.add_argument("--event-kb", type=float, default=5.0, help="size of one event in KB (5)")
    cost.add_argument("--spark-minutes-per-day", type=float, default=10.0,
                      help="Spark run time per day, driver + 2 executors of 4 vCPU / 16 GB (10)")
    cost.add_argument("--query-gb-per-day", type=float, default=1.0, help="GB scanned by queries per day (1)")
    cost.set_defaults(func=cmd_cost)

    stacks = sub.add_parser("stacks", help="list the example stacks")
    stacks.set_defaults(func=cmd_stacks)

    add_dataflow(sub)

    from blueprint.teardown import commands as teardown

    lease = sub.add_parser("lease", help="when a learning stack's lease ends; --renew starts a new one")
    teardown.add_lease(lease)
    lease.set_defaults(func=cmd_lease)

    sweep = sub.add_parser("sweep", help="find (and with --delete remove) what a stack left behind, by tag")
    teardown.add_sweep(sweep)
    sweep.set_defaults(func=cmd_sweep)

    destroy = sub.add_parser("destroy", help="stop, wait, pulumi destroy with retries, then sweep (learning only)")
    teardown.add_destroy(destroy)
    destroy.set_defaults(func=cmd_destroy)

    test = sub.add_parser("test", help="run the whole test suite (./bp test [pytest arguments])")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed to pytest, e.g. -n 2 -q")
    test.set_defaults(func=cmd_test)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, NamingError, SynthesisError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # The reader went away (`bp preview aws | head`): not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
