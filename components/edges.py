"""The cross-cloud edges the platform can wire, declared once.

Where two neighbouring stages (``DATA_FLOW_EDGES``) run on different clouds,
the platform needs a connector that moves the data and a trust that lets
the receiving side read without long-lived keys. Each supported
(upstream stage, upstream cloud, downstream stage, downstream cloud) is one
``Edge`` here, with its connector, its trust and the reason it is sound;
``edge_issues`` refuses every other cross-cloud pair at preview, before any
resource is registered, and lists the supported ones.

Buffer on GCP feeding AWS has no native path (Pub/Sub pushes into neither
Kinesis nor Firehose, and Google's templates that write to AWS need static
keys): its connector is a drain function of the project's own on the AWS
side, which federates into GCP with its role and nothing stored.
Processing on AWS writing a Store on GCP is not offered: GCP's
``external_account`` AWS source signs with instance-metadata credentials,
which an EMR Serverless job was not shown to have, and EMR ships no Cloud
Storage connector.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, NotRequired, Optional, TypedDict

from components.config import DATA_FLOW_EDGES, NAMESPACE, Cloud, ConfigIssue, PlatformConfig, StageName

if TYPE_CHECKING:
    from components.context import StageContext


@dataclass(frozen=True)
class Edge:
    """One supported cross-cloud pair of neighbouring stages."""

    upstream: StageName
    upstream_cloud: Cloud
    downstream: StageName
    downstream_cloud: Cloud
    connector: str
    """What moves the data across the edge."""
    trust: str
    """Who is allowed to do what on the other side, without a stored secret."""
    reason: str
    """Why this connector: the documented property that makes it sound."""

    @property
    def key(self) -> tuple[StageName, Cloud, StageName, Cloud]:
        return (self.upstream, self.upstream_cloud, self.downstream, self.downstream_cloud)

    @property
    def slug(self) -> str:
        """The edge's export key, for example ``buffer-aws-to-processing-gcp``."""
        return (f"{self.upstream.value}-{self.upstream_cloud.value}-to-"
                f"{self.downstream.value}-{self.downstream_cloud.value}")

    def describe(self) -> str:
        return (f"{self.upstream.value} on {self.upstream_cloud.value} -> "
                f"{self.downstream.value} on {self.downstream_cloud.value}")


SUPPORTED_EDGES: tuple[Edge, ...] = (
    Edge(
        StageName.BUFFER, Cloud.AWS, StageName.PROCESSING, Cloud.GCP,
        connector="Pub/Sub import topic reading the Kinesis stream through its own enhanced fan-out consumer",
        trust="an AWS IAM role that trusts only the import topic's GCP service account "
              "(web identity from accounts.google.com, sub and aud pinned to its numeric id) and may only read "
              "that stream through that consumer",
        reason="Pub/Sub pulls from Kinesis itself with a federated token: no process to run, no key to store",
    ),
    Edge(
        StageName.BUFFER, Cloud.GCP, StageName.PROCESSING, Cloud.AWS,
        connector="an AWS Lambda function, run every five minutes, pulling the edge's Pub/Sub subscription into "
                  "the processing Firehose delivery stream (PutRecordBatch, acknowledged after the write)",
        trust="a GCP workload identity pool whose AWS provider admits only the function's assumed role, granted "
              "subscriber on that one subscription; the role may only write that delivery stream and its logs",
        reason="the function exchanges its own short-lived role credentials for a federated Google token: no key "
               "on either side, and nothing idles but a schedule",
    ),
    Edge(
        StageName.PROCESSING, Cloud.GCP, StageName.STORE, Cloud.AWS,
        connector="Spark's S3A connector on Dataproc Serverless reading raw and writing processed and curated in S3, "
                  "over TLS through Cloud NAT on the processing subnet",
        trust="an AWS IAM role that trusts only the Dataproc runtime's GCP service account (web identity from "
              "accounts.google.com, sub and aud pinned to its numeric id, oaud to the role) and may only read raw, "
              "write processed and curated, and use the stack key through S3",
        reason="the batch's driver exchanges the runtime account's Google ID token for a one-hour AWS session: "
               "no key is stored anywhere",
    ),
)
"""Every cross-cloud edge the platform wires; any other is refused at preview."""



