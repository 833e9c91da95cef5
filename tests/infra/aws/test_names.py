"""Physical names: S3 bucket names are global, so they are salted with the account and region."""

from __future__ import annotations

import functools

from blueprint.engine import synthesize
from blueprint.mocks import PlatformMocks
from components.naming import RULES
from tests.conftest import stack_config
from tests.infra.aws.support import LEARNING, of_type, one

ZONES = ("raw", "processed", "curated", "results", "logs")


class AccountMocks(PlatformMocks):
    """The offline answers, as seen from another AWS account."""

    def __init__(self, account: str) -> None:
        super().__init__()
        self._calls["aws:index/getCallerIdentity:getCallerIdentity"] = lambda a: {
            "accountId": account, "arn": f"arn:aws:iam::{account}:user/offline", "userId": "AIDAOFFLINE",
            "id": account}


@functools.lru_cache(maxsize=None)
def buckets(account: str, region: str = "us-east-1") -> dict[str, str]:
    config = stack_config(LEARNING, aws={"region": region})
    s = synthesize(LEARNING, config, mocks=AccountMocks(account))
    return {r.name.rsplit("-", 1)[1]: r.inputs["bucket"] for r in of_type(s, "aws:s3/bucket:Bucket")}


def test_two_accounts_with_the_same_stack_name_get_different_bucket_names():
    first, second = buckets("111111111111"), buckets("222222222222")
    assert sorted(first) == sorted(ZONES)
    for zone in ZONES:
        assert first[zone] != second[zone], zone
        assert first[zone].startswith(f"blueprint-aws-store-{zone}-")
        assert second[zone].startswith(f"blueprint-aws-store-{zone}-")


def test_bucket_names_are_stable_for_one_account_and_region():
    again = synthesize(LEARNING, stack_config(LEARNING, aws={"region": "us-east-1"}),
                       mocks=AccountMocks("111111111111"))
    assert {r.name.rsplit("-", 1)[1]: r.inputs["bucket"] for r in of_type(again, "aws:s3/bucket:Bucket")} == (
        buckets("111111111111"))


def test_the_same_account_in_another_region_gets_other_bucket_names():
    east, west = buckets("111111111111"), buckets("111111111111", "eu-west-1")
    assert all(east[zone] != west[zone] for zone in ZONES)


def test_salted_names_keep_the_rules_checked_before_registration():
    for zone in ZONES:
        assert RULES["s3-bucket"].check(buckets("222222222222")[zone]) is None


def test_the_pipeline_reads_the_log_bucket_by_its_salted_name():
    s = synthesize(LEARNING, stack_config(LEARNING), mocks=AccountMocks("222222222222"))
    logs = one(s, "aws:s3/bucket:Bucket", "-logs").inputs["bucket"]
    assert one(s, "aws:emrserverless/application:Application")  # serverless: no cluster log URI
    assert logs == buckets("222222222222")["logs"]


def test_iam_names_differ_per_region_of_one_account():
    def role_names(region: str) -> set[str]:
        s = synthesize(LEARNING, stack_config(LEARNING, aws={"region": region}), mocks=AccountMocks("111111111111"))
        return {r.inputs["name"] for r in of_type(s, "aws:iam/role:Role")}

    east, west = role_names("us-east-1"), role_names("eu-west-1")
    assert east and not east & west
