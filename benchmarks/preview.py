"""Wall time and peak memory of the offline preview, per example stack.

Each stack runs in a fresh Python process (as a user's ``bp preview`` does),
so imports and peak resident memory are counted per stack:

    .venv/bin/python benchmarks/preview.py [--repeat N] [STACK ...]

Reports, per stack: the process wall time (imports included), the time of the
synthesis itself, the number of resources, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from blueprint.engine import synthesize
from blueprint.plan import build_plan
t1 = time.perf_counter()
plan = build_plan(synthesize(sys.argv[1]))
t2 = time.perf_counter()
print(json.dumps({"synth_s": t2 - t1, "total_s": t2 - t0, "resources": len(plan.custom_resources),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(stack: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, stack], cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{stack}: preview failed\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("stacks", nargs="*")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = p.parse_args()
    stacks = args.stacks or sorted(f.name[len("Pulumi."):-len(".yaml")] for f in ROOT.glob("Pulumi.*.yaml"))
    results = {}
    print(f"{'stack':<14}{'resources':>10}{'wall s (median)':>17}{'synth s':>10}{'peak RSS MiB':>14}")
    for stack in stacks:
        runs = [measure(stack) for _ in range(args.repeat)]
        row = {
            "resources": runs[0]["resources"],
            "wall_s": statistics.median(r["total_s"] for r in runs),
            "synth_s": statistics.median(r["synth_s"] for r in runs),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        }
        results[stack] = row
        print(f"{stack:<14}{row['resources']:>10}{row['wall_s']:>17.2f}{row['synth_s']:>10.2f}{row['peak_rss_mib']:>14.0f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
