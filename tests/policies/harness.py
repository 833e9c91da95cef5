"""Run one rule of the pack on fixture resources, as the Pulumi CLI would call it."""

from __future__ import annotations

import copy
from typing import Any, Optional

from pulumi_policy import (
    PolicyCustomTimeouts, PolicyProviderResource, PolicyResource, PolicyResourceOptions, ResourceValidationArgs,
    StackValidationArgs,
)

from policies.catalogue import BY_NAME

DROP = object()
"""Mutation value that removes the property."""


def with_change(props: dict, path: str, value: Any) -> dict:
    """A deep copy of ``props`` with ``path`` (dotted; list indexes as digits) set or dropped."""
    out = copy.deepcopy(props)
    node: Any = out
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is DROP:
        node.pop(last, None)
    else:
        node[last] = value
    return out


def options(protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def run_resource(rule: str, token: str, props: dict, profile: str = "learning", *, protect: bool = False,
                 provider: Optional[PolicyProviderResource] = None, config: Optional[dict] = None,
                 name: str = "fixture") -> list[str]:
    policy = BY_NAME[rule].policy(profile)
    messages: list[str] = []
    cfg = {"profile": profile, "stack": "dev", **(config or {})}
    args = ResourceValidationArgs(token, props, f"urn:pulumi:dev::blueprint::{token}::{name}", name,
                                  options(protect), provider, cfg)
    policy.validate(args, lambda message, urn=None: messages.append(message))
    return messages


Spec = tuple  # (token, name, props, {prop: [names]}) or with protect as a fifth item


def build_stack(specs: list[Spec]) -> list[PolicyResource]:
    by_name: dict[str, PolicyResource] = {}
    links: list[tuple[PolicyResource, dict]] = []
    for spec in specs:
        token, name, props, deps = spec[:4]
        protect = spec[4] if len(spec) > 4 else False
        resource = PolicyResource(token, props, f"urn:pulumi:dev::blueprint::{token}::{name}", name,
                                  options(protect), None, None, [], {})
        by_name[name] = resource
        links.append((resource, deps))
    for resource, deps in links:
        resource.property_dependencies = {k: [by_name[n] for n in names] for k, names in deps.items()}
    return list(by_name.values())


def run_stack(rule: str, specs: list[Spec], profile: str = "learning", config: Optional[dict] = None) -> list[str]:
    policy = BY_NAME[rule].policy(profile)
    messages: list[str] = []
    cfg = {"profile": profile, "stack": "dev", **(config or {})}
    policy.validate(StackValidationArgs(build_stack(specs), cfg),
                    lambda message, urn=None: messages.append(message))
    return messages


def mutate_stack(specs: list[Spec], mutation: tuple) -> list[Spec]:
    """("drop", name) removes a resource; ("set", name, path, value) changes one of its props."""
    out = []
    for spec in specs:
        token, name, props, deps = spec[:4]
        if mutation[0] == "drop" and name == mutation[1]:
            continue
        if mutation[0] == "set" and name == mutation[1]:
            props = with_change(props, mutation[2], mutation[3])
        if mutation[0] == "unlink" and name == mutation[1]:
            deps = {}
            props = with_change(props, mutation[2], "somewhere-else")
        out.append((token, name, props, deps, *spec[4:]))
    return out
