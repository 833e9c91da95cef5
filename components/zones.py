"""Security zones and the declared reachability matrix.

The platform separates what faces users from what computes and what stores,
so that a compromised dashboard cannot open a connection to the lake
("UI in a different zone than the SQL DB"). Zones are declared here once,
cloud-neutrally; every cloud implements the same matrix with its own means
(security groups and endpoints on AWS, NSGs and private endpoints on Azure,
firewall rules on GCP), and a test derives the actual reachability from the
synthesized resources and compares it with ``REACHABILITY``.
"""

from __future__ import annotations

from enum import StrEnum


class Zone(StrEnum):
    EDGE = "edge"
    """Ingest endpoint and dashboard front door: HTTPS from the internet, authenticated."""
    PROCESSING = "processing"
    """Compute in private subnets, no public IPs, nothing inbound from outside the zone."""
    DATA = "data"
    """Lake storage, keys, catalogs: reachable from processing and serving only."""
    SERVING = "serving"
    """Query layer and dashboard back end: reachable from edge, reads curated data."""


INTERNET = "internet"
"""The source name used for traffic from outside the platform."""

Edge = tuple[str, str]

REACHABILITY: frozenset[Edge] = frozenset(
    {
        (INTERNET, Zone.EDGE.value),
        (Zone.EDGE.value, Zone.SERVING.value),
        (Zone.PROCESSING.value, Zone.DATA.value),
        (Zone.SERVING.value, Zone.DATA.value),
        # Spark drivers and executors talk to each other inside the zone.
        (Zone.PROCESSING.value, Zone.PROCESSING.value),
    }
)
"""Which source may open connections to which zone: (source, destination)."""

ZONE_PORTS: dict[Zone, tuple[int, ...]] = {
    Zone.EDGE: (443,),
    Zone.SERVING: (443,),
    Zone.DATA: (443,),
    # Processing accepts only intra-zone traffic; all ports, as Spark picks its own.
    Zone.PROCESSING: (),
}
"""The ports a zone listens on for the edges above (empty: all ports, intra-zone only)."""


def allowed_sources(zone: Zone) -> list[str]:
    """Sources that may reach ``zone``, in a stable order."""
    return sorted(src for src, dst in REACHABILITY if dst == zone.value)


def is_allowed(source: str, destination: str) -> bool:
    return (source, destination) in REACHABILITY
