"""Paths the user gives on the command line, checked before any work starts."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def writable_file(value: str) -> str:
    """An ``argparse`` type: a file that can be written, resolved from where the user stands.

    A preview takes seconds; finding out afterwards that its output cannot be
    written wastes them, so the check runs when the arguments are parsed.
    """
    path = Path(value).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a folder; give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise argparse.ArgumentTypeError(f"{value}: not writable")
    return str(path.resolve())
