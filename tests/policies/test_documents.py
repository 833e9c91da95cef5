"""Policy-document predicates, judged on literal documents."""

from __future__ import annotations

import pytest

from policies.documents import denies_insecure_transport

TLS_FALSE = {"Bool": {"aws:SecureTransport": "false"}}


def _deny(**overrides):
    statement = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": TLS_FALSE}
    statement.update(overrides)
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.mark.parametrize("document", [
    _deny(),
    _deny(Principal={"AWS": "*"}),
    _deny(Principal={"AWS": ["*"]}),
    _deny(Action="*"),
    _deny(Action=["s3:GetObject", "s3:*"]),
    _deny(Condition={"BoolIfExists": {"aws:SecureTransport": "false"}}),
    _deny(Condition={"Bool": {"aws:SecureTransport": ["false"]}}),
    _deny(Condition={"Bool": {"aws:SecureTransport": False}}),
])
def test_a_deny_for_everyone_of_every_s3_action_without_tls_counts(document):
    assert denies_insecure_transport(document)


@pytest.mark.parametrize("document", [
    _deny(Principal={"AWS": "arn:aws:iam::123456789012:root"}),   # applies to one account only
    _deny(Principal={"Service": "logging.s3.amazonaws.com"}),
    _deny(Action="s3:GetObject"),                                   # PutObject over HTTP still allowed
    _deny(Action=["s3:GetObject", "s3:PutObject"]),
    _deny(Effect="Allow"),
    _deny(Condition={"Bool": {"aws:SecureTransport": "true"}}),
    _deny(Condition={}),
    {"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"},
                    "Action": "s3:*", "Resource": "*", "Condition": TLS_FALSE}]},
])
def test_a_deny_that_leaves_some_caller_or_action_on_plain_http_does_not_count(document):
    assert not denies_insecure_transport(document)


def test_topic_policies_are_judged_on_publish_case_insensitively():
    topic = _deny(Action="SNS:Publish")
    assert denies_insecure_transport(topic, action="sns:Publish")
    assert not denies_insecure_transport(_deny(Action="SNS:Subscribe"), action="sns:Publish")
