"""Resource type tokens, normalised so that one rule matches every spelling.

pulumi-aws v7 keeps the deprecated ``...V2`` S3 tokens as aliases
(``aws:s3/bucketVersioningV2:BucketVersioningV2``), and azure-native resources
pinned to an API version carry it in the module
(``azure-native:storage/v20230101:StorageAccount``). ``canonical`` maps both
to the plain token, so rules list each type once.
"""

from __future__ import annotations

import re
from typing import Optional

_AZURE_VERSIONED = re.compile(r"^azure-native:([A-Za-z0-9]+)/v\d{4}\d{2}\d{2}(?:preview)?:(\w+)$")
_AWS_S3_V2 = re.compile(r"^aws:s3/(\w+?)V2:(\w+?)V2$")


def canonical(token: str) -> str:
    """The token without an azure-native API version or an AWS S3 ``V2`` alias suffix."""
    match = _AZURE_VERSIONED.match(token)
    if match:
        return f"azure-native:{match[1]}:{match[2]}"
    match = _AWS_S3_V2.match(token)
    if match:
        return f"aws:s3/{match[1]}:{match[2]}"
    return token


def is_type(token: str, *tokens: str) -> bool:
    """Whether ``token`` is one of ``tokens`` (both sides normalised)."""
    return canonical(token) in {canonical(t) for t in tokens}


def is_preview_api(token: str) -> bool:
    """An azure-native token pinned to a preview API version."""
    return token.startswith("azure-native:") and "preview:" in token


def cloud_of(token: str) -> Optional[str]:
    """``aws``, ``azure`` or ``gcp`` for a provider resource or a resource of that cloud, else None."""
    if token.startswith("pulumi:providers:"):
        token = token[len("pulumi:providers:"):] + ":"
    package = token.split(":", 1)[0]
    return {"aws": "aws", "azure-native": "azure", "gcp": "gcp"}.get(package)
