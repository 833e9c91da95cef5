"""The plan: a synthesis turned into a reviewable, diffable document.

Each resource gets its cloud, stage and zone. The stage is the nearest
ancestor stage component (``blueprint:stage:*``); shared resources under a
``Foundation`` are ``foundation``. The zone is the resource's own ``zone``
tag or label when it has one, else its stage's zone. The JSON form
(``bp preview STACK --json FILE``) is stable: sorted keys, resources sorted
by URN, so two plans diff cleanly.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from blueprint.engine import RecordedResource, Synthesis
from components.context import STAGE_ZONES
from components.config import StageName

PLAN_VERSION = 1
FOUNDATION = "foundation"
PLATFORM = "platform"


def cloud_of(token: str) -> str:
    package = token.split(":")[0] if not token.startswith("pulumi:providers:") else token.split(":")[2]
    return {"azure-native": "azure"}.get(package, package)


@dataclass
class PlannedResource:
    urn: str
    type: str
    name: str
    parent: str
    cloud: str
    stage: str
    zone: str
    custom: bool
    protect: bool
    inputs: dict[str, Any]


@dataclass
class Plan:
    stack: str
    project: str
    resources: list[PlannedResource]
    exports: dict[str, Any]

    @property
    def custom_resources(self) -> list[PlannedResource]:
        return [r for r in self.resources if r.custom and not r.type.startswith("pulumi:providers:")]

    def counts(self) -> dict[str, Any]:
        custom = self.custom_resources
        return {
            "resources": len(custom),
            "components": len([r for r in self.resources if not r.custom]),
            "providers": len([r for r in self.resources if r.type.startswith("pulumi:providers:")]),
            "by_stage": dict(sorted(Counter(r.stage for r in custom).items())),
            "by_cloud": dict(sorted(Counter(r.cloud for r in custom).items())),
            "by_type": dict(sorted(Counter(r.type for r in custom).items())),
            "protected": len([r for r in custom if r.protect]),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "version": PLAN_VERSION,
            "project": self.project,
            "stack": self.stack,
            "counts": self.counts(),
            "exports": self.exports,
            "resources": [asdict(r) for r in self.resources],
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2, sort_keys=True, default=str) + "\n")

    @classmethod
    def read(cls, path: Path) -> "Plan":
        data = json.loads(path.read_text())
        if data.get("version") != PLAN_VERSION:
            raise ValueError(f"{path}: plan version {data.get('version')!r} is not {PLAN_VERSION}")
        return cls(
            stack=data["stack"], project=data["project"], exports=data.get("exports", {}),
            resources=[PlannedResource(**r) for r in data["resources"]],
        )


def stage_of(resource: RecordedResource, by_urn: dict[str, RecordedResource]) -> str:
    """The nearest ancestor ``blueprint:stage:*`` component, else foundation, else the resource's own
    ``stage`` tag or label (a cross-cloud edge's resources sit under the platform but belong to the
    stage they stand in for), else platform."""
    current: RecordedResource | None = resource
    in_foundation = False
    while current is not None:
        if current.type.startswith("blueprint:stage:"):
            return current.type.rsplit(":", 1)[1].lower()
        in_foundation = in_foundation or current.type == "blueprint:platform:Foundation"
        current = by_urn.get(current.parent) if current.parent else None
    if in_foundation:
        return FOUNDATION
    return _own_tag(resource, "stage") or PLATFORM


def _own_tag(resource: RecordedResource, name: str) -> str | None:
    for key in ("tags", "labels"):
        tags = resource.inputs.get(key)
        if isinstance(tags, dict) and isinstance(tags.get(name), str):
            return tags[name]
    return None


def _own_zone(resource: RecordedResource) -> str | None:
    return _own_tag(resource, "zone")


def _zone_from_dependencies(resource: RecordedResource, zones: dict[str, str]) -> str | None:
    """The zone of what ``resource`` attaches to (a route to its subnet, an alias to its key)."""
    # Later keys name the more specific target (subnetId after routeTableId).
    for key in sorted(resource.property_dependencies, reverse=True):
        for urn in resource.property_dependencies[key]:
            if zones.get(urn):
                return zones[urn]
    return None


def build_plan(synthesis: Synthesis) -> Plan:
    by_urn = synthesis.by_urn
    placed: dict[str, tuple[str, str, str]] = {}

    def place(resource: RecordedResource) -> tuple[str, str, str]:
        """(cloud, stage, zone) of ``resource``, inherited from the nearest placed ancestor."""
        if resource.urn in placed:
            return placed[resource.urn]
        parent = by_urn.get(resource.parent)
        cloud, _, zone = place(parent) if parent else ("", PLATFORM, "")
        stage = stage_of(resource, by_urn)
        if resource.type.startswith("blueprint:stage:"):
            zone = STAGE_ZONES[StageName(stage)].value
        if resource.custom:
            cloud = cloud_of(resource.type)
        elif resource.type == "blueprint:platform:Foundation":
            cloud = resource.name.rsplit("-", 1)[-1]
        zone = _own_zone(resource) or zone
        placed[resource.urn] = (cloud, stage, zone)
        return placed[resource.urn]

    own_zones = {r.urn: z for r in synthesis.resources if (z := _own_zone(r))}
    resources = []
    for r in synthesis.resources:
        if r.type == "pulumi:pulumi:Stack":
            continue
        cloud, stage, zone = place(r)
        if r.urn not in own_zones:
            zone = _zone_from_dependencies(r, own_zones) or zone or "shared"
        parent = by_urn.get(r.parent)
        resources.append(PlannedResource(
            urn=r.urn, type=r.type, name=r.name,
            parent=parent.name if parent and parent.type != "pulumi:pulumi:Stack" else "",
            cloud=cloud, stage=stage, zone=zone, custom=r.custom, protect=r.protect, inputs=r.inputs,
        ))
    return Plan(stack=synthesis.stack, project=synthesis.project, resources=resources, exports=synthesis.exports)
