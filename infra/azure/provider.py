"""The explicit azure-native provider, configured from the stack config.

Location comes from ``blueprint:azure.location`` and, when set,
``blueprint:azure.subscriptionId``; credentials come from the environment
(``az login``, a managed identity or OIDC in CI), never from stack config.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native.provider import Provider

from components.context import StageContext


def azure_provider(name: str, ctx: StageContext, opts: pulumi.ResourceOptions) -> Provider:
    settings = ctx.config.azure
    return Provider(
        name,
        location=settings.location,
        subscription_id=settings.subscription_id,
        opts=opts,
    )
