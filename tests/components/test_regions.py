"""Regions and locations: real ones accepted, invented ones refused with the valid values, and a region
where a chosen service does not run refused before any resource is registered."""

from __future__ import annotations

import pytest

from components import regions
from components.config import ConfigError, load_config

BASE = {"owner": "data-team", "alertEmails": ["data-team@example.com"]}
GCP = {"project": "blueprint-learning", "billingAccount": "012345-6789AB-CDEF01"}
DATABRICKS_APP = "5a3d9f0e-2b7c-4e1a-9c8d-7f6e5d4c3b2a"  # an object id of the tenant's AzureDatabricks principal


def refusal(values: dict) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config({**BASE, **values})
    assert len(caught.value.issues) == 1, str(caught.value)
    return str(caught.value.issues[0])


def test_invented_aws_region_is_refused_with_the_real_ones():
    message = refusal({"cloud": "aws", "aws": {"region": "us-east-7"}})
    assert message.startswith("blueprint:aws.region = 'us-east-7': not an AWS region")
    for real in ("us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"):
        assert real in message
    assert "botocore" in message


@pytest.mark.parametrize("region", ["eu-central-2", "ca-west-1", "us-gov-east-1"])
def test_real_aws_regions_are_accepted(region):
    assert load_config({**BASE, "cloud": "aws", "aws": {"region": region}}).aws.region == region


def test_botocore_knows_where_emr_serverless_runs():
    where = regions.aws_service_regions("emr-serverless")
    assert {"us-east-1", "eu-west-1"} <= where
    assert "us-iso-west-1" not in where  # an isolated-partition region without the service


def test_aws_region_without_a_chosen_service_is_refused(monkeypatch):
    real = regions.aws_service_regions
    monkeypatch.setattr(regions, "aws_service_regions",
                        lambda s: real(s) - {"eu-south-2"} if s == "emr-serverless" else real(s))
    message = refusal({"cloud": "aws", "aws": {"region": "eu-south-2"}})
    assert message.startswith("blueprint:aws.region = 'eu-south-2': emr-serverless has no endpoint")
    assert "us-east-1" in message
    # The cluster engine uses EMR on EC2 instead, which the region has.
    cfg = load_config({**BASE, "cloud": "aws", "aws": {"region": "eu-south-2"}, "profile": "production",
                       "stages": {"processing": {"engine": "cluster"}}})
    assert cfg.aws.region == "eu-south-2"


def test_invented_azure_location_is_refused_with_the_real_ones():
    message = refusal({"cloud": "azure", "azure": {"location": "marscentral"}})
    assert message.startswith("blueprint:azure.location = 'marscentral': not an Azure public-cloud location")
    for real in ("eastus", "westeurope", "swedencentral", "italynorth"):
        assert real in message
    assert "learn.microsoft.com" in message


def test_production_on_azure_needs_a_databricks_location():
    """Poland Central is an Azure region, but Azure Databricks (the production engine) is not offered there."""
    message = refusal({"cloud": "azure", "profile": "production",
                       "azure": {"location": "polandcentral", "databricksPrincipalId": DATABRICKS_APP}})
    assert message.startswith("blueprint:azure.location = 'polandcentral': not a location Azure Databricks")
    assert "eastus" in message and "italynorth" not in message
    learning = load_config({**BASE, "cloud": "azure", "azure": {"location": "polandcentral"}})
    assert learning.azure.location == "polandcentral"


def test_invented_gcp_region_is_refused_with_the_real_ones():
    message = refusal({"cloud": "gcp", "gcp": {**GCP, "region": "us-central9"}})
    assert message.startswith("blueprint:gcp.region = 'us-central9': not a GCP region")
    for real in ("us-central1", "europe-west10", "africa-south1"):
        assert real in message


def test_region_of_an_unused_cloud_is_still_judged():
    """A typo is a typo even when no stage runs on that cloud yet."""
    message = refusal({"cloud": "aws", "azure": {"location": "eastus9"}})
    assert message.startswith("blueprint:azure.location = 'eastus9'")


def test_fake_region_stops_the_program_before_any_resource():
    from blueprint.engine import synthesize
    from blueprint.mocks import PlatformMocks
    from tests.conftest import stack_config

    class Counting(PlatformMocks):
        created: list[str] = []

        def new_resource(self, args):
            self.created.append(args.name)
            return super().new_resource(args)

    mocks = Counting()
    with pytest.raises(ConfigError, match="us-east-7"):
        synthesize("aws", stack_config("aws", aws={"region": "us-east-7"}), mocks=mocks)
    assert mocks.created == []
    synthesize("aws", stack_config("aws", aws={"region": "eu-west-1"}), mocks=mocks)
    assert mocks.created  # the same counter sees resources when the region is real
