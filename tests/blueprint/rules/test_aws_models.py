"""AWS inputs against the botocore request models: one planted defect per rule family."""

from __future__ import annotations

from tests.blueprint.rules.support import findings_for, planted


def test_model_pattern_an_iam_role_name_with_a_space_is_refused():
    token, name = "aws:iam/role:Role", "platform-store-steward-role"
    [finding] = findings_for(planted("aws", token, name, "name", "steward role"), name, "name")
    assert finding.value == "steward role" and "must match" in finding.rule
    assert finding.source.startswith("botocore ") and "iam CreateRole RoleName" in finding.source


def test_model_length_a_kinesis_stream_name_of_128_characters_passes_and_129_fails():
    token, name = "aws:kinesis/stream:Stream", "platform-buffer-stream"
    assert findings_for(planted("aws", token, name, "name", "s" * 128), name, "name") == []
    [finding] = findings_for(planted("aws", token, name, "name", "s" * 129), name, "name")
    assert finding.rule == "at most 128 characters (has 129)"
    assert "kinesis CreateStream StreamName" in finding.source


def test_model_enum_a_flow_log_traffic_type_outside_the_model_is_refused():
    token, name = "aws:ec2/flowLog:FlowLog", "platform-aws-network-flow-log"
    [finding] = findings_for(planted("aws", token, name, "trafficType", "EVERYTHING"), name, "trafficType")
    assert finding.value == "EVERYTHING"
    assert finding.rule == "one of ACCEPT, REJECT, ALL"
    assert "ec2 CreateFlowLogs TrafficType" in finding.source


def test_model_range_key_rotation_from_90_to_2560_days():
    token, name = "aws:kms/key:Key", "platform-aws-key-cmk"
    # The provider sets the period with EnableKeyRotation after CreateKey.
    for days in (90, 2560):
        assert findings_for(planted("aws", token, name, "rotationPeriodInDays", days), name,
                            "rotationPeriodInDays") == []
    [low] = findings_for(planted("aws", token, name, "rotationPeriodInDays", 89), name, "rotationPeriodInDays")
    [high] = findings_for(planted("aws", token, name, "rotationPeriodInDays", 2561), name, "rotationPeriodInDays")
    assert low.rule == "at least 90" and high.rule == "at most 2560"


def test_model_required_member_a_firehose_s3_destination_without_its_role_is_refused():
    token, name = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "platform-processing-sink"
    s = planted("aws", token, name, "extendedS3Configuration.roleArn", None)
    [finding] = findings_for(s, name, "extendedS3Configuration.roleARN")
    assert finding.rule == "required member RoleARN is missing"
    assert "firehose CreateDeliveryStream" in finding.source


def test_values_unknown_at_preview_are_skipped():
    token, name = "aws:kinesis/stream:Stream", "platform-buffer-stream"
    assert findings_for(planted("aws", token, name, "name", "<computed>"), name, "name") == []
    assert findings_for(planted("aws", token, name, "name", {"secret": "s" * 200}), name, "name") == []
