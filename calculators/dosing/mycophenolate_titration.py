"""Mycophenolate mofetil titration to target, with the label's renal cap."""

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
    checked,
    convention,
    review,
)
from calculators.dosing.common import (
    MMF_DOSES_PER_DAY_LIMITS,
    MMF_INCREMENT_MAX_MG_PER_DAY,
    MMF_START_MG_PER_DOSE_MAX,
    MMF_TARGET_MIN_MG_PER_DAY,
    NOT_A_PRESCRIPTION,
    PC_RANGES,
    TITRATION_INTERVAL_LIMITS_WEEKS,
)
from calculators.limits import (
    POSITIVE,
    RENAL_FUNCTION_MAX_ML_MIN,
)
from calculators.numeric import exact, fmt

# --- Mycophenolate mofetil: review regimen [moghadam-kia-oddis-2023] ----------------------
MMF_START_MG_PER_DOSE_USUAL: Final = (250, 500)  # "starting at 250–500 mg twice daily"
MMF_DOSES_PER_DAY_USUAL: Final = 2
MMF_INTERVAL_WEEKS_USUAL: Final = (1, 2)  # "every 1–2 weeks"
MMF_TARGET_USUAL_MG_PER_DAY: Final = (1500, 3000)  # "to the target dose of 1500–3000 mg/day"
# --- Renal cap: CellCept label [cellcept-nd-uspi] ------------------------------------------
MMF_RENAL_GFR_THRESHOLD: Final = 25  # GFR < 25 mL/min/1.73 m²; 25 itself is not capped
MMF_RENAL_MAX_MG_PER_DAY: Final = 2000  # "avoid doses greater than 1 g twice daily"
# --- Dose forms (spec A7): 250 mg capsules, 500 mg tablets ------------------------------------
MMF_UNIT_MG: Final = 250
MMF_MAX_STEPS: Final = 100  # loop guard only


def split_daily_dose(daily_mg: int, doses: int, unit_mg: int) -> list[int]:
    """Split a daily dose into ``doses`` administrations of whole units, larger ones first [PC]."""
    units = daily_mg // unit_mg
    base, extra = divmod(units, doses)
    return [(base + 1) * unit_mg] * extra + [base * unit_mg] * (doses - extra)


def _mycophenolate_titration(
    *,
    start_mg_per_dose: int,
    doses_per_day: int,
    increment_mg_per_day: int,
    interval_weeks: int,
    target_mg_per_day: int,
    gfr_ml_min_1_73m2: float | None,
) -> Outcome:
    trace = Trace()
    effective = target_mg_per_day
    renal_cap_applied = False
    if gfr_ml_min_1_73m2 is None:
        trace.warn(
            "renal_function_not_given",
            f"GFR not given: the renal cap (max {MMF_RENAL_MAX_MG_PER_DAY} mg/day when GFR < "
            f"{MMF_RENAL_GFR_THRESHOLD} mL/min/1.73 m²) was not checked.",
            "cellcept-nd-uspi",
        )
    elif exact(gfr_ml_min_1_73m2) < MMF_RENAL_GFR_THRESHOLD:
        trace.warn(
            "mmf_severe_renal_impairment",
            f"GFR {fmt(gfr_ml_min_1_73m2)} < {MMF_RENAL_GFR_THRESHOLD} mL/min/1.73 m²: outside "
            "the immediate post-transplant period avoid doses above 1 g twice daily and observe "
            "the patient carefully.",
            "cellcept-nd-uspi",
        )
        if target_mg_per_day > MMF_RENAL_MAX_MG_PER_DAY:
            effective = MMF_RENAL_MAX_MG_PER_DAY
            renal_cap_applied = True
            trace.cap(
                "mmf_renal_cap",
                f"Target lowered from {target_mg_per_day} to {MMF_RENAL_MAX_MG_PER_DAY} mg/day "
                f"(GFR < {MMF_RENAL_GFR_THRESHOLD} mL/min/1.73 m²).",
                "cellcept-nd-uspi",
            )
    current = start_mg_per_dose * doses_per_day
    trace.explain(f"Week 0: {start_mg_per_dose} mg × {doses_per_day} doses = {current} mg/day")
    if current > effective:
        trace.cap(
            "mmf_start_above_target",
            f"The starting dose {current} mg/day exceeds the target {effective} mg/day; starting "
            "at the target.",
        )
        current = effective
    week = 0
    schedule: list[JSONValue] = [[week, current]]
    while current < effective and len(schedule) < MMF_MAX_STEPS:
        week += interval_weeks
        current = min(current + increment_mg_per_day, effective)
        trace.explain(f"Week {week}: + {increment_mg_per_day} mg/day → {current} mg/day")
        schedule.append([week, current])
    split: list[JSONValue] = []
    uneven = False
    for item in schedule:
        assert isinstance(item, list)
        step_week, daily = item
        assert isinstance(daily, int)
        parts = split_daily_dose(daily, doses_per_day, MMF_UNIT_MG)
        uneven = uneven or len(set(parts)) > 1
        doses: list[JSONValue] = list(parts)
        split.append([step_week, doses])
    if uneven:
        trace.warn(
            "mmf_uneven_split",
            f"Some daily doses cannot be split into equal doses of {MMF_UNIT_MG} mg units; the "
            "larger dose is listed first [PC].",
        )
    if doses_per_day != MMF_DOSES_PER_DAY_USUAL:
        trace.warn(
            "mmf_not_twice_daily",
            f"The review gives mycophenolate twice daily; {doses_per_day} doses a day were "
            "entered.",
            "moghadam-kia-oddis-2023",
        )
    return trace.finish(
        {
            "schedule_week_mg_per_day": schedule,
            "effective_target_mg_per_day": effective,
            "renal_cap_applied": renal_cap_applied,
            "schedule_doses_mg": split,
        }
    )


