"""DataPlatform: the five stages composed along the data flow, on one or more clouds.

For each cloud in use it creates one explicit provider from stack config and
that cloud's ``Foundation``; then Store, Buffer, Connect, Processing and
Visualize, each on the cloud its config names, with that cloud's provider.
The cloud implementations are passed in (``infra/`` registers them), so this
module stays cloud-neutral.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Mapping, Optional

import pulumi

from components.config import NAMESPACE, Cloud, ConfigError, ConfigIssue, PlatformConfig, StageName
from components.context import StageContext
from components.edges import Edge, EdgeImplementation, cross_cloud_edges
from components.foundation import Foundation
from components.naming import Namer, NamingError
from components.stages import Buffer, Connect, Processing, Store, Visualize


@dataclass(frozen=True)
class CloudImplementation:
    """One cloud's factories for the provider, the foundation and the five stages.

    Each stage factory has the stage component's signature ``(name, args, opts)``.
    """

    cloud: Cloud
    provider: Callable[[str, StageContext, pulumi.ResourceOptions], pulumi.ProviderResource]
    foundation: Callable[..., Foundation]
    store: Callable[..., Store]
    buffer: Callable[..., Buffer]
    connect: Callable[..., Connect]
    processing: Callable[..., Processing]
    visualize: Callable[..., Visualize]
    names: Optional[Callable[[PlatformConfig], set[tuple[str, str]]]] = None
    """Every physical name the cloud builds for a config, as (naming service, role) pairs.

    Declaring them lets the platform check every name, and every
    ``blueprint:names`` override, before a single resource is registered; the
    stage context then refuses any name that was not declared.
    """


def check_names(
    config: PlatformConfig, implementations: Mapping[Cloud, CloudImplementation], *, stack: str, project: str,
    edges: Optional[Mapping[tuple, EdgeImplementation]] = None,
) -> Optional[frozenset[tuple[str, str]]]:
    """Build every declared physical name up front; raise one ``ConfigError`` for all that fail.

    Returns the declared (service, role) pairs, or None when a cloud in use declares none.
    """
    namer = Namer(project, stack, config.names)
    declared: set[tuple[str, str]] = set()
    for cloud in config.clouds_in_use:
        declare = implementations[cloud].names
        if declare is None:
            return None
        declared |= declare(config)
    for edge in cross_cloud_edges(config):
        declared |= (edges or {})[edge.key].names(config)
    issues: list[ConfigIssue] = []
    reported: set[str] = set()
    for service, role in sorted(declared):
        try:
            namer.name(service, role)
        except NamingError as exc:
            if role not in reported:
                reported.add(role)
                issues.append(ConfigIssue(f"{NAMESPACE}:names.{role}", config.names.get(role, stack), str(exc)))
    roles = {role for _, role in declared}
    for role in sorted(set(config.names) - roles):
        issues.append(ConfigIssue(
            f"{NAMESPACE}:names.{role}", config.names[role],
            f"no resource has that name role; known roles: {', '.join(sorted(roles))}",
        ))
    if issues:
        raise ConfigError(issues, stack)
    return frozenset(declared)


class DataPlatform(pulumi.ComponentResource):
    """The whole platform. Children are named ``f"{name}-{role}"``."""

    foundations: dict[Cloud, Foundation]
    store: Store
    buffer: Buffer
    connect: Connect
    processing: Processing
    visualize: Visualize

    def __init__(
        self,
        name: str,
        config: PlatformConfig,
        implementations: Mapping[Cloud, CloudImplementation],
        *,
        stack: str,
        project: str = "blueprint",
        now: Optional[datetime] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
        edges: Optional[Mapping[tuple, EdgeImplementation]] = None,
    ) -> None:
        missing = [c.value for c in config.clouds_in_use if c not in implementations]
        edges = edges or {}
        missing += [e.describe() for e in cross_cloud_edges(config) if e.key not in edges]
        if missing:
            raise ValueError(f"no implementation registered for: {', '.join(missing)}")
        declared = check_names(config, implementations, stack=stack, project=project, edges=edges)
        super().__init__("blueprint:platform:DataPlatform", name, None, opts)

        contexts: dict[Cloud, StageContext] = {}
        providers: dict[Cloud, pulumi.ProviderResource] = {}
        self.foundations = {}
        for cloud in config.clouds_in_use:
            impl = implementations[cloud]
            base = StageContext(cloud, config, stack, project, None, now, declared)
            providers[cloud] = impl.provider(
                f"{name}-{cloud.value}-provider", base, pulumi.ResourceOptions(parent=self)
            )
            foundation = impl.foundation(
                f"{name}-{cloud.value}",
                {"context": base},
                pulumi.ResourceOptions(parent=self, providers=[providers[cloud]]),
            )
            self.foundations[cloud] = foundation
            contexts[cloud] = base.with_foundation(foundation)

        def place(stage: StageName) -> tuple[CloudImplementation, StageContext, pulumi.ResourceOptions]:
            cloud = config.stage_cloud(stage)
            opts_ = pulumi.ResourceOptions(parent=self, providers=[providers[cloud]])
            return implementations[cloud], contexts[cloud], opts_

        stages = config.stages
        impl, ctx, o = place(StageName.STORE)
        self.store = impl.store(
            f"{name}-store", {"context": ctx, "raw_expiration_days": config.raw_expiration_days}, o
        )
        impl, ctx, o = place(StageName.BUFFER)
        self.buffer = impl.buffer(
            f"{name}-buffer",
            {"context": ctx, "retention_hours": config.buffer_retention_hours, "consumers": stages.buffer.consumers},
            o,
        )
        impl, ctx, o = place(StageName.CONNECT)
        self.connect = impl.connect(
            f"{name}-connect",
            {
                "context": ctx, "buffer": self.buffer, "auth": stages.connect.auth,
                "throttle_rate": stages.connect.throttle_rate, "throttle_burst": stages.connect.throttle_burst,
            },
            o,
        )
        self.edges: dict[Edge, pulumi.ComponentResource] = {}
        for edge in (e for e in cross_cloud_edges(config) if e.upstream is StageName.BUFFER):
            # Buffer -> Processing: the connector stands in for the buffer.
            self.edges[edge] = edges[edge.key].factory(
                f"{name}-{edge.upstream.value}-to-{edge.downstream.value}",
                {"edge": edge, "upstream": self.buffer, "contexts": contexts},
                pulumi.ResourceOptions(parent=self, providers=list(providers.values())),
            )
        buffer_view = next((c for e, c in self.edges.items() if e.upstream is StageName.BUFFER), self.buffer)
        impl, ctx, o = place(StageName.PROCESSING)
        self.processing = impl.processing(
            f"{name}-processing",
            {
                "context": ctx, "buffer": buffer_view, "store": self.store,
                "engine": stages.processing.engine, "max_vcpu": stages.processing.max_vcpu,
            },
            o,
        )
        for edge in (e for e in cross_cloud_edges(config) if e.upstream is StageName.PROCESSING):
            # Processing -> Store: the trust names Processing's identity, so the connector follows Processing.
            self.edges[edge] = edges[edge.key].factory(
                f"{name}-{edge.upstream.value}-to-{edge.downstream.value}",
                {"edge": edge, "upstream": self.processing, "downstream": self.store, "contexts": contexts},
                pulumi.ResourceOptions(parent=self, providers=list(providers.values())),
            )
        impl, ctx, o = place(StageName.VISUALIZE)
        self.visualize = impl.visualize(
            f"{name}-visualize", {"context": ctx, "store": self.store, "scan_limit_gb": config.scan_limit_gb}, o
        )
        self.register_outputs(self.exports())

    def exports(self) -> dict[str, pulumi.Input]:
        """The stack exports: one small, stable map per stage."""
        return {
            "connect": {"endpoint": self.connect.endpoint, "producer_identity": self.connect.producer_identity,
                        "auth": self.connect.auth, "cloud": self.connect.cloud},
            "buffer": {"stream": self.buffer.stream_name, "endpoint": self.buffer.endpoint,
                       "retention_hours": self.buffer.retention_hours, "delivery": self.buffer.delivery,
                       "cloud": self.buffer.cloud},
            "processing": {"sink": self.processing.sink_id, "sink_delivery": self.processing.sink_delivery,
                           "engine": self.processing.engine_kind, "catalog": self.processing.catalog,
                           "cloud": self.processing.cloud,
                           # What `bp run` submits the sensor job with, where the program deploys it.
                           "job": getattr(self.processing, "job_exports", None)},
            "store": {"raw": self.store.raw_uri, "processed": self.store.processed_uri,
                      "curated": self.store.curated_uri, "cloud": self.store.cloud},
            "visualize": {"query_endpoint": self.visualize.query_endpoint,
                          "reader_identity": self.visualize.reader_identity, "cloud": self.visualize.cloud},
            "budgets": {c.value: f.budget_id for c, f in self.foundations.items()},
            **({"edges": {e.slug: {"trust": e.trust, **c.exports()} for e, c in self.edges.items()}}
               if self.edges else {}),
        }
