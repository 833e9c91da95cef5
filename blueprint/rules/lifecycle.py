"""The lifecycle check: every pinned runtime and release is one its cloud still supports.

It reads the synthesized inputs, not the program's constants, so a version
written anywhere in the program is judged. Within ``WARN_DAYS`` of the last
supported day the preview warns; after that day it refuses; a version the
table in ``releases`` does not know is refused too, so that nothing
unknown slips through.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from blueprint.engine import UNKNOWN, RecordedResource, Synthesis
from blueprint.rules import Context, Finding, Severity, checker
from blueprint.rules.releases import AZURE_API_VERSIONS, DATAPROC_IMAGE, PRODUCTS, Product, Release

WARN_DAYS = 90
"""Warn this many days (or fewer) before the last supported day."""

_AZURE_VERSIONED = re.compile(r"^azure-native:(?P<module>[a-zA-Z]+)/(?P<version>v\d{8}(?:preview)?):(?P<type>\w+)$")
_IMAGE = re.compile(r"^(?P<minor>\d+\.\d+)(?:\.\d+)?(?:-(?P<os>[a-z]+\d+))?$")


def canonical_type(token: str) -> str:
    """``azure-native:synapse/v20210601:BigDataPool`` -> ``azure-native:synapse:BigDataPool``."""
    match = _AZURE_VERSIONED.match(token)
    return f"azure-native:{match['module']}:{match['type']}" if match else token


def _lookup(inputs: dict[str, Any], path: str) -> Any:
    node: Any = inputs
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _normalized(product: Product, value: str) -> str:
    """Dataproc accepts ``2.2``, ``2.2-debian12`` and ``2.2.45-debian12`` for one image line."""
    if product is DATAPROC_IMAGE:
        match = _IMAGE.match(value)
        if match:
            return f"{match['minor']}-{match['os'] or 'debian12'}"
    return value


def _cited(release: Release) -> str:
    return f"{release.source}, read {release.read.isoformat()}"


def judge(product: Product, value: str, context: Context) -> tuple[Severity, str, str] | None:
    """``(severity, rule, source)`` for one pinned version, or None when it is fine."""
    release = product.find(_normalized(product, value))
    if release is None:
        known = ", ".join(r.version for r in product.releases if r.supported_until >= context.today)
        sources = sorted({r.source for r in product.releases})
        return (
            Severity.ERROR,
            f"not a known {product.name}; supported today: {known or 'none'} "
            "(add a release to blueprint/rules/releases.py with its end-of-support date and source)",
            ", ".join(sources),
        )
    until = release.supported_until
    left = (until - context.today).days
    newer = [r.version for r in product.releases if r.supported_until > until]
    instead = f"; use {' or '.join(newer)}" if newer else ""
    if left < 0:
        return (
            Severity.ERROR,
            f"{product.name} {release.version} reached end of support on {until.isoformat()}{instead}",
            _cited(release),
        )
    if left <= WARN_DAYS:
        return (
            Severity.WARNING,
            f"{product.name} {release.version} ends support on {until.isoformat()}, in {left} days{instead}",
            _cited(release),
        )
    return None


def _pinned(resource: RecordedResource) -> Iterator[tuple[Product, str, Any]]:
    kind = canonical_type(resource.type)
    for product in PRODUCTS:
        for token, path in product.pins:
            if token == kind:
                yield product, path, _lookup(resource.inputs, path)


def _api_version(resource: RecordedResource, context: Context) -> Finding | None:
    match = _AZURE_VERSIONED.match(resource.type)
    if not match:
        return None
    key = f"{match['module']}/{match['version']}"
    release = AZURE_API_VERSIONS.get(key)
    if release is None:
        return Finding(
            Severity.ERROR, resource.urn, "(type)", resource.type,
            f"azure-native API version {key} is not a known release; use the provider's default token "
            f"(azure-native:{match['module']}:{match['type']}) or add the version to "
            "blueprint/rules/releases.py with its retirement date and source",
            "Azure REST API versions: https://learn.microsoft.com/azure/azure-resource-manager/management/"
            "resource-providers-and-types",
        )
    if (release.supported_until - context.today).days < 0:
        return Finding(
            Severity.ERROR, resource.urn, "(type)", resource.type,
            f"azure-native API version {key} was retired on {release.supported_until.isoformat()}",
            _cited(release),
        )
    return None


@checker
def lifecycle(synthesis: Synthesis, context: Context) -> Iterable[Finding]:
    """Pinned runtimes and releases near or past their end of support, or unknown."""
    for resource in synthesis.resources:
        api = _api_version(resource, context)
        if api is not None:
            yield api
        for product, path, value in _pinned(resource):
            if value is None or value == UNKNOWN:
                # Unpinned: the cloud picks its current default, which is supported by definition.
                continue
            verdict = judge(product, str(value), context)
            if verdict is not None:
                severity, rule, source = verdict
                yield Finding(severity, resource.urn, path, value, rule, source)
