"""IAM role trust: a statement is read as IAM would read it, and an unreadable one is treated as the risky case."""

from __future__ import annotations

import json

from tests.policies.harness import run_stack


def _role(statement: dict) -> list:
    return [("aws:iam/role:Role", "reader", {"assumeRolePolicy": json.dumps({"Statement": [statement]})}, {})]


def test_a_trust_statement_without_an_effect_is_checked_as_an_allow():
    open_trust = {"Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    assert run_stack("aws-iam-role-trust", _role(open_trust), "learning") == [
        "role reader (aws:iam/role:Role): the trust policy lets anyone assume the role; name the service "
        "principal or account"]
    assert run_stack("aws-iam-role-trust", _role({**open_trust, "Effect": "Deny"}), "learning") == []
