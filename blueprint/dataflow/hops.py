"""What a smoke run says about each hop: ran (in the cloud or an emulator), bridged by the command, or failed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

RAN, BRIDGED, FAILED, SKIPPED = "ran", "bridged", "FAILED", "skipped"


@dataclass
class Hop:
    name: str
    status: str
    detail: str
    seconds: float


@dataclass
class Hops:
    hops: list[Hop] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    _mark: float = field(default_factory=time.monotonic)

    def add(self, name: str, status: str, detail: str) -> Hop:
        now = time.monotonic()
        hop = Hop(name, status, detail, now - self._mark)
        self._mark = now
        self.hops.append(hop)
        print(f"  {hop.name:<22} {hop.status:<8} {hop.seconds:6.1f}s  {hop.detail}", flush=True)
        return hop

    def found(self, name: str, ids: int, count: int, first: str, where: str, after: float) -> bool:
        """Record the hop that waited for ``count`` probe events in raw; True when all arrived."""
        if ids != count:
            self.add(name, FAILED, f"{ids}/{count} in {where} after {after:.0f}s")
            return False
        self.add(name, RAN, f"{count}/{count} in {first}")
        return True

    @property
    def ok(self) -> bool:
        return all(h.status != FAILED for h in self.hops)

    def footer(self) -> str:
        ran = [h.name for h in self.hops if h.status == RAN]
        bridged = [h.name for h in self.hops if h.status == BRIDGED]
        line = f"ran: {', '.join(ran) or 'none'}"
        skipped = [h.name for h in self.hops if h.status == SKIPPED]
        if bridged:
            line += f"; bridged by the command: {', '.join(bridged)}"
        if skipped:
            line += f"; not run: {', '.join(skipped)}"
        return f"{line}; wall time {time.monotonic() - self.started:.1f}s; {'OK' if self.ok else 'FAILED'}"
