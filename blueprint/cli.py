"""The ``bp`` command line: offline preview, policy checks and plan diffs.

    bp preview STACK [--format text|mermaid|json] [--json FILE]
    bp policy STACK [...]
    bp diff BASE.json HEAD.json
    bp stacks
    bp smoke STACK [--through raw|curated] [--local]
    bp run STACK [--day YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from blueprint.engine import ROOT, SynthesisError, synthesize
from blueprint.plan import Plan, build_plan
from components.config import ConfigError
from components.naming import NamingError

EXIT_INPUT = 2
"""Exit code for refused input (bad config, unknown stack, invalid names)."""


def _stacks(root: Path = ROOT) -> list[str]:
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in root.glob("Pulumi.*.yaml"))


def cmd_preview(args: argparse.Namespace) -> int:
    plan = build_plan(synthesize(args.stack))
    if args.json:
        plan.write(Path(args.json))
    # Wide enough for a resource name and its type on one line, even when piped.
    out = Console(width=max(Console().width, 140))
    if args.format == "mermaid":
        sys.stdout.write(__import__("blueprint.render", fromlist=["mermaid"]).mermaid(plan))
    elif args.format == "json":
        import json

        sys.stdout.write(json.dumps(plan.to_json(), indent=2, sort_keys=True, default=str) + "\n")
    else:
        from blueprint.render import text_report

        out.print(text_report(plan))
        if args.json:
            out.print(f"plan written to {args.json}")
    return 0


def cmd_policy(args: argparse.Namespace) -> int:
    from blueprint import policy_check

    return policy_check.main(args.rest)


def cmd_diff(args: argparse.Namespace) -> int:
    from blueprint.diff import markdown

    sys.stdout.write(markdown(Plan.read(Path(args.base)), Plan.read(Path(args.head))))
    return 0


def cmd_stacks(args: argparse.Namespace) -> int:
    for stack in _stacks():
        print(stack)
    return 0


def add_dataflow(sub) -> None:
    from blueprint.dataflow.commands import add_parsers

    add_parsers(sub)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bp", description="Offline tooling for the blueprint data platform.")
    sub = p.add_subparsers(dest="command", required=True)

    preview = sub.add_parser("preview", help="run the program offline and show what it would create")
    preview.add_argument("stack", help="an example stack, e.g. aws (reads Pulumi.<stack>.yaml), or a path to a stack file")
    preview.add_argument("--json", metavar="FILE", help="also write the plan as JSON to FILE")
    preview.add_argument("--format", choices=("text", "mermaid", "json"), default="text",
                         help="text: tree by stage and zone (default); mermaid: architecture diagram; json: the plan")
    preview.set_defaults(func=cmd_preview)

    policy = sub.add_parser("policy", help="run the policy pack on a stack's synthesized resources",
                            add_help=False)
    policy.add_argument("rest", nargs=argparse.REMAINDER)
    policy.set_defaults(func=cmd_policy)

    diff = sub.add_parser("diff", help="what HEAD adds, changes and removes relative to BASE (Markdown)")
    diff.add_argument("base")
    diff.add_argument("head")
    diff.set_defaults(func=cmd_diff)

    stacks = sub.add_parser("stacks", help="list the example stacks")
    stacks.set_defaults(func=cmd_stacks)

    add_dataflow(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, NamingError, SynthesisError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
