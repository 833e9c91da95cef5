"""GCP Connect: the Pub/Sub publish endpoint and a publisher-only service account.

Creates the stage's service account and grants it ``roles/pubsub.publisher``
on the buffer's topic only. Producers call
``POST https://pubsub.googleapis.com/v1/projects/<p>/topics/<t>:publish``
with a Google OAuth token for that account. No service-account key is ever
created: a producer inside GCP runs as (or impersonates) the account; a
producer outside GCP (GitHub Actions, Azure, any OIDC issuer) exchanges its
own identity token for a Google token through the workload identity pool
that ``blueprint:gcp.producerFederation`` creates (``infra.gcp.producer_pool``)
and impersonates the account (``gcloud iam workload-identity-pools
create-cred-config ...``, see docs/clouds/gcp.md). Escape hatches:
``service_account``, ``publisher_grant``, ``producer_pool`` (None without
federation).

Where GCP differs: the endpoint is Google's API, not one the stack creates,
so there is no API-key auth (Pub/Sub accepts only OAuth; config refuses
``auth: api-key`` on GCP) and no per-endpoint throttle: config refuses
``throttleRate`` and ``throttleBurst`` on GCP rather than ignore them;
Pub/Sub's publisher quota (per project and region) and the budget are the
limits. API Gateway in front is optional and not created.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.stages import Connect, ConnectArgs

from infra.gcp.identity import service_account, stage_options
from infra.gcp.producer_pool import producer_pool

AUTH = "google-oauth"


def check_connect_args(args: ConnectArgs) -> None:
    auth = args.get("auth", "iam")
    if auth != "iam":
        raise ValueError(
            f"blueprint:stages.connect.auth = {auth!r}: Pub/Sub accepts only Google OAuth (iam) on GCP; "
            "API keys cannot publish"
        )


class GcpConnect(Connect):
    def __init__(self, name: str, args: ConnectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        check_connect_args(args)
        super().__init__(name, opts)
        ctx = args["context"]
        buffer = args["buffer"]
        child = stage_options(self, ctx)
        self.service_account = service_account(
            name, ctx, self.STAGE, "Publishes events to the buffer topic, nothing else", child
        )
        self.publisher_grant = gcp.pubsub.TopicIAMMember(
            f"{name}-publisher",
            project=ctx.config.gcp.project,
            topic=buffer.stream_name,
            role="roles/pubsub.publisher",
            member=self.service_account.member,
            opts=child,
        )
        federation = ctx.config.gcp.producer_federation
        self.producer_pool = None
        if federation is not None:
            self.producer_pool = producer_pool(
                name, ctx, federation, self.service_account, ctx.foundation.project_number, child
            )
        self._publish(
            endpoint=buffer.stream_id.apply(lambda topic: f"https://pubsub.googleapis.com/v1/{topic}:publish"),
            producer_identity=self.service_account.email,
            auth=AUTH,
            delivery="at-least-once",
            cloud="gcp",
            identity=self.service_account.email,
        )
