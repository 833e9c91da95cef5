"""Subnets land in regular Availability Zones: never a Local Zone the account opted in to.

The offline account (``blueprint/mocks.py``) has opted in to the Local Zone
us-east-1-bos-1a, which sorts first by name, and maps us-east-1a to use1-az3,
where EMR Serverless does not run. A lookup without the ``opt-in-status``
filter would put the first subnet in Boston, where most services the
platform uses do not exist.
"""

from __future__ import annotations

import pytest

from tests.conftest import synth
from tests.infra.aws.support import LEARNING, PRODUCTION, of_type


@pytest.mark.parametrize("stack, expected", [(LEARNING, {"us-east-1b"}), (PRODUCTION, {"us-east-1b", "us-east-1c"})])
def test_subnets_use_the_first_regular_zones_that_run_emr_serverless(stack, expected):
    zones = {x.inputs["availabilityZone"] for x in of_type(synth(stack), "aws:ec2/subnet:Subnet")}
    assert zones == expected


def test_the_offline_account_really_offers_a_local_zone_first():
    # Guards the guard: if the mock stopped modelling the Local Zone, the test above would prove nothing.
    from blueprint.mocks import PlatformMocks

    zones = PlatformMocks()._aws_zones({})
    assert zones["names"][0] == "us-east-1-bos-1a"
    filtered = PlatformMocks()._aws_zones({"filters": [{"name": "opt-in-status", "values": ["opt-in-not-required"]}]})
    assert "us-east-1-bos-1a" not in filtered["names"] and filtered["names"][0] == "us-east-1a"
