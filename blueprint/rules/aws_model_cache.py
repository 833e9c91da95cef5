"""The slice of the botocore models the AWS rules read, cached on disk.

Parsing whole service models costs about a second per preview (EC2 alone is
most of it), while the rules read a few operations. The first run keeps,
per service, only the operations in use and the shapes their requests reach,
and stores them with :func:`~blueprint.rules.model_cache.cached_json` keyed by
the botocore version and the operations; later runs read that small file.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Iterable

from blueprint.rules.model_cache import cached_json


def _reachable(shapes: dict, roots: Iterable[str]) -> dict:
    keep: dict = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        shape = keep[name] = shapes[name]
        refs = [shape.get(k, {}).get("shape") for k in ("member", "key", "value")]
        refs += [m["shape"] for m in shape.get("members", {}).values()]
        todo += [r for r in refs if r]
    return keep


def _pruned(session, service: str, operations: set[str]) -> dict:
    full = session.get_service_data(service)
    ops = {name: full["operations"][name] for name in operations}
    roots = [op["input"]["shape"] for op in ops.values() if "input" in op]
    return {**{k: v for k, v in full.items() if k not in ("operations", "shapes")},
            "operations": ops, "shapes": _reachable(full["shapes"], roots)}


@functools.lru_cache(maxsize=None)
def service_models(wanted: tuple[tuple[str, tuple[str, ...]], ...]) -> dict:
    """``{service: botocore ServiceModel}`` holding at least the ``wanted`` operations of each service."""
    import botocore
    import botocore.model
    import botocore.session

    def build() -> dict:
        session = botocore.session.get_session()
        return {service: _pruned(session, service, set(ops)) for service, ops in wanted}

    digest = hashlib.sha256(json.dumps(wanted).encode()).hexdigest()[:16]
    descriptions = cached_json(f"botocore-{botocore.__version__}-{digest}.json", build)
    return {service: botocore.model.ServiceModel(description, service_name=service)
            for service, description in descriptions.items()}
