"""``bp diff BASE HEAD``: options, reading, rendering; refused input ends in one line and exit code 2."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from blueprint.diff.document import document
from blueprint.diff.markdown import LIMIT, markdown
from blueprint.diff.mask import Mask, secret_config
from blueprint.diff.plan_file import NOTHING, DiffInputError, empty_like, read_plan
from blueprint.diff.policy_delta import read_violations
from blueprint.diff.report import build_report
from blueprint.diff.text import text
from blueprint.engine import ROOT, stack_file

EXIT_INPUT = 2
MARKER = "blueprint-diff"


def marker(project: str, stack: str, valid_at: str) -> str:
    """The hidden line the commenting job finds its comment by (one per project and stack)."""
    return f"<!-- {MARKER} {json.dumps({'project': project, 'stack': stack, 'validAt': valid_at}, sort_keys=True)} -->"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("base", help=f"the base plan (bp preview STACK --json FILE), or '{NOTHING}' for a new stack")
    p.add_argument("head", help="the head plan (bp preview STACK --json FILE)")
    p.add_argument("--format", choices=("markdown", "text", "json"), default="markdown",
                   help="markdown: a pull-request comment (default); text: for a terminal; json: every change")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--policy", nargs=2, metavar=("BASE_POLICY", "HEAD_POLICY"),
                   help="violations of each side (bp policy STACK --json FILE), for the policy delta")
    p.add_argument("--other-stack", action="store_true",
                   help="compare plans of two different stacks (refused otherwise)")
    p.add_argument("--limit", type=int, default=LIMIT,
                   help=f"markdown: most characters in the comment (default {LIMIT}; GitHub allows 65536)")
    p.add_argument("--artifact", default="", help="markdown: where the full diff is, named in the comment")
    p.add_argument("--valid-at", metavar="TIME",
                   help="markdown: add the hidden comment marker with this time (ISO 8601; newer replaces older)")
    p.add_argument("--stack-file", metavar="FILE",
                   help="stack file whose secure: keys are masked (default: Pulumi.<stack>.yaml, if present)")


def run(args: argparse.Namespace, estimator=None) -> int:
    try:
        head = read_plan(args.head, "head plan")
        base = empty_like(head) if args.base == NOTHING else read_plan(args.base, "base plan")
        policy = None
        if args.policy:
            policy = (read_violations(args.policy[0], "base policy"), read_violations(args.policy[1], "head policy"))
        if args.limit < 1000:
            raise DiffInputError(f"--limit {args.limit}: too small to hold the summary; at least 1000")
        if args.stack_file and not Path(args.stack_file).is_file():
            raise DiffInputError(f"--stack-file {args.stack_file}: no such file")
        if args.valid_at:
            try:
                datetime.fromisoformat(args.valid_at)
            except ValueError:
                raise DiffInputError(f"--valid-at {args.valid_at}: not an ISO 8601 time "
                                     "(e.g. 2026-11-30T10:00:00+00:00)") from None
        config_file = Path(args.stack_file) if args.stack_file else stack_file(head.stack, ROOT)
        keys, texts = secret_config(config_file) if config_file.exists() else ([], [])
        mask = Mask.for_documents([base.to_json(), head.to_json()], keys, texts)
        report = build_report(base, head, policy=policy, estimator=estimator, mask=mask,
                              other_stack=args.other_stack)
    except DiffInputError as exc:
        print(f"bp diff: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if args.format == "json":
        out = report.mask.scrub(json.dumps(document(report), indent=2, sort_keys=True, default=str)) + "\n"
    elif args.format == "text":
        out = text(report)
    else:
        mark = marker(report.project, report.stack, args.valid_at) if args.valid_at else ""
        out = markdown(report, limit=args.limit, artifact=args.artifact, marker=mark)
    if args.output:
        try:
            Path(args.output).write_text(out, encoding="utf-8")
        except OSError as exc:
            print(f"bp diff: --output {args.output}: cannot write ({exc.strerror})", file=sys.stderr)
            return EXIT_INPUT
    else:
        sys.stdout.write(out)
    return 0
