"""Reading a recorded value as a number: one reading for model constraints and documented rules alike."""

from __future__ import annotations

import pytest

from blueprint.rules import documented
from blueprint.rules.constraint import Constraint, violations
from blueprint.rules.values import as_number


@pytest.mark.parametrize(("value", "expected"), [
    (7, 7), (-2.5, -2.5), ("4096", 4096.0), ("-1", -1.0), ("0.25", 0.25), ("1e3", 1000.0), ("2E-1", 0.2),
])
def test_json_numbers_and_decimal_strings_are_numbers(value, expected):
    assert as_number(value) == expected


@pytest.mark.parametrize("value", [True, False, None, "300s", "nan", "inf", " 7", "7 ", "", "0x10", float("nan"),
                                   float("inf"), [1], {"n": 1}])
def test_anything_else_is_not_a_number(value):
    assert as_number(value) is None


def test_a_model_maximum_judges_an_exponent_string_by_its_value():
    assert list(violations("1e3", Constraint(maximum=100))) == ["at most 100"]
    assert list(violations("1e2", Constraint(maximum=100))) == []
    assert list(violations("nan", Constraint(minimum=1))) == []


def test_a_documented_range_judges_strings_as_the_model_constraints_do():
    nsg_priority = next(r for r in documented.RULES if r.paths == ("securityRules[].priority",))
    assert nsg_priority.judge("4097") is not None
    assert nsg_priority.judge("4.096e3") is None
    assert nsg_priority.judge("99") is not None
    assert nsg_priority.judge("100") is None
