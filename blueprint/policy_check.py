"""``bp policy STACK``: the policy pack run offline on a stack's synthesized resources.

Each ``RecordedResource`` of the offline engine becomes what the Pulumi CLI
would hand the pack: a ``ResourceValidationArgs`` per resource (props = the
recorded inputs, camelCase; options with ``protect`` and the parent; the
provider with its own inputs) and one ``StackValidationArgs`` holding every
resource as a ``PolicyResource`` with its parent, dependencies and property
dependencies resolved to objects. Every policy of ``policies.catalogue`` runs
with the profile's enforcement level; the command prints the violations by
stage and exits 1 when any is mandatory.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
    StackValidationPolicy,
)

from blueprint.engine import RecordedResource, Synthesis
from blueprint.plan import FOUNDATION, PLATFORM, stage_of
EXIT_VIOLATIONS = 1


@dataclass(frozen=True)
class Violation:
    rule: str
    ref: str
    urn: str
    resource: str
    type: str
    stage: str
    severity: str
    enforcement: str
    message: str
    fix: str

    @property
    def mandatory(self) -> bool:
        return self.enforcement == EnforcementLevel.MANDATORY.value


def _options(record: RecordedResource) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=record.protect, ignore_changes=list(record.ignore_changes),
        delete_before_replace=record.delete_before_replace, aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0), additional_secret_outputs=[],
        parent=record.parent or None,
    )


def _providers(synthesis: Synthesis) -> dict[str, PolicyProviderResource]:
    """Provider references (``urn::id``) to the provider's recorded inputs."""
    found: dict[str, PolicyProviderResource] = {}
    for record in synthesis.resources:
        if record.type.startswith("pulumi:providers:"):
            found[record.urn] = PolicyProviderResource(record.type, record.inputs, record.urn, record.name)
    return found


def _provider_of(record: RecordedResource, providers: dict[str, PolicyProviderResource]):
    if not record.provider:
        return None
    return providers.get(record.provider.rsplit("::", 1)[0])  # a reference is "<urn>::<id>"


def policy_resources(synthesis: Synthesis) -> list[PolicyResource]:
    """Every recorded resource as a ``PolicyResource`` with links resolved to objects."""
    providers = _providers(synthesis)
    by_urn: dict[str, PolicyResource] = {}
    for record in synthesis.resources:
        by_urn[record.urn] = PolicyResource(
            record.type, record.inputs, record.urn, record.name, _options(record),
            _provider_of(record, providers), None, [], {},
        )
    for record in synthesis.resources:
        resource = by_urn[record.urn]
        resource.parent = by_urn.get(record.parent)
        resource.dependencies = [by_urn[u] for u in record.dependencies if u in by_urn]
        resource.property_dependencies = {
            key: [by_urn[u] for u in urns if u in by_urn] for key, urns in record.property_dependencies.items()
        }
    return [by_urn[r.urn] for r in synthesis.resources]


def _run(validate, args, sink: list[tuple[str, Optional[str]]]) -> None:
    def report(message: str, urn: Optional[str] = None) -> None:
        sink.append((message, urn))

    validate(args, report)


def evaluate(synthesis: Synthesis, profile: str) -> list[Violation]:
    """Every violation of every rule on ``synthesis`` under ``profile``'s enforcement levels."""
    from policies.catalogue import RULES

    by_urn = synthesis.by_urn
    resources = policy_resources(synthesis)
    stack_urn = next((r.urn for r in synthesis.resources if r.type == "pulumi:pulumi:Stack"), "")
    violations: list[Violation] = []
    for rule in RULES:
        level = rule.enforcement(profile)
        if level == EnforcementLevel.DISABLED:
            continue
        policy = rule.policy(profile)
        config = {"profile": profile, "stack": synthesis.stack}
        found: list[tuple[str, str]] = []
        if isinstance(policy, StackValidationPolicy):
            sink: list = []
            _run(policy.validate, StackValidationArgs(resources, config), sink)
            found += [(msg, urn or stack_urn) for msg, urn in sink]
        else:
            for resource in resources:
                if resource.resource_type.startswith("pulumi:providers:"):
                    continue
                args = ResourceValidationArgs(resource.resource_type, resource.props, resource.urn, resource.name,
                                              resource.opts, resource.provider, config)
                sink = []
                _run(policy.validate, args, sink)
                found += [(msg, resource.urn) for msg, _ in sink]
        for message, urn in found:
            record = by_urn.get(urn)
            violations.append(Violation(
                rule=rule.name, ref=rule.ref, urn=urn, resource=record.name if record else synthesis.stack,
                type=record.type if record else "pulumi:pulumi:Stack",
                stage=stage_of(record, by_urn) if record else PLATFORM, severity=rule.severity.value,
                enforcement=level.value, message=message, fix=rule.fix,
            ))
    return violations


STAGE_ORDER = (FOUNDATION, "connect", "buffer", "processing", "store", "visualize", PLATFORM)


def _print(violations: list[Violation], stack: str, profile: str, show_advisory: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 160))
    shown = [v for v in violations if show_advisory or v.mandatory]
    for stage in STAGE_ORDER:
        rows = [v for v in shown if v.stage == stage]
        if not rows:
            continue
        table = Table(title=f"{stage}", title_justify="left", show_lines=False)
        for column in ("rule", "resource", "severity", "enforcement", "fix"):
            table.add_column(column, overflow="fold")
        for v in sorted(rows, key=lambda v: (not v.mandatory, v.rule, v.resource)):
            table.add_row(f"{v.rule} ({v.ref})", f"{v.resource}\n[dim]{v.type}[/dim]", v.severity, v.enforcement,
                          v.message)
        console.print(table)
    mandatory = sum(v.mandatory for v in violations)
    console.print(f"stack {stack} (profile {profile}): {mandatory} mandatory, "
                  f"{len(violations) - mandatory} advisory violation(s)"
                  + ("" if show_advisory else "; --advisory shows the advisory ones"))


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The arguments of ``bp policy``, shared by ``bp`` and ``python -m blueprint.policy_check``."""
    from blueprint.paths import writable_file

    parser.add_argument("stack", help="an example stack, e.g. aws (reads Pulumi.<stack>.yaml), or a path to a stack file")
    parser.add_argument("--profile", choices=("learning", "production"),
                        help="enforcement profile; default: the stack's blueprint:profile")
    parser.add_argument("--json", metavar="FILE", type=writable_file,
                        help="also write the violations as JSON to FILE")
    parser.add_argument("--advisory", action="store_true", help="list advisory violations too")
    return parser


def run(args: argparse.Namespace) -> int:
    """Exit 1 on mandatory violations, 2 on refused input."""
    from blueprint.engine import SynthesisError, synthesize
    from components.config import ConfigError

    try:
        synthesis = synthesize(args.stack)
    except (ConfigError, SynthesisError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    profile = args.profile or str(synthesis.config.get("blueprint:profile") or "learning")
    violations = evaluate(synthesis, profile)
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(v) for v in violations], indent=2) + "\n")
    _print(violations, args.stack, profile, args.advisory)
    return EXIT_VIOLATIONS if any(v.mandatory for v in violations) else 0


def main(argv: Optional[list[str]] = None) -> int:
    """``policy STACK [--profile P] [--json FILE] [--advisory]``; exit 1 on mandatory violations."""
    parser = argparse.ArgumentParser(prog="bp policy", description="Run the policy pack on a stack, offline.")
    return run(add_arguments(parser).parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
