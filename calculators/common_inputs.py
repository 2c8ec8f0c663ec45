"""Input declarations shared by several calculators, declared once here.

Each function returns a fresh declaration; callers adjust labels or help with
``dataclasses.replace`` rather than copying limits.
"""

from __future__ import annotations

from fractions import Fraction

from calculators.declaration import ChoiceInput, NumberInput, SlipHint, UnitAlt
from calculators.limits import (
    AGE_MAX_YEARS,
    AGE_MIN_YEARS,
    CM_PER_INCH,
    CRP_MAX_MG_DL,
    CRP_MG_L_PER_MG_DL,
    CRP_MIN_MG_DL,
    HEIGHT_MAX_CM,
    HEIGHT_MIN_CM,
    KG_PER_LB,
    PCT_PRED_MAX,
    PCT_PRED_MIN,
    SPEC_PLAUSIBILITY,
    WEIGHT_MAX_KG,
    WEIGHT_MIN_KG,
)

SEX_CHOICES: tuple[tuple[str, str], ...] = (("male", "Male"), ("female", "Female"))

LB = UnitAlt(unit="lb", factor=KG_PER_LB, label="lb")
INCH = UnitAlt(unit="in", factor=CM_PER_INCH, label="in")

HEIGHT_SLIPS = (
    SlipHint(low=1.0, high=2.5, message="looks like metres; enter centimetres (1.80 m = 180 cm)"),
    SlipHint(
        low=40,
        high=95,
        message='looks like inches; enter centimetres or send {"value": …, "unit": "in"}',
    ),
)
WEIGHT_SLIPS = (
    SlipHint(
        low=WEIGHT_MAX_KG,
        high=2.2 * WEIGHT_MAX_KG,
        message='if this is in pounds, send {"value": …, "unit": "lb"}',
    ),
)
PCT_SLIPS = (
    SlipHint(
        low=0.01, high=1.5, message="looks like a fraction; enter percent predicted (0.75 = 75)"
    ),
)


def height_cm(*, help_text: str = "") -> NumberInput:
    """Standing height; inches accepted and converted."""
    return NumberInput(
        name="height_cm",
        label="Height",
        unit="cm",
        hard_min=HEIGHT_MIN_CM,
        hard_max=HEIGHT_MAX_CM,
        range_source=SPEC_PLAUSIBILITY,
        precision=0,
        step=1,
        help=help_text,
        unit_alternatives=(INCH,),
        slip_hints=HEIGHT_SLIPS,
    )


def weight_kg(*, label: str = "Actual body weight", help_text: str = "") -> NumberInput:
    """Body weight; pounds accepted and converted."""
    return NumberInput(
        name="weight_kg",
        label=label,
        unit="kg",
        hard_min=WEIGHT_MIN_KG,
        hard_max=WEIGHT_MAX_KG,
        range_source=SPEC_PLAUSIBILITY,
        precision=1,
        step=0.1,
        help=help_text,
        unit_alternatives=(LB,),
        slip_hints=WEIGHT_SLIPS,
    )


def age_years(*, name: str = "age_years", label: str = "Age", help_text: str = "") -> NumberInput:
    """Adult age in years (18–110)."""
    return NumberInput(
        name=name,
        label=label,
        unit="years",
        hard_min=AGE_MIN_YEARS,
        hard_max=AGE_MAX_YEARS,
        range_source=SPEC_PLAUSIBILITY,
        precision=0,
        step=1,
        help=help_text,
    )


def sex(*, help_text: str = "") -> ChoiceInput:
    """Sex as used by the source formulas (male/female)."""
    return ChoiceInput(name="sex", label="Sex", choices=SEX_CHOICES, help=help_text)


def pct_pred(name: str, label: str, *, help_text: str = "") -> NumberInput:
    """FVC or DLCO in % predicted (5–150)."""
    return NumberInput(
        name=name,
        label=label,
        unit="% predicted",
        hard_min=PCT_PRED_MIN,
        hard_max=PCT_PRED_MAX,
        range_source=SPEC_PLAUSIBILITY,
        precision=1,
        step=0.1,
        help=help_text,
        slip_hints=PCT_SLIPS,
    )


def crp_mg_dl(*, help_text: str = "") -> NumberInput:
    """CRP in mg/dL; mg/L accepted and converted."""
    return NumberInput(
        name="crp_mg_dl",
        label="C-reactive protein",
        unit="mg/dL",
        hard_min=CRP_MIN_MG_DL,
        hard_max=CRP_MAX_MG_DL,
        range_source=SPEC_PLAUSIBILITY,
        precision=2,
        step=0.01,
        help=help_text,
        unit_alternatives=(UnitAlt(unit="mg/L", factor=Fraction(1, CRP_MG_L_PER_MG_DL)),),
        slip_hints=(
            SlipHint(
                low=CRP_MAX_MG_DL,
                high=CRP_MAX_MG_DL * CRP_MG_L_PER_MG_DL,
                message='looks like mg/L; divide by 10 or send {"value": …, "unit": "mg/L"}',
            ),
        ),
    )
