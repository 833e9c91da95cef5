"""What the cloud rules add to ``bp preview``: the same stack with and without them, side by side.

Each run is a fresh Python process executing ``bp preview STACK --format json``
(imports, synthesis, plan, rules, output), alternating the two variants so
machine load hits both alike. Without the rules, ``check`` is replaced by
one that returns an empty report; everything else is the same command.

    .venv/bin/python benchmarks/cloud_rules.py [--repeat N] [STACK]

Target: the rules add at most 30 % to the wall time. It also prints, for one
stack per cloud, ``check()`` alone in one process: the first call (models
loaded and parsed) and a second call (models cached).
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


_CHECK_ONLY = r"""
import sys, time
from blueprint.engine import synthesize
from blueprint.rules import check
s = synthesize(sys.argv[1])
t0 = time.perf_counter(); check(s); t1 = time.perf_counter(); check(s); t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f}")
"""


def _check_only(stack: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", _CHECK_ONLY, stack], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.split()
    return float(out[0]), float(out[1])


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
    print("check() alone, in one process: first call (loads the models) / second call (cached)")
    for stack in ("aws", "azure", "gcp"):
        cold, warm = _check_only(stack)
        print(f"  {stack:6} {cold:6.3f} s / {warm:6.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
