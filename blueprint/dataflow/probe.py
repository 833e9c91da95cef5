"""The smoke test's events: N sensor events carrying one correlation id, and the averages they must give.

Every event of one smoke run has ``sensor_id`` ``smoke-<correlation id>``
and ``event_id`` ``<correlation id>-<n>``, so a search of raw finds exactly
them, and the run's curated rows are told apart from real sensors'. The
values are fixed (0, 1, 2, ...), all in the current minute, so the expected
average is known without running anything.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MEASUREMENT = "smoke"
MARK = "_smoke"
"""The prefix under which the smoke's own copies and outputs live (removed afterwards)."""


@dataclass
class Probe:
    count: int
    correlation_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0))

    @property
    def sensor_id(self) -> str:
        return f"smoke-{self.correlation_id}"

    @property
    def prefix(self) -> str:
        return f"{MARK}/{self.correlation_id}"

    def events(self) -> list[dict]:
        return [{"event_id": f"{self.correlation_id}-{i}", "sensor_id": self.sensor_id, "measurement": MEASUREMENT,
                 "timestamp": (self.at + dt.timedelta(milliseconds=i)).isoformat(timespec="milliseconds")
                 .replace("+00:00", "Z"), "value": float(i)} for i in range(self.count)]

    def bodies(self) -> list[bytes]:
        return [json.dumps(e, separators=(",", ":")).encode("utf-8") for e in self.events()]

    @property
    def expected_average(self) -> float:
        return (self.count - 1) / 2

    def found_in(self, text: str) -> set[str]:
        """The probe's event ids that occur in ``text`` (a raw file's decoded contents)."""
        return {f"{self.correlation_id}-{i}" for i in range(self.count)
                if f'"{self.correlation_id}-{i}"' in text}

    def search(self, files: Iterable[tuple[str, str]]) -> "Found":
        """The probe's event ids in ``(name, decoded text)`` pairs, the files holding some, and those holding only them."""
        result = Found()
        for name, text in files:
            ids = self.found_in(text)
            if ids:
                result.ids |= ids
                result.names.append(name)
                if all(self.correlation_id in line for line in text.splitlines() if line.strip()):
                    result.only.append(name)
        return result

    def wait(self, files: Callable[[], Iterable[tuple[str, str]]], deadline_seconds: float, poll_seconds: float,
             sink: str) -> "Found":
        """Search ``files()`` again until every probe event is found or the deadline passes."""
        deadline = time.monotonic() + deadline_seconds
        while True:
            result = self.search(files())
            if len(result.ids) == self.count or time.monotonic() >= deadline:
                return result
            print(f"  waiting for {sink}: {len(result.ids)}/{self.count} in raw", flush=True)
            time.sleep(poll_seconds)


@dataclass
class Found:
    ids: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    """Raw files holding probe events."""
    only: list[str] = field(default_factory=list)
    """Raw files holding nothing but probe events (the ones cleanup may delete)."""
