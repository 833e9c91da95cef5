"""GCP inputs checked against the discovery documents of google-api-python-client.

The documents carry enums, patterns and number formats (``int32``,
``google-duration``, ``date``); each input of a type in
:data:`~blueprint.rules.gcp_schemas.SCHEMAS` is checked against the
property it fills. The schemas in use are cached on disk (``model_cache``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Iterator, Optional

from blueprint.engine import RecordedResource, Synthesis
from blueprint.rules import Context, Finding, Severity, checker, covers
from blueprint.rules.constraint import Constraint, violations
from blueprint.rules.coverage import type_key
from blueprint.rules.gcp_schemas import HTTP_BODIES, SCHEMAS
from blueprint.rules.model_cache import cached_json
from blueprint.rules.values import is_secret, is_unknown, steps

covers(SCHEMAS)

_INT_RANGES = {"int32": (-2**31, 2**31 - 1), "uint32": (0, 2**32 - 1),
               "int64": (-2**63, 2**63 - 1), "uint64": (0, 2**64 - 1)}
_FORMATS = {
    "google-duration": r"^-?\d+(\.\d{1,9})?s$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "google-datetime": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
}


def _reachable(schemas: dict, roots: list[str]) -> dict:
    keep: dict = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in keep:
            keep[name] = schemas[name]
            todo += re.findall(r'"\$ref": "([^"]+)"', json.dumps(schemas[name]))
    return keep


def _pruned() -> dict:
    """Per document in use, only the schemas the table's types reach."""
    import googleapiclient

    folder = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    roots: dict[str, list[str]] = {}
    for row in SCHEMAS.values():
        roots.setdefault(row.document, []).append(row.schema)
    for document, schema in HTTP_BODIES.values():
        roots.setdefault(document, []).append(schema)
    return {name: {"schemas": _reachable(json.loads((folder / f"{name}.json").read_text())["schemas"], schemas)}
            for name, schemas in sorted(roots.items())}


@functools.lru_cache(maxsize=None)
def _documents() -> dict:
    from importlib.metadata import version

    table = json.dumps(sorted({(r.document, r.schema) for r in SCHEMAS.values()} | set(HTTP_BODIES.values())))
    digest = hashlib.sha256(table.encode()).hexdigest()[:16]
    return cached_json(f"discovery-{version('google-api-python-client')}-{digest}.json", _pruned)


def _document(name: str) -> dict:
    return _documents()[name]


def _resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        node = document["schemas"][node["$ref"]]
    return node


def _child(document: dict, node: dict, step: str) -> Optional[dict]:
    node = _resolve(document, node)
    if step == "[]":
        return node.get("items")
    if step == "*":
        return node.get("additionalProperties")
    props = node.get("properties", {})
    if step in props:
        return props[step]
    lowered = {k.lower(): k for k in props}
    return props.get(lowered.get(step.lower(), ""))


def _constraint(node: dict, value: Any) -> Constraint:
    fmt = node.get("format")
    pattern = node.get("pattern")
    if pattern is not None and not pattern.startswith("^"):
        pattern = f"^(?:{pattern})$"
    if fmt in _FORMATS and isinstance(value, str) and value:
        pattern = _FORMATS[fmt]
    low, high = _INT_RANGES.get(fmt, (None, None))
    return Constraint(
        enum=tuple(node["enum"]) if "enum" in node else None,
        pattern=pattern,
        minimum=float(node["minimum"]) if "minimum" in node else low,
        maximum=float(node["maximum"]) if "maximum" in node else high,
    )


def _leaves(value: Any, at: str = "") -> Iterator[tuple[str, Any]]:
    """Every known scalar under ``value`` with its concrete path."""
    if value is None or is_unknown(value) or is_secret(value):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{at}.{key}" if at else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{at}[{i}]")
    else:
        yield at, value


def _property(at: str, renames: dict[str, str]) -> str:
    """The schema path an input path fills: the longest renamed prefix replaced."""
    shape = re.sub(r"\[\d+\]", "[]", at)
    for prefix in sorted(renames, key=len, reverse=True):
        if shape == prefix or shape.startswith(prefix + ".") or shape.startswith(prefix + "["):
            return renames[prefix] + shape[len(prefix):]
    return shape


def _walk(document: dict, node: Optional[dict], path: str) -> Optional[dict]:
    for step in steps(path):
        if node is None:
            return None
        node = _child(document, node, step)
    return _resolve(document, node) if node is not None else None


def _findings(resource: RecordedResource) -> Iterator[Finding]:
    row = SCHEMAS[type_key(resource.type)]
    document = _document(row.document)
    root = document["schemas"][row.schema]
    source = f"Google discovery {row.document} {row.schema}"
    for at, value in _leaves(resource.inputs):
        prop = _property(at, row.renames)
        node = _walk(document, root, prop)
        if node is None:
            continue
        for rule in violations(value, _constraint(node, value)):
            yield Finding(Severity.ERROR, resource.urn, at, value, rule, f"{source}.{prop}")


@checker
def gcp_discovery_documents(synthesis: Synthesis, context: Context) -> Iterator[Finding]:
    for resource in synthesis.custom():
        if type_key(resource.type) in SCHEMAS:
            yield from _findings(resource)