def _mmf_amount(
    name: str,
    label: str,
    low: int,
    high: int,
    *,
    soft_min: float | None = None,
    soft_max: float | None = None,
    soft_note: str = "",
    help_text: str = "",
) -> NumberInput:
    return NumberInput(
        name=name,
        label=label,
        unit="mg/day" if name.endswith("per_day") else "mg",
        hard_min=low,
        hard_max=high,
        range_source=PC_RANGES,
        multiple_of=MMF_UNIT_MG,
        multiple_note="250 mg capsules and 500 mg tablets",
        integer=True,
        precision=0,
        soft_min=soft_min,
        soft_max=soft_max,
        soft_note=soft_note,
        help=help_text,
    )


MYCOPHENOLATE_TITRATION = Calculator(
    id="mycophenolate_titration",
    title="Mycophenolate mofetil titration with the renal cap",
    version="1.0.0",
    family="dosing",
    purpose=(
        "A week-by-week mycophenolate mofetil titration (start 250–500 mg twice daily, increase "
        "every 1–2 weeks to 1500–3000 mg/day), with the label's cap of 1 g twice daily when GFR < "
        "25 mL/min/1.73 m²."
    ),
    population="Adults with myositis or myositis-associated ILD (review regimen).",
    inputs=(
        _mmf_amount(
            "start_mg_per_dose",
            "Starting dose per administration",
            MMF_UNIT_MG,
            MMF_START_MG_PER_DOSE_MAX,
            soft_min=MMF_START_MG_PER_DOSE_USUAL[0],
            soft_max=MMF_START_MG_PER_DOSE_USUAL[1],
            soft_note="the review starts at 250–500 mg twice daily",
        ),
        NumberInput(
            name="doses_per_day",
            label="Doses per day",
            unit="doses/day",
            hard_min=MMF_DOSES_PER_DAY_LIMITS[0],
            hard_max=MMF_DOSES_PER_DAY_LIMITS[1],
            range_source=PC_RANGES,
            integer=True,
            required=False,
            default=MMF_DOSES_PER_DAY_USUAL,
            precision=0,
        ),
        _mmf_amount(
            "increment_mg_per_day",
            "Increase per step (per day, not per dose)",
            MMF_UNIT_MG,
            MMF_INCREMENT_MAX_MG_PER_DAY,
            help_text="The review's '250–500 mg increments' is ambiguous (per dose or per day); "
            "this is per day [PC].",
        ),
        NumberInput(
            name="interval_weeks",
            label="Weeks between increases",
            unit="weeks",
            hard_min=TITRATION_INTERVAL_LIMITS_WEEKS[0],
            hard_max=TITRATION_INTERVAL_LIMITS_WEEKS[1],
            range_source=PC_RANGES,
            soft_max=MMF_INTERVAL_WEEKS_USUAL[1],
            soft_note="the review increases every 1–2 weeks",
            integer=True,
            precision=0,
        ),
        _mmf_amount(
            "target_mg_per_day",
            "Target daily dose",
            MMF_TARGET_MIN_MG_PER_DAY,
            MMF_TARGET_USUAL_MG_PER_DAY[1],
            soft_min=MMF_TARGET_USUAL_MG_PER_DAY[0],
            soft_note="the review's target is 1500–3000 mg/day",
        ),
        NumberInput(
            name="gfr_ml_min_1_73m2",
            label="GFR",
            unit="mL/min/1.73 m²",
            hard_min=POSITIVE,
            min_inclusive=False,
            hard_max=RENAL_FUNCTION_MAX_ML_MIN,
            range_source=PC_RANGES,
            required=False,
            precision=0,
            help="Normalized GFR (not Cockcroft–Gault CrCl). Leave empty if unknown; a warning is "
            "shown.",
        ),
    ),
    outputs=(
        Output(
            name="schedule_week_mg_per_day",
            label="Schedule",
            unit="mg/day",
            precision=0,
            kind="schedule",
        ),
        Output(
            name="effective_target_mg_per_day", label="Effective target", unit="mg/day", precision=0
        ),
        Output(name="renal_cap_applied", label="Renal cap lowered the target", kind="boolean"),
        Output(
            name="schedule_doses_mg",
            label="Doses per administration",
            unit="mg",
            precision=0,
            kind="split_schedule",
        ),
    ),
    formula=(
        "week 0: start_mg_per_dose × doses_per_day;\nevery interval_weeks: + increment_mg_per_day, "
        "up to the effective target;\neffective target = min(target, 2000 mg/day) if GFR < 25 "
        "mL/min/1.73 m², else target"
    ),
    references=("moghadam-kia-oddis-2023", "huang-pye-2024", "cellcept-nd-uspi"),
    caveats=(
        NOT_A_PRESCRIPTION,
        "The increment is per day; the review's wording ('250–500 mg increments') does not say per "
        "dose or per day [PC].",
        "Renal cap: in severe chronic renal impairment (GFR < 25 mL/min/1.73 m²) outside the "
        "immediate post-transplant period, avoid doses above 1 g twice daily and observe the "
        "patient carefully. GFR = 25 is not capped. Verified only against secondary quotations of "
        "the CellCept label [V2]; confirm the current wording on DailyMed.",
        "The threshold is a GFR normalized to 1.73 m²; do not substitute a Cockcroft–Gault CrCl.",
        "Per-administration splits use 250 mg units with the larger dose first [PC].",
    ),
    provenance={
        "titration_regimen": review(
            "moghadam-kia-oddis-2023",
            "start 250–500 mg twice daily, increase by 250–500 mg every 1–2 weeks to 1500–3000 "
            "mg/day",
            covers=("schedule_week_mg_per_day", "effective_target_mg_per_day"),
            where="Treatment > Mycophenolate mofetil",
        ),
        "increment_per_day": convention(
            "the increment is read as per day", covers=("schedule_week_mg_per_day",)
        ),
        "renal_cap": checked(
            "cellcept-nd-uspi",
            "no more than 1 g twice daily when GFR < 25 mL/min/1.73 m²",
            "US label wording as quoted by secondary sources and a UK guidance table; the "
            "current label paragraph was not seen",
            label="V2",
            covers=("effective_target_mg_per_day", "renal_cap_applied"),
        ),
        "dose_split": convention(
            "daily dose split into equal doses of whole 250 mg units",
            covers=("schedule_doses_mg",),
        ),
    },
    not_included=(
        "The verbatim current FDA label paragraph on renal impairment was not retrieved; the cap "
        "is implemented from secondary quotations. Mycophenolic acid (enteric-coated mycophenolate "
        "sodium) is not covered."
    ),
    examples=(
        Example(
            inputs={
                "start_mg_per_dose": 500,
                "doses_per_day": 2,
                "increment_mg_per_day": 500,
                "interval_weeks": 2,
                "target_mg_per_day": 3000,
                "gfr_ml_min_1_73m2": 60,
            },
            expected={
                "schedule_week_mg_per_day": [[0, 1000], [2, 1500], [4, 2000], [6, 2500], [8, 3000]],
                "effective_target_mg_per_day": 3000,
                "renal_cap_applied": False,
            },
            source="moghadam-kia-oddis-2023",
            note="500 mg twice daily, +500 mg/day every 2 weeks to 3000 mg/day.",
        ),
        Example(
            inputs={
                "start_mg_per_dose": 500,
                "increment_mg_per_day": 500,
                "interval_weeks": 2,
                "target_mg_per_day": 3000,
                "gfr_ml_min_1_73m2": 20,
            },
            expected={
                "schedule_week_mg_per_day": [[0, 1000], [2, 1500], [4, 2000]],
                "effective_target_mg_per_day": 2000,
                "renal_cap_applied": True,
            },
            source="cellcept-nd-uspi",
            note="GFR 20 < 25 → effective maximum 2000 mg/day (1 g twice daily).",
            expected_caps=("mmf_renal_cap",),
            expected_warnings=("mmf_severe_renal_impairment",),
        ),
    ),
    presentation=Presentation(
        primary="effective_target_mg_per_day",
        phrase="Target daily dose",
        secondary=(
            "schedule_week_mg_per_day",
            "renal_cap_applied",
        ),
    ),
    compute=_mycophenolate_titration,
    related_entries=("mycophenolate-mofetil",),
)
