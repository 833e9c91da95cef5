"""The GCP foundation: enabled APIs, the zone network, the stack key and the budget.

Created before the stages, under one ``blueprint:platform:Foundation``
component. Every child waits for the project services it is created
through; everything encrypted with the key waits for the service agents'
grants on it. Outputs: ``network_id``, ``zone_subnets`` (zone to subnet id),
``key_id``, ``budget_id`` and ``alert_channel`` (the budget's Pub/Sub topic).

Escape hatches: ``services``, ``network`` (a ``ZoneNetwork``), ``key``
(a ``StackKey``), ``budget`` (a ``StackBudget``), ``project_number``,
``pubsub_agent`` (the Pub/Sub service agent's ``ServiceIdentity``).
"""

from __future__ import annotations

import pulumi

from components.foundation import Foundation, FoundationArgs

from infra.gcp.agents import project_number, pubsub_agent
from infra.gcp.budget import create_budget
from infra.gcp.key import create_key
from infra.gcp.network import create_network
from infra.gcp.services import enable_services


class GcpFoundation(Foundation):
    def __init__(self, name: str, args: FoundationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        project = ctx.config.gcp.project
        self.services = enable_services(name, ctx, pulumi.ResourceOptions(parent=self))
        after_apis = pulumi.ResourceOptions(parent=self, depends_on=list(self.services))
        self.project_number = project_number(project, self, self.services)
        self.pubsub_agent = pubsub_agent(name, project, after_apis)
        """The Pub/Sub service agent (CMEK on topics, dead letters, the Cloud Storage subscription)."""
        self.network = create_network(name, ctx, args.get("network_cidr") or ctx.config.network_cidr, after_apis)
        self.key = create_key(
            name, ctx, self.project_number, self.pubsub_agent.member, self, self.services, after_apis
        )
        after_key = pulumi.ResourceOptions(parent=self, depends_on=[*self.services, *self.key.grants.values()])
        self.budget = create_budget(name, ctx, self.project_number, self.key.key.id, after_key)
        self.ready = [*self.services, *self.key.grants.values()]
        """What a stage's children wait for: the APIs, and the service agents' grants on the key."""
        self._publish(
            network_id=self.network.network.id,
            zone_subnets={zone.value: subnet.id for zone, subnet in self.network.subnets.items()},
            key_id=self.key.key.id,
            budget_id=self.budget.budget.name,
            alert_channel=self.budget.topic.id,
        )
