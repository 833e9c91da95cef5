"""The route of a smoke: the cloud each stage runs on, and the hops from Connect to raw, crossings included.

Derived from the stages' clouds, never from a stack's name: the stack file's
``stage_cloud`` (``--local``, which synthesizes the stack) or the ``cloud``
each stage exports (a deployed stack; the same value, recorded at deploy).
A single-cloud stack's route has no crossing and runs the cloud's own smoke.
Where neighbouring stages run on different clouds, the hop between them is
the cross-cloud edge (``components.edges``), looked up in ``CROSSINGS`` by
the edge's slug: how long its connector may take in the cloud, and why
``--local`` bridges it. An edge without an entry is refused by name, so a new
edge gets its place in the chain from here and only needs its crossing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from blueprint.dataflow.unavailable import Unavailable
from components.config import Cloud, StageName
from components.edges import Edge, supported_edge

CHAIN: tuple[tuple[StageName, str], ...] = (
    (StageName.CONNECT, "connect"),
    (StageName.BUFFER, "buffer"),
    (StageName.PROCESSING, "sink"),
    (StageName.STORE, "raw"),
)
"""The stages a probe event passes, in order, and the hop each one is reported as (the sink belongs to
Processing: its subscription, delivery stream or capture writes raw)."""

SINK_DEADLINE_SECONDS = 600
"""Every cloud's sink flushes to raw within 300 s (Firehose buffering interval, the Cloud Storage
subscription's max duration, Event Hubs Capture's interval); twice that before giving up."""


@dataclass(frozen=True)
class Crossing:
    """How the smoke passes one cross-cloud edge."""

    hop: str
    """The hop's name in the report."""
    deadline_seconds: int
    """How long the edge's connector may take in the cloud before the next hop can see the events."""
    local: str
    """What ``--local`` does instead, and why no emulator runs the connector."""


CROSSINGS: dict[str, Crossing] = {
    "buffer-aws-to-processing-gcp": Crossing(
        hop="buffer -> import topic",
        # Enhanced fan-out pushes within about 70 ms; a SubscribeToShard subscription lasts 5 minutes, so a
        # reader renewing it may pause that long at most.
        deadline_seconds=300,
        local="the command publishes each record read from the stream to the import topic: no emulator runs "
              "Pub/Sub's Kinesis ingestion",
    ),
    "buffer-gcp-to-processing-aws": Crossing(
        hop="drain -> delivery stream",
        # The schedule invokes the drain every 5 minutes; the run that finds a message writes it in its first
        # round, which fits in the 60 s the drain keeps in reserve for one (pull, write with retries, acknowledge).
        deadline_seconds=360,
        local="the drain's own code (infra/hybrid/drain) ran in the emulators, pulling the edge's subscription "
              "in the Pub/Sub emulator and writing moto's Firehose; its token exchange is bypassed: the emulator "
              "takes no credentials",
    ),
}
"""The crossings the smoke knows, by edge slug (``Edge.slug``)."""


@dataclass(frozen=True)
class Leg:
    hop: str
    runs_on: str
    """The cloud the hop runs on, or the edge's slug for a crossing."""
    deadline_seconds: int
    """How long the cloud may take for this hop (0: it answers synchronously)."""


@dataclass(frozen=True)
class Route:
    clouds: Mapping[StageName, Cloud]

    @property
    def edges(self) -> list[Edge]:
        """The cross-cloud edges along the chain, in data-flow order."""
        found = []
        for (upstream, _), (downstream, _) in zip(CHAIN, CHAIN[1:]):
            a, b = self.clouds[upstream], self.clouds[downstream]
            if a is b:
                continue
            edge = supported_edge(upstream, a, downstream, b)
            if edge is None:
                raise Unavailable(f"{upstream.value} on {a.value} -> {downstream.value} on {b.value} is not a supported "
                                  "cross-cloud edge (see docs/hybrid.md); such a stack does not preview either")
            found.append(edge)
        return found

    @property
    def legs(self) -> list[Leg]:
        """Each hop from Connect to raw with where it runs and its deadline; a crossing between two stages."""
        legs: list[Leg] = []
        edges = {edge.upstream: edge for edge in self.edges}
        for stage, hop in CHAIN:
            legs.append(Leg(hop, self.clouds[stage].value, SINK_DEADLINE_SECONDS if hop == "sink" else 0))
            if stage in edges:
                crossing = crossing_of(edges[stage])
                legs.append(Leg(crossing.hop, edges[stage].slug, crossing.deadline_seconds))
        return legs

    @property
    def raw_deadline_seconds(self) -> int:
        """How long after Connect accepted the events raw may take to hold them all: the sum over the hops."""
        return sum(leg.deadline_seconds for leg in self.legs)

    @property
    def crossing(self) -> tuple[Edge, Crossing] | None:
        """The one edge the route crosses (None on a single cloud)."""
        edges = self.edges
        if len(edges) > 1:
            raise Unavailable(f"the route crosses {len(edges)} edges ({', '.join(e.slug for e in edges)}); the smoke "
                              "crosses one at most")
        return (edges[0], crossing_of(edges[0])) if edges else None


def crossing_of(edge: Edge) -> Crossing:
    if edge.slug not in CROSSINGS:
        raise Unavailable(f"the smoke does not cross the edge {edge.slug} ({edge.describe()}) yet; it crosses "
                          f"{', '.join(sorted(CROSSINGS))}")
    return CROSSINGS[edge.slug]


def of_config(config) -> Route:
    """A stack config's route (``PlatformConfig.stage_cloud``)."""
    return Route({stage: config.stage_cloud(stage) for stage, _ in CHAIN})


def of_stack(stack: str) -> Route:
    """The route of a stack file (``Pulumi.<stack>.yaml``)."""
    from blueprint.engine import read_stack_config
    from components.config import from_pulumi_config

    return of_config(from_pulumi_config(read_stack_config(stack), stack))


def of_outputs(outputs: dict) -> Route:
    """A deployed stack's route: the ``cloud`` each stage exports (a stage exporting none runs where Connect does)."""
    allowed = {c.value for c in Cloud}
    default = (outputs.get(StageName.CONNECT.value) or {}).get("cloud")
    clouds = {}
    for stage, _ in CHAIN:
        cloud = (outputs.get(stage.value) or {}).get("cloud", default)
        if cloud not in allowed:
            raise Unavailable(f"the stack's {stage.value}.cloud is {cloud!r}; allowed: {', '.join(sorted(allowed))}")
        clouds[stage] = Cloud(cloud)
    return Route(clouds)
