"""The one way a data-flow command stops early: a reason a person can act on, never a traceback."""

from __future__ import annotations

EXIT_UNAVAILABLE = 3
"""Exit code when a command cannot run here (no pulumi, no credentials, no emulator, missing output)."""


class Unavailable(RuntimeError):
    """The command cannot run in this environment; ``str()`` says why and what to do."""
