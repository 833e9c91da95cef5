"""The ``bp lease``, ``bp sweep`` and ``bp destroy`` commands: arguments in, exit code out."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from blueprint.engine import ROOT, read_stack_config, stack_file, stack_name

EXIT_LEFT = 1
"""Exit code when something the command was asked to remove is still there."""
EXIT_REFUSED = 2


def clouds_of(stack: str, chosen: Optional[list[str]]) -> tuple[list[str], dict]:
    """The clouds to sweep (``--cloud`` or those the stack file uses) and the stack's config keys."""
    keys: dict = {}
    if stack_file(stack, ROOT).exists() or Path(stack).suffix in (".yaml", ".yml"):
        raw = read_stack_config(stack, ROOT)
        keys = {k.split(":", 1)[1]: v for k, v in raw.items() if k.startswith("blueprint:")}
    if chosen:
        return chosen, keys
    if not keys:
        raise SystemExit(f"bp: no stack file for {stack}: name the clouds with --cloud aws|azure|gcp")
    from components.config import load_config

    return [c.value for c in load_config(keys, stack).clouds_in_use], keys


def cloud_clients(clouds: list[str], keys: dict) -> dict:
    out = {}
    for cloud in clouds:
        if cloud == "aws":
            import boto3

            from blueprint.teardown.aws import AwsCloud

            region = (keys.get("aws") or {}).get("region") or os.environ.get("AWS_REGION") \
                or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
            # A session of its own: boto3's default session keeps the first credentials it resolved.
            session = boto3.session.Session(region_name=region)
            out["aws"] = AwsCloud(lambda service, session=session: session.client(service))
        elif cloud == "azure":
            from blueprint.teardown.azure import AzureCloud
            from blueprint.teardown.rest import Rest, azure_token

            subscription = (keys.get("azure") or {}).get("subscriptionId") or os.environ.get("ARM_SUBSCRIPTION_ID")
            if not subscription:
                raise SystemExit("bp: Azure needs blueprint:azure.subscriptionId or ARM_SUBSCRIPTION_ID")
            out["azure"] = AzureCloud(Rest(azure_token), subscription)
        elif cloud == "gcp":
            from blueprint.teardown.gcp import GcpCloud
            from blueprint.teardown.rest import Rest, gcp_token

            project = (keys.get("gcp") or {}).get("project") or os.environ.get("GOOGLE_CLOUD_PROJECT")
            if not project:
                raise SystemExit("bp: GCP needs blueprint:gcp.project or GOOGLE_CLOUD_PROJECT")
            out["gcp"] = GcpCloud(Rest(gcp_token), project)
    return out


def confirm(stack: str):
    def ask(prompt: str) -> bool:
        try:
            return input(prompt).strip() == stack
        except EOFError:
            return False

    return ask


def lease(args: argparse.Namespace) -> int:
    from blueprint.teardown import lease as lease_mod

    if args.renew:
        ends = lease_mod.renew(args.stack, args.renew)
        print(f"{stack_name(args.stack)}: new lease ends {ends.strftime('%Y-%m-%dT%H:%MZ')}; "
              "the next `pulumi up` retags the resources once")
        return 0
    print(lease_mod.view(args.stack).describe(datetime.now(timezone.utc)))
    return 0


def sweep(args: argparse.Namespace) -> int:
    from blueprint.teardown.state import StateError, keys_of, read_export
    from blueprint.teardown.sweep import sweep as run_sweep

    name = stack_name(args.stack)
    clouds, keys = clouds_of(args.stack, args.cloud)
    try:
        state = keys_of(read_export(name, Path(args.state) if args.state else None))
    except StateError as exc:
        print(f"bp sweep: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    report = run_sweep(name, cloud_clients(clouds, keys), state, delete=args.delete, confirm=confirm(name))
    return 0 if (not args.delete or report.clean) else EXIT_LEFT


def destroy(args: argparse.Namespace) -> int:
    from blueprint.teardown.destroy import run_destroy

    return run_destroy(args)


def add_lease(p: argparse.ArgumentParser) -> None:
    p.add_argument("stack", help="the stack (reads Pulumi.<stack>.yaml)")
    p.add_argument("--renew", metavar="TTL", help="start a new lease of TTL from now, e.g. 72h or 3d")


def add_sweep(p: argparse.ArgumentParser) -> None:
    p.add_argument("stack", help="the stack whose leftovers to find (its `stack` tag)")
    p.add_argument("--state", metavar="FILE", help="a `pulumi stack export` file instead of asking the backend")
    p.add_argument("--cloud", action="append", choices=("aws", "azure", "gcp"),
                   help="sweep this cloud (repeatable); default: the clouds the stack file uses")
    p.add_argument("--delete", action="store_true", help="delete the orphans after confirmation (default: dry run)")


def add_destroy(p: argparse.ArgumentParser) -> None:
    p.add_argument("stack", help="a learning stack (production stacks are refused)")
    p.add_argument("--cloud", action="append", choices=("aws", "azure", "gcp"),
                   help="clouds to prepare and sweep (default: those the stack file uses)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--attempts", type=int, default=3, help="pulumi destroy attempts on transient failures")
