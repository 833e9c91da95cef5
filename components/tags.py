"""The common tags (labels on GCP) that every taggable resource carries.

Keys: owner, stack, stage, zone, profile, managed-by, and expires-at in the
learning profile. They make cost reports, the teardown sweep and the policy
checks work by tag alone. GCP labels accept only lower-case letters, digits,
``_`` and ``-``, so ``labels()`` derives the GCP form from the same values.
"""

from __future__ import annotations

from typing import Optional

from components.naming import label_key, label_value

COMMON_TAG_KEYS: tuple[str, ...] = ("owner", "stack", "stage", "zone", "profile", "managed-by", "expires-at")
MANAGED_BY = "blueprint"


def common_tags(
    *,
    owner: str,
    stack: str,
    stage: str,
    zone: str,
    profile: str,
    expires_at: Optional[str],
    extra: Optional[dict[str, str]] = None,
) -> dict[str, str]:
    """Tags for one resource. ``expires_at`` is None in production (no expiry)."""
    tags = dict(extra or {})
    tags.update(
        {
            "owner": owner,
            "stack": stack,
            "stage": stage,
            "zone": zone,
            "profile": profile,
            "managed-by": MANAGED_BY,
        }
    )
    if expires_at is not None:
        tags["expires-at"] = expires_at
    return tags


def labels(tags: dict[str, str]) -> dict[str, str]:
    """The GCP label form of ``tags`` (lower case; ``:`` in timestamps becomes ``-``)."""
    return {label_key(k): label_value(v.replace(":", "-")) for k, v in tags.items()}


def required_keys(profile: str) -> tuple[str, ...]:
    """The tag keys a resource must carry in ``profile``."""
    if profile == "production":
        return tuple(k for k in COMMON_TAG_KEYS if k != "expires-at")
    return COMMON_TAG_KEYS
