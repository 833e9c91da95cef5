"""Tagging (catalogue group I): the common tags on every taggable resource, with consistent values.

"Taggable" means what the house rules mean: the resource's Python class accepts
``tags`` (``labels`` on GCP). The SDK class is looked up from the type token
(the program already imported it); when it cannot be found, a resource is
judged only if it carries ``tags`` or ``labels``. Provider-level defaults
(AWS ``defaultTags``, GCP ``defaultLabels``) count, as they do at deploy time.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from typing import Any, Optional

from components.tags import COMMON_TAG_KEYS, MANAGED_BY, required_keys
from components.zones import Zone
from components.config import StageName
from policies.config import profile_of
from policies.props import as_json, is_computed
from policies.tokens import canonical

_PACKAGES = {"aws": "pulumi_aws", "azure-native": "pulumi_azure_native", "gcp": "pulumi_gcp"}


@functools.lru_cache(maxsize=None)
def tag_argument(token: str) -> Optional[str]:
    """The wire name of the tag argument (``tags``, ``labels``, ``userLabels``) the SDK class accepts, else None."""
    parts = canonical(token).split(":")
    if len(parts) != 3 or parts[0] not in _PACKAGES:
        return None
    module = parts[1].split("/")[0]
    name = parts[2]
    path = _PACKAGES[parts[0]] + ("" if module == "index" else f".{module}")
    try:
        cls = getattr(importlib.import_module(path), name)
        params = inspect.signature(cls._internal_init).parameters
    except (ImportError, AttributeError, ValueError, TypeError):
        return None
    # On GCP, ``tags`` are Resource Manager tags and some types use ``labels`` for configuration and
    # ``user_labels`` for labels (NotificationChannel); elsewhere ``tags`` are the tags.
    order = ((("user_labels", "userLabels"), ("labels", "labels")) if parts[0] == "gcp"
             else (("tags", "tags"), ("labels", "labels")))
    for arg, wire in order:
        if arg in params:
            return wire
    return None


def _provider_defaults(provider: Any) -> dict:
    if provider is None:
        return {}
    props = provider.props
    aws = as_json(props.get("defaultTags")) if hasattr(props, "get") else None
    gcp = as_json(props.get("defaultLabels")) if hasattr(props, "get") else None
    defaults: dict = {}
    if isinstance(aws, dict) and isinstance(aws.get("tags"), dict):
        defaults.update(aws["tags"])
    if isinstance(gcp, dict):
        defaults.update(gcp)
    return defaults


def effective_tags(args: Any) -> Optional[dict]:
    """Tags (or labels) the resource will carry, provider defaults included; None when it takes none."""
    props = args.props
    if args.resource_type.startswith("pulumi:"):
        return None
    key = tag_argument(args.resource_type) or next((k for k in ("tags", "labels") if k in props), None)
    if key is None:
        return None
    own = props.get(key)
    if own is None:
        own = {}
    if is_computed(own):
        return own
    own = as_json(own) if not isinstance(own, dict) else own
    merged = dict(_provider_defaults(getattr(args, "provider", None)))
    merged.update(own or {})
    return merged


def required_tags(args, report) -> None:
    tags = effective_tags(args)
    if tags is None or is_computed(tags):
        return
    config = args.get_config()
    wanted = config.get("requiredTags") or required_keys(profile_of(config))
    wanted = [k for k in wanted if k != "expires-at"]  # the ttl-tag rule owns expiry
    missing = [k for k in wanted if k not in tags]
    if missing:
        arg = "labels=ctx.labels(stage, zone)" if args.resource_type.startswith("gcp:") else "tags=ctx.tags(stage, zone)"
        report(f"missing {', '.join(missing)}: pass {arg} (ctx.foundation_tags(zone) for shared resources)")
    if args.resource_type.startswith("gcp:"):
        upper = [k for k, v in tags.items() if k != k.lower() or (isinstance(v, str) and v != v.lower())]
        if upper:
            report(f"GCP labels are lower-case: fix {', '.join(upper)} (components.tags.labels() converts)")


STAGES = {s.value for s in StageName} | {"foundation"}
ZONES = {z.value for z in Zone}


def tag_values(args, report) -> None:
    tags = effective_tags(args)
    if tags is None or is_computed(tags):
        return
    config = args.get_config()
    profile = profile_of(config)
    stack = config.get("stack") or dict(args.stack_tags or {}).get("pulumi:stack")
    expected = {"profile": profile, "managed-by": MANAGED_BY}
    if stack:
        expected["stack"] = stack
    for key, value in expected.items():
        if key in tags and not is_computed(tags[key]) and str(tags[key]).lower() != str(value).lower():
            report(f"tag {key}={tags[key]!r} but this stack is {key}={value!r}: tags come from ctx.tags()")
    if "stage" in tags and tags["stage"] not in STAGES:
        report(f"tag stage={tags['stage']!r} is not one of {', '.join(sorted(STAGES))}")
    if "zone" in tags and tags["zone"] not in ZONES:
        report(f"tag zone={tags['zone']!r} is not one of {', '.join(sorted(ZONES))}")


__all__ = ["COMMON_TAG_KEYS", "effective_tags", "required_tags", "tag_argument", "tag_values"]
