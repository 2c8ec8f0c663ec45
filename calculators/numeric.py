"""Exact arithmetic, rounding and number formatting shared by every calculator.

Clinical thresholds sit on round numbers that binary floating point cannot
represent ((80 - 76) / 80 * 100 is 5 in arithmetic but not always in floats),
and the specification forbids banker's rounding. So every comparison against a
threshold and every rounding to an increment goes through this module, which
reads a float as the decimal number the user typed (its shortest repr).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

type Number = int | float | Decimal | Fraction

_ONE = Decimal(1)


def exact(value: Number) -> Fraction:
    """Return the exact rational value of ``value`` as the user typed it.

    A float is read through its shortest round-trip representation, so 0.1
    becomes 1/10 rather than the nearest binary fraction.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):  # bool is an int subclass; never a quantity here
        raise TypeError("a boolean is not a number")
    if isinstance(value, int | Decimal):
        return Fraction(value)
    return Fraction(repr(value))


def to_decimal(value: Number) -> Decimal:
    """Convert to Decimal without picking up binary noise from floats."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def round_half_up(value: Number, increment: Number) -> Decimal:
    """Round to the nearest multiple of ``increment``; halves go up ([PC] convention).

    Example: 72.5 mg rounded to a 5 mg step is 75 mg, where Python's round() would give 70.
    """
    step = to_decimal(increment)
    quotient = (to_decimal(value) / step).quantize(_ONE, rounding=ROUND_HALF_UP)
    return quotient * step


def floor_to(value: Number, increment: Number) -> Decimal:
    """Round down to a multiple of ``increment`` (used where a dose may never be exceeded)."""
    step = to_decimal(increment)
    quotient = (to_decimal(value) / step).quantize(_ONE, rounding=ROUND_FLOOR)
    return quotient * step


def ceil_to(value: Number, increment: Number) -> Decimal:
    """Round up to a multiple of ``increment`` (the low end of a range that must be kept)."""
    step = to_decimal(increment)
    quotient = (to_decimal(value) / step).quantize(_ONE, rounding=ROUND_CEILING)
    return quotient * step


def is_multiple(value: Number, increment: Number) -> bool:
    """Exact test that ``value`` is a whole number of ``increment`` steps."""
    return (exact(value) / exact(increment)).denominator == 1


def as_number(value: Number) -> int | float:
    """Plain JSON number: an int when the value is whole, otherwise a float."""
    frac = exact(value)
    if frac.denominator == 1:
        return int(frac)
    return float(frac)


def fmt(value: Number, places: int | None = None) -> str:
    """Format for people: fixed ``places`` (round half up) or the shortest exact form.

    Never uses exponent notation, so 1800 prints as "1800", not "1.8E+3".
    """
    dec = to_decimal(value)
    if places is None:
        text = format(dec.normalize(), "f")
    else:
        text = format(dec.quantize(_ONE.scaleb(-places), rounding=ROUND_HALF_UP), "f")
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return text


def fmt_short(value: Number, places: int = 2) -> str:
    """Round half up to ``places``, then drop trailing zeros: 17.680 -> 17.68, 1768.00 -> 1768."""
    return fmt(round_half_up(value, Decimal(1).scaleb(-places)))
