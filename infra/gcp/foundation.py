"""The GCP foundation: enabled APIs, service agents, the zone network, the stack key and the budget.

Created before the stages, under one ``blueprint:platform:Foundation``
component. The APIs are enabled through a provider of their own without the
user-project override (``infra.gcp.provider``); every other child waits for
them. The Pub/Sub, Dataproc and Compute Engine agents are created
explicitly (``infra.gcp.agents``) before anything is granted to them.
Whatever is encrypted with the key waits only for the grants of the agents
that encrypt it: ``ready(*agents)`` is what a stage's child depends on.
Outputs: ``network_id``, ``zone_subnets`` (zone to subnet id), ``key_id``,
``budget_id`` and ``alert_channel`` (the budget's Pub/Sub topic, or its
first e-mail channel with ``budgetTopic: false``).

Escape hatches: ``services`` (API prefix to ``projects.Service``),
``services_provider``, ``network`` (a ``ZoneNetwork``), ``key`` (a
``StackKey``), ``budget`` (a ``StackBudget``), ``project_number``,
``agents`` (API prefix to ``ServiceIdentity``), ``pubsub_agent``.
"""

from __future__ import annotations

import pulumi

from components.foundation import Foundation, FoundationArgs

from infra.gcp.agents import agent_member, project_number, service_agents
from infra.gcp.budget import create_budget
from infra.gcp.key import create_key
from infra.gcp.network import create_network
from infra.gcp.provider import services_provider
from infra.gcp.services import enable_services


class GcpFoundation(Foundation):
    def __init__(self, name: str, args: FoundationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        project = ctx.config.gcp.project
        self.services_provider = services_provider(
            f"{name}-services-provider", ctx, pulumi.ResourceOptions(parent=self)
        )
        self.services = enable_services(name, ctx, self.services_provider, pulumi.ResourceOptions(parent=self))
        apis = list(self.services.values())
        after_apis = pulumi.ResourceOptions(parent=self, depends_on=apis)
        self.project_number = project_number(project, self, apis, self.services_provider)
        self.agents = service_agents(name, project, after_apis)
        self.pubsub_agent = self.agents["pubsub"]
        """The Pub/Sub service agent (CMEK on topics, dead letters, the Cloud Storage subscription)."""
        self.network = create_network(name, ctx, args.get("network_cidr") or ctx.config.network_cidr, after_apis)
        self.key = create_key(name, ctx, self.project_number, self.agents, self, apis, after_apis)
        self.budget = create_budget(
            name, ctx, self.project_number, self.key.key.id, after_apis,
            topic_opts=pulumi.ResourceOptions(parent=self, depends_on=self.ready("pubsub")),
        )
        self._publish(
            network_id=self.network.network.id,
            zone_subnets={zone.value: subnet.id for zone, subnet in self.network.subnets.items()},
            key_id=self.key.key.id,
            budget_id=self.budget.budget.name,
            alert_channel=self.budget.alert_channel,
        )

    def ready(self, *agents: str) -> list[pulumi.Resource]:
        """What a child encrypted by ``agents`` waits for: the APIs, and those agents' grants on the key.

        ``agents`` are keys of ``key.grants`` (storage, pubsub, bigquery, dataproc, compute).
        """
        return [*self.services.values(), *(self.key.grants[agent] for agent in agents)]

    def agent_member(self, api: str) -> pulumi.Output[str]:
        """The IAM member of an agent created by the stack (``pubsub``, ``dataproc``, ``compute``)."""
        return agent_member(api, self.project_number, self.agents[api])
