"""The stack's customer-managed key: a Cloud KMS key ring and one symmetric key.

Posture: software key in the stack's region (CMEK needs the key in the same
location as the bucket, topic and dataset it protects), rotation every 90
days, and encrypt/decrypt granted on the key (never on the project) to
exactly the Google service agents that encrypt the platform's data: Cloud
Storage, Pub/Sub, BigQuery, Dataproc and Compute Engine (Dataproc disks).

Where GCP differs: key rings and keys can never be deleted. ``pulumi
destroy`` only destroys the key's versions (after ``destroy_scheduled_duration``:
1 day in learning, 30 days in production) and forgets the key ring and the
key, which stay in the project at no cost. A fixed name would make the next
``pulumi up`` fail with "already exists", so both are auto-named by Pulumi:
the random suffix lives in the stack state, and a stack created again after
a destroy gets a fresh key ring. (This is the one place the platform leaves
physical names to Pulumi's auto-naming instead of ``ctx.name``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pulumi
import pulumi_gcp as gcp

from components.context import StageContext
from components.zones import Zone

from infra.gcp.agents import agent_member, bigquery_agent_member, storage_agent_member

ROTATION_SECONDS = 90 * 24 * 3600
ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
KEY_USERS: tuple[str, ...] = ("storage", "pubsub", "bigquery", "dataproc", "compute")
"""The service agents granted encrypt/decrypt on the key."""


@dataclass
class StackKey:
    key_ring: gcp.kms.KeyRing
    key: gcp.kms.CryptoKey
    grants: dict[str, gcp.kms.CryptoKeyIAMMember]


def create_key(
    name: str,
    ctx: StageContext,
    number: pulumi.Input[str],
    agents: dict[str, gcp.projects.ServiceIdentity],
    parent: pulumi.Resource,
    services: Sequence[pulumi.Resource],
    opts: pulumi.ResourceOptions,
) -> StackKey:
    """The key ring, the key, and one encrypt/decrypt grant per agent of ``KEY_USERS``.

    ``agents`` are the ``ServiceIdentity`` resources of the agents created on
    demand (Pub/Sub, Dataproc, Compute Engine); each grant to one of them
    waits for it.
    """
    settings = ctx.config.gcp
    stateful = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=ctx.protect))
    key_ring = gcp.kms.KeyRing(
        f"{name}-keyring", project=settings.project, location=settings.region, opts=stateful
    )
    key = gcp.kms.CryptoKey(
        f"{name}-key",
        key_ring=key_ring.id,
        purpose="ENCRYPT_DECRYPT",
        rotation_period=f"{ROTATION_SECONDS}s",
        destroy_scheduled_duration="2592000s" if ctx.is_production else "86400s",
        version_template=gcp.kms.CryptoKeyVersionTemplateArgs(
            algorithm="GOOGLE_SYMMETRIC_ENCRYPTION", protection_level="SOFTWARE"
        ),
        labels=ctx.foundation_labels(Zone.DATA),
        opts=stateful,
    )
    members = {
        "storage": storage_agent_member(settings.project, parent, services),
        "bigquery": bigquery_agent_member(settings.project, parent, services),
        **{api: agent_member(api, number, identity) for api, identity in agents.items()},
    }
    grants = {
        agent: gcp.kms.CryptoKeyIAMMember(
            f"{name}-key-{agent}-agent",
            crypto_key_id=key.id,
            role=ENCRYPTER_DECRYPTER,
            member=members[agent],
            opts=opts,
        )
        for agent in KEY_USERS
    }
    return StackKey(key_ring=key_ring, key=key, grants=grants)
