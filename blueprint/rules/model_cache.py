"""A small JSON file in the user's cache directory, built once per key.

The clouds' models are large and the rules read a small part of them; the
part in use is written here so later previews skip parsing the whole model.
Without a writable cache directory the value is built every time, just
slower.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "blueprint"


def cached_json(name: str, build: Callable[[], Any]) -> Any:
    """The JSON value stored under ``name``, or ``build()`` stored there first."""
    path = _cache_dir() / name
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value))
        tmp.replace(path)  # atomic: parallel test workers never read half a file
    except OSError:
        pass
    return value
