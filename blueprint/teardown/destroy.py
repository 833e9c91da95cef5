"""``bp destroy STACK``: a ``pulumi destroy`` of a learning stack that finishes.

Order: the preparation steps (``blueprint.teardown.prepare``) in pipeline
order, then ``pulumi destroy --yes`` retried on the known transient failures,
then a sweep that reports what is left. Production stacks are refused; a
missing CLI or missing credentials end the command with the reason, before
anything is touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from blueprint.teardown.prepare import Step, in_pipeline_order

TRANSIENT: tuple[tuple[str, str], ...] = (
    ("DependencyViolation", "AWS EC2 error code: a subnet or security group still has a network interface "
                            "that a managed service is releasing"),
    ("RequestLimitExceeded", "AWS EC2 throttling error code"),
    ("ThrottlingException", "AWS API throttling (most JSON-protocol services)"),
    ("TooManyRequestsException", "AWS throttling (API Gateway, Lambda, EMR Serverless)"),
    ("OperationAborted", "Amazon S3: a conflicting conditional operation is in progress on the bucket"),
    ("AnotherOperationInProgress", "Azure Resource Manager: another operation on the resource is running"),
    ("InUseSubnetCannotBeDeleted", "Azure networking: a subnet still used by a service's network interface"),
    ("RetryableError", "Azure Resource Manager: the service asks the caller to retry"),
    ("resourceInUseByAnotherResource", "GCP Compute Engine: a network or subnet still used by a managed resource"),
    ("rateLimitExceeded", "GCP API rate limit"),
    ("Error 409", "GCP: a concurrent operation on the same resource (HTTP 409 conflict)"),
)
"""(text in the destroy output, why a retry can succeed). Anything else is a real failure."""


def transient_cause(output: str) -> Optional[str]:
    for marker, why in TRANSIENT:
        if marker in output:
            return f"{marker} ({why})"
    return None


@dataclass
class DestroyOutcome:
    succeeded: bool
    attempts: int
    causes: list[str] = field(default_factory=list)
    output: str = ""


Destroyer = Callable[[], tuple[int, str]]


def destroy_with_retries(destroy: Destroyer, *, attempts: int = 3, backoff_seconds: float = 60.0,
                         sleep: Callable[[float], None] = time.sleep,
                         progress: Callable[[str], None] = print) -> DestroyOutcome:
    """Run ``destroy`` until it succeeds, fails for a non-transient reason, or ``attempts`` run out.

    The wait doubles after each transient failure (60 s, 120 s, ...).
    """
    outcome = DestroyOutcome(False, 0)
    for attempt in range(1, attempts + 1):
        code, output = destroy()
        outcome.attempts, outcome.output = attempt, output
        if code == 0:
            outcome.succeeded = True
            return outcome
        cause = transient_cause(output)
        if cause is None:
            return outcome
        outcome.causes.append(cause)
        if attempt < attempts:
            wait = backoff_seconds * 2 ** (attempt - 1)
            progress(f"pulumi destroy failed on {cause}; retrying in {wait:.0f}s (attempt {attempt + 1} of {attempts})")
            sleep(wait)
    return outcome


def pulumi_destroy(stack: str) -> Destroyer:
    def run() -> tuple[int, str]:
        argv = ["pulumi", "destroy", "--yes", "--skip-preview", "--non-interactive", "--stack", stack]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []
        for line in proc.stdout:  # stream the CLI's progress and keep it for the retry decision
            sys.stdout.write(line)
            lines.append(line)
        return proc.wait(), "".join(lines)

    return run


def execute(steps: list[Step], destroy: Destroyer, sweep: Callable[[], bool], *, attempts: int = 3,
            sleep: Callable[[float], None] = time.sleep, progress: Callable[[str], None] = print) -> int:
    """Preparation in pipeline order, the destroy with retries, then the sweep. Returns the exit code."""
    for step in in_pipeline_order(steps):
        progress(f"[{step.cloud}/{step.stage}] {step.what}")
        try:
            step.run(progress)
        except Exception as exc:  # noqa: BLE001 (reported; the destroy may still succeed)
            progress(f"  step failed: {type(exc).__name__}: {exc}")
    outcome = destroy_with_retries(destroy, attempts=attempts, sleep=sleep, progress=progress)
    if not outcome.succeeded:
        tail = "\n".join(outcome.output.strip().splitlines()[-5:])
        progress(f"pulumi destroy failed after {outcome.attempts} attempts"
                 + (f" (transient: {'; '.join(outcome.causes)})" if outcome.causes else "") + f":\n{tail}")
    clean = sweep()
    return 0 if outcome.succeeded and clean else 1


class Refused(Exception):
    """The command will not run; the message says why."""


def _profile(stack: str) -> str:
    from blueprint.engine import ROOT, read_stack_config, stack_file

    if stack_file(stack, ROOT).exists():
        return str(read_stack_config(stack, ROOT).get("blueprint:profile", "learning"))
    done = subprocess.run(["pulumi", "config", "get", "blueprint:profile", "--stack", stack],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Refused(f"cannot tell the profile of stack {stack} (no Pulumi.{stack}.yaml, and "
                      f"`pulumi config get blueprint:profile` failed); refusing to destroy")
    return done.stdout.strip() or "learning"


def build_steps(stack: str, clouds: dict, keys: dict) -> list[Step]:
    from blueprint.teardown import prepare

    steps: list[Step] = []
    if "aws" in clouds:
        steps += prepare.aws_steps(clouds["aws"], stack)
    if "gcp" in clouds:
        region = (keys.get("gcp") or {}).get("region") or os.environ.get("GOOGLE_REGION") or "us-central1"
        steps += prepare.gcp_steps(clouds["gcp"].rest, clouds["gcp"].project, region, stack)
    if "azure" in clouds:
        from blueprint.teardown.rest import Rest, _cli_token

        synapse = Rest(lambda: _cli_token("SYNAPSE_ACCESS_TOKEN", ["az", "account", "get-access-token", "--resource",
                                                                   "https://dev.azuresynapse.net", "--query",
                                                                   "accessToken", "-o", "tsv"], "Azure Synapse"))
        steps += prepare.azure_steps(clouds["azure"], synapse, stack)
    return steps


def check_credentials(clouds: dict, stack: str) -> None:
    """One cheap authenticated call per cloud, so a missing login stops here with its reason."""
    from blueprint.teardown.rest import NoCredentials, RestError

    for name, cloud in clouds.items():
        try:
            if name == "aws":
                cloud.client("sts").get_caller_identity()
            else:
                cloud.inventory(stack)
        except NoCredentials as exc:
            raise Refused(str(exc)) from None
        except RestError as exc:
            raise Refused(f"{name}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 (botocore's credential errors have no common base we import)
            raise Refused(f"{name}: no usable credentials ({type(exc).__name__}: {exc})") from None


def run_destroy(args: argparse.Namespace) -> int:
    from blueprint.engine import stack_name
    from blueprint.teardown import commands
    from blueprint.teardown.state import StateError, keys_of, read_export
    from blueprint.teardown.sweep import sweep

    name = stack_name(args.stack)
    try:
        if shutil.which("pulumi") is None:
            raise Refused("the pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/install/) "
                          "and log in to the stack's backend")
        if _profile(args.stack) == "production":
            raise Refused(f"stack {name} is a production stack: bp destroy only ends learning stacks")
        cloud_names, keys = commands.clouds_of(args.stack, args.cloud)
        clouds = commands.cloud_clients(cloud_names, keys)
        check_credentials(clouds, name)
    except (Refused, SystemExit) as exc:
        print(f"bp destroy: {exc}", file=sys.stderr)
        return commands.EXIT_REFUSED
    if not args.yes and not commands.confirm(name)(f"destroy learning stack {name}? type its name to confirm: "):
        print("nothing destroyed")
        return commands.EXIT_LEFT

    def report_left() -> bool:
        try:
            state = keys_of(read_export(name))
        except StateError as exc:
            print(f"sweep skipped: {exc}")
            return False
        return not sweep(name, clouds, state).triage.orphans

    return execute(build_steps(name, clouds, keys), pulumi_destroy(name), report_left, attempts=args.attempts)
