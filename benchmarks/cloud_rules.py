"""What the cloud rules add to ``bp preview``: the same stack with and without them, side by side.

Each run is a fresh Python process executing ``bp preview STACK --format json``
(imports, synthesis, plan, rules, output), alternating the two variants so
machine load hits both alike. Without the rules, ``check`` is replaced by
one that returns an empty report; everything else is the same command.

    .venv/bin/python benchmarks/cloud_rules.py [--repeat N] [STACK]

Target: the rules add at most 30 % to the wall time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import io, sys, contextlib
import blueprint.rules as rules
if sys.argv[2] == "without":
    rules.check = lambda synthesis, context=None: rules.Report(findings=[])
from blueprint.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    main(["preview", sys.argv[1], "--format", "json"])
"""


def _run(stack: str, variant: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _CHILD, stack, variant], cwd=ROOT, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack", nargs="?", default="aws")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(args.repeat):
        for variant in ("without", "with"):
            times[variant].append(_run(args.stack, variant))
    without, with_ = statistics.median(times["without"]), statistics.median(times["with"])
    print(f"bp preview {args.stack}, median of {args.repeat} runs each (fresh process per run)")
    print(f"  without cloud rules: {without:6.2f} s   runs: {', '.join(f'{t:.2f}' for t in times['without'])}")
    print(f"  with cloud rules:    {with_:6.2f} s   runs: {', '.join(f'{t:.2f}' for t in times['with'])}")
    print(f"  added: {with_ - without:+.2f} s ({(with_ / without - 1) * 100:+.1f} %), target at most +30 %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
