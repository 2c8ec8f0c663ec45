"""Prednisone taper schedule from the review's monthly reduction."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from calculators.declaration import (
    Calculator,
    Example,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    SlipHint,
    Trace,
    UnitAlt,
    convention,
    review,
)
from calculators.dosing.common import (
    NOT_A_PRESCRIPTION,
    PC_RANGES,
    PRED_FLOOR_LIMITS_MG,
    PRED_PLANNED_MONTHS_LIMITS,
    PRED_TAPER_FRACTION_LIMITS,
    PRED_TAPER_START_MIN_MG,
)
from calculators.dosing.prednisone_initial import (
    GLUCOCORTICOID_SAFETY,
    PRED_FLOOR_MAX_MG,
    PRED_FLOOR_MIN_MG,
    PRED_MAX_MG_PER_DAY,
    PRED_MAX_TAPER_MONTHS,
    PRED_MIN_TOTAL_MONTHS,
    PRED_TAPER_FRACTION_MAX,
    PRED_TAPER_FRACTION_MIN,
    _round_to_mg_input,
)
from calculators.numeric import as_number, fmt, round_half_up


def _prednisone_taper_schedule(
    *,
    start_mg: float,
    taper_fraction_per_month: float,
    round_to_mg: float,
    floor_mg: float,
    planned_total_months: int | None,
) -> Outcome:
    trace = Trace()
    step = Decimal(str(round_to_mg))
    floor = Decimal(str(floor_mg))
    keep = 1 - Decimal(str(taper_fraction_per_month))
    current = Decimal(str(start_mg))
    doses = [current]
    if current <= floor:
        trace.warn(
            "prednisone_start_at_or_below_floor",
            f"The start dose {fmt(start_mg)} mg is not above the floor {fmt(floor_mg)} mg; there "
            "is nothing to taper.",
        )
    if not is_step_multiple(current, step):
        trace.warn(
            "prednisone_start_not_tablet_multiple",
            f"The start dose {fmt(start_mg)} mg is not a multiple of the {fmt(round_to_mg)} mg "
            "step.",
        )
    month = 0
    while current > floor and month < PRED_MAX_TAPER_MONTHS:
        month += 1
        target = current * keep
        proposed = round_half_up(target, step)
        note = f"Month {month}: {fmt(current)} × {fmt(keep)} = {fmt(target)} → {fmt(proposed)} mg"
        if proposed >= current:
            proposed = current - step
            note += f"; no decrease after rounding, so one step less = {fmt(proposed)} mg"
        if proposed < floor:
            proposed = floor
            note += f"; held at the floor {fmt(floor)} mg"
        trace.explain(note)
        doses.append(proposed)
        current = proposed
    months_to_floor = len(doses) - 1
    trace.explain(
        f"Hold at {fmt(doses[-1])} mg/day (maintenance floor); total glucocorticoid therapy is "
        "generally "
        f"at least {PRED_MIN_TOTAL_MONTHS} months."
    )
    if planned_total_months is not None and planned_total_months < PRED_MIN_TOTAL_MONTHS:
        trace.warn(
            "prednisone_course_short",
            f"The planned course of {planned_total_months} months is shorter than the review's "
            f"{PRED_MIN_TOTAL_MONTHS}-month minimum.",
            "moghadam-kia-oddis-2023",
        )
    if floor_mg < PRED_FLOOR_MIN_MG:
        trace.warn(
            "prednisone_floor_below_review",
            f"The review holds tapering at {PRED_FLOOR_MIN_MG}–{PRED_FLOOR_MAX_MG} mg/day; the "
            f"floor entered is {fmt(floor_mg)} mg.",
            "moghadam-kia-oddis-2023",
        )
    trace.warn("glucocorticoid_safety", GLUCOCORTICOID_SAFETY)
    return trace.finish(
        {
            "monthly_doses_mg": [as_number(dose) for dose in doses],
            "months_to_floor": months_to_floor,
        }
    )


def is_step_multiple(value: Decimal, step: Decimal) -> bool:
    """True when ``value`` is a whole number of ``step`` tablets."""
    return (value / step) % 1 == 0


PREDNISONE_TAPER = Calculator(
    id="prednisone_taper_schedule",
    title="Prednisone monthly taper (20–25% a month to a maintenance floor)",
    version="2.0.0",
    family="dosing",
    purpose=(
        "A month-by-month prednisone taper implementing the review's 'taper the existing dose by "
        "20–25% every month' until a 5–10 mg/day maintenance floor."
    ),
    population="Adults with myositis-associated ILD after 4–6 weeks of high-dose prednisone "
    "(review regimen).",
    inputs=(
        NumberInput(
            name="start_mg",
            label="Dose at the start of the taper",
            unit="mg/day",
            hard_min=PRED_TAPER_START_MIN_MG,
            hard_max=PRED_MAX_MG_PER_DAY,
            range_source="the review's 80 mg/day ceiling [PC]",
            above_note="the review's ceiling is 80 mg/day",
            precision=1,
        ),
        NumberInput(
            name="taper_fraction_per_month",
            label="Monthly reduction",
            unit="fraction/month",
            unit_alternatives=(UnitAlt(unit="%", label="% a month", factor=Fraction(1, 100)),),
            form_unit="%",
            hard_min=PRED_TAPER_FRACTION_LIMITS[0],
            hard_max=PRED_TAPER_FRACTION_LIMITS[1],
            range_source=PC_RANGES,
            soft_min=PRED_TAPER_FRACTION_MIN,
            soft_max=PRED_TAPER_FRACTION_MAX,
            soft_note="the review tapers by 20–25% a month",
            precision=2,
            help="No default: the review gives 20–25% a month, and the choice changes every "
            "month's dose.",
            slip_hints=(
                SlipHint(
                    low=5, high=50, message="looks like a percent; enter a fraction (20% = 0.20)"
                ),
            ),
        ),
        _round_to_mg_input("60 mg less 20% gives 47.5 mg with 2.5 mg steps, 50 mg with 5 mg steps"),
        NumberInput(
            name="floor_mg",
            label="Maintenance floor",
            unit="mg/day",
            hard_min=PRED_FLOOR_LIMITS_MG[0],
            hard_max=PRED_FLOOR_LIMITS_MG[1],
            range_source=PC_RANGES,
            soft_min=PRED_FLOOR_MIN_MG,
            soft_max=PRED_FLOOR_MAX_MG,
            soft_note="the review holds the taper at 5–10 mg/day",
            precision=1,
            help="No default: the review holds the taper at 5–10 mg/day.",
        ),
        NumberInput(
            name="planned_total_months",
            label="Planned total duration of glucocorticoid therapy",
            unit="months",
            hard_min=PRED_PLANNED_MONTHS_LIMITS[0],
            hard_max=PRED_PLANNED_MONTHS_LIMITS[1],
            range_source=PC_RANGES,
            integer=True,
            required=False,
            precision=0,
            help="Optional; a warning is shown if shorter than 12 months.",
        ),
    ),
    outputs=(
        Output(
            name="monthly_doses_mg",
            label="Monthly doses",
            unit="mg/day",
            kind="list",
            columns=("Month", "Dose"),
        ),
        Output(
            name="months_to_floor",
            label="Months to reach the floor",
            unit="months",
            precision=0,
            kind="integer",
        ),
    ),
    formula=(
        "next = round_half_up(current × (1 − f), step); if that is not lower than current, next = "
        "current − step;\nnever below the floor; stop at the floor. Month 0 is the start dose."
    ),
    references=("moghadam-kia-oddis-2023",),
    caveats=(
        NOT_A_PRESCRIPTION,
        "'20–25% of the existing dose every month' leaves rounding and the sticking behaviour at "
        "small doses undefined; this algorithm (round half up to the tablet step, subtract one "
        "step if rounding gives no decrease, never below the floor) is a project convention [PC].",
        "Taper according to clinical response; this schedule is the review's general guideline, "
        "not a fixed protocol.",
        f"Total glucocorticoid therapy is generally at least {PRED_MIN_TOTAL_MONTHS} months.",
        GLUCOCORTICOID_SAFETY,
    ),
    provenance={
        "taper_rule": review(
            "moghadam-kia-oddis-2023",
            "taper by 20–25% of the existing dose every month",
            covers=("monthly_doses_mg",),
            where="Treatment > Glucocorticoids",
        ),
        "floor": review(
            "moghadam-kia-oddis-2023",
            "maintenance 5–10 mg/day",
            covers=("monthly_doses_mg", "months_to_floor"),
            where="Treatment > Glucocorticoids",
        ),
        "taper_algorithm": convention(
            "one step down when rounding gives no decrease; never below the floor",
            covers=("monthly_doses_mg", "months_to_floor"),
        ),
        "tablet_rounding": convention(
            "each month rounded to the tablet step, halves up", covers=("monthly_doses_mg",)
        ),
    },
    not_included="Dose holds for flares and alternate-day regimens are not modelled.",
    examples=(
        Example(
            inputs={
                "start_mg": 60,
                "taper_fraction_per_month": 0.2,
                "round_to_mg": 2.5,
                "floor_mg": 5,
            },
            expected={
                "monthly_doses_mg": [60, 47.5, 37.5, 30, 25, 20, 15, 12.5, 10, 7.5, 5],
                "months_to_floor": 10,
            },
            source="spec",
            note="Spec A5: 60 mg, 20%, 2.5 mg step, floor 5.",
        ),
    ),
    presentation=Presentation(
        primary="months_to_floor",
        phrase="Months to reach the maintenance floor",
        secondary=("monthly_doses_mg",),
    ),
    compute=_prednisone_taper_schedule,
    related_entries=("glucocorticoids",),
)
