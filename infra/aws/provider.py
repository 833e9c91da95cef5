"""Provider: the explicit AWS provider of a stack, from ``blueprint:aws.region``.

There is no default provider: every AWS resource of the platform gets this
one through its parent, so a hybrid stack can later hold a second AWS
provider (another region or account) without a redesign. Tags are set on each
resource (``ctx.tags``), not through ``defaultTags``, so that the offline
preview and the policy pack see them on the resources themselves.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.context import StageContext


def create_provider(name: str, ctx: StageContext, opts: pulumi.ResourceOptions) -> aws.Provider:
    return aws.Provider(name, region=ctx.config.aws.region, opts=opts)
