"""The base of every stage component: a type token and a typed output contract.

Each stage (Connect, Buffer, Processing, Store, Visualize) declares the names
of its outputs once, in ``OUTPUTS``. Every cloud implementation subclasses the
stage and finishes by calling ``self._publish(...)`` with exactly those
outputs, so the contract cannot drift between clouds: a missing or extra
output is a ``TypeError`` at construction.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi

from components.config import StageName
from components.context import STAGE_ZONES
from components.zones import Zone

COMMON_OUTPUTS: tuple[str, ...] = ("cloud", "identity")
"""Outputs of every stage: the cloud it runs on and the stage's own identity."""


class Stage(pulumi.ComponentResource):
    """A platform stage. Subclasses set ``STAGE`` and ``OUTPUTS``."""

    STAGE: ClassVar[StageName]
    OUTPUTS: ClassVar[tuple[str, ...]]

    cloud: pulumi.Output[str]
    """The cloud the stage runs on (aws, azure or gcp)."""
    identity: pulumi.Output[str]
    """The stage's own least-privilege identity (role ARN, managed identity id, service account e-mail)."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(self.type_token(), name, None, opts)

    @classmethod
    def type_token(cls) -> str:
        return f"blueprint:stage:{cls.STAGE.value.capitalize()}"

    @property
    def zone(self) -> Zone:
        return STAGE_ZONES[self.STAGE]

    def _publish(self, **outputs: Any) -> None:
        """Assign and register the contract outputs; call once, last."""
        publish_contract(self, f"the {self.STAGE.value} contract", set(COMMON_OUTPUTS) | set(self.OUTPUTS), outputs)


def publish_contract(
    component: pulumi.ComponentResource, contract: str, expected: set[str], outputs: dict[str, Any]
) -> None:
    """Set ``outputs`` as attributes of ``component`` and register them, if they are exactly ``expected``."""
    missing, extra = expected - outputs.keys(), outputs.keys() - expected
    if missing or extra:
        raise TypeError(
            f"{type(component).__name__} broke {contract}: missing {sorted(missing)}, unexpected {sorted(extra)}"
        )
    for key, value in outputs.items():
        setattr(component, key, pulumi.Output.from_input(value))
    component.register_outputs({key: outputs[key] for key in sorted(outputs)})
