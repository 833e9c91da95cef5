"""What a cloud holds under this project's tags, and which of it a sweep may touch.

A ``Found`` resource is one entry of a cloud's inventory (AWS Resource Groups
Tagging API, Azure Resource Graph, GCP Cloud Asset Inventory) with its tags.
``refusal`` is the one rule that guards every deletion: only resources that
carry ``managed-by: blueprint``, belong to the named stack, and are not
production may be deleted; everything else is reported and left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from components.naming import label_value
from components.tags import MANAGED_BY

DELETE_ORDER: tuple[str, ...] = ("connect", "buffer", "processing", "store", "visualize", "foundation")
"""Producers first, then the buffer, the Spark side, the stores, dashboards; shared network and key last."""


@dataclass(frozen=True)
class Found:
    cloud: str
    id: str
    """ARN, Azure resource id, or GCP full resource name."""
    type: str
    name: str
    tags: dict[str, str] = field(default_factory=dict)
    state: str = ""
    """Lifecycle state where the inventory has one (EMR Serverless: STARTED, STOPPED...)."""

    @property
    def stage(self) -> str:
        return self.tags.get("stage", "")

    def keys(self) -> set[str]:
        """Identifiers a stack's state may know this resource by (lower case)."""
        ident = self.id.rstrip("*").rstrip(":")
        keys = {self.id.lower(), ident.lower(), self.name.lower()}
        if "//" in ident:  # GCP full resource name: //service/projects/p/...
            keys.add(ident.split("//", 1)[1].split("/", 1)[1].lower())
        return {k for k in keys if k}


def _same(value: Optional[str], wanted: str, cloud: str) -> bool:
    if value is None:
        return False
    return value == (label_value(wanted) if cloud == "gcp" else wanted)


def refusal(found: Found, stack: str) -> Optional[str]:
    """Why ``found`` must not be deleted by a sweep of ``stack``, or None."""
    if not _same(found.tags.get("managed-by"), MANAGED_BY, found.cloud):
        return "no managed-by: blueprint tag"
    if not _same(found.tags.get("stack"), stack, found.cloud):
        return f"belongs to stack {found.tags.get('stack') or '(none)'}, not {stack}"
    if found.tags.get("profile") == "production":
        return "tagged profile: production"
    return None


def delete_rank(found: Found) -> tuple[int, str]:
    """Sort key: pipeline order by the ``stage`` tag, unknown stages just before the foundation."""
    stage = found.stage
    rank = DELETE_ORDER.index(stage) if stage in DELETE_ORDER else len(DELETE_ORDER) - 1
    return rank, found.id


@dataclass(frozen=True)
class Triage:
    orphans: list[Found]
    """Not in the stack's state and deletable by this sweep, in delete order."""
    refused: list[tuple[Found, str]]
    """Not in the state, but never deleted here (reason given)."""
    in_state: list[Found]


def triage(found: list[Found], state_keys: set[str], stack: str) -> Triage:
    orphans, refused, kept = [], [], []
    for item in found:
        if item.keys() & state_keys:
            kept.append(item)
            continue
        reason = refusal(item, stack)
        if reason:
            refused.append((item, reason))
        else:
            orphans.append(item)
    return Triage(sorted(orphans, key=delete_rank), refused, kept)
