"""Imports every checker module so its ``@checker`` functions register."""
