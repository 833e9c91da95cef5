"""``bp smoke`` and ``bp run``: dispatch by the stack's cloud, report hops, exit 0 / 1 / 3 (cannot run here)."""

from __future__ import annotations

import argparse
import importlib

from blueprint.dataflow.probe import Probe
from pipeline.main import day_argument
from blueprint.dataflow.unavailable import EXIT_UNAVAILABLE, Unavailable

CLOUDS = ("aws", "azure", "gcp")
MAX_EVENTS = 500
"""One smoke batch fits every cloud's single-request limits (Kinesis PutRecords takes 500)."""


def _cloud(outputs: dict) -> str:
    cloud = (outputs.get("connect") or {}).get("cloud")
    if cloud not in CLOUDS:
        raise Unavailable(f"the stack's connect.cloud is {cloud!r}; allowed: {', '.join(CLOUDS)}")
    return cloud


def _guard(run) -> int:
    try:
        return run()
    except Unavailable as exc:
        print(f"cannot run here: {exc}")
        return EXIT_UNAVAILABLE


def smoke(args: argparse.Namespace) -> int:
    if not 1 <= args.events <= MAX_EVENTS:
        print(f"--events {args.events}: allowed 1 to {MAX_EVENTS}")
        return 2

    def go() -> int:
        probe = Probe(args.events)
        if args.local:
            from blueprint.dataflow import stack_plan

            plan = stack_plan.read(args.stack)
            module = importlib.import_module(f"blueprint.dataflow.{_cloud(plan.exports)}_local")
            hops = module.smoke(plan, probe, args.through)
        else:
            from blueprint.dataflow import outputs

            out = outputs.load(args.stack, args.outputs)
            module = importlib.import_module(f"blueprint.dataflow.{_cloud(out)}_cloud")
            hops = module.smoke(out, probe, args.through)
        print(hops.footer())
        return 0 if hops.ok else 1

    return _guard(go)


def run(args: argparse.Namespace) -> int:
    def go() -> int:
        from blueprint.dataflow import outputs

        out = outputs.load(args.stack, args.outputs)
        module = importlib.import_module(f"blueprint.dataflow.{_cloud(out)}_cloud")
        return module.run(out, day=args.day)

    return _guard(go)


def add_parsers(sub) -> None:
    smoke_p = sub.add_parser("smoke", help="send probe events through Connect and find them in raw (or curated)")
    smoke_p.add_argument("stack", help="the stack (reads its outputs; with --local, synthesizes its plan)")
    smoke_p.add_argument("--through", choices=("raw", "curated"), default="raw",
                         help="raw: stop when the events are in raw (default); curated: also run the job")
    smoke_p.add_argument("--local", action="store_true",
                         help="against emulators started here (moto, Pub/Sub emulator + fake-gcs-server, Azurite)")
    smoke_p.add_argument("--events", type=int, default=20, help=f"how many probe events (1-{MAX_EVENTS}, default 20)")
    smoke_p.add_argument("--outputs", metavar="FILE", help="the stack's outputs as JSON instead of `pulumi stack output`")
    smoke_p.set_defaults(func=smoke)

    run_p = sub.add_parser("run", help="submit the sensor job to a deployed stack and wait for it")
    run_p.add_argument("stack", help="the deployed stack whose Spark engine runs the job (reads its outputs)")
    run_p.add_argument("--day", type=day_argument, help="one arrival day of raw, YYYY-MM-DD (default: all of raw)")
    run_p.add_argument("--outputs", metavar="FILE", help="the stack's outputs as JSON instead of `pulumi stack output`")
    run_p.set_defaults(func=run)
