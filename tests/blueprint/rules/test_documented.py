"""Documented rules no model carries: each planted in a real stack, each at its boundary."""

from __future__ import annotations

import json

from tests.blueprint.rules.support import findings_for, planted

RULE_IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
RULE_NAME = "platform-aws-network-edge-to-serving-in"


def test_an_arrow_in_a_security_group_rule_description_is_refused_with_resource_input_value_and_rule():
    s = planted("aws", RULE_IN, RULE_NAME, "description", "edge -> serving on 443")
    [finding] = findings_for(s, RULE_NAME, "description")
    assert finding.resource == f"{RULE_IN} {RULE_NAME}"
    assert finding.value == "edge -> serving on 443"
    assert "'>'" in finding.rule and "a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*" in finding.rule
    assert finding.source.startswith("https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html")


def test_every_documented_description_character_is_allowed():
    s = planted("aws", RULE_IN, RULE_NAME, "description", "aZ09. _-:/()#,@[]+=&;{}!$*")
    assert findings_for(s, RULE_NAME, "description") == []


def test_a_rule_description_of_255_characters_passes_and_256_fails():
    assert findings_for(planted("aws", RULE_IN, RULE_NAME, "description", "a" * 255), RULE_NAME, "description") == []
    [finding] = findings_for(planted("aws", RULE_IN, RULE_NAME, "description", "a" * 256), RULE_NAME, "description")
    assert "at most 255 characters (has 256)" in finding.rule


def test_s3_bucket_names_stop_at_63_characters_and_refuse_capitals():
    token, name = "aws:s3/bucket:Bucket", "platform-store-raw"
    assert findings_for(planted("aws", token, name, "bucket", "b" * 63), name, "bucket") == []
    [long] = findings_for(planted("aws", token, name, "bucket", "b" * 64), name, "bucket")
    assert "3 to 63 characters (has 64)" in long.rule and "bucketnamingrules" in long.source
    [upper] = findings_for(planted("aws", token, name, "bucket", "Blueprint-raw"), name, "bucket")
    assert "lowercase" in upper.rule


def test_a_managed_policy_over_6144_characters_without_white_space_is_refused():
    token, name = "aws:iam/policy:Policy", "platform-store-steward-policy"
    # {"a":"x..."} is 8 characters around the padding; white space does not count.
    ok = json.dumps({"a": "x" * 6136})
    assert len(ok.replace(" ", "")) == 6144
    assert findings_for(planted("aws", token, name, "policy", ok), name, "policy") == []
    [finding] = findings_for(planted("aws", token, name, "policy", json.dumps({"a": "x" * 6137})), name, "policy")
    assert "at most 6144 characters without white space (has 6145)" in finding.rule
    assert "reference_iam-quotas" in finding.source


def test_a_cloud_storage_bucket_name_with_google_in_it_is_refused():
    token, name = "gcp:storage/bucket:Bucket", "platform-store-raw"
    [finding] = findings_for(planted("gcp", token, name, "name", "my-google-lake"), name, "name")
    assert finding.value == "my-google-lake" and "must not contain google" in finding.rule
    assert "cloud.google.com/storage/docs/buckets" in finding.source


def test_a_gcp_label_value_of_63_characters_passes_and_64_fails():
    token, name = "gcp:storage/bucket:Bucket", "platform-store-raw"
    assert findings_for(planted("gcp", token, name, "labels.owner", "o" * 63), name, "labels") == []
    [finding] = findings_for(planted("gcp", token, name, "labels.owner", "o" * 64), name, "labels")
    assert "'owner'" in finding.rule and "63" in finding.rule


def test_a_kinesis_retention_from_24_to_8760_hours_passes_and_outside_fails():
    token, name = "aws:kinesis/stream:Stream", "platform-buffer-stream"
    for hours in (24, 8760):
        assert findings_for(planted("aws", token, name, "retentionPeriod", hours), name, "retentionPeriod") == []
    for hours in (23, 8761):
        [finding] = findings_for(planted("aws", token, name, "retentionPeriod", hours), name, "retentionPeriod")
        assert finding.value == hours and finding.rule == "from 24 to 8760 hours"


def test_a_log_group_retention_must_be_one_of_the_allowed_day_counts():
    token, name = "aws:cloudwatch/logGroup:LogGroup", "platform-aws-network-flow-logs"
    s = planted("aws", token, name, "retentionInDays", 8)
    [finding] = findings_for(s, name, "retentionInDays")
    assert finding.value == 8 and finding.rule.startswith("one of 1, 3, 5, 7, 14, 30,")
    assert findings_for(planted("aws", token, name, "retentionInDays", 14), name, "retentionInDays") == []


def test_a_pubsub_retention_under_10_minutes_is_refused():
    token, name = "gcp:pubsub/subscription:Subscription", "platform-buffer-spark"
    assert findings_for(planted("gcp", token, name, "messageRetentionDuration", "600s"), name,
                        "messageRetentionDuration") == []
    [finding] = findings_for(planted("gcp", token, name, "messageRetentionDuration", "599s"), name,
                             "messageRetentionDuration")
    assert finding.rule == "message retention: from 600s to 2678400s"


def test_an_azure_nsg_rule_priority_from_100_to_4096_passes_and_99_fails():
    token, name = "azure-native:network:NetworkSecurityGroup", "platform-azure-network-data-nsg"
    assert findings_for(planted("azure", token, name, "securityRules[0].priority", 4096), name,
                        "securityRules[0].priority") == []
    [finding] = findings_for(planted("azure", token, name, "securityRules[0].priority", 99), name,
                             "securityRules[0].priority")
    assert finding.value == 99 and finding.rule == "from 100 to 4096"


def test_a_service_account_id_of_30_characters_passes_and_31_fails():
    token, name = "gcp:serviceaccount/account:Account", "platform-store-sa"
    assert findings_for(planted("gcp", token, name, "accountId", "a" * 30), name, "accountId") == []
    [finding] = findings_for(planted("gcp", token, name, "accountId", "a" * 31), name, "accountId")
    assert finding.rule == "service account id: 6 to 30 characters (has 31)"
