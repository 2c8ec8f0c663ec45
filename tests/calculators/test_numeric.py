"""Rounding (half up, never banker's) and exact threshold arithmetic."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from calculators.numeric import as_number, ceil_to, exact, floor_to, fmt, fmt_short, round_half_up


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        (72.5, 5, "75"),
        (67, 5, "65"),
        (67, 2.5, "67.5"),
        (2.5, 5, "5"),
        (12.5, 5, "15"),  # banker's round() would give 10
        (0.125, 0.25, "0.25"),
        (164.56, 5, "165"),
        (162.5, 5, "165"),
        (162.49, 5, "160"),
        (605, 10, "610"),
    ],
)
def test_round_half_up(value: float, step: float, expected: str) -> None:
    assert round_half_up(value, step) == Decimal(expected)


def test_python_round_would_differ() -> None:
    assert round(12.5 / 5) * 5 == 10
    assert round_half_up(12.5, 5) == 15


def test_floor_and_ceil_to_a_step() -> None:
    assert floor_to(140, 25) == 125
    assert ceil_to(52.5, 25) == 75
    assert floor_to(150, 25) == ceil_to(150, 25) == 150


def test_exact_reads_floats_as_typed() -> None:
    assert exact(0.1) == Fraction(1, 10)
    assert (exact(80) - exact(76)) / exact(80) * 100 == 5
    assert (exact(50.1) - exact(45.09)) / exact(50.1) * 100 == 10
    assert (50.1 - 45.09) / 50.1 * 100 != 10  # why the exact arithmetic is needed


def test_exact_refuses_booleans() -> None:
    with pytest.raises(TypeError):
        exact(True)


def test_as_number_and_formatting() -> None:
    assert as_number(Decimal("75.0")) == 75
    assert isinstance(as_number(Decimal("75.0")), int)
    assert as_number(Decimal("67.5")) == 67.5
    assert fmt(1800) == "1800"
    assert fmt(2.0, 2) == "2.00"
    assert fmt(1.005, 2) == "1.01"  # the typed value, halves up
    assert fmt(-0.0001, 2) == "0.00"
    assert fmt_short(Fraction(1768)) == "1768"
    assert fmt_short(17.680000000000003) == "17.68"
