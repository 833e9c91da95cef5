"""AzureFoundation: the resource group and what every stage on Azure shares.

Creates, as children:
- the stack's resource group (everything else of the stack lives in it);
- the zone network (``infra.azure.network``): VNet, one subnet and one NSG per
  zone implementing the reachability matrix;
- the Key Vault and the stack key (``infra.azure.vault``), reachable by the
  processing subnet (learning, service endpoint) or a private endpoint in the
  data subnet (production);
- the budget and its action group (``infra.azure.budget``);
- in production, the private DNS zones on first use (``infra.azure.private_endpoint``),
  the ``CanNotDelete`` lock on the vault, and the Log Analytics workspace
  (``infra.azure.log_workspace``) that receives the vault's logs and, through
  ``diagnostics``, those of the other stages' resources.

It also reads the deploying client's tenant and subscription once
(``getClientConfig``), which role definition ids and the vault need, and
the subscription as a plain string (``subscription_salt``) with which the
globally unique names (lake account, Event Hubs namespace, Synapse
workspaces, vault) are salted (``infra.azure.names.global_name``).

The Store registers its lake here (``register_lake``) so that the Buffer can
point Event Hubs Capture at the raw container: on Azure, Capture is a
property of the hub, not a resource of its own, so the stage that owns the
hub must know where raw lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pulumi
from pulumi_azure_native import authorization, resources, storage

from components.foundation import Foundation, FoundationArgs
from components.zones import Zone
from infra.azure.budget import StackBudget
from infra.azure.choices import ServiceChoices, choices_for
from infra.azure.log_workspace import LogWorkspace
from infra.azure.network import ZoneNetwork
from infra.azure.private_endpoint import PrivateLinks
from infra.azure.vault import StackKey


def subscription_salt(ctx, parent: pulumi.Resource) -> str:
    """The subscription the stack deploys to, as a plain string for salting global names.

    ``blueprint:azure.subscriptionId`` when set (the provider deploys there);
    otherwise the deploying client's subscription, read with a synchronous
    ``getClientConfig`` through the stack's provider, so that names are
    known before the first resource that carries one is registered.
    """
    configured = ctx.config.azure.subscription_id
    if configured:
        return configured
    client = authorization.get_client_config(opts=pulumi.InvokeOptions(parent=parent))
    return client.subscription_id


@dataclass
class Lake:
    """The Store's account and containers, as the other stages need them."""

    account: storage.StorageAccount
    containers: dict[str, storage.BlobContainer]


class AzureFoundation(Foundation):
    resource_group: resources.ResourceGroup
    network: ZoneNetwork
    stack_key: StackKey
    budget: StackBudget
    private_links: Optional[PrivateLinks]
    choices: ServiceChoices
    diagnostics: Optional[LogWorkspace] = None
    lake: Optional[Lake] = None

    def __init__(self, name: str, args: FoundationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        self.context = ctx
        self.choices = choices_for(ctx.config)
        self.choices.check(production=ctx.is_production)
        self.location = ctx.config.azure.location
        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
        self.subscription_id = client.subscription_id
        self.subscription_salt = subscription_salt(ctx, self)
        self.tenant_id = client.tenant_id

        self.resource_group = resources.ResourceGroup(
            f"{name}-group",
            resource_group_name=ctx.name("azure-resource-group", "group"),
            location=self.location,
            tags=ctx.foundation_tags(Zone.DATA),
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect),
        )
        self.resource_group_name = self.resource_group.name
        self.network = ZoneNetwork.create(
            f"{name}-network", ctx, resource_group_name=self.resource_group_name, location=self.location,
            databricks=self.choices.engine == "databricks",
            service_endpoints=not self.choices.private_endpoints, parent=self,
        )
        self.private_links = (
            PrivateLinks(f"{name}-network", ctx, resource_group_name=self.resource_group_name,
                         location=self.location, vnet=self.network.vnet, subnets=self.network.subnets, parent=self)
            if self.choices.private_endpoints else None
        )
        vault_subnets = [] if self.choices.private_endpoints else [self.network.subnets[Zone.PROCESSING].id]
        self.stack_key = StackKey.create(
            name, ctx, self.choices, resource_group_name=self.resource_group_name, location=self.location,
            tenant_id=self.tenant_id, allowed_subnets=vault_subnets, subscription=self.subscription_salt,
            parent=self,
        )
        if self.private_links:
            self.private_links.connect(
                f"{name}-vault", owner="foundation", tags=ctx.foundation_tags(Zone.DATA),
                zone=Zone.DATA, target_id=self.stack_key.vault.id,
                group_id="vault", parent=self,
            )
        self.diagnostics = None
        if self.choices.diagnostics:
            self.diagnostics = LogWorkspace.create(
                name, ctx, resource_group_name=self.resource_group_name, location=self.location, parent=self,
            )
            self.diagnostics.send(f"{name}-vault", ctx, resource_uri=self.stack_key.vault.id, parent=self)
        self.vault_lock = None
        if self.choices.resource_locks:
            self.vault_lock = authorization.ManagementLockByScope(
                f"{name}-vault-lock",
                lock_name=ctx.name("azure-generic", "vault-lock"),
                scope=self.stack_key.vault.id,
                level="CanNotDelete",
                notes="blueprint production vault: holds the lake's key",
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.budget = StackBudget.create(
            name, ctx, resource_group_name=self.resource_group_name, resource_group_id=self.resource_group.id,
            parent=self,
        )
        self._publish(
            network_id=self.network.vnet.id,
            zone_subnets={zone.value: subnet.id for zone, subnet in self.network.subnets.items()},
            key_id=self.stack_key.key.id,
            budget_id=self.budget.budget.id,
            alert_channel=self.budget.action_group.id,
        )

    def register_lake(self, lake: Lake) -> None:
        """Called by the Store; the Buffer reads it for Capture."""
        if self.lake is not None:
            raise ValueError("the Azure foundation already has a lake; create one Store per stack")
        self.lake = lake
