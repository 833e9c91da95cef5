"""The producer pool: workload identity federation for producers outside GCP.

Created by Connect when ``blueprint:gcp.producerFederation`` is set. A
workload identity pool with one OIDC provider trusts the configured issuer;
the provider admits only tokens that meet ``attributeCondition`` (required,
and never a condition that is always true: without it every identity of a
shared issuer such as GitHub Actions could publish). Identities of the pool
get ``roles/iam.workloadIdentityUser`` on the Connect service account and on
nothing else, so a producer exchanges its own token for a short-lived Google
token (Security Token Service) and publishes as that account; no key is
created. ``google.subject`` is the token's ``sub``, so audit logs name the
producer.

Naming: a deleted pool stays soft-deleted for 30 days and its id cannot be
reused meanwhile, so a fixed id would break ``pulumi up`` after ``pulumi
destroy``. The pool id (4-32 characters, ``[a-z0-9-]``, not starting with
``gcp-``) ends with the Connect account's ``unique_id``, which is new each
time the account is created; the provider id is fixed within its pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.config import GcpProducerFederation
from components.context import StageContext

POOL_ID_PREFIX = "bp-"
PROVIDER_ID = "producer-oidc"
IMPERSONATION_ROLE = "roles/iam.workloadIdentityUser"


@dataclass
class ProducerPool:
    pool: gcp.iam.WorkloadIdentityPool
    provider: gcp.iam.WorkloadIdentityPoolProvider
    grant: gcp.serviceaccount.IAMMember

    @property
    def audience(self) -> pulumi.Output[str]:
        """What a producer's credential configuration names: ``//iam.googleapis.com/<provider name>``."""
        return self.provider.name.apply(lambda n: f"//iam.googleapis.com/{n}")


def producer_pool(
    name: str,
    ctx: StageContext,
    federation: GcpProducerFederation,
    account: gcp.serviceaccount.Account,
    number: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> ProducerPool:
    project = ctx.config.gcp.project
    pool_id = account.unique_id.apply(lambda uid: f"{POOL_ID_PREFIX}{uid}"[:32])
    pool = gcp.iam.WorkloadIdentityPool(
        f"{name}-producer-pool",
        project=project,
        workload_identity_pool_id=pool_id,
        display_name=f"blueprint producers {ctx.stack}"[:32],
        description="Producers outside GCP that publish as the Connect service account",
        opts=opts,
    )
    provider = gcp.iam.WorkloadIdentityPoolProvider(
        f"{name}-producer-provider",
        project=project,
        workload_identity_pool_id=pool.workload_identity_pool_id,
        workload_identity_pool_provider_id=PROVIDER_ID,
        display_name="producer OIDC issuer",
        attribute_mapping={"google.subject": "assertion.sub"},
        attribute_condition=federation.attribute_condition,
        oidc=gcp.iam.WorkloadIdentityPoolProviderOidcArgs(
            issuer_uri=federation.issuer_uri,
            allowed_audiences=list(federation.allowed_audiences) or None,
        ),
        opts=opts,
    )
    members = pulumi.Output.all(number, pool.workload_identity_pool_id).apply(
        lambda v: f"principalSet://iam.googleapis.com/projects/{v[0]}/locations/global/workloadIdentityPools/{v[1]}/*"
    )
    grant = gcp.serviceaccount.IAMMember(
        f"{name}-producer-impersonation",
        service_account_id=account.name,
        role=IMPERSONATION_ROLE,
        member=members,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[provider])),
    )
    return ProducerPool(pool=pool, provider=provider, grant=grant)
