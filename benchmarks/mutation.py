"""Sampled mutation testing: do the tests notice when the code is wrong?

Each mutant is one small change to the source (a number off by one, a
comparison flipped, ``True`` for ``False``, a string that changes meaning, an
element dropped from a list of statements or rules), applied to a copy of the
repository. The tests that mirror the changed file run against it; a mutant
is *killed* when they fail, and *survives* when they pass. The score is the
share killed. A surviving mutant names a property no test pins.

    .venv/bin/python benchmarks/mutation.py                 # 60 mutants, seed 1
    .venv/bin/python benchmarks/mutation.py -n 20 --seed 7 --paths infra/aws
    .venv/bin/python benchmarks/mutation.py --markdown out.md

It takes minutes (one test run per mutant), so it is a report, not a test.

Equivalent mutants (a change nothing can observe) are not sampled: the
``maxsplit`` of ``rsplit(sep, 1)[-1]`` and ``split(sep, 1)[0]``, and the
sites listed in ``_EQUIVALENT``, each with the reason.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ("components", "policies", "infra")
# The pack's entry point starts a gRPC server and never returns; tests import the rules instead.
_UNTESTABLE = {"policies/__main__.py"}

# Strings whose meaning a security or network rule hangs on; each is swapped
# for a plausible wrong value.
_STRING_SWAPS = {
    "*": "?", "Allow": "Deny", "Deny": "Allow", "true": "false", "false": "true",
    "Inbound": "Outbound", "Outbound": "Inbound", "Enabled": "Disabled", "Disabled": "Enabled",
    "tcp": "udp", "TCP": "UDP", "Tcp": "Udp", "HTTPS": "HTTP", "https": "http",
    "aws:SecureTransport": "aws:SecureTransportX", "TLS1_2": "TLS1_0", "Private": "Public",
}
_COMPARE_SWAPS = {ast.Gt: ">=", ast.GtE: ">", ast.Lt: "<=", ast.LtE: "<", ast.Eq: "!=", ast.NotEq: "=="}

# Equivalent mutants: changes no program can observe, so no test can (or should) notice them. Each entry is
# (file, text on the mutated line, the mutated text, why nothing changes); such sites are never sampled.
_EQUIVALENT: tuple[tuple[str, str, str, str], ...] = (
    ("policies/rules/cost.py", "custom=True, protect=False,", "False",
     "the plan built for the price table is only priced; the cost estimate never reads `protect`"),
    ("policies/rules/logging.py", 'days = number(get(flow.props, "retentionPolicy.days"), 0.0)', "0.0",
     "a flow log without retention days is reported either way: any default below the 90-day floor is the same"),
    ("policies/rules/cost.py", 'number(n.get("threshold"), 0) <=', "0",
     "a budget notification without a threshold counts as alerting early: 0 and 1 are both below 80 and 100"),
    ("policies/rules/cost.py", 'number(r.get("thresholdPercent"), 9) <=', "9",
     "a GCP threshold rule without a percentage never counts: 9 and 10 are both above 0.8 and 1.0"),
    ("policies/rules/data_protection.py", 'number(args.props.get("deletionWindowInDays"), 30.0) < 30', "30.0",
     "a key without a window gets AWS's 30 days, which passes the fixed 30-day floor, as 60 would"),
    ("policies/rules/keys.py", 'window = number(props.get("deletionWindowInDays"), 30.0)', "30.0",
     "AWS's deletion window is 7 to 30 days, so no floor a stack can meet tells a default of 30 from 60"),
    ("policies/rules/keys.py", 'retention = number(props.get("softDeleteRetentionInDays"), 90.0)', "90.0",
     "the floor is a fixed 7 days: a default of 90 or 180 passes it alike"),
)


@dataclass(frozen=True)
class Mutant:
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    before: str
    after: str
    kind: str

    def describe(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.before!r} -> {self.after!r}"


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            for stmt in body:
                # Attribute docstrings follow assignments; any bare string statement is documentation.
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                    ids.add(id(stmt.value))
    return ids


def _last_split_part_counts(tree: ast.AST) -> set[int]:
    """The ``maxsplit`` constants of ``s.rsplit(sep, n)[-1]`` and ``s.split(sep, n)[0]``: for any n >= 1 the
    part kept is the same, so n + 1 is an equivalent mutant."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call):
            call, index = node.value, node.slice
            if not (isinstance(call.func, ast.Attribute) and len(call.args) == 2
                    and isinstance(call.args[1], ast.Constant) and call.args[1].value == 1):
                continue
            last = isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and \
                isinstance(index.operand, ast.Constant) and index.operand.value == 1
            first = isinstance(index, ast.Constant) and index.value == 0
            if (call.func.attr == "rsplit" and last) or (call.func.attr == "split" and first):
                ids.add(id(call.args[1]))
    return ids


