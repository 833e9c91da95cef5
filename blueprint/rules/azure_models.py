"""Azure inputs checked against the azure-mgmt SDK models and their operations' name rules.

Body constraints come from each model class's ``_validation`` (``minimum``,
``maximum``, lengths, ``pattern``, ``required``, list sizes) followed through
nested models; name constraints from the URL parameters of the type's
operations module (read as text, not imported). Enums are extensible strings
in these models and are not judged. Modules load on first use and are cached.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
from pathlib import Path
from typing import Any, Iterator

from blueprint.engine import RecordedResource, Synthesis
from blueprint.rules import Context, Finding, Severity, checker, covers
from blueprint.rules.azure_models_table import MODELS
from blueprint.rules.constraint import Constraint, violations
from blueprint.rules.coverage import type_key
from blueprint.rules.values import is_secret, is_unknown

covers(MODELS)

_URL_PARAM = re.compile(
    r"""url\(\s*["'](\w+)["']\s*,\s*[\w.]+\s*,\s*["']str["']((?:\s*,\s*\w+\s*=\s*(?:r?"[^"]*"|r?'[^']*'|\d+))*)\s*,?\s*\)""",
    re.DOTALL)
_KWARG = re.compile(r"""(\w+)\s*=\s*(r?"[^"]*"|r?'[^']*'|\d+)""")


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


@functools.lru_cache(maxsize=None)
def _name_rules(operations: str) -> dict[str, Constraint]:
    """URL parameter constraints of an operations module, by wire name (``namespaceName``)."""
    spec = importlib.util.find_spec(operations)
    text = Path(spec.origin).read_text()
    rules: dict[str, Constraint] = {}
    for param, kwargs in _URL_PARAM.findall(text):
        found = {k: v for k, v in _KWARG.findall(kwargs)}
        if not found:
            continue
        pattern = found.get("pattern")
        rules[_camel(param)] = Constraint(
            min_length=int(found["min_length"]) if "min_length" in found else None,
            max_length=int(found["max_length"]) if "max_length" in found else None,
            pattern=pattern.lstrip("r")[1:-1] if pattern else None,
        )
    return rules


@functools.lru_cache(maxsize=None)
def _models(module: str):
    return importlib.import_module(module)


def _constraint(rule: dict) -> Constraint:
    return Constraint(
        min_length=rule.get("min_length"), max_length=rule.get("max_length"), pattern=rule.get("pattern"),
        minimum=rule.get("minimum"), maximum=rule.get("maximum"),
        min_items=rule.get("min_items"), max_items=rule.get("max_items"),
    )


def _attributes(cls) -> dict[str, tuple[str, str]]:
    """Input key -> (python attribute, wire type), by the last part of each wire key."""
    out: dict[str, tuple[str, str]] = {}
    for attr, spec in cls._attribute_map.items():
        wire = re.split(r"(?<!\\)\.", spec["key"])[-1].replace("\\.", ".")
        out[wire.lower()] = (attr, spec["type"])
    return out


def _validate(module, cls, value: dict, at: str, where: str) -> Iterator[tuple[str, Any, str, str]]:
    attributes = _attributes(cls)
    validation = getattr(cls, "_validation", {})
    given = set()
    for key, item in value.items():
        found = attributes.get(key.lower())
        if found is None:
            continue
        attr, wire_type = found
        given.add(attr)
        here = f"{at}.{key}" if at else key
        yield from _check(module, wire_type, validation.get(attr, {}), item, here, f"{where}.{attr}")
    for attr, rule in validation.items():
        if rule.get("required") and not rule.get("readonly") and attr not in given and attr != "location":
            wire = cls._attribute_map[attr]["key"].split(".")[-1]
            yield f"{at}.{wire}" if at else wire, None, f"required member {wire} is missing", f"{where}.{attr}"


def _check(module, wire_type: str, rule: dict, value: Any, at: str, where: str):
    if value is None or is_unknown(value) or is_secret(value):
        return
    for problem in violations(value, _constraint(rule)):
        yield at, value, problem, where
    if wire_type.startswith("[") and isinstance(value, list):
        inner = wire_type[1:-1]
        for i, item in enumerate(value):
            yield from _check(module, inner, {}, item, f"{at}[{i}]", where)
    elif isinstance(value, dict) and hasattr(module, wire_type):
        yield from _validate(module, getattr(module, wire_type), value, at, where)


def _findings(resource: RecordedResource) -> Iterator[Finding]:
    row = MODELS[type_key(resource.type)]
    module = _models(row.models)
    package = row.models.rsplit(".", 1)[0]
    source = f"{package} {row.cls}"
    for key, rule in _name_rules(row.operations).items():
        value = resource.inputs.get(key)
        if value is None or is_unknown(value) or is_secret(value):
            continue
        for problem in violations(value, rule):
            yield Finding(Severity.ERROR, resource.urn, key, value, problem,
                          f"{package} {row.operations.rsplit('.', 1)[-1].strip('_')} {key}")
    for at, value, problem, where in _validate(module, getattr(module, row.cls), resource.inputs, "", row.cls):
        yield Finding(Severity.ERROR, resource.urn, at, value, problem, f"{package} {where}")


@checker
def azure_sdk_models(synthesis: Synthesis, context: Context) -> Iterator[Finding]:
    for resource in synthesis.custom():
        if type_key(resource.type) in MODELS:
            yield from _findings(resource)
