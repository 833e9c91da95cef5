"""Stack files read with the YAML 1.2 rules the Pulumi CLI reads them with.

PyYAML implements YAML 1.1, where ``72:00`` is the base-60 integer 4320,
``yes``/``no``/``on``/``off`` are booleans and ``010`` is octal. The Pulumi CLI
(Go, YAML 1.2) reads all of those as strings, so a stack file must too, or the
offline preview would validate a different value from the one ``pulumi up``
gets.
"""

from __future__ import annotations

import re

import yaml

# YAML 1.2 core schema: the only plain scalars that are not strings.
_IMPLICIT = [
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
     list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
     list("-+0123456789.")),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
]


class StackLoader(yaml.SafeLoader):
    """A safe loader with YAML 1.2 core-schema scalars."""


StackLoader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in _IMPLICIT:
    StackLoader.add_implicit_resolver(_tag, _regexp, _first)


def _int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


StackLoader.add_constructor("tag:yaml.org,2002:int", _int)


def load(text: str):
    return yaml.load(text, Loader=StackLoader)  # noqa: S506 (a SafeLoader subclass)