def _equivalent(mutant: "Mutant", line: str) -> bool:
    return any(mutant.path == path and fragment in line and mutant.before == before
               for path, fragment, before, _ in _EQUIVALENT)


def _segment(lines: list[str], node: ast.AST) -> str:
    if node.lineno == node.end_lineno:
        return lines[node.lineno - 1][node.col_offset:node.end_col_offset]
    return ""


def mutants_of(path: Path) -> list[Mutant]:
    """Every mutation site in one file (single-line nodes only, so edits stay exact)."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    docs = _docstring_nodes(tree)
    split_counts = _last_split_part_counts(tree)
    rel = str(path.relative_to(ROOT))
    found: list[Mutant] = []

    def add(node: ast.AST, after: str, kind: str, before: str | None = None) -> None:
        text = before if before is not None else _segment(lines, node)
        if text and node.lineno == node.end_lineno and id(node) not in split_counts:
            mutant = Mutant(rel, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, text, after, kind)
            if not _equivalent(mutant, lines[node.lineno - 1]):
                found.append(mutant)

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docs:
            value = node.value
            if isinstance(value, bool):
                add(node, str(not value), "boolean")
            elif isinstance(value, int) and not isinstance(value, bool):
                add(node, str(value + 1), "number")
            elif isinstance(value, float):
                add(node, repr(value * 2 if value else 1.0), "number")
            elif isinstance(value, str) and value in _STRING_SWAPS:
                quote = _segment(lines, node)[:1] or '"'
                add(node, f"{quote}{_STRING_SWAPS[value]}{quote}", "string")
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE_SWAPS:
            left, right = _segment(lines, node.left), _segment(lines, node.comparators[0])
            if left and right and node.lineno == node.end_lineno:
                add(node, f"{left} {_COMPARE_SWAPS[type(node.ops[0])]} {right}", "comparison")
        elif isinstance(node, ast.BoolOp) and len(node.values) == 2 and node.lineno == node.end_lineno:
            a, b = (_segment(lines, v) for v in node.values)
            if a and b:
                op = "or" if isinstance(node.op, ast.And) else "and"
                add(node, f"{a} {op} {b}", "boolean operator")
        elif isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) >= 2 and node.lineno == node.end_lineno:
            whole = _segment(lines, node)
            # Only a bracketed sequence: an unbracketed tuple (``a[x, y]``, ``k, v = ...``) may start with a
            # bracket of its first element, and cutting that would only make a syntax error.
            if whole[:1] in ("[", "(") and whole[-1:] == {"[": "]", "(": ")"}[whole[0]]:
                kept = ", ".join(_segment(lines, e) for e in node.elts[1:])
                if all(_segment(lines, e) for e in node.elts):
                    add(node, f"{whole[0]}{kept}{',' if whole[0] == '(' and len(node.elts) == 2 else ''}{whole[-1]}",
                        "element dropped")
    return found


def tests_for(path: str) -> list[str]:
    """The tests laid out like the source, at package level: ``tests/components``, ``tests/policies``, and per
    cloud ``tests/infra/<cloud>`` plus the whole-program tests (a rule's behaviour is often pinned by the
    example-stack tests beside the rule tests, not below them)."""
    parts = Path(path).parts
    if parts[0] == "infra" and len(parts) > 2 and (ROOT / "tests" / "infra" / parts[1]).is_dir():
        return [f"tests/infra/{parts[1]}", "tests/test_platform.py"]
    if (ROOT / "tests" / parts[0]).is_dir():
        return [f"tests/{parts[0]}"]
    return ["tests"]


def apply(copy: Path, mutant: Mutant) -> str:
    target = copy / mutant.path
    original = target.read_text()
    lines = original.splitlines(keepends=True)
    line = lines[mutant.line - 1]
    lines[mutant.line - 1] = line[:mutant.col] + mutant.after + line[mutant.end_col:]
    target.write_text("".join(lines))
    return original


def run_tests(copy: Path, tests: list[str], timeout: int) -> bool:
    """True when the tests fail (the mutant is killed)."""
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                 "-n", "2", *tests], cwd=copy, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return True  # a mutant that hangs the tests is noticed
    return result.returncode != 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=60, help="how many mutants to sample (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="sampling seed (default 1)")
    parser.add_argument("--paths", nargs="*", default=list(DEFAULT_PATHS), help="source folders to mutate")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per test run")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report as Markdown")
    parser.add_argument("--confirm", action="store_true",
                        help="run the whole suite on each survivor of the mirrored tests (slower, exact score)")
    args = parser.parse_args(argv)

    sites: list[Mutant] = []
    for folder in args.paths:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if str(path.relative_to(ROOT)) not in _UNTESTABLE:
                sites.extend(mutants_of(path))
    sample = random.Random(args.seed).sample(sites, min(args.n, len(sites)))

    with tempfile.TemporaryDirectory(prefix="bp-mutation-") as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".bp-tools", ".git", "__pycache__",
                                                                    ".pytest_cache", ".hypothesis"))
        survived: list[Mutant] = []
        started = time.monotonic()
        baseline: dict[tuple[str, ...], bool] = {}
        for i, mutant in enumerate(sample, 1):
            tests = tuple(tests_for(mutant.path))
            if tests not in baseline:
                # Control: the unmutated copy must pass these tests, or "killed" would mean nothing.
                baseline[tests] = not run_tests(copy, list(tests), args.timeout)
                if not baseline[tests]:
                    print(f"error: {' '.join(tests)} fail without any mutation; fix them first", file=sys.stderr)
                    return 1
            original = apply(copy, mutant)
            try:
                killed = run_tests(copy, list(tests), args.timeout)
                if not killed and args.confirm:
                    # A file's own tests may miss what a whole-program test elsewhere catches.
                    killed = run_tests(copy, ["tests"], args.timeout)
            finally:
                (copy / mutant.path).write_text(original)
            print(f"[{i:>3}/{len(sample)}] {'killed  ' if killed else 'SURVIVED'} {mutant.describe()}", flush=True)
            if not killed:
                survived.append(mutant)
        elapsed = time.monotonic() - started

    score = 100 * (len(sample) - len(survived)) / max(len(sample), 1)
    scope = "whole suite for survivors" if args.confirm else "tests laid out like each file"
    summary = (f"mutation score {score:.0f} % ({len(sample) - len(survived)} of {len(sample)} killed by the {scope}; "
               f"{len(sites)} sites in {', '.join(args.paths)}; seed {args.seed}; {elapsed / 60:.1f} min)")
    print(summary)
    if args.markdown:
        body = [f"# Mutation report\n\n{summary}\n", "## Survivors\n"]
        body += [f"- `{m.describe()}`" for m in survived] or ["none"]
        Path(args.markdown).write_text("\n".join(body) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
