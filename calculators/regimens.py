"""Fixed regimens from the source reviews: infusion calendars, fixed doses and range checks.

These need only arithmetic, but declaring them like the other calculators keeps
the dose, the interval and the source in one place for the page and the tables.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from calculators.common_inputs import weight_kg
from calculators.declaration import (
    Calculator,
    ChoiceInput,
    DateInput,
    Example,
    JSONValue,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    convention,
    review,
    unverified,
)
from calculators.dosing import NOT_A_PRESCRIPTION, PC_RANGES
from calculators.limits import POSITIVE
from calculators.numeric import as_number, exact, fmt

# --- Rituximab [moghadam-kia-oddis-2023]: "two 1-g doses two weeks apart" (day 1 and day 15) --
RITUXIMAB_DOSE_MG: Final = 1000
RITUXIMAB_DAY_OFFSETS: Final = (0, 14)
# --- Basiliximab [moghadam-kia-oddis-2023]: "two intravenous infusions of 20 mg, seven days apart"
BASILIXIMAB_DOSE_MG: Final = 20
BASILIXIMAB_DAY_OFFSETS: Final = (0, 7)
BASILIXIMAB_TRANSPLANT_DAYS: Final = (0, 4)  # transplant labelling (spec A10), for the caveat only
# --- Daratumumab [moghadam-kia-oddis-2023]: "4 weekly injections of 1800 mg" (SC formulation) ---
DARATUMUMAB_DOSE_MG: Final = 1800
DARATUMUMAB_DAY_OFFSETS: Final = (0, 7, 14, 21)
# --- Pamidronate for calcinosis [huang-pye-2024]: "1 mg/kg/day, for 3 days every 3 months" -----
PAMIDRONATE_MG_PER_KG_PER_DAY: Final = 1
PAMIDRONATE_DAYS: Final = 3
PAMIDRONATE_INTERVAL_MONTHS: Final = 3
# --- Tofacitinib [huang-pye-2024; moghadam-kia-oddis-2023]: 5 or 10 mg twice daily ------------
TOFACITINIB_DOSES_MG: Final = (5, 10)
TOFACITINIB_FREQUENCY: Final = "twice_daily"
TOFACITINIB_MAX_SINGLE_DOSE_MG: Final = (
    20  # [PC] plausibility bound, twice the highest regimen dose
)
# --- Diltiazem for calcinosis [huang-pye-2024]: 60–240 mg/day ----------------------------------
DILTIAZEM_MIN_MG_PER_DAY: Final = 60
DILTIAZEM_MAX_MG_PER_DAY: Final = 240
DILTIAZEM_PLAUSIBLE_MAX_MG_PER_DAY: Final = 3 * DILTIAZEM_MAX_MG_PER_DAY  # [PC] typo catcher

DOSES_PER_DAY: Final = {"once_daily": 1, "twice_daily": 2}
FREQUENCY_CHOICES: tuple[tuple[str, str], ...] = (
    ("once_daily", "Once daily"),
    ("twice_daily", "Twice daily"),
)


def _calendar(
    first: date, offsets: tuple[int, ...], dose_mg: int, trace: Trace, what: str
) -> dict[str, JSONValue]:
    dates: list[JSONValue] = [(first + timedelta(days=offset)).isoformat() for offset in offsets]
    day_labels = ", ".join(f"day {offset + 1}" for offset in offsets)
    trace.explain(f"{what}: {dose_mg} mg on {day_labels} → " + ", ".join(str(d) for d in dates))
    total = dose_mg * len(offsets)
    trace.explain(f"Total = {dose_mg} mg × {len(offsets)} = {total} mg")
    return {"dates": dates, "dose_mg_each": dose_mg, "total_mg": total}


def _rituximab_schedule(*, first_infusion_date: date) -> Outcome:
    trace = Trace()
    plan = _calendar(
        first_infusion_date, RITUXIMAB_DAY_OFFSETS, RITUXIMAB_DOSE_MG, trace, "Rituximab"
    )
    return trace.finish(
        {
            "infusion_dates": plan["dates"],
            "dose_mg_each": plan["dose_mg_each"],
            "total_mg": plan["total_mg"],
        }
    )


def _basiliximab_schedule(*, first_dose_date: date) -> Outcome:
    trace = Trace()
    plan = _calendar(
        first_dose_date, BASILIXIMAB_DAY_OFFSETS, BASILIXIMAB_DOSE_MG, trace, "Basiliximab"
    )
    trace.warn(
        "basiliximab_interval_differs_from_label",
        "Transplant labelling gives the second dose on day 4; the 7-day interval is the myositis "
        "case-series regimen.",
        "moghadam-kia-oddis-2023",
    )
    return trace.finish(
        {
            "dose_dates": plan["dates"],
            "dose_mg_each": plan["dose_mg_each"],
            "total_mg": plan["total_mg"],
        }
    )


def _daratumumab_schedule(*, first_dose_date: date) -> Outcome:
    trace = Trace()
    plan = _calendar(
        first_dose_date, DARATUMUMAB_DAY_OFFSETS, DARATUMUMAB_DOSE_MG, trace, "Daratumumab"
    )
    trace.warn(
        "daratumumab_subcutaneous",
        "1800 mg is the subcutaneous formulation's dose; the IV formulation is dosed differently.",
    )
    return trace.finish(
        {
            "dose_dates": plan["dates"],
            "dose_mg_each": plan["dose_mg_each"],
            "total_mg": plan["total_mg"],
        }
    )


def _date_outputs(dates_name: str) -> tuple[Output, ...]:
    return (
        Output(name=dates_name, label="Dates", kind="date_list"),
        Output(name="dose_mg_each", label="Each dose", unit="mg", precision=0),
        Output(name="total_mg", label="Total", unit="mg", precision=0),
    )


RITUXIMAB_SCHEDULE = Calculator(
    id="rituximab_schedule",
    title="Rituximab 1000 mg on day 1 and day 15",
    version="1.0.0",
    family="regimens",
    purpose="Infusion dates for rituximab two 1 g doses two weeks apart (day 1 and day 15; total 2 "
    "g).",
    population="Adults with refractory myositis or myositis-associated ILD (review regimen).",
    inputs=(DateInput(name="first_infusion_date", label="First infusion date"),),
    outputs=_date_outputs("infusion_dates"),
    formula="infusions on the first date and 14 days later, 1000 mg each (total 2000 mg)",
    references=("moghadam-kia-oddis-2023", "huang-pye-2024"),
    caveats=(
        NOT_A_PRESCRIPTION,
        "The review notes that dose and interval may vary.",
        "Premedication is not listed.",
    ),
    provenance={
        "regimen": review(
            "moghadam-kia-oddis-2023",
            "1000 mg on day 1 and day 15",
            covers=("dose_mg_each", "total_mg", "infusion_dates"),
            where="Treatment > Rituximab",
        ),
        "dates": convention("calendar arithmetic on the date entered", covers=("infusion_dates",)),
    },
    not_included="Premedication, infusion rates and retreatment intervals.",
    examples=(
        Example(
            inputs={"first_infusion_date": "2026-03-02"},
            expected={
                "infusion_dates": ["2026-03-02", "2026-03-16"],
                "dose_mg_each": 1000,
                "total_mg": 2000,
            },
            source="spec",
            note="Spec A10: day 1 and day 15, total 2 g.",
        ),
    ),
    presentation=Presentation(
        primary="infusion_dates",
        phrase="Infusion dates",
        secondary=(
            "dose_mg_each",
            "total_mg",
        ),
    ),
    compute=_rituximab_schedule,
    related_entries=("rituximab",),
)

BASILIXIMAB_SCHEDULE = Calculator(
    id="basiliximab_schedule",
    title="Basiliximab 20 mg × 2, 7 days apart",
    version="1.0.0",
    family="regimens",
    purpose="Dose dates for basiliximab 20 mg IV twice, 7 days apart (myositis case-series "
    "regimen).",
    population="Anti-MDA5-positive clinically amyopathic DM with rapidly progressive ILD "
    "(4-patient case series).",
    inputs=(DateInput(name="first_dose_date", label="First dose date"),),
    outputs=_date_outputs("dose_dates"),
    formula="doses on the first date and 7 days later, 20 mg each (total 40 mg)",
    references=("moghadam-kia-oddis-2023",),
    caveats=(
        NOT_A_PRESCRIPTION,
        "Transplant labelling uses day 0 and day 4; the 7-day interval is the myositis case-series "
        "regimen.",
        "Evidence is a case series of four patients, one of whom died.",
    ),
    provenance={
        "regimen": review(
            "moghadam-kia-oddis-2023",
            "two 20 mg IV infusions seven days apart",
            covers=("dose_mg_each", "total_mg", "dose_dates"),
            where="Treatment > Basiliximab",
        ),
        "dates": convention("calendar arithmetic on the date entered", covers=("dose_dates",)),
    },
    not_included="Transplant dosing is not calculated.",
    examples=(
        Example(
            inputs={"first_dose_date": "2026-01-30"},
            expected={
                "dose_dates": ["2026-01-30", "2026-02-06"],
                "dose_mg_each": 20,
                "total_mg": 40,
            },
            source="spec",
            note="Spec A10: 20 mg × 2, 7 days apart (crosses a month end).",
            expected_warnings=("basiliximab_interval_differs_from_label",),
        ),
    ),
    presentation=Presentation(
        primary="dose_dates",
        phrase="Dose dates",
        secondary=(
            "dose_mg_each",
            "total_mg",
        ),
    ),
    compute=_basiliximab_schedule,
    related_entries=("basiliximab",),
)

DARATUMUMAB_SCHEDULE = Calculator(
    id="daratumumab_schedule",
    title="Daratumumab 1800 mg weekly × 4",
    version="1.0.0",
    family="regimens",
    purpose="Dose dates for daratumumab 1800 mg (subcutaneous formulation) weekly for 4 doses.",
    population="Case reports of refractory anti-MDA5-positive ILD and necrotizing myopathy.",
    inputs=(DateInput(name="first_dose_date", label="First dose date"),),
    outputs=_date_outputs("dose_dates"),
    formula="doses on the first date and 7, 14 and 21 days later, 1800 mg each (total 7200 mg)",
    references=("moghadam-kia-oddis-2023", "huang-pye-2024"),
    caveats=(
        NOT_A_PRESCRIPTION,
        "1800 mg is the subcutaneous formulation's dose.",
        "Evidence is limited to case reports.",
    ),
    provenance={
        "regimen": review(
            "moghadam-kia-oddis-2023",
            "1800 mg weekly for 4 weeks",
            covers=("dose_mg_each", "total_mg", "dose_dates"),
            where="Treatment > Daratumumab",
        ),
        "dates": convention("calendar arithmetic on the date entered", covers=("dose_dates",)),
    },
    not_included="IV daratumumab dosing (mg/kg) is not calculated.",
    examples=(
        Example(
            inputs={"first_dose_date": "2028-02-15"},
            expected={
                "dose_dates": ["2028-02-15", "2028-02-22", "2028-02-29", "2028-03-07"],
                "dose_mg_each": 1800,
                "total_mg": 7200,
            },
            source="spec",
            note="Spec A10: weekly × 4 (crosses 29 February in a leap year).",
        ),
    ),
    presentation=Presentation(
        primary="dose_dates",
        phrase="Dose dates",
        secondary=(
            "dose_mg_each",
            "total_mg",
        ),
    ),
    compute=_daratumumab_schedule,
    related_entries=("daratumumab",),
)


def _pamidronate_calcinosis(*, weight_kg: float) -> Outcome:
    trace = Trace()
    per_day = exact(weight_kg) * PAMIDRONATE_MG_PER_KG_PER_DAY
    total = per_day * PAMIDRONATE_DAYS
    trace.explain(
        f"{fmt(weight_kg)} kg × {PAMIDRONATE_MG_PER_KG_PER_DAY} mg/kg/day = {fmt(per_day)} mg/day "
        "(unrounded)"
    )
    trace.explain(
        f"× {PAMIDRONATE_DAYS} days = {fmt(total)} mg per cycle, every "
        f"{PAMIDRONATE_INTERVAL_MONTHS} months"
    )
    return trace.finish(
        {
            "dose_mg_per_day": as_number(per_day),
            "days_per_cycle": PAMIDRONATE_DAYS,
            "total_mg_per_cycle": as_number(total),
            "cycle_interval_months": PAMIDRONATE_INTERVAL_MONTHS,
        }
    )


PAMIDRONATE_CALCINOSIS = Calculator(
    id="pamidronate_calcinosis",
    title="Pamidronate for calcinosis (1 mg/kg/day × 3 days every 3 months)",
    version="1.0.0",
    family="regimens",
    purpose="Pamidronate infusion dose for calcinosis cutis in dermatomyositis, per the review.",
    population="Adults with dermatomyositis-associated calcinosis (review; limited evidence).",
    inputs=(weight_kg(),),
    outputs=(
        Output(
            name="dose_mg_per_day", label="Dose per day (unrounded)", unit="mg/day", precision=1
        ),
        Output(
            name="days_per_cycle", label="Days per cycle", unit="days", precision=0, kind="integer"
        ),
        Output(name="total_mg_per_cycle", label="Total per cycle", unit="mg", precision=1),
        Output(
            name="cycle_interval_months",
            label="Repeat every",
            unit="months",
            precision=0,
            kind="integer",
        ),
    ),
    formula="dose per day = 1 mg/kg × weight_kg (unrounded); 3 days; every 3 months",
    references=("huang-pye-2024",),
    caveats=(
        NOT_A_PRESCRIPTION,
        "The dose is left unrounded; vial sizes (30/60/90 mg) and any per-day maximum were not "
        "verified.",
        "Check renal function and calcium before each cycle (local protocol).",
    ),
    provenance={
        "regimen": review(
            "huang-pye-2024",
            "1 mg/kg/day for 3 days every 3 months",
            covers=(
                "dose_mg_per_day",
                "days_per_cycle",
                "total_mg_per_cycle",
                "cycle_interval_months",
            ),
            where="Refractory cutaneous disease > Calcinosis",
        ),
        "arithmetic": convention("dose left unrounded", covers=("dose_mg_per_day",)),
        "vial_sizes_and_cap": unverified("vial sizes (30/60/90 mg) and any per-day cap"),
    },
    not_included="Vial sizes (30/60/90 mg) and any per-day cap are unverified and not applied.",
    examples=(
        Example(
            inputs={"weight_kg": 62.5},
            expected={"dose_mg_per_day": 62.5, "days_per_cycle": 3, "total_mg_per_cycle": 187.5},
            source="spec",
            note="Spec A10: 1 mg/kg/day × 3 days, unrounded.",
        ),
    ),
    presentation=Presentation(
        primary="dose_mg_per_day",
        phrase="Dose per day",
        secondary=(
            "days_per_cycle",
            "total_mg_per_cycle",
            "cycle_interval_months",
        ),
    ),
    compute=_pamidronate_calcinosis,
    related_entries=("calcinosis-therapies",),
)


def _tofacitinib_regimen(*, dose_mg: float, frequency: str) -> Outcome:
    trace = Trace()
    per_day = exact(dose_mg) * DOSES_PER_DAY[frequency]
    allowed = frequency == TOFACITINIB_FREQUENCY and any(
        exact(dose_mg) == dose for dose in TOFACITINIB_DOSES_MG
    )
    trace.explain(f"{fmt(dose_mg)} mg × {DOSES_PER_DAY[frequency]} a day = {fmt(per_day)} mg/day")
    if allowed:
        trace.explain("Matches the review regimen (5 or 10 mg twice daily).")
    else:
        trace.warn(
            "tofacitinib_not_review_regimen",
            "Not the review regimen (5 or 10 mg twice daily); check the label and renal/hepatic "
            "function.",
            "huang-pye-2024",
        )
    return trace.finish({"daily_mg": as_number(per_day), "allowed": allowed})


TOFACITINIB_REGIMEN = Calculator(
    id="tofacitinib_regimen",
    title="Tofacitinib regimen check (5 or 10 mg twice daily)",
    version="1.0.0",
    family="regimens",
    purpose="Checks a tofacitinib regimen against the review's 5 or 10 mg twice daily and gives "
    "the daily total.",
    population="Adults with refractory dermatomyositis (skin, calcinosis) or anti-MDA5 ILD "
    "(review; observational data).",
    inputs=(
        NumberInput(
            name="dose_mg",
            label="Dose per administration",
            unit="mg",
            hard_min=POSITIVE,
            min_inclusive=False,
            hard_max=TOFACITINIB_MAX_SINGLE_DOSE_MG,
            range_source=PC_RANGES,
            precision=1,
        ),
        ChoiceInput(name="frequency", label="Frequency", choices=FREQUENCY_CHOICES),
    ),
    outputs=(
        Output(name="daily_mg", label="Daily total", unit="mg/day", precision=1),
        Output(name="allowed", label="Matches the review regimen", kind="boolean"),
    ),
    formula="daily = dose_mg × doses per day; allowed = dose is 5 or 10 mg and frequency is twice "
    "daily",
    references=("huang-pye-2024", "moghadam-kia-oddis-2023"),
    caveats=(
        NOT_A_PRESCRIPTION,
        "'allowed' means 'matches the review regimen', not 'safe for this patient'.",
        "Label renal and hepatic reductions (e.g. 5 mg once daily in moderate/severe renal "
        "impairment for RA) were not verified here and are not applied.",
    ),
    provenance={
        "regimen": review(
            "huang-pye-2024",
            "5 or 10 mg twice daily",
            covers=("daily_mg", "allowed"),
            where="Refractory cutaneous disease > JAK inhibitors",
        ),
        "label_reductions": unverified(
            "label renal and hepatic reductions (e.g. 5 mg once daily in moderate or severe "
            "renal impairment)"
        ),
    },
    not_included="Renal and hepatic dose reductions from the label (unverified here); "
    "extended-release 11 mg.",
    examples=(
        Example(
            inputs={"dose_mg": 5, "frequency": "twice_daily"},
            expected={"daily_mg": 10, "allowed": True},
            source="huang-pye-2024",
        ),
        Example(
            inputs={"dose_mg": 10, "frequency": "once_daily"},
            expected={"daily_mg": 10, "allowed": False},
            source="huang-pye-2024",
            expected_warnings=("tofacitinib_not_review_regimen",),
        ),
    ),
    presentation=Presentation(
        primary="daily_mg",
        phrase="Daily total",
        secondary=("allowed",),
    ),
    compute=_tofacitinib_regimen,
    related_entries=("jak-inhibitors", "mda5-rpild-combination"),
)


def _diltiazem_range_check(*, daily_mg: float) -> Outcome:
    trace = Trace()
    value = exact(daily_mg)
    if value < DILTIAZEM_MIN_MG_PER_DAY:
        position = "below"
    elif value > DILTIAZEM_MAX_MG_PER_DAY:
        position = "above"
    else:
        position = "within"
    trace.explain(
        f"{fmt(daily_mg)} mg/day is {position} the review range "
        f"{DILTIAZEM_MIN_MG_PER_DAY}–{DILTIAZEM_MAX_MG_PER_DAY} mg/day"
    )
    if position != "within":
        trace.warn(
            "diltiazem_outside_review_range",
            f"{fmt(daily_mg)} mg/day is outside the review's "
            f"{DILTIAZEM_MIN_MG_PER_DAY}–{DILTIAZEM_MAX_MG_PER_DAY} mg/day for calcinosis.",
            "huang-pye-2024",
        )
    return trace.finish({"within_range": position == "within", "position": position})


DILTIAZEM_RANGE_CHECK = Calculator(
    id="diltiazem_range_check",
    title="Diltiazem dose check for calcinosis (60–240 mg/day)",
    version="1.1.0",
    family="regimens",
    purpose="Checks a daily diltiazem dose against the review's 60–240 mg/day for calcinosis (a "
    "range check, not an error).",
    population="Adults with dermatomyositis-associated calcinosis (review; limited evidence).",
    inputs=(
        NumberInput(
            name="daily_mg",
            label="Daily dose",
            unit="mg/day",
            hard_min=POSITIVE,
            min_inclusive=False,
            hard_max=DILTIAZEM_PLAUSIBLE_MAX_MG_PER_DAY,
            range_source="plausibility bound, three times the review's maximum [PC]",
            precision=0,
        ),
    ),
    outputs=(
        Output(name="within_range", label="Within 60–240 mg/day", kind="boolean"),
        Output(
            name="position",
            label="Position",
            kind="text",
            key_labels=(
                ("below", "Below the review's range"),
                ("within", "Within the review's range"),
                ("above", "Above the review's range"),
            ),
        ),
    ),
    formula="within_range = 60 ≤ daily_mg ≤ 240 (inclusive)",
    references=("huang-pye-2024",),
    caveats=(NOT_A_PRESCRIPTION, "A dose outside the range gives a warning, not an error."),
    provenance={
        "range": review(
            "huang-pye-2024",
            "60–240 mg/day",
            covers=("within_range", "position"),
            where="Refractory cutaneous disease > Calcinosis",
        ),
        "inclusive_bounds": convention("60 and 240 are inside the range", covers=("within_range",)),
    },
    not_included="Formulation-specific dosing (immediate vs extended release) is not considered.",
    examples=(
        Example(inputs={"daily_mg": 60}, expected={"within_range": True}, source="huang-pye-2024"),
        Example(inputs={"daily_mg": 240}, expected={"within_range": True}, source="huang-pye-2024"),
        Example(
            inputs={"daily_mg": 360},
            expected={"within_range": False, "position": "above"},
            source="huang-pye-2024",
            expected_warnings=("diltiazem_outside_review_range",),
        ),
    ),
    presentation=Presentation(
        primary="within_range",
        phrase="Within the review's 60–240 mg/day",
        secondary=("position",),
    ),
    compute=_diltiazem_range_check,
    related_entries=("calcinosis-therapies",),
)

CALCULATORS: tuple[Calculator, ...] = (
    RITUXIMAB_SCHEDULE,
    BASILIXIMAB_SCHEDULE,
    DARATUMUMAB_SCHEDULE,
    PAMIDRONATE_CALCINOSIS,
    TOFACITINIB_REGIMEN,
    DILTIAZEM_RANGE_CHECK,
)
