"""Imports every checker module so its ``@checker`` functions register."""
from blueprint.rules import lifecycle  # noqa: F401
