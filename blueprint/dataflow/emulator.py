"""A local emulator process on a free port: started, waited for, stopped (with its children)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from blueprint.dataflow.unavailable import Unavailable

START_TIMEOUT_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Emulator:
    name: str
    command: list[str]
    port: int
    ready_url: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log: str = ""

    def start(self) -> "Emulator":
        slug = "".join(ch if ch.isalnum() else "-" for ch in self.name.lower())
        log = tempfile.NamedTemporaryFile(prefix=f"bp-{slug}-", suffix=".log", delete=False)
        self.log = log.name
        try:
            # Its own process group, so stopping it also stops what it starts (gcloud starts a JVM).
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT,
                                            env={**os.environ, **self.env}, start_new_session=True)
        except FileNotFoundError:
            raise Unavailable(f"{self.name} is not installed here ({self.command[0]} not found)") from None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Unavailable(f"{self.name} exited at start (code {self.process.returncode}); see {self.log}")
            try:
                urllib.request.urlopen(self.ready_url, timeout=2)
                return self
            except urllib.error.HTTPError:
                return self  # it answers: up
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.3)
        self.stop()
        raise Unavailable(f"{self.name} did not answer on port {self.port} within {START_TIMEOUT_SECONDS}s; see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
