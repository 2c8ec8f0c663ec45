"""Azathioprine titration and target by weight, TPMT/NUDT15 status and kidney function."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Final

from calculators.common_inputs import weight_kg
from calculators.declaration import (
    Calculator,
    ChoiceInput,
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
    unverified,
)
from calculators.dosing.common import (
    AZA_TARGET_MG_PER_KG_MIN,
    NOT_A_PRESCRIPTION,
    PC_RANGES,
    TITRATION_INTERVAL_LIMITS_WEEKS,
)
from calculators.limits import (
    POSITIVE,
    RENAL_FUNCTION_MAX_ML_MIN,
)
from calculators.numeric import as_number, ceil_to, exact, floor_to, fmt
from calculators.printed import Column, Row, Table, cell, references

# --- Azathioprine: review regimen [moghadam-kia-oddis-2023] -------------------------------
AZA_START_MG_PER_DAY: Final = 50  # "starting at 50 mg/day"
AZA_STEP_MG: Final = 50  # "dose escalation by 50 mg increments"
AZA_INTERVAL_WEEKS_USUAL: Final = (1, 2)  # "every 1–2 weeks"
AZA_TARGET_MG_PER_KG: Final = 2.5  # "up to 2.5 mg/kg/day"
# --- Tablet strength used to floor the target: project convention [PC] ---------------------
AZA_TABLET_MG: Final = 25
# --- CPIC thiopurine guideline [relling-2019-clinical] ------------------------------------
AZA_CPIC_NORMAL_MG_PER_KG_MIN: Final = 2  # normal starting dose e.g. 2–3 mg/kg/day
AZA_CPIC_NORMAL_MG_PER_KG_MAX: Final = 3
AZA_ONE_IM_FRACTION: Final = (
    Fraction(30, 100),
    Fraction(80, 100),
)  # start at 30–80% of normal dose
AZA_IM_WEEKS_TO_STEADY_STATE: Final = 2  # allow 2–4 weeks to reach steady state
# --- CPIC March 2024 update [cpic-2024-thiopurine] -----------------------------------------
AZA_IM_IM_FRACTION: Final = (Fraction(20, 100), Fraction(50, 100))  # TPMT IM + NUDT15 IM: 20–50%
# --- Renal reduction: drug-compendium values (Aronoff lineage), not guideline-grade [V2] ---
AZA_RENAL_MODERATE_MAX_ML_MIN: Final = 50  # 10–50 mL/min inclusive → 75%
AZA_RENAL_SEVERE_BELOW_ML_MIN: Final = 10  # < 10 mL/min → 50%
AZA_RENAL_MODERATE_FACTOR: Final = Fraction(75, 100)
AZA_RENAL_SEVERE_FACTOR: Final = Fraction(50, 100)
AZA_MAX_STEPS: Final = 100  # loop guard only

METABOLIZER_CHOICES: tuple[tuple[str, str], ...] = (
    ("normal", "Normal metabolizer"),
    ("intermediate", "Intermediate metabolizer"),
    ("possible_intermediate", "Possible intermediate metabolizer"),
    ("poor", "Poor metabolizer"),
    ("indeterminate", "Indeterminate"),
)
INTERMEDIATE = ("intermediate", "possible_intermediate")

AZA_RECOMMENDATIONS: dict[str, str] = {
    "normal_dose": (
        "TPMT and NUDT15 normal metabolizers: normal dose, titrated per the review regimen; CPIC: "
        "allow 2 weeks to reach steady state after each dose change."
    ),
    "reduced_start_30_80": (
        "One gene intermediate (or possible intermediate) metabolizer: start at 30–80% of the "
        "normal dose and adjust for myelosuppression; allow 2–4 weeks to reach steady state after "
        "each change (CPIC)."
    ),
    "reduced_start_20_50": (
        "TPMT and NUDT15 both intermediate metabolizers: start at 20–50% of the normal dose (CPIC "
        "March 2024 update) and adjust for myelosuppression."
    ),
    "consider_alternative": (
        "Poor metabolizer: for non-malignant conditions consider an alternative non-thiopurine "
        "immunosuppressant (CPIC). No azathioprine dose is calculated."
    ),
    "determine_tpmt_phenotype": (
        "TPMT indeterminate: consider measuring erythrocyte TPMT activity to assign the phenotype "
        "before dosing (CPIC April 2020 update). No azathioprine dose is calculated."
    ),
}


def azathioprine_renal_factor(crcl: float | None) -> Fraction:
    """Compendium renal factor: 1 above 50 mL/min, 0.75 for 10–50 (both inclusive), 0.5 below 10."""
    if crcl is None or exact(crcl) > AZA_RENAL_MODERATE_MAX_ML_MIN:
        return Fraction(1)
    if exact(crcl) >= AZA_RENAL_SEVERE_BELOW_ML_MIN:
        return AZA_RENAL_MODERATE_FACTOR
    return AZA_RENAL_SEVERE_FACTOR


def _azathioprine_dosing(
    *,
    weight_kg: float,
    target_mg_per_kg: float,
    tpmt: str,
    nudt15: str,
    crcl_ml_min: float | None,
    interval_weeks: int,
) -> Outcome:
    trace = Trace()
    normal = exact(weight_kg) * exact(target_mg_per_kg)
    trace.explain(
        f"Normal dose = {fmt(weight_kg)} kg × {fmt(target_mg_per_kg)} mg/kg/day = {fmt(normal, 1)} "
        f"mg/day"
    )
    factor = azathioprine_renal_factor(crcl_ml_min)
    if crcl_ml_min is None:
        trace.warn(
            "renal_function_not_given",
            "CrCl not given: no renal reduction was applied; the review lowers the target in renal "
            "insufficiency.",
            "moghadam-kia-oddis-2023",
        )
    elif factor != 1:
        trace.cap(
            "azathioprine_renal_reduction",
            f"CrCl {fmt(crcl_ml_min)} mL/min: dose × {fmt(factor)} (compendium values, not "
            "guideline-grade).",
        )
    if nudt15 == "indeterminate":
        trace.warn(
            "nudt15_indeterminate",
            "NUDT15 indeterminate: if a thiopurine is required, monitor closely for toxicity (CPIC "
            "April 2020 update).",
            "relling-2019-clinical",
        )
    outputs: dict[str, JSONValue] = {
        "renal_factor": float(factor),
        "normal_dose_mg_per_day": float(normal),
    }
    if "poor" in (tpmt, nudt15) or tpmt == "indeterminate":
        code = "consider_alternative" if "poor" in (tpmt, nudt15) else "determine_tpmt_phenotype"
        trace.warn(f"azathioprine_{code}", AZA_RECOMMENDATIONS[code], "relling-2019-clinical")
        trace.explain(AZA_RECOMMENDATIONS[code])
        outputs |= {
            "recommendation": code,
            "recommendation_text": AZA_RECOMMENDATIONS[code],
            "target_mg_per_day": None,
            "schedule_week_mg_per_day": [],
            "start_range_mg_per_day": None,
            "fraction_of_normal": None,
        }
        return trace.finish(outputs)
    intermediates = sum(1 for gene in (tpmt, nudt15) if gene in INTERMEDIATE)
    if intermediates == 2:
        code, (low, high), ref = "reduced_start_20_50", AZA_IM_IM_FRACTION, "cpic-2024-thiopurine"
    elif intermediates == 1:
        code, (low, high), ref = "reduced_start_30_80", AZA_ONE_IM_FRACTION, "relling-2019-clinical"
    else:
        code, (low, high), ref = "normal_dose", (Fraction(1), Fraction(1)), "relling-2019-clinical"
    adjusted = normal * factor
    if factor != 1:
        trace.explain(f"Renal: {fmt(normal, 1)} × {fmt(factor)} = {fmt(adjusted, 1)} mg/day")
    target = floor_to(adjusted * high, AZA_TABLET_MG)
    if intermediates:
        start_low = ceil_to(adjusted * low, AZA_TABLET_MG)
        trace.explain(
            f"CPIC start {fmt(low * 100)}–{fmt(high * 100)}% of {fmt(adjusted, 1)} = "
            f"{fmt(adjusted * low, 1)}–{fmt(adjusted * high, 1)} mg/day → whole {AZA_TABLET_MG} mg "
            f"tablets within it: {fmt(start_low)}–{fmt(target)} mg/day"
        )
        if start_low > target:
            trace.warn(
                "azathioprine_no_tablet_dose_in_range",
                f"No multiple of {AZA_TABLET_MG} mg lies within CPIC's starting range "
                f"({fmt(adjusted * low, 1)}–{fmt(adjusted * high, 1)} mg/day); the lower multiple "
                "is given.",
                ref,
            )
            start_low = target
        start_range: list[JSONValue] = [as_number(start_low), as_number(target)]
        if exact(target_mg_per_kg) < AZA_CPIC_NORMAL_MG_PER_KG_MIN:
            trace.warn(
                "cpic_fraction_normal_dose_below_2",
                "CPIC's percentages apply when the normal starting dose is ≥ "
                f"{AZA_CPIC_NORMAL_MG_PER_KG_MIN} mg/kg/day.",
                ref,
            )
        if interval_weeks < AZA_IM_WEEKS_TO_STEADY_STATE:
            trace.cap(
                "azathioprine_interval_lengthened",
                f"Interval lengthened from {interval_weeks} to {AZA_IM_WEEKS_TO_STEADY_STATE} "
                "weeks: intermediate metabolizers need 2–4 weeks to reach steady state (CPIC).",
                ref,
            )
            interval_weeks = AZA_IM_WEEKS_TO_STEADY_STATE
    else:
        trace.explain(
            f"Target = {fmt(adjusted, 1)} mg/day floored to {AZA_TABLET_MG} mg = {fmt(target)} "
            "mg/day"
        )
        first = min(Decimal(AZA_START_MG_PER_DAY), target)
        start_range = [as_number(first), as_number(first)]
    schedule: list[JSONValue] = []
    if target <= 0:
        trace.warn(
            "azathioprine_target_below_tablet",
            f"The target is below one {AZA_TABLET_MG} mg tablet; no schedule is given.",
        )
    else:
        current = min(Decimal(AZA_START_MG_PER_DAY), target)
        week = 0
        schedule.append([week, as_number(current)])
        while current < target and len(schedule) < AZA_MAX_STEPS:
            week += interval_weeks
            current = min(current + AZA_STEP_MG, target)
            schedule.append([week, as_number(current)])
        trace.explain(
            f"Titrate from {fmt(min(Decimal(AZA_START_MG_PER_DAY), target))} mg/day by "
            f"{AZA_STEP_MG} mg every {interval_weeks} weeks to {fmt(target)} mg/day"
        )
    trace.explain(AZA_RECOMMENDATIONS[code])
    fraction: list[JSONValue] = [float(low), float(high)]
    outputs |= {
        "recommendation": code,
        "recommendation_text": AZA_RECOMMENDATIONS[code],
        "target_mg_per_day": as_number(target),
        "schedule_week_mg_per_day": schedule,
        "start_range_mg_per_day": start_range,
        "fraction_of_normal": fraction,
    }
    return trace.finish(outputs)


# --- Printed tables (the handbook's ready reckoners), computed by this calculator ----------

AZA_STATUSES: tuple[tuple[str, str, str], ...] = (
    ("normal", "normal", "TPMT NM, NUDT15 NM"),
    ("intermediate", "normal", "One gene IM"),
    ("intermediate", "intermediate", "TPMT IM + NUDT15 IM"),
    ("poor", "normal", "Poor metabolizer"),
)


def azathioprine_target_table(
    *, weights_kg: Iterable[int] = range(40, 121, 10), crcl_ml_min: float = 90
) -> Table:
    """Azathioprine target (mg/day) by weight and TPMT/NUDT15 status, at one CrCl."""
    calc = AZATHIOPRINE_DOSING
    rows: list[Row] = []
    for weight in weights_kg:
        row: dict[str, str] = {"weight_kg": fmt(weight)}
        for index, (tpmt, nudt15, _) in enumerate(AZA_STATUSES):
            out = calc.evaluate(
                weight_kg=weight,
                tpmt=tpmt,
                nudt15=nudt15,
                crcl_ml_min=crcl_ml_min,
            ).outputs
            if out["target_mg_per_day"] is None:
                row[f"s{index}"] = "alternative"
            elif tpmt == nudt15 == "normal":
                row[f"s{index}"] = cell(calc, "target_mg_per_day", out["target_mg_per_day"])
            else:
                start = out["start_range_mg_per_day"]
                assert isinstance(start, list)
                low, high = (cell(calc, "start_range_mg_per_day", item) for item in start)
                row[f"s{index}"] = low if low == high else f"{low}–{high}"
        rows.append(row)
    return Table(
        id="azathioprine_target_by_weight",
        title="Azathioprine target by weight and TPMT/NUDT15 status",
        caption=(
            f"Target 2.5 mg/kg/day (review), CrCl {fmt(crcl_ml_min)} mL/min. Normal metabolizers: "
            "target floored to 25 mg. Intermediate: whole 25 mg tablets within CPIC's starting "
            "range (30–80% one gene; 20–50% both genes). Poor: consider a non-thiopurine "
            "alternative. Not a prescription."
        ),
        columns=(
            Column(key="weight_kg", label="Weight", unit="kg"),
            *(
                Column(key=f"s{index}", label=label, unit="mg/day")
                for index, (_, _, label) in enumerate(AZA_STATUSES)
            ),
        ),
        rows=tuple(rows),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


AZATHIOPRINE_DOSING = Calculator(
    id="azathioprine_dosing",
    title="Azathioprine target and titration by TPMT/NUDT15 status and renal function",
    version="1.1.0",
    family="dosing",
    purpose=(
        "Azathioprine target dose and titration (review: start 50 mg/day, +50 mg every 1–2 weeks "
        "up to 2.5 mg/kg/day) adjusted for TPMT and NUDT15 phenotype (CPIC) and creatinine "
        "clearance."
    ),
    population="Adults with non-malignant conditions (CPIC's non-malignant recommendations); "
    "myositis per the review.",
    inputs=(
        weight_kg(),
        NumberInput(
            name="target_mg_per_kg",
            label="Target (normal) dose",
            unit="mg/kg/day",
            hard_min=AZA_TARGET_MG_PER_KG_MIN,
            hard_max=AZA_CPIC_NORMAL_MG_PER_KG_MAX,
            range_source="CPIC normal starting dose up to 3 mg/kg/day; lower bound [PC]",
            soft_max=AZA_TARGET_MG_PER_KG,
            soft_note="the review titrates up to 2.5 mg/kg/day",
            required=False,
            default=AZA_TARGET_MG_PER_KG,
            precision=2,
        ),
        ChoiceInput(name="tpmt", label="TPMT phenotype", choices=METABOLIZER_CHOICES),
        ChoiceInput(name="nudt15", label="NUDT15 phenotype", choices=METABOLIZER_CHOICES),
        NumberInput(
            name="crcl_ml_min",
            label="Creatinine clearance",
            unit="mL/min",
            hard_min=POSITIVE,
            min_inclusive=False,
            hard_max=RENAL_FUNCTION_MAX_ML_MIN,
            range_source=PC_RANGES,
            required=False,
            precision=0,
            help="Cockcroft–Gault CrCl. Leave empty if unknown; a warning is shown.",
        ),
        NumberInput(
            name="interval_weeks",
            label="Weeks between increases",
            unit="weeks",
            hard_min=TITRATION_INTERVAL_LIMITS_WEEKS[0],
            hard_max=TITRATION_INTERVAL_LIMITS_WEEKS[1],
            range_source=PC_RANGES,
            soft_max=AZA_INTERVAL_WEEKS_USUAL[1],
            soft_note="the review increases every 1–2 weeks",
            integer=True,
            required=False,
            default=AZA_INTERVAL_WEEKS_USUAL[1],
            precision=0,
        ),
    ),
    outputs=(
        Output(
            name="recommendation",
            label="Recommendation",
            kind="text",
            key_labels=(
                ("normal_dose", "Normal dose"),
                ("reduced_start_30_80", "Start at 30–80% of the normal dose"),
                ("reduced_start_20_50", "Start at 20–50% of the normal dose"),
                ("consider_alternative", "Consider a non-thiopurine alternative"),
                ("determine_tpmt_phenotype", "Measure TPMT activity first"),
            ),
        ),
        Output(name="recommendation_text", label="What it means", kind="text"),
        Output(name="target_mg_per_day", label="Target dose", unit="mg/day", precision=0),
        Output(name="renal_factor", label="Renal factor", precision=2),
        Output(
            name="schedule_week_mg_per_day",
            label="Titration",
            unit="mg/day",
            precision=0,
            kind="schedule",
        ),
        Output(
            name="start_range_mg_per_day",
            label="Starting dose range",
            unit="mg/day",
            precision=0,
            kind="range",
        ),
        Output(
            name="fraction_of_normal",
            label="Fraction of the normal dose",
            precision=2,
            kind="range",
        ),
        Output(
            name="normal_dose_mg_per_day",
            label="Normal dose before adjustment",
            unit="mg/day",
            precision=1,
        ),
    ),
    formula=(
        "normal = weight_kg × target_mg_per_kg; renal factor 0.75 if 10 ≤ CrCl ≤ 50, 0.5 if CrCl < "
        "10;\none gene intermediate: 30–80% of normal; both intermediate: 20–50%; poor: consider "
        "an alternative;\ntarget = floor to 25 mg of (normal × renal factor × upper "
        "fraction);\ntitrate from 50 mg/day by 50 mg every interval_weeks (≥ 2 weeks if "
        "intermediate) to the target"
    ),
    references=(
        "moghadam-kia-oddis-2023",
        "relling-2019-clinical",
        "cpic-2024-thiopurine",
        "compendium-nd-azathioprine-renal",
    ),
    caveats=(
        NOT_A_PRESCRIPTION,
        "Check TPMT (and NUDT15) before starting (review; CPIC).",
        "The 'normal dose' is weight × the target mg/kg (review 2.5 mg/kg/day); CPIC's fractions "
        "are applied to it [PC].",
        "For intermediate metabolizers the target is the upper end of CPIC's starting range, "
        "reached by the review's 50 mg steps no faster than every 2 weeks [PC]; adjust for "
        "myelosuppression.",
        "Targets are floored to a multiple of 25 mg (tablet strength) [PC].",
        "Renal reduction (CrCl 10–50 mL/min → 75%; < 10 → 50%; 50 and 10 fall in the 75% band) "
        "comes from drug compendia (Aronoff lineage), not guidelines.",
        "Poor metabolizers: CPIC's 10-fold reduction with thrice-weekly dosing is for malignancy "
        "only and is not offered.",
    ),
    provenance={
        "review_regimen": review(
            "moghadam-kia-oddis-2023",
            "start 50 mg/day, increase by 50 mg every 1–2 weeks up to 2.5 mg/kg/day; check TPMT",
            covers=("normal_dose_mg_per_day", "target_mg_per_day", "schedule_week_mg_per_day"),
            where="Treatment > Azathioprine",
        ),
        "cpic_one_intermediate_nudt15": checked(
            "relling-2019-clinical",
            "one intermediate metabolizer (NUDT15): start at 30–80% of the normal dose",
            "CPIC 2018 guideline, Table 3 (NUDT15 row wording) and PharmGKB summary",
            covers=("fraction_of_normal", "start_range_mg_per_day", "recommendation"),
        ),
        "cpic_one_intermediate_tpmt": checked(
            "relling-2019-clinical",
            "one intermediate metabolizer (TPMT): start at 30–80% of the normal dose",
            "CPIC 2018 guideline, Table 2 read as parallel to Table 3",
            label="V2",
            covers=("fraction_of_normal", "start_range_mg_per_day", "recommendation"),
        ),
        "cpic_both_intermediate": checked(
            "cpic-2024-thiopurine",
            "TPMT and NUDT15 both intermediate: start at 20–50% of the normal dose",
            "CPIC March 2024 update note on cpicpgx.org",
            covers=("fraction_of_normal", "start_range_mg_per_day", "recommendation"),
        ),
        "cpic_poor": checked(
            "relling-2019-clinical",
            "poor metabolizer: consider a non-thiopurine alternative (non-malignant conditions)",
            "CPIC 2018 guideline, Tables 2 and 3",
            covers=("recommendation", "recommendation_text"),
        ),
        "cpic_indeterminate": checked(
            "relling-2019-clinical",
            "indeterminate phenotype: TPMT activity or close monitoring",
            "CPIC April 2020 update on cpicpgx.org",
            covers=("recommendation", "recommendation_text"),
        ),
        "renal_reduction": checked(
            "compendium-nd-azathioprine-renal",
            "CrCl 10–50 mL/min → 75% of the dose; < 10 → 50%",
            "drug-compendium values read in secondary sources (Skyscape RxDrugs, WikEM); not "
            "guideline grade",
            label="V2",
            covers=("renal_factor", "target_mg_per_day"),
        ),
        "tablet_flooring": convention(
            "target floored to a multiple of 25 mg (tablet strength)",
            covers=("target_mg_per_day", "schedule_week_mg_per_day"),
        ),
        "titration_for_reduced_targets": convention(
            "reduced targets are reached in 25 mg steps", covers=("schedule_week_mg_per_day",)
        ),
        "cpic_2025_update": unverified(
            "the 2025/26 CPIC update (PMID 41618934), reported but not read"
        ),
    },
    not_included=(
        "The 2025/26 CPIC update (PMID 41618934) was not read and is not used. Thiopurine "
        "metabolite monitoring and malignancy dosing (10-fold reduction, thrice weekly) are out of "
        "scope."
    ),
    examples=(
        Example(
            inputs={"weight_kg": 70, "tpmt": "normal", "nudt15": "normal", "crcl_ml_min": 90},
            expected={
                "recommendation": "normal_dose",
                "target_mg_per_day": 175,
                "renal_factor": 1.0,
                "schedule_week_mg_per_day": [[0, 50], [2, 100], [4, 150], [6, 175]],
            },
            source="moghadam-kia-oddis-2023",
            note="70 kg × 2.5 mg/kg = 175 mg/day; 50 mg start, +50 mg every 2 weeks.",
        ),
        Example(
            inputs={"weight_kg": 70, "tpmt": "intermediate", "nudt15": "normal", "crcl_ml_min": 90},
            expected={
                "recommendation": "reduced_start_30_80",
                "start_range_mg_per_day": [75, 125],
                "target_mg_per_day": 125,
                "fraction_of_normal": [0.3, 0.8],
            },
            source="relling-2019-clinical",
            note="CPIC 30–80% of 175 mg/day = 52.5–140 mg/day, floored to 25 mg tablets → 50–125 "
            "mg/day.",
        ),
        Example(
            inputs={"weight_kg": 70, "tpmt": "poor", "nudt15": "normal", "crcl_ml_min": 90},
            expected={"recommendation": "consider_alternative", "target_mg_per_day": None},
            source="relling-2019-clinical",
            note="Poor metabolizer, non-malignant condition → consider a non-thiopurine "
            "alternative.",
        ),
    ),
    presentation=Presentation(
        primary="target_mg_per_day",
        phrase="Target daily dose",
        secondary=(
            "recommendation_text",
            "start_range_mg_per_day",
            "schedule_week_mg_per_day",
        ),
    ),
    compute=_azathioprine_dosing,
    printed_tables=(azathioprine_target_table,),
    related_entries=("azathioprine",),
)
