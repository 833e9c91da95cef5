"""Propagation wait: time between a role assignment and the first use of its role.

Azure documents that a new role assignment can take up to 10 minutes to
take effect, and a service that checks it earlier fails: a storage account
created with a customer-managed key right after its identity's key grant
gets "KeyVaultAuthenticationFailure", a Databricks workspace with managed
services encryption fails its key check, Event Hubs Capture fails to write
raw. ``depends_on`` alone only orders the calls; Resource Manager answers
the role assignment PUT long before data planes honour it.

azure-native has no sleep resource and its create calls do not retry these
errors (its RoleAssignment custom resource overrides only Read), so the wait is a resource of this program: a Pulumi dynamic resource
(run by the Python language host under the real engine, no extra provider
plugin) whose create sleeps ``PROPAGATION_SECONDS`` once and whose inputs
are the ids of the grants it waits for. The dependent resource lists the
wait in ``depends_on``. A later ``pulumi up`` does not wait again unless a
grant is replaced (its id changes, which replaces the wait); update and
delete are instant. The wait runs only during ``pulumi up``: a preview
creates nothing.
"""

from __future__ import annotations

import time
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider, UpdateResult

PROPAGATION_SECONDS = 600
"""Azure's documented bound for a role assignment to take effect (10 minutes)."""


class _Wait(ResourceProvider):
    """Sleeps on create; replaced when the grants it waits for change."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        time.sleep(int(props["seconds"]))
        return CreateResult(id_="-".join(sorted(props["grants"]))[-64:] or "wait", outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaced = sorted(olds.get("grants", [])) != sorted(news.get("grants", []))
        changed = replaced or olds.get("seconds") != news.get("seconds")
        return DiffResult(changes=changed, replaces=["grants"] if replaced else [], delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs=news)


class PropagationWait(Resource):
    """Waits ``PROPAGATION_SECONDS`` after ``grants`` exist; list it in the user's ``depends_on``."""

    def __init__(self, name: str, grants: list[pulumi.CustomResource], parent: pulumi.Resource) -> None:
        super().__init__(
            _Wait(), name,
            {"grants": [g.id for g in grants], "seconds": PROPAGATION_SECONDS},
            opts=pulumi.ResourceOptions(parent=parent, depends_on=grants),
        )
