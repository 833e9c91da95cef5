"""A stage (or foundation) that publishes other outputs than its contract fails at construction.

The passing path runs in every synthesis (each stage and foundation publishes through it).
"""

from __future__ import annotations

import pytest

from components.stages.base import publish_contract


class Recorder:
    def __init__(self) -> None:
        self.registered = None

    def register_outputs(self, outputs):
        self.registered = outputs


def test_missing_and_unexpected_outputs_are_a_type_error_naming_both():
    component = Recorder()
    with pytest.raises(TypeError, match=r"Recorder broke the store contract: missing \['raw_uri'\], unexpected \['raw'\]"):
        publish_contract(component, "the store contract", {"raw_uri", "cloud"}, {"raw": "x", "cloud": "aws"})
    assert component.registered is None

