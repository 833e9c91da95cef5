"""The runtime and release versions the platform may pin, each with the last day its cloud supports it.

Every entry carries the page it was read from and the day it was read. A
version missing here is refused by the lifecycle check: add it (with its
date and source) rather than let an unknown runtime through.

``supported_until`` is the last supported day as the cloud states it
("Supported until", "Standard support until", "end of support on"). After
that day new resources with the version are refused or unsupported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

READ = dt.date(2026, 11, 30)
"""The day every source below was read."""


@dataclass(frozen=True)
class Release:
    version: str
    supported_until: dt.date
    source: str
    read: dt.date = READ


@dataclass(frozen=True)
class Product:
    """A family of versions and the resource inputs that pin one."""

    name: str
    """In the user's words: ``EMR release``, ``Synapse Spark runtime``."""
    pins: tuple[tuple[str, str], ...]
    """``(resource type, input path)`` pairs; the type is matched without an azure-native API version."""
    releases: tuple[Release, ...]

    def find(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)


_EMR = "https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-{}-release.html"


def _emr(version: str, until: dt.date) -> Release:
    return Release(f"emr-{version}", until, _EMR.format(version.replace(".", "")))


EMR = Product(
    name="EMR release",
    pins=(
        ("aws:emrserverless/application:Application", "releaseLabel"),
        ("aws:emr/cluster:Cluster", "releaseLabel"),
    ),
    # "Standard support until" of each release's "supported lifecycle" table.
    releases=(
        _emr("7.3.0", dt.date(2026, 10, 15)),
        _emr("7.4.0", dt.date(2026, 11, 12)),
        _emr("7.5.0", dt.date(2026, 11, 20)),
        _emr("7.9.0", dt.date(2027, 5, 19)),
        _emr("7.10.0", dt.date(2027, 8, 15)),
        _emr("7.13.0", dt.date(2028, 4, 21)),
        _emr("7.14.0", dt.date(2028, 9, 8)),
    ),
)

_SERVERLESS = "https://cloud.google.com/dataproc-serverless/docs/concepts/versions/spark-runtime-versions"

DATAPROC_SERVERLESS = Product(
    name="Dataproc Serverless runtime",
    pins=(
        ("gcp:dataproc/sessionTemplate:SessionTemplate", "runtimeConfig.version"),
        ("gcp:dataproc/batch:Batch", "runtimeConfig.version"),
    ),
    # "Supported until"; subminor pinning (2.2.30) is not supported, so only major.minor is listed.
    releases=(
        Release("1.2", dt.date(2026, 9, 30), _SERVERLESS),
        Release("2.2", dt.date(2026, 9, 30), _SERVERLESS),
        Release("2.3", dt.date(2027, 11, 26), _SERVERLESS),
        Release("3.0", dt.date(2027, 1, 31), _SERVERLESS),
    ),
)

_IMAGES = "https://cloud.google.com/dataproc/docs/concepts/versioning/dataproc-version-clusters"

DATAPROC_IMAGE = Product(
    name="Dataproc image version",
    pins=(("gcp:dataproc/cluster:Cluster", "clusterConfig.softwareConfig.imageVersion"),),
    # "Supported until"; 3.0 images were a preview without a date when read, so they are not listed.
    releases=(
        Release("2.1-debian11", dt.date(2026, 3, 31), _IMAGES),
        Release("2.1-ubuntu20", dt.date(2026, 3, 31), _IMAGES),
        Release("2.2-debian12", dt.date(2027, 3, 31), _IMAGES),
        Release("2.2-ubuntu22", dt.date(2027, 3, 31), _IMAGES),
        Release("2.3-debian12", dt.date(2027, 6, 9), _IMAGES),
        Release("2.3-ubuntu22", dt.date(2027, 6, 9), _IMAGES),
    ),
)

SYNAPSE_SPARK = Product(
    name="Synapse Spark runtime",
    pins=(("azure-native:synapse:BigDataPool", "sparkVersion"),),
    releases=(
        Release("3.4", dt.date(2026, 3, 31),
                "https://learn.microsoft.com/azure/synapse-analytics/spark/apache-spark-34-runtime"),
        # GA, then Long Term Support from 2027-11-01 "extending support through October 31, 2028".
        Release("3.5", dt.date(2028, 10, 31),
                "https://learn.microsoft.com/azure/synapse-analytics/spark/apache-spark-35-runtime"),
    ),
)

PRODUCTS: tuple[Product, ...] = (EMR, DATAPROC_SERVERLESS, DATAPROC_IMAGE, SYNAPSE_SPARK)

AZURE_API_VERSIONS: dict[str, Release] = {}
"""azure-native API versions a resource token may pin (``azure-native:storage/v20230101:StorageAccount``),
keyed ``module/vYYYYMMDD``. None is pinned today: the program uses the provider's default version, which
moves with the provider release. A pin must be added here with the version's retirement date and source."""