class EdgeArgs(TypedDict):
    """What every edge connector is given; each connector's docstring says what it reads of the stages."""

    edge: Edge
    upstream: Any
    """The upstream stage's component (on the upstream cloud)."""
    downstream: NotRequired[Any]
    """The downstream stage's component, for connectors built after both stages (Processing -> Store)."""
    contexts: dict[Cloud, "StageContext"]
    """The stage context of each cloud the edge touches."""


@dataclass(frozen=True)
class EdgeImplementation:
    """One edge's connector: ``factory(name, {"edge", "upstream", "contexts"}, opts)`` and its physical names.

    The factory returns a component that stands in for the upstream stage on
    the downstream cloud (for Buffer -> Processing: ``stream_id``,
    ``agent_member``, ``dead_letter_topic``) and has ``exports()``. A
    Processing -> Store connector is built after both stages and also gets
    ``downstream`` (the store); it stands in for nothing.
    """

    factory: Callable[..., Any]
    names: Callable[[PlatformConfig], set[tuple[str, str]]]


PUBSUB_MAX_RETENTION_HOURS = 744
"""Pub/Sub's topic retention limit, which binds a buffer mirrored into an import topic."""

_BY_KEY = {edge.key: edge for edge in SUPPORTED_EDGES}


def supported_edge(
    upstream: StageName, upstream_cloud: Cloud, downstream: StageName, downstream_cloud: Cloud
) -> Optional[Edge]:
    return _BY_KEY.get((upstream, upstream_cloud, downstream, downstream_cloud))


def cross_cloud_edges(cfg: PlatformConfig) -> list[Edge]:
    """The supported edges a (valid) config uses, in data-flow order."""
    found = []
    for upstream, downstream in DATA_FLOW_EDGES:
        edge = supported_edge(upstream, cfg.stage_cloud(upstream), downstream, cfg.stage_cloud(downstream))
        if edge is not None:
            found.append(edge)
    return found


def edge_issues(cfg: PlatformConfig) -> list[ConfigIssue]:
    """One issue per neighbouring pair on different clouds that no ``Edge`` supports."""
    issues: list[ConfigIssue] = []
    supported = "; ".join(edge.describe() for edge in SUPPORTED_EDGES)
    for upstream, downstream in DATA_FLOW_EDGES:
        a, b = cfg.stage_cloud(upstream), cfg.stage_cloud(downstream)
        if a == b or supported_edge(upstream, a, downstream, b) is not None:
            continue
        issues.append(ConfigIssue(
            f"{NAMESPACE}:stages.{downstream.value}.cloud", b.value,
            f"{upstream.value} runs on {a.value}; {upstream.value} on {a.value} -> {downstream.value} on "
            f"{b.value} has no keyless connector; run both on one cloud, or use a supported cross-cloud edge: "
            f"{supported}",
        ))
    mirrored = any(e.upstream is StageName.BUFFER and e.downstream_cloud is Cloud.GCP for e in cross_cloud_edges(cfg))
    if mirrored and cfg.buffer_retention_hours > PUBSUB_MAX_RETENTION_HOURS:
        issues.append(ConfigIssue(
            f"{NAMESPACE}:stages.buffer.retentionHours", cfg.buffer_retention_hours,
            f"the buffer is mirrored into a Pub/Sub import topic on GCP, which keeps messages at most "
            f"{PUBSUB_MAX_RETENTION_HOURS} hours (31 days)",
        ))
    store_abroad = any(e.upstream is StageName.PROCESSING for e in cross_cloud_edges(cfg))
    if store_abroad and "sink" in cfg.stages.buffer.consumers:
        issues.append(ConfigIssue(
            f"{NAMESPACE}:stages.buffer.consumers", cfg.stages.buffer.consumers,
            f"the stream sink writes raw only into {cfg.stage_cloud(StageName.PROCESSING).value}'s object storage, "
            f"and the store runs on {cfg.stage_cloud(StageName.STORE).value}; leave sink out (allowed: spark or "
            f"other named consumers)",
        ))
    return issues
