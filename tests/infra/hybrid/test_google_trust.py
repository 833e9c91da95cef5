"""An AWS role's trust in one Google service account."""

from __future__ import annotations

from infra.hybrid.google_trust import google_account_trust


def test_the_account_is_pinned_by_sub_and_azp_and_nobody_else_is_trusted():
    assert google_account_trust("One", "104527819873662233001") == {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "One", "Effect": "Allow", "Principal": {"Federated": "accounts.google.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"accounts.google.com:sub": "104527819873662233001",
                                           "accounts.google.com:aud": "104527819873662233001"}},
        }],
    }


def test_an_audience_is_pinned_as_the_tokens_own_aud():
    conditions = google_account_trust("One", "1045", "arn:aws:iam::123456789012:role/r")["Statement"][0]["Condition"]
    assert conditions["StringEquals"]["accounts.google.com:oaud"] == "arn:aws:iam::123456789012:role/r"
