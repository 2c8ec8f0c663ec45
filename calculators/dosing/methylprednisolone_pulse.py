"""Pulse methylprednisolone course (the review's regimen)."""

from __future__ import annotations

from typing import Final

from calculators.declaration import (
    Calculator,
    Example,
    JSONValue,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    convention,
    review,
)
from calculators.dosing.common import MP_MIN_DAYS, NOT_A_PRESCRIPTION, PC_RANGES
from calculators.dosing.prednisone_initial import GLUCOCORTICOID_SAFETY
from calculators.limits import (
    POSITIVE,
)
from calculators.numeric import as_number, exact, fmt

# --- Pulse methylprednisolone: review regimen [moghadam-kia-oddis-2023] -------------------
MP_PULSE_DAILY_MG: Final = 1000  # "1000 mg daily for three consecutive days"
MP_PULSE_DAYS: Final = 3
MP_MAX_DAYS: Final = 5  # [PC] plausibility bound


def _methylprednisolone_pulse(*, daily_mg: float, days: int) -> Outcome:
    trace = Trace()
    total = exact(daily_mg) * days
    trace.explain(f"Total = {fmt(daily_mg)} mg/day × {days} days = {fmt(total)} mg")
    if exact(daily_mg) != MP_PULSE_DAILY_MG or days != MP_PULSE_DAYS:
        trace.warn(
            "methylprednisolone_not_review_regimen",
            f"The review's pulse is {MP_PULSE_DAILY_MG} mg/day for {MP_PULSE_DAYS} consecutive "
            "days; "
            f"{fmt(daily_mg)} mg/day for {days} days was entered.",
            "moghadam-kia-oddis-2023",
        )
    trace.warn("glucocorticoid_safety", GLUCOCORTICOID_SAFETY)
    day_numbers: list[JSONValue] = list(range(1, days + 1))
    return trace.finish(
        {"total_mg": as_number(total), "dose_days": day_numbers, "daily_mg": as_number(daily_mg)}
    )


METHYLPREDNISOLONE_PULSE = Calculator(
    id="methylprednisolone_pulse",
    title="Pulse IV methylprednisolone (1000 mg/day × 3 days)",
    version="1.0.0",
    family="dosing",
    purpose=(
        "The fixed pulse for rapidly progressive ILD in the review: IV methylprednisolone 1000 mg "
        "daily for three consecutive days (total 3 g), followed by high-dose oral glucocorticoid."
    ),
    population="Adults with rapidly progressive myositis-associated ILD (review regimen).",
    inputs=(
        NumberInput(
            name="daily_mg",
            label="Daily dose",
            unit="mg/day",
            hard_min=POSITIVE,
            min_inclusive=False,
            hard_max=MP_PULSE_DAILY_MG,
            range_source="the review's 1000 mg/day pulse is the ceiling [PC]",
            above_note="the review's pulse is 1000 mg/day",
            required=False,
            default=MP_PULSE_DAILY_MG,
            precision=0,
        ),
        NumberInput(
            name="days",
            label="Days",
            unit="days",
            hard_min=MP_MIN_DAYS,
            hard_max=MP_MAX_DAYS,
            range_source=PC_RANGES,
            integer=True,
            required=False,
            default=MP_PULSE_DAYS,
            precision=0,
        ),
    ),
    outputs=(
        Output(name="total_mg", label="Total dose", unit="mg", precision=0),
        Output(name="dose_days", label="Dose days", kind="list"),
        Output(name="daily_mg", label="Daily dose", unit="mg/day", precision=0),
    ),
    formula="total (mg) = daily_mg × days (fixed dose; no weight input)",
    references=("moghadam-kia-oddis-2023",),
    caveats=(
        NOT_A_PRESCRIPTION,
        "Fixed dose; no weight-based adjustment. Follow with the high-dose oral glucocorticoid "
        "regimen.",
        GLUCOCORTICOID_SAFETY,
    ),
    provenance={
        "regimen": review(
            "moghadam-kia-oddis-2023",
            "1000 mg/day for 3 days",
            covers=("daily_mg", "dose_days", "total_mg"),
            where="Treatment > Glucocorticoids",
        ),
        "arithmetic": convention("total = daily dose × days", covers=("total_mg",)),
    },
    not_included="Infusion duration and monitoring are out of scope.",
    examples=(
        Example(
            inputs={},
            expected={"total_mg": 3000, "dose_days": [1, 2, 3], "daily_mg": 1000},
            source="spec",
            note="Spec A6: 1000 mg/day × 3 days = 3 g.",
        ),
    ),
    presentation=Presentation(
        primary="daily_mg",
        phrase="Methylprednisolone pulse, each day",
        secondary=(
            "dose_days",
            "total_mg",
        ),
    ),
    compute=_methylprednisolone_pulse,
    related_entries=("glucocorticoids", "mda5-rpild-combination"),
)
