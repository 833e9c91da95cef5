"""An AWS role's trust in one Google service account, and in nobody else.

Google signs the service account's ID tokens as ``accounts.google.com``. AWS
matches ``accounts.google.com:sub`` against the token's ``sub`` and
``accounts.google.com:aud`` against its ``azp``, both the account's numeric
unique id, so pinning both admits that account only. ``:oaud`` is the
token's own ``aud``: pinning it too (when the caller chooses the audience)
refuses a token the account minted for another relying party.
"""

from __future__ import annotations

from typing import Optional

import pulumi

GOOGLE_ISSUER = "accounts.google.com"


def google_account_trust(sid: str, unique_id: pulumi.Input[str],
                         audience: Optional[pulumi.Input[str]] = None) -> dict:
    """The trust policy: ``sts:AssumeRoleWithWebIdentity`` for ``unique_id`` (and ``audience``) only."""
    pinned = {f"{GOOGLE_ISSUER}:sub": unique_id, f"{GOOGLE_ISSUER}:aud": unique_id}
    if audience is not None:
        pinned[f"{GOOGLE_ISSUER}:oaud"] = audience
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"Federated": GOOGLE_ISSUER},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": pinned},
        }],
    }
