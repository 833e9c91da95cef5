"""``bp sweep STACK``: what a stack left behind, found by tag and compared with its state.

Dry run by default: prints the orphans (deletable), the refused (tagged for the
stack but never deleted here, with the reason) and the cloud's known untagged
leftovers. ``--delete`` asks for confirmation, then deletes the orphans in
pipeline order and reports each result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Protocol

from blueprint.teardown.inventory import Found, Triage, triage

UNTAGGED_LEFTOVERS: dict[str, tuple[str, ...]] = {
    "aws": (
        "Glue database `default`: created by Spark on first use, untagged and shared by the whole account and "
        "region; delete it only if nothing else uses it (aws glue delete-database --name default)",
        "log group `/aws/apigateway/welcome`: written by API Gateway when the account's CloudWatch role is set; "
        "untagged (aws logs delete-log-group --log-group-name /aws/apigateway/welcome)",
    ),
    "azure": (
        "soft-deleted Key Vaults keep their names reserved for the retention period; listed by "
        "`az keyvault list-deleted`, removed by `az keyvault purge --name NAME`",
        "network interfaces and NetworkWatcherRG created by Azure services are untagged and follow their owners",
    ),
    "gcp": (
        "KMS key rings and keys cannot be deleted: the destroy schedules key versions for destruction and the "
        "empty ring stays (no charge)",
        "enabled APIs stay enabled (the stack does not disable them on destroy: other workloads may use them)",
    ),
}
"""What a destroy leaves that carries no tag of ours, so no sweep can prove it belongs to the stack."""


class Cloud(Protocol):
    def inventory(self, stack: str) -> list[Found]: ...

    def delete(self, item: Found, progress: Callable[[str], None] = print) -> Optional[str]: ...


@dataclass
class SweepReport:
    triage: Triage
    deleted: list[Found] = field(default_factory=list)
    left: list[tuple[Found, str]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.triage.orphans or (len(self.deleted) == len(self.triage.orphans) and not self.left)


def render(stack: str, result: Triage, clouds: Iterable[str]) -> str:
    lines = [f"stack {stack}: {len(result.in_state)} tagged resources in its state, "
             f"{len(result.orphans)} orphans, {len(result.refused)} refused"]
    for item in result.orphans:
        lines.append(f"  orphan   [{item.stage or '-'}] {item.type} {item.id}" + (f" ({item.state})" if item.state else ""))
    for item, reason in result.refused:
        lines.append(f"  refused  {item.type} {item.id}: {reason}")
    for cloud in clouds:
        for note in UNTAGGED_LEFTOVERS.get(cloud, ()):
            lines.append(f"  note ({cloud}): {note}")
    return "\n".join(lines)


def sweep(stack: str, clouds: dict[str, Cloud], state_keys: set[str], *, delete: bool = False,
          confirm: Callable[[str], bool] = lambda prompt: False, out: Callable[[str], None] = print) -> SweepReport:
    found = [item for cloud in clouds.values() for item in cloud.inventory(stack)]
    report = SweepReport(triage(found, state_keys, stack))
    out(render(stack, report.triage, clouds))
    if not delete or not report.triage.orphans:
        return report
    if not confirm(f"delete {len(report.triage.orphans)} orphans of stack {stack}? type the stack name to confirm: "):
        out("nothing deleted")
        return report
    for item in report.triage.orphans:
        try:
            why = clouds[item.cloud].delete(item, out)
        except Exception as exc:  # noqa: BLE001 (one failure must not stop the others; each is reported)
            why = f"{type(exc).__name__}: {exc}"
        if why:
            report.left.append((item, why))
            out(f"  left     {item.id}: {why}")
        else:
            report.deleted.append(item)
            out(f"  deleted  {item.id}")
    return report
