"""Where each cloud and each chosen service really runs.

A region the cloud does not have, or one where a chosen service is not
offered, fails ``pulumi up`` after half the stack exists; the configuration
refuses it instead, naming the valid values.

- AWS: botocore's endpoint data (``endpoints.json``, shipped with boto3): the
  regions of every partition, and per service the regions it has an
  endpoint in.
- Azure and GCP: the dated tables below, each with the page it was read
  from. A region opened after the date read is refused until it is added.
"""

from __future__ import annotations

import functools
from typing import Iterable

READ = "2026-11-30"

AZURE_LOCATIONS_SOURCE = f"https://learn.microsoft.com/azure/reliability/regions-list (programmatic names, read {READ})"
AZURE_LOCATIONS: frozenset[str] = frozenset({
    "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "austriaeast",
    "belgiumcentral", "brazilsouth", "brazilsoutheast", "canadacentral", "canadaeast", "centralindia",
    "centralus", "chilecentral", "eastasia", "eastus", "eastus2", "francecentral", "francesouth",
    "germanynorth", "germanywestcentral", "indonesiacentral", "israelcentral", "italynorth", "japaneast",
    "japanwest", "jioindiacentral", "jioindiawest", "koreacentral", "koreasouth", "malaysiawest",
    "mexicocentral", "newzealandnorth", "northcentralus", "northeurope", "norwayeast", "norwaywest",
    "polandcentral", "qatarcentral", "southafricanorth", "southafricawest", "southcentralus",
    "southeastasia", "southindia", "spaincentral", "swedencentral", "switzerlandnorth", "switzerlandwest",
    "uaecentral", "uaenorth", "uksouth", "ukwest", "westcentralus", "westeurope", "westindia", "westus",
    "westus2", "westus3",
})
"""Locations of the Azure public cloud."""

DATABRICKS_SOURCE = f"https://learn.microsoft.com/azure/databricks/resources/supported-regions (read {READ})"
DATABRICKS_LOCATIONS: frozenset[str] = frozenset({
    "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "brazilsouth",
    "canadacentral", "canadaeast", "centralindia", "centralus", "eastasia", "eastus", "eastus2",
    "francecentral", "germanywestcentral", "japaneast", "japanwest", "koreacentral", "mexicocentral",
    "northcentralus", "northeurope", "norwayeast", "qatarcentral", "southafricanorth", "southcentralus",
    "southeastasia", "southindia", "swedencentral", "switzerlandnorth", "switzerlandwest", "uaenorth",
    "uksouth", "ukwest", "westcentralus", "westeurope", "westindia", "westus", "westus2", "westus3",
})
"""Public-cloud locations Azure Databricks supports (the page also lists China and Government regions)."""

GCP_REGIONS_SOURCE = f"https://cloud.google.com/compute/docs/regions-zones (read {READ})"
GCP_REGIONS: frozenset[str] = frozenset({
    "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
    "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2", "australia-southeast1",
    "australia-southeast2", "europe-central2", "europe-north1", "europe-north2", "europe-southwest1",
    "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8",
    "europe-west9", "europe-west10", "europe-west12", "me-central1", "me-central2", "me-west1",
    "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1", "southamerica-east1",
    "southamerica-west1", "us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1",
    "us-west2", "us-west3", "us-west4",
})
"""Compute Engine regions. Dataproc, clusters and Serverless alike, runs in every Compute Engine region
(https://cloud.google.com/dataproc/docs/concepts/regional-endpoints: "When new regions are added to Compute
Engine, they become available for use with Dataproc"), so the platform's GCP services need no narrower table."""

AWS_SOURCE = "botocore endpoints.json"


@functools.lru_cache(maxsize=1)
def _aws_partitions() -> tuple[dict, ...]:
    from botocore.loaders import create_loader

    return tuple(create_loader().load_data("endpoints")["partitions"])


AWS_PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
"""Partitions a stack may target; the isolated ones (``aws-iso*``, ``aws-eusc``) need endpoints and
credentials the program does not configure."""


def aws_regions() -> frozenset[str]:
    """Every region of the partitions in ``AWS_PARTITIONS``, as botocore knows them."""
    return frozenset(r for p in _aws_partitions() if p["partition"] in AWS_PARTITIONS for r in p["regions"])


def aws_service_regions(service: str) -> frozenset[str]:
    """Regions where ``service`` (an endpoint prefix: ``emr-serverless``, ``kinesis``) has an endpoint."""
    regions: set[str] = set()
    for partition in _aws_partitions():
        endpoints = partition.get("services", {}).get(service, {}).get("endpoints", {})
        regions.update(r for r, e in endpoints.items()
                       if r in partition["regions"] and not (e or {}).get("deprecated"))
    return frozenset(regions)


def one_of(value: str, allowed: Iterable[str], what: str, source: str) -> str | None:
    """The refusal for ``value`` when it is not in ``allowed``, else None."""
    allowed = sorted(allowed)
    if value in allowed:
        return None
    return f"not {what}; valid values: {', '.join(allowed)} (source: {source})"


def aws_region_problem(region: str) -> str | None:
    return one_of(region, aws_regions(), "an AWS region", AWS_SOURCE)


def azure_location_problem(location: str) -> str | None:
    return one_of(location, AZURE_LOCATIONS, "an Azure public-cloud location", AZURE_LOCATIONS_SOURCE)


def gcp_region_problem(region: str) -> str | None:
    return one_of(region, GCP_REGIONS, "a GCP region", GCP_REGIONS_SOURCE)
