"""The program's side of the lease: fix a learning stack's start before any resource is built.

See ``components.lease`` for where the start is kept. Under the mock runtime
(``bp preview``, tests) there is no backend to read, so the config's
``leaseStart`` or the start of the current UTC day stands in, as before.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

import pulumi
from pulumi.runtime import mocks, settings

from components.config import PlatformConfig
from components.lease import Runner, run_pulumi, lease_start, recorded_lease_start


def under_mocks() -> bool:
    return isinstance(settings.SETTINGS.monitor, mocks.MockMonitor)


def with_lease(
    config: PlatformConfig, stack: str, *, run: Runner = run_pulumi, now: Optional[datetime] = None,
    real_engine: Optional[bool] = None,
) -> PlatformConfig:
    """``config`` with ``lease_start`` fixed (learning stacks under a real engine only)."""
    if config.is_production:
        return config
    if real_engine is None:
        real_engine = not under_mocks()
    if not real_engine or config.lease_start is not None:
        return config
    recorded, reason = recorded_lease_start(stack, run=run, cwd=settings.get_root_directory() or None)
    if recorded is None:
        pulumi.log.info(f"lease of stack {stack} begins now ({reason})")
    start = lease_start(None, recorded, now or datetime.now(timezone.utc))
    return config.model_copy(update={"lease_start": start})
