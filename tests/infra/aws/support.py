"""Helpers for the AWS tests: synthesized variations (cached) and record lookups.

Every helper reads recorded inputs and options of a ``Synthesis``; none runs
inside an ``apply``.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from typing import Any, Iterator

from blueprint.engine import RecordedResource, Synthesis
from tests.conftest import stack_config, synth

LEARNING, PRODUCTION = "aws", "aws-prod"

OVERRIDES = {
    "stages": {
        "connect": {"auth": "api-key", "throttleRate": 7, "throttleBurst": 11},
        "buffer": {"retentionHours": 48},
        "processing": {"maxVcpu": 8},
        "store": {"rawExpirationDays": 5},
        "visualize": {"scanLimitGb": 3},
    },
    "aws": {"region": "eu-west-1", "apiGatewayLoggingRole": "existing"},
}
"""One learning variation that overrides every AWS-relevant default at once."""

CLUSTER = {"stages": {"processing": {"engine": "cluster", "acceptIdleCost": True}}}


@functools.lru_cache(maxsize=None)
def variation(name: str) -> Synthesis:
    """A cached synthesis of a named config variation of the learning stack."""
    configs = {"overrides": OVERRIDES, "cluster": CLUSTER}
    return synth(LEARNING, stack_config(LEARNING, **configs[name]))


def of_type(s: Synthesis, token: str) -> list[RecordedResource]:
    return [r for r in s.resources if r.type == token]


def one(s: Synthesis, token: str, name_suffix: str = "") -> RecordedResource:
    found = [r for r in of_type(s, token) if r.name.endswith(name_suffix)]
    assert len(found) == 1, f"expected one {token} ending {name_suffix!r}, found {[r.name for r in found]}"
    return found[0]


def component(s: Synthesis, token: str) -> RecordedResource:
    return one(s, token)


def children(s: Synthesis, parent: RecordedResource) -> list[RecordedResource]:
    return [r for r in s.resources if r.parent == parent.urn]


def child_types(s: Synthesis, parent: RecordedResource) -> Counter:
    return Counter(r.type.split(":")[-1] for r in children(s, parent))


def descendants(s: Synthesis, parent: RecordedResource) -> Iterator[RecordedResource]:
    for child in children(s, parent):
        yield child
        yield from descendants(s, child)


def doc(value: Any) -> dict:
    """A JSON policy input, parsed (it must be concrete, not computed)."""
    assert isinstance(value, str) and value.startswith("{"), f"not a concrete JSON document: {value!r}"
    return json.loads(value)


def statements(document: dict) -> list[dict]:
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def by_urn(s: Synthesis, urn: str) -> RecordedResource:
    return s.by_urn[urn]


def bucket_named(s: Synthesis, suffix: str) -> RecordedResource:
    return one(s, "aws:s3/bucket:Bucket", f"-{suffix}")


def attached_to(s: Synthesis, token: str, bucket: RecordedResource) -> list[RecordedResource]:
    """Resources of ``token`` whose ``bucket`` input depends on ``bucket``."""
    return [r for r in of_type(s, token) if bucket.urn in r.property_dependencies.get("bucket", [])]
