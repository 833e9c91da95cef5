"""``bp smoke`` and ``bp run``: dispatch by the stack's route, report hops, exit 0 / 1 / 3 (cannot run here).

A stack whose stages all run on one cloud runs that cloud's module
(``<cloud>_cloud``, ``<cloud>_local``); one whose route crosses a cross-cloud
edge runs ``hybrid_cloud`` / ``hybrid_local``, whatever the stack is called.
"""

from __future__ import annotations

import argparse
import importlib

from blueprint.dataflow.probe import Probe
from pipeline.main import day_argument
from blueprint.dataflow.unavailable import EXIT_UNAVAILABLE, Unavailable

MAX_EVENTS = 500
"""One smoke batch fits every cloud's single-request limits (Kinesis PutRecords takes 500)."""


def _smoke_module(route, mode: str):
    """``hybrid_<mode>`` when the route crosses clouds, else ``<cloud>_<mode>``."""
    from components.config import StageName

    name = "hybrid" if route.crossing is not None else route.clouds[StageName.CONNECT].value
    return importlib.import_module(f"blueprint.dataflow.{name}_{mode}")


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
            from blueprint.dataflow import route, stack_plan

            stack_route = route.of_stack(args.stack)  # the stages' clouds, from the stack file
            plan = stack_plan.read(args.stack)
            hops = _smoke_module(stack_route, "local").smoke(plan, probe, args.through)
        else:
            from blueprint.dataflow import outputs, route

            out = outputs.load(args.stack, args.outputs)
            hops = _smoke_module(route.of_outputs(out), "cloud").smoke(out, probe, args.through)
        print(hops.footer())
        return 0 if hops.ok else 1

    return _guard(go)


def run(args: argparse.Namespace) -> int:
    def go() -> int:
        from blueprint.dataflow import outputs, route
        from components.config import StageName

        out = outputs.load(args.stack, args.outputs)
        # The job runs where Processing does (on GCP in a stack whose Connect and Buffer are on AWS).
        cloud = route.of_outputs(out).clouds[StageName.PROCESSING].value
        module = importlib.import_module(f"blueprint.dataflow.{cloud}_cloud")
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
