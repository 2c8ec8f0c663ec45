"""Prednisone starting dose by weight (the review's regimen), with the tablet-step input the
taper shares.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from calculators.common_inputs import weight_kg
from calculators.declaration import (
    Calculator,
    Example,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    convention,
    review,
)
from calculators.dosing.common import (
    NOT_A_PRESCRIPTION,
    PC_RANGES,
    PRED_CAP_MIN_MG,
    PRED_MG_PER_KG_LIMITS,
)
from calculators.numeric import as_number, exact, floor_to, fmt, round_half_up
from calculators.printed import Column, Row, Table, cell, references

# --- Prednisone: review regimen [moghadam-kia-oddis-2023] --------------------------------
PRED_MG_PER_KG: Final = 1  # "prednisone at a dose of 1 mg/kg/day"
PRED_MAX_MG_PER_DAY: Final = 80  # "generally not exceeding 80 mg daily"
PRED_TAPER_FRACTION_MIN: Final = 0.20  # "tapering the existing dose by 20-25% every month"
PRED_TAPER_FRACTION_MAX: Final = 0.25
PRED_FLOOR_MIN_MG: Final = (
    5  # "when the daily prednisone dose reaches 5-10 mg/day the tapering is generally held"
)
PRED_FLOOR_MAX_MG: Final = 10
PRED_MIN_TOTAL_MONTHS: Final = 12  # "total duration ... generally at least 12 months"
PRED_HIGH_DOSE_WEEKS: Final = "4–6"  # "After 4-6 weeks of high-dose glucocorticoid therapy"
# --- Tablet steps for rounding: project convention [PC] ----------------------------------
PRED_TABLET_STEPS_MG: Final = (1, 2.5, 5)
PRED_MAX_TAPER_MONTHS: Final = (
    240  # loop guard only; every month lowers the dose by at least one step
)

GLUCOCORTICOID_SAFETY = (
    "Out of scope here but required: Pneumocystis prophylaxis, bone protection and glucose "
    "monitoring during high-dose glucocorticoids."
)


def _round_to_mg_input(example: str) -> NumberInput:
    return NumberInput(
        name="round_to_mg",
        label="Round to tablet step",
        unit="mg",
        hard_min=min(PRED_TABLET_STEPS_MG),
        hard_max=max(PRED_TABLET_STEPS_MG),
        range_source="tablet steps, project convention [PC]",
        allowed=PRED_TABLET_STEPS_MG,
        help=f"No default: the step changes the dose ({example}). Doses round half up to this "
        "step [PC].",
    )


def _prednisone_initial_dose(
    *, weight_kg: float, mg_per_kg: float, max_mg_per_day: float, round_to_mg: float
) -> Outcome:
    trace = Trace()
    raw = exact(weight_kg) * exact(mg_per_kg)
    trace.explain(f"{fmt(weight_kg)} kg × {fmt(mg_per_kg)} mg/kg/day = {fmt(raw, 2)} mg/day")
    ceiling = exact(max_mg_per_day)
    capped = raw > ceiling
    base = min(raw, ceiling)
    if capped:
        trace.cap(
            "prednisone_max_daily",
            f"Capped at {fmt(max_mg_per_day)} mg/day (the review: generally not exceeding "
            f"{PRED_MAX_MG_PER_DAY} mg daily).",
            "moghadam-kia-oddis-2023",
        )
        trace.explain(f"Capped: min({fmt(raw, 2)}, {fmt(max_mg_per_day)}) = {fmt(base)} mg/day")
    dose = round_half_up(base, round_to_mg)
    if dose > ceiling:
        dose = floor_to(ceiling, round_to_mg)
    trace.explain(f"Rounded to {fmt(round_to_mg)} mg steps (halves up) = {fmt(dose)} mg/day [PC]")
    trace.warn("glucocorticoid_safety", GLUCOCORTICOID_SAFETY)
    return trace.finish(
        {"dose_mg_per_day": as_number(dose), "capped": capped, "unrounded_mg_per_day": float(raw)}
    )


# --- Printed tables (the handbook's ready reckoners), computed by this calculator ----------


def prednisone_initial_table(*, weights_kg: Iterable[float] = range(40, 131, 5)) -> Table:
    """Starting dose at 1 mg/kg/day (max 80 mg) with 5 mg and 2.5 mg tablet steps."""
    calc = PREDNISONE_INITIAL
    rows: list[Row] = []
    for weight in weights_kg:
        five = calc.evaluate(weight_kg=weight, round_to_mg=5).outputs
        half = calc.evaluate(weight_kg=weight, round_to_mg=2.5).outputs
        rows.append(
            {
                "weight_kg": fmt(weight),
                "dose_5_mg_step": cell(calc, "dose_mg_per_day", five["dose_mg_per_day"]),
                "dose_2_5_mg_step": cell(calc, "dose_mg_per_day", half["dose_mg_per_day"]),
                "capped": cell(calc, "capped", five["capped"]),
            }
        )
    return Table(
        id="prednisone_initial_by_weight",
        title="Prednisone starting dose by weight (1 mg/kg/day, max 80 mg/day)",
        caption=(
            "Review regimen: 1 mg/kg/day, generally not exceeding 80 mg/day, for 4–6 weeks. "
            "Rounded half up to the tablet step [PC]. Not a prescription."
        ),
        columns=(
            Column(key="weight_kg", label="Weight", unit="kg"),
            Column(key="dose_5_mg_step", label="Dose, 5 mg step", unit="mg/day"),
            Column(key="dose_2_5_mg_step", label="Dose, 2.5 mg step", unit="mg/day"),
            Column(key="capped", label="Capped at 80 mg"),
        ),
        rows=tuple(rows),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


PREDNISONE_INITIAL = Calculator(
    id="prednisone_initial_dose",
    title="Prednisone starting dose (1 mg/kg/day, max 80 mg)",
    version="2.0.0",
    family="dosing",
    purpose=(
        "Initial high-dose prednisone for myositis-associated ILD per the review: 1 mg/kg/day, "
        "generally not exceeding 80 mg/day, for 4–6 weeks before tapering."
    ),
    population="Adults with myositis-associated ILD (review regimen; not independently verified "
    "against a guideline).",
    inputs=(
        weight_kg(),
        NumberInput(
            name="mg_per_kg",
            label="Dose per kg",
            unit="mg/kg/day",
            hard_min=PRED_MG_PER_KG_LIMITS[0],
            hard_max=PRED_MG_PER_KG_LIMITS[1],
            range_source=PC_RANGES,
            soft_max=PRED_MG_PER_KG,
            soft_note="the review uses 1 mg/kg/day",
            required=False,
            default=PRED_MG_PER_KG,
            precision=2,
        ),
        NumberInput(
            name="max_mg_per_day",
            label="Daily maximum",
            unit="mg/day",
            hard_min=PRED_CAP_MIN_MG,
            hard_max=PRED_MAX_MG_PER_DAY,
            range_source="the review's 80 mg/day ceiling; lower caps (e.g. 60 mg) allowed [PC]",
            above_note="the review's ceiling is 80 mg/day",
            required=False,
            default=PRED_MAX_MG_PER_DAY,
            precision=1,
        ),
        _round_to_mg_input(
            "67 kg at 1 mg/kg gives 65 mg with 5 mg steps, 67.5 mg with 2.5 mg steps"
        ),
    ),
    outputs=(
        Output(name="dose_mg_per_day", label="Starting dose", unit="mg/day", precision=1),
        Output(name="capped", label="Daily maximum applied", kind="boolean"),
        Output(
            name="unrounded_mg_per_day",
            label="Weight-based dose before cap and rounding",
            unit="mg/day",
            precision=2,
        ),
    ),
    formula=(
        "dose = min(weight_kg × mg_per_kg, max_mg_per_day), rounded half up to round_to_mg;\nif "
        "rounding would exceed the maximum, round down instead"
    ),
    references=("moghadam-kia-oddis-2023",),
    caveats=(
        NOT_A_PRESCRIPTION,
        "The 1 mg/kg/day and 80 mg/day ceiling are the review's regimen, not independently "
        "verified against a guideline; common practice caps at 60–80 mg/day.",
        "Rounding to 5 mg or 2.5 mg tablet steps is a project convention [PC]; halves round up "
        "[PC].",
        f"Continue the starting dose for {PRED_HIGH_DOSE_WEEKS} weeks before tapering (see the "
        "taper calculator).",
        GLUCOCORTICOID_SAFETY,
    ),
    provenance={
        "regimen": review(
            "moghadam-kia-oddis-2023",
            "1 mg/kg/day",
            covers=("unrounded_mg_per_day", "dose_mg_per_day"),
            where="Treatment > Glucocorticoids",
        ),
        "cap_80_mg": review(
            "moghadam-kia-oddis-2023",
            "generally not exceeding 80 mg daily",
            covers=("capped", "dose_mg_per_day"),
            where="Treatment > Glucocorticoids",
        ),
        "tablet_rounding": convention(
            "rounded to a 5 mg (or 2.5 mg) tablet step", covers=("dose_mg_per_day",)
        ),
        "half_up_rounding": convention("halves round up", covers=("dose_mg_per_day",)),
    },
    not_included="Divided-dose schedules are not modelled (the review notes the dose is often "
    "divided).",
    examples=(
        Example(
            inputs={"weight_kg": 120, "round_to_mg": 5},
            expected={"dose_mg_per_day": 80, "capped": True},
            source="spec",
            note="Spec A5: 120 kg → 80 mg (capped).",
            expected_caps=("prednisone_max_daily",),
        ),
        Example(
            inputs={"weight_kg": 67, "round_to_mg": 5},
            expected={"dose_mg_per_day": 65, "capped": False},
            source="spec",
            note="Spec A5: 67 kg → 65 mg with a 5 mg step.",
        ),
        Example(
            inputs={"weight_kg": 67, "round_to_mg": 2.5},
            expected={"dose_mg_per_day": 67.5, "capped": False},
            source="spec",
            note="Spec A5: 67 kg → 67.5 mg with a 2.5 mg step.",
        ),
        Example(
            inputs={"weight_kg": 72.5, "round_to_mg": 5},
            expected={"dose_mg_per_day": 75},
            source="spec",
            note="Spec conventions: 72.5 kg at 1 mg/kg with a 5 mg step → 75 mg (round half up, "
            "not banker's).",
        ),
    ),
    presentation=Presentation(
        primary="dose_mg_per_day",
        phrase="Starting prednisone dose",
        secondary=(
            "capped",
            "unrounded_mg_per_day",
        ),
    ),
    compute=_prednisone_initial_dose,
    printed_tables=(prednisone_initial_table,),
    related_entries=("glucocorticoids",),
)
