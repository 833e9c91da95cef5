"""What every stage on one cloud shares: config, names, tags and the foundation.

A ``StageContext`` is handed to each stage component in its args. It is the
single place that turns the stack config into tags and physical names, so
that every component tags and names the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

from components.config import Cloud, PlatformConfig, StageName
from components.naming import Namer, NamingError
from components.tags import common_tags, labels
from components.zones import Zone

STAGE_ZONES: dict[StageName, Zone] = {
    StageName.CONNECT: Zone.EDGE,
    StageName.BUFFER: Zone.DATA,
    StageName.PROCESSING: Zone.PROCESSING,
    StageName.STORE: Zone.DATA,
    StageName.VISUALIZE: Zone.SERVING,
}
"""The zone each stage's resources live in unless a resource says otherwise."""


@dataclass(frozen=True)
class StageContext:
    """Shared inputs of the stages that run on ``cloud``."""

    cloud: Cloud
    config: PlatformConfig
    stack: str
    project: str = "blueprint"
    foundation: Any = None
    """The cloud's ``Foundation`` component (network, key, budget), set by the platform."""
    now: Optional[datetime] = None
    """Clock for the ``expires-at`` tag; None means the real clock."""
    declared_names: Optional[frozenset[tuple[str, str]]] = None
    """The (service, role) pairs checked up front; ``name`` refuses others (None: no check)."""
    namer: Namer = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "namer", Namer(self.project, self.stack, self.config.names))

    def with_foundation(self, foundation: Any) -> "StageContext":
        return StageContext(
            self.cloud, self.config, self.stack, self.project, foundation, self.now, self.declared_names
        )

    @property
    def profile(self) -> str:
        return self.config.profile.value

    @property
    def is_production(self) -> bool:
        return self.config.is_production

    @property
    def protect(self) -> bool:
        """Whether stateful resources carry ``protect=True``."""
        return self.config.defaults.protect

    @property
    def force_destroy(self) -> bool:
        """Whether stores delete their contents on destroy (learning only)."""
        return self.config.defaults.force_destroy

    def tags(self, stage: StageName | str, zone: Zone | str | None = None) -> dict[str, str]:
        stage = StageName(stage) if not isinstance(stage, StageName) else stage
        zone_value = Zone(zone) if zone is not None else STAGE_ZONES.get(stage, Zone.DATA)
        return common_tags(
            owner=self.config.owner,
            stack=self.stack,
            stage=stage.value,
            zone=zone_value.value,
            profile=self.profile,
            expires_at=self.config.expires_at(self.now),
            extra=self.config.tags,
        )

    def foundation_tags(self, zone: Zone | str = Zone.DATA) -> dict[str, str]:
        """Tags for shared resources that serve every stage (network, key, budget)."""
        tags = self.tags(StageName.STORE, zone)
        tags["stage"] = "foundation"
        return tags

    def labels(self, stage: StageName | str, zone: Zone | str | None = None) -> dict[str, str]:
        return labels(self.tags(stage, zone))

    def foundation_labels(self, zone: Zone | str = Zone.DATA) -> dict[str, str]:
        return labels(self.foundation_tags(zone))

    def name(self, service: str, role: str, *, salt: str = "") -> str:
        """A physical name; see ``components.naming.Namer.name``.

        Only declared (service, role) pairs are allowed, so that every name was
        checked before the first resource was registered.
        """
        if self.declared_names is not None and (service, role) not in self.declared_names:
            raise NamingError(
                f"physical name ({service!r}, {role!r}) is not declared by the {self.cloud.value} implementation "
                f"(infra/{self.cloud.value}/names.py)"
            )
        return self.namer.name(service, role, salt=salt)
