"""Weight-, BSA- and phenotype-based dose calculators (IVIg, glucocorticoids, MMF, AZA, CYC).

None of these outputs is a prescription: every declaration says so, and each
dose is shown with the arithmetic that produced it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Final

from calculators.anthropometrics import (
    devine_ibw,
    devine_line,
    dubois_bsa,
    dubois_line,
    mosteller_bsa,
    mosteller_line,
)
from calculators.common_inputs import age_years, height_cm, sex, weight_kg
from calculators.declaration import (
    BoolInput,
    Calculator,
    ChoiceInput,
    Example,
    JSONValue,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    SlipHint,
    Trace,
    UnitAlt,
    checked,
    convention,
    review,
    unverified,
)
from calculators.limits import (
    AGE_MAX_YEARS,
    ANY_AGE_MIN_YEARS,
    POSITIVE,
    RENAL_FUNCTION_MAX_ML_MIN,
    SCR_MIN_MG_DL,
    SCR_UMOL_L_PER_MG_DL,
)
from calculators.numeric import as_number, ceil_to, exact, floor_to, fmt, round_half_up

NOT_A_PRESCRIPTION = (
    "This is arithmetic, not a prescription: check the local formulary, the product's labelling "
    "and the patient's circumstances before ordering."
)
PC_RANGES = "project convention [PC]"

# --- Plausibility limits for regimen parameters: project conventions [PC] ---------------------
# They catch typos and unit slips; they are not clinical recommendations.
IVIG_DAYS_MIN: Final = 1
PRED_MG_PER_KG_LIMITS: Final = (0.1, 2)
PRED_CAP_MIN_MG: Final = 5
PRED_TAPER_START_MIN_MG: Final = 1
PRED_TAPER_FRACTION_LIMITS: Final = (0.05, 0.5)
PRED_FLOOR_LIMITS_MG: Final = (1, 20)
PRED_PLANNED_MONTHS_LIMITS: Final = (1, 120)
MP_MIN_DAYS: Final = 1
MMF_START_MG_PER_DOSE_MAX: Final = 1500
MMF_DOSES_PER_DAY_LIMITS: Final = (1, 3)
MMF_INCREMENT_MAX_MG_PER_DAY: Final = 1000
MMF_TARGET_MIN_MG_PER_DAY: Final = 500
TITRATION_INTERVAL_LIMITS_WEEKS: Final = (1, 4)
AZA_TARGET_MG_PER_KG_MIN: Final = 1

# --- IVIg: review regimen [huang-pye-2024] ---------------------------------------------
IVIG_G_PER_KG: Final = 2  # "IVIg at a dose of 2 g/kg every 4 weeks"
IVIG_CYCLE_WEEKS: Final = 4
IVIG_DAYS_USUAL_MIN: Final = 2  # usually split over 2–5 consecutive days (spec A4)
IVIG_DAYS_USUAL_MAX: Final = 5
IVIG_DOSE_MIN_G_PER_KG: Final = 0.2  # [PC] plausibility floor so a course rounds to at least 5 g
# --- IVIg rounding: Ontario IVIG dose calculator [ontario-nd-ivig] ----------------------
IVIG_ROUND_TO_G: Final = 5
# --- Dose-determining weight: NBA BloodSTAR [nba-nd-adjusting] ---------------------------
DDW_EXCESS_FRACTION: Final = 0.4  # DDW = IBW + 0.4 × (actual − IBW)
# --- Exclusions from adjusted-weight dosing: Lifeblood 2026 note [lifeblood-nd-coming] --
ABW_MIN_AGE_YEARS: Final = 18
ABW_MIN_HEIGHT_CM: Final = 152
# --- Ontario policy [ontario-nd-ivig] ---------------------------------------------------
ONTARIO_BMI_THRESHOLD: Final = 30  # adjustment required when BMI > 30
ONTARIO_MIN_HEIGHT_CM: Final = 152.4
ONTARIO_MIN_WEIGHT_MALE_KG: Final = 50  # applies when weight > 50 kg (male)
ONTARIO_MIN_WEIGHT_FEMALE_KG: Final = 45.5  # applies when weight > 45.5 kg (female)
CM_PER_M: Final = 100  # unit definition, for BMI

IVIG_POLICIES: tuple[tuple[str, str], ...] = (
    ("actual_weight", "Actual body weight (no adjustment)"),
    ("nba_2026", "Adjusted body weight whenever eligible (NBA BloodSTAR, from 1 July 2026)"),
    ("ontario_bmi_over_30", "Adjusted body weight only when BMI > 30 (Ontario)"),
)
# Short names of the policies, for the side-by-side doses.
IVIG_POLICY_SHORT: tuple[tuple[str, str], ...] = (
    ("actual_weight", "Actual body weight"),
    ("nba_2026", "Adjusted body weight (NBA 2026)"),
    ("ontario_bmi_over_30", "Adjusted if BMI > 30 (Ontario)"),
)


def _ivig_exclusions(
    policy: str,
    *,
    weight_kg: float,
    height_cm: float,
    sex: str,
    age_years: float,
    pregnant: bool,
    ddw: float,
    bmi: float,
) -> list[str]:
    """Why a policy doses on actual weight for this patient (empty: it uses adjusted weight)."""
    if policy == "actual_weight":
        return ["no adjustment is applied"]
    reasons: list[str] = []
    if age_years < ABW_MIN_AGE_YEARS:
        reasons.append(f"age < {ABW_MIN_AGE_YEARS} years")
    if height_cm < ABW_MIN_HEIGHT_CM:
        reasons.append(f"height < {ABW_MIN_HEIGHT_CM} cm")
    if pregnant and policy == "nba_2026":
        reasons.append("pregnancy")
    if exact(weight_kg) < exact(ddw):
        reasons.append("actual weight is below the adjusted weight")
    if policy == "ontario_bmi_over_30":
        if not bmi > ONTARIO_BMI_THRESHOLD:
            reasons.append(f"BMI {fmt(bmi, 1)} is not above {ONTARIO_BMI_THRESHOLD}")
        if height_cm < ONTARIO_MIN_HEIGHT_CM and height_cm >= ABW_MIN_HEIGHT_CM:
            reasons.append(f"height < {ONTARIO_MIN_HEIGHT_CM} cm")
        minimum = ONTARIO_MIN_WEIGHT_MALE_KG if sex == "male" else ONTARIO_MIN_WEIGHT_FEMALE_KG
        if not weight_kg > minimum:
            reasons.append(f"weight is not above {fmt(minimum)} kg")
    return reasons


IVIG_POLICY_SOURCES: Final = {
    "actual_weight": "no adjustment",
    "nba_2026": "NBA BloodSTAR default from 1 July 2026",
    "ontario_bmi_over_30": "Ontario IVIG dose calculator",
}


def _ivig_dose(
    *,
    weight_kg: float,
    height_cm: float,
    sex: str,
    age_years: float,
    dose_g_per_kg: float,
    days: int,
    pregnant: bool,
    adjustment_policy: str,
) -> Outcome:
    trace = Trace()
    ibw = devine_ibw(height_cm, sex)
    trace.explain(devine_line(height_cm, sex, ibw))
    ddw = ibw + DDW_EXCESS_FRACTION * (weight_kg - ibw)
    trace.explain(
        f"DDW = {fmt(ibw, 2)} + {DDW_EXCESS_FRACTION} × ({fmt(weight_kg)} − {fmt(ibw, 2)}) = "
        f"{fmt(ddw, 2)} kg"
    )
    bmi = weight_kg / (height_cm / CM_PER_M) ** 2
    if adjustment_policy == "ontario_bmi_over_30" and pregnant:
        trace.warn(
            "ivig_pregnancy_weight",
            "Ontario: in pregnancy enter the pre-pregnancy weight.",
            "ontario-nd-ivig",
        )
    doses: dict[str, int | float] = {}
    bases: dict[str, JSONValue] = {}
    for policy, _ in IVIG_POLICY_SHORT:
        excluded = _ivig_exclusions(
            policy,
            weight_kg=weight_kg,
            height_cm=height_cm,
            sex=sex,
            age_years=age_years,
            pregnant=pregnant,
            ddw=ddw,
            bmi=bmi,
        )
        policy_weight = weight_kg if excluded else ddw
        doses[policy] = as_number(round_half_up(policy_weight * dose_g_per_kg, IVIG_ROUND_TO_G))
        source = IVIG_POLICY_SOURCES[policy]
        unrounded = f"{fmt(policy_weight * dose_g_per_kg, 2)} g before rounding"
        if policy == "actual_weight":
            bases[policy] = f"actual weight {fmt(weight_kg)} kg, {unrounded} ({source})"
        elif excluded:
            bases[policy] = (
                f"actual weight {fmt(weight_kg)} kg, {unrounded}, because "
                + "; ".join(excluded)
                + f" ({source})"
            )
        else:
            bases[policy] = f"adjusted weight {fmt(ddw, 2)} kg, {unrounded} ({source})"
    reasons = _ivig_exclusions(
        adjustment_policy,
        weight_kg=weight_kg,
        height_cm=height_cm,
        sex=sex,
        age_years=age_years,
        pregnant=pregnant,
        ddw=ddw,
        bmi=bmi,
    )
    if adjustment_policy == "actual_weight":
        reasons = ["the chosen policy is actual body weight"]
    basis = "actual" if reasons else "adjusted"
    dosing_weight = weight_kg if reasons else ddw
    if reasons:
        trace.explain(
            f"Dosing weight = actual weight {fmt(weight_kg)} kg because " + "; ".join(reasons)
        )
    else:
        trace.explain(f"Dosing weight = DDW = {fmt(ddw, 2)} kg")
    total = dosing_weight * dose_g_per_kg
    rounded = round_half_up(total, IVIG_ROUND_TO_G)
    trace.explain(
        f"Total = {fmt(dosing_weight, 2)} kg × {fmt(dose_g_per_kg)} g/kg = {fmt(total, 2)} g → "
        f"{fmt(rounded)} g (nearest {IVIG_ROUND_TO_G} g, halves up)"
    )
    per_day = total / days
    trace.explain(f"Per day = {fmt(total, 2)} g / {days} days = {fmt(per_day, 2)} g/day")
    if (
        doses["actual_weight"] != doses["nba_2026"]
        or doses["actual_weight"] != doses["ontario_bmi_over_30"]
    ):
        trace.warn(
            "ivig_policy_changes_dose",
            "The weight policy changes this patient's dose: "
            + " · ".join(f"{label}: {fmt(doses[policy])} g" for policy, label in IVIG_POLICY_SHORT)
            + ". Use the policy your programme requires.",
            "nba-nd-adjusting",
        )
    if exact(dose_g_per_kg) != IVIG_G_PER_KG:
        trace.warn(
            "ivig_dose_not_review_regimen",
            f"The review regimen is {IVIG_G_PER_KG} g/kg every {IVIG_CYCLE_WEEKS} weeks; "
            f"{fmt(dose_g_per_kg)} g/kg was entered.",
            "huang-pye-2024",
        )
    trace.warn(
        "ivig_product_sizes",
        "Vial sizes differ between products and are not verified here; round to available "
        "vials per the local formulary.",
    )
    return trace.finish(
        {
            "ibw_kg": ibw,
            "adjusted_weight_kg": ddw,
            "bmi_kg_m2": bmi,
            "weight_basis": basis,
            "dosing_weight_kg": dosing_weight,
            "total_dose_g": total,
            "rounded_dose_g": as_number(rounded),
            "dose_per_day_g": per_day,
            "rounded_dose_per_day_g": as_number(rounded / days),
            "cycle_interval_weeks": IVIG_CYCLE_WEEKS,
            "dose_by_policy_g": dict[str, JSONValue](doses),
            "basis_by_policy": bases,
        }
    )


IVIG_DOSE = Calculator(
    id="ivig_dose",
    title="IVIg 2 g/kg course: actual or adjusted body weight",
    version="2.0.0",
    family="dosing",
    purpose=(
        "Total and daily IVIg dose for the review regimen (2 g/kg every 4 weeks, split over 2–5 "
        "days), under the weight policy you choose: actual body weight, or the adjusted "
        "(dose-determining) weight where the NBA or Ontario rules call for it. The dose under "
        "every policy is shown side by side."
    ),
    population="Adults receiving IVIg; adjusted-weight rules from Australian (NBA/Lifeblood) and "
    "Ontario programmes.",
    inputs=(
        weight_kg(
            help_text="Actual body weight; in pregnancy Ontario uses the pre-pregnancy weight."
        ),
        height_cm(),
        sex(),
        NumberInput(
            name="age_years",
            label="Age",
            unit="years",
            hard_min=ANY_AGE_MIN_YEARS,
            min_inclusive=False,
            hard_max=AGE_MAX_YEARS,
            range_source="any age above 0, so the under-18 exclusion can apply; upper bound spec "
            "table [PC]",
            precision=0,
        ),
        NumberInput(
            name="dose_g_per_kg",
            label="Dose per course",
            unit="g/kg",
            hard_min=IVIG_DOSE_MIN_G_PER_KG,
            hard_max=IVIG_G_PER_KG,
            range_source=PC_RANGES,
            above_note="the review regimen is 2 g/kg per course; larger courses are not accepted",
            required=False,
            default=IVIG_G_PER_KG,
            precision=2,
        ),
        NumberInput(
            name="days",
            label="Days the course is split over",
            unit="days",
            hard_min=IVIG_DAYS_MIN,
            hard_max=IVIG_DAYS_USUAL_MAX,
            range_source=PC_RANGES,
            soft_min=IVIG_DAYS_USUAL_MIN,
            soft_note="usually split over 2–5 consecutive days",
            integer=True,
            precision=0,
            help="The per-day dose depends on it; the review gives no single number of days.",
        ),
        BoolInput(name="pregnant", label="Pregnant", required=False, default=False),
        ChoiceInput(
            name="adjustment_policy",
            label="Weight policy",
            choices=IVIG_POLICIES,
            help="There is no default: the policy changes the dose. The result shows the dose "
            "under every policy, side by side.",
            missing_hint="choose the weight policy your programme uses; the dose under each "
            "policy is shown once it is chosen",
        ),
    ),
    outputs=(
        Output(name="ibw_kg", label="Ideal body weight (Devine)", unit="kg", precision=2),
        Output(
            name="adjusted_weight_kg",
            label="Adjusted (dose-determining) weight",
            unit="kg",
            precision=2,
        ),
        Output(name="bmi_kg_m2", label="BMI", unit="kg/m²", precision=1),
        Output(name="weight_basis", label="Weight used", kind="text"),
        Output(name="dosing_weight_kg", label="Dosing weight", unit="kg", precision=2),
        Output(name="total_dose_g", label="Total course dose (unrounded)", unit="g", precision=2),
        Output(
            name="rounded_dose_g", label="Total course dose (nearest 5 g)", unit="g", precision=0
        ),
        Output(name="dose_per_day_g", label="Dose per day (unrounded)", unit="g/day", precision=2),
        Output(
            name="rounded_dose_per_day_g",
            label="Dose per day (from rounded total)",
            unit="g/day",
            precision=2,
        ),
        Output(
            name="cycle_interval_weeks",
            label="Repeat every",
            unit="weeks",
            precision=0,
            kind="integer",
        ),
        Output(
            name="dose_by_policy_g",
            label="Course dose under each weight policy",
            unit="g",
            precision=0,
            kind="mapping",
            key_labels=IVIG_POLICY_SHORT,
        ),
        Output(
            name="basis_by_policy",
            label="Weight each policy uses, and why",
            kind="mapping",
            key_labels=IVIG_POLICY_SHORT,
        ),
    ),
    presentation=Presentation(
        primary="rounded_dose_g",
        phrase="Course dose (nearest 5 g), with the weight policy chosen",
        secondary=(
            "dose_by_policy_g",
            "basis_by_policy",
            "rounded_dose_per_day_g",
            "cycle_interval_weeks",
        ),
    ),
    formula=(
        "IBW (Devine) = 50 (male) or 45.5 (female) + 2.3 × (height_cm × 0.393701 − 60)\nDDW = IBW "
        "+ 0.4 × (actual weight − IBW)\nDosing weight = actual weight if age < 18, height < 152 "
        "cm, pregnant, or actual < DDW; otherwise DDW\nTotal (g) = dosing weight × dose_g_per_kg; "
        "rounded to the nearest 5 g (halves up)\nPer day = total / days\nThe weight policy is "
        "chosen explicitly; the course dose under each policy is shown beside the result"
    ),
    references=("huang-pye-2024", "nba-nd-adjusting", "lifeblood-nd-coming", "ontario-nd-ivig"),
    caveats=(
        NOT_A_PRESCRIPTION,
        "From 1 July 2026 BloodSTAR makes adjusted weight the default; the NBA does not recommend "
        "it under 18 years, under 152 cm, in pregnancy, or when actual weight is below the "
        "adjusted weight (actual weight is used).",
        "Ontario requires adjustment only for BMI > 30, for height ≥ 152.4 cm and weight > 50 kg "
        "(male) or > 45.5 kg (female), and uses the pre-pregnancy weight in pregnancy. Choose the "
        "policy explicitly.",
        "Rounding to the nearest 5 g follows Ontario; halves round up [PC].",
        "Vial sizes vary by product and are not verified here: use the local formulary.",
    ),
    provenance={
        "review_regimen": review(
            "huang-pye-2024",
            "2 g/kg every 4 weeks",
            covers=("total_dose_g", "cycle_interval_weeks", "dose_by_policy_g"),
            where="Refractory muscle disease > IVIg",
        ),
        "ideal_body_weight": checked(
            "nba-nd-adjusting",
            "ideal body weight (Devine)",
            "NBA BloodSTAR page 'Adjusting Immunoglobulin dose for ideal body weight'",
            covers=("ibw_kg",),
        ),
        "adjusted_weight": checked(
            "nba-nd-adjusting",
            "adjusted body weight = IBW + 0.4 × (actual − IBW)",
            "NBA BloodSTAR page (dose-determining weight formula)",
            covers=(
                "adjusted_weight_kg",
                "dosing_weight_kg",
                "weight_basis",
                "dose_by_policy_g",
                "basis_by_policy",
            ),
        ),
        "exclusions": checked(
            "lifeblood-nd-coming",
            "actual weight under 18 years, under 152 cm, in pregnancy or when actual < adjusted",
            "Lifeblood notice 'Coming 1 July 2026: adjusted body weight Ig dosing in BloodSTAR'",
            covers=("weight_basis", "dosing_weight_kg"),
        ),
        "ontario_policy": checked(
            "ontario-nd-ivig",
            "adjust only when BMI > 30 (height ≥ 152.4 cm, weight > 50 kg male / > 45.5 kg female)",
            "Ontario IVIG dose calculator page",
            covers=(
                "weight_basis",
                "dosing_weight_kg",
                "bmi_kg_m2",
                "dose_by_policy_g",
                "basis_by_policy",
            ),
        ),
        "split_over_days": checked(
            "ontario-nd-ivig",
            "the course split over 2–5 consecutive days",
            "specification A4 ('usually split over 2–5 consecutive days'); neither review "
            "says how the course is divided",
            label="V2",
            covers=("dose_per_day_g", "rounded_dose_per_day_g"),
        ),
        "round_to_5_g": checked(
            "ontario-nd-ivig",
            "total rounded to the nearest 5 g",
            "Ontario IVIG dose calculator page",
            covers=("rounded_dose_g",),
        ),
        "half_up_rounding": convention("halves round up", covers=("rounded_dose_g",)),
        "dose_range_limits": convention("0.2–2 g/kg and 1–5 days accepted"),
        "vial_sizes": unverified("product vial sizes (commonly 5, 10 and 20 g)"),
    },
    not_included=(
        "Product-specific vial sizes are not modelled (unverified per product; use the local "
        "formulary). Infusion rates and maximum daily doses are out of scope."
    ),
    examples=(
        Example(
            inputs={
                "weight_kg": 100,
                "height_cm": 175,
                "sex": "male",
                "age_years": 50,
                "dose_g_per_kg": 2,
                "days": 2,
                "adjustment_policy": "nba_2026",
            },
            expected={
                "ibw_kg": 70.46,
                "adjusted_weight_kg": 82.28,
                "dosing_weight_kg": 82.28,
                "total_dose_g": 164.56,
                "rounded_dose_g": 165,
                "dose_per_day_g": 82.28,
                "weight_basis": "adjusted",
            },
            source="spec",
            note="Spec A4: male 175 cm 100 kg → IBW 70.46, DDW 82.28, 164.56 g → 165 g, 82.28 "
            "g/day over 2 days.",
        ),
        Example(
            inputs={
                "weight_kg": 60,
                "height_cm": 175,
                "sex": "male",
                "age_years": 50,
                "days": 2,
                "adjustment_policy": "nba_2026",
            },
            expected={"weight_basis": "actual", "dosing_weight_kg": 60, "rounded_dose_g": 120},
            source="spec",
            note="Actual weight below IBW (so below DDW) → actual weight is used (NBA exclusion).",
        ),
        Example(
            inputs={
                "weight_kg": 92,
                "height_cm": 168,
                "sex": "female",
                "age_years": 50,
                "days": 2,
                "adjustment_policy": "actual_weight",
            },
            expected={
                "rounded_dose_g": 185,
                "total_dose_g": 184,
                "dose_by_policy_g": {
                    "actual_weight": 185,
                    "nba_2026": 145,
                    "ontario_bmi_over_30": 145,
                },
            },
            source="nba-nd-adjusting",
            note="A 92 kg, 168 cm woman: IBW 59.63 kg, adjusted weight 72.58 kg. Actual weight "
            "gives 184 g (185 g to the nearest 5 g); adjusted weight gives 145.15 g (145 g), 21% "
            "less. The policy is the prescriber's choice; both doses are shown.",
        ),
    ),
    compute=_ivig_dose,
    related_entries=("ivig",),
)

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
    related_entries=("glucocorticoids",),
)


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
    related_entries=("azathioprine",),
)

# --- Cyclophosphamide IV by BSA: review regimen [moghadam-kia-oddis-2023] ------------------
CYC_MG_PER_M2_MIN: Final = 300  # "monthly intravenous cyclophosphamide (300–800 mg/m2 monthly)"
CYC_MG_PER_M2_MAX: Final = 800
CYC_MIN_MONTHS: Final = 6  # "for at least six months"
# --- Pharmacy rounding: project convention [PC] (local pharmacies round to 10–50 mg) ---------
CYC_ROUND_OPTIONS_MG: Final = (10, 25, 50)
# --- Large-dose flags: project conventions [PC] --------------------------------------------------
# No cited source gives an obesity adjustment or a maximum single dose for monthly IV
# cyclophosphamide in myositis; these only decide when the page says so beside the result.
CYC_OBESITY_BMI: Final = 30  # the usual definition of obesity; no source ties it to this dose
CYC_BSA_TABLE_MAX_M2: Final = 2.4  # top of the printed dose-by-BSA table (calculators/tables.py)

BSA_FORMULAS: tuple[tuple[str, str], ...] = (
    ("mosteller", "Mosteller"),
    ("dubois", "DuBois"),
)
NO_CYC_CAP = (
    "No source cited here gives a maximum single dose or an obesity adjustment for monthly IV "
    "cyclophosphamide; the review's regimen is per m² only (300–800 mg/m² monthly, from a "
    "17-patient series), and BSA from the weight entered is used as it is."
)


def _cyclophosphamide_iv_bsa_dose(
    *, height_cm: float, weight_kg: float, dose_mg_per_m2: float, bsa_formula: str, round_to_mg: int
) -> Outcome:
    trace = Trace()
    by_formula = {
        "mosteller": mosteller_bsa(height_cm, weight_kg),
        "dubois": dubois_bsa(height_cm, weight_kg),
    }
    bsa = by_formula[bsa_formula]
    if bsa_formula == "dubois":
        trace.explain(dubois_line(height_cm, weight_kg, bsa))
    else:
        trace.explain(mosteller_line(height_cm, weight_kg, bsa))
    dose = dose_mg_per_m2 * bsa
    rounded = round_half_up(dose, round_to_mg)
    trace.explain(
        f"Dose = {fmt(dose_mg_per_m2)} mg/m² × {fmt(bsa, 4)} m² = {fmt(dose, 1)} mg → "
        f"{fmt(rounded)} mg (nearest {round_to_mg} mg, halves up) [PC]"
    )
    doses: dict[str, JSONValue] = {
        name: as_number(round_half_up(dose_mg_per_m2 * value, round_to_mg))
        for name, value in by_formula.items()
    }
    bmi = weight_kg / (height_cm / CM_PER_M) ** 2
    large: list[str] = []
    if bmi >= CYC_OBESITY_BMI:
        large.append(f"BMI {fmt(bmi, 1)} is in the obese range (30 or more) [PC]")
    if bsa > CYC_BSA_TABLE_MAX_M2:
        large.append(
            f"BSA {fmt(bsa, 2)} m² is above {fmt(CYC_BSA_TABLE_MAX_M2)} m², the top of this "
            "guideline's dose table [PC]"
        )
    if large:
        trace.warn(
            "cyclophosphamide_large_dose",
            f"Large dose: {fmt(rounded)} mg. " + "; ".join(large) + ". " + NO_CYC_CAP + " "
            "For kidney function and age see the separate age- and creatinine-adjusted "
            "pulse calculator (an ANCA-vasculitis table).",
            "moghadam-kia-oddis-2023",
        )
    trace.warn(
        "cyclophosphamide_course",
        f"Review regimen: monthly for at least {CYC_MIN_MONTHS} months; no myositis-specific "
        "renal dosing rule exists.",
        "moghadam-kia-oddis-2023",
    )
    return trace.finish(
        {
            "bsa_m2": bsa,
            "dose_mg": dose,
            "rounded_dose_mg": as_number(rounded),
            "bsa_formula": bsa_formula,
            "dose_by_formula_mg": doses,
            "bmi_kg_m2": bmi,
        }
    )


CYCLOPHOSPHAMIDE_BSA = Calculator(
    id="cyclophosphamide_iv_bsa_dose",
    title="IV cyclophosphamide dose by body-surface area",
    version="2.0.0",
    family="dosing",
    purpose=(
        "Monthly IV cyclophosphamide dose (review: 300–800 mg/m² monthly for at least 6 months) "
        "for severe or rapidly progressive myositis-associated ILD."
    ),
    population="Adults with severe or rapidly progressive myositis-associated ILD (case series in "
    "the review).",
    inputs=(
        height_cm(),
        weight_kg(),
        NumberInput(
            name="dose_mg_per_m2",
            label="Dose",
            unit="mg/m²",
            hard_min=CYC_MG_PER_M2_MIN,
            hard_max=CYC_MG_PER_M2_MAX,
            range_source="review regimen 300–800 mg/m²; rejecting doses outside it is a project "
            "convention [PC]",
            below_note="the review's regimen is 300–800 mg/m² monthly",
            above_note="the review's regimen is 300–800 mg/m² monthly",
            precision=0,
            step=50,
        ),
        ChoiceInput(
            name="bsa_formula",
            label="BSA formula",
            choices=BSA_FORMULAS,
            help="No default: the formula changes the dose (DuBois gives a smaller BSA in "
            "obesity). The dose by both formulas is shown.",
        ),
        NumberInput(
            name="round_to_mg",
            label="Round the dose to",
            unit="mg",
            hard_min=min(CYC_ROUND_OPTIONS_MG),
            hard_max=max(CYC_ROUND_OPTIONS_MG),
            range_source=PC_RANGES,
            allowed=CYC_ROUND_OPTIONS_MG,
            integer=True,
            precision=0,
            help="No default: local pharmacies round to 10–50 mg [PC]; the unrounded dose is "
            "shown too.",
        ),
    ),
    outputs=(
        Output(name="bsa_m2", label="Body-surface area", unit="m²", precision=2),
        Output(name="dose_mg", label="Dose (unrounded)", unit="mg", precision=1),
        Output(name="rounded_dose_mg", label="Dose (rounded)", unit="mg", precision=0),
        Output(name="bsa_formula", label="BSA formula", kind="text"),
        Output(
            name="dose_by_formula_mg",
            label="Rounded dose by each BSA formula",
            unit="mg",
            precision=0,
            kind="mapping",
            key_labels=BSA_FORMULAS,
        ),
        Output(name="bmi_kg_m2", label="BMI", unit="kg/m²", precision=1),
    ),
    formula="dose (mg) = dose (mg/m²) × BSA (Mosteller or DuBois, as chosen; full precision); "
    "rounded half up to the chosen step (10, 25 or 50 mg)",
    references=("moghadam-kia-oddis-2023", "mosteller-1987-simplified", "dubois-1916-formula"),
    caveats=(
        NOT_A_PRESCRIPTION,
        "Doses outside 300–800 mg/m² are rejected [PC]; rounding to 10–50 mg follows local "
        "pharmacy practice [PC].",
        "No myositis-specific cyclophosphamide renal-dosing convention was found; the age/renal "
        "pulse table is an ANCA-vasculitis protocol (separate calculator).",
        "Euro-Lupus (500 mg every 2 weeks × 6) and NIH (0.5–1 g/m² monthly) regimens are "
        "alternatives and are not calculated here.",
    ),
    provenance={
        "regimen_range": review(
            "moghadam-kia-oddis-2023",
            "IV 300–800 mg/m² monthly for at least 6 months",
            covers=("dose_mg",),
            where="Treatment > Cyclophosphamide",
        ),
        "bsa_formula": checked(
            "mosteller-1987-simplified",
            "BSA by Mosteller (default) or DuBois",
            "formula as reproduced with this citation on several drug-reference pages",
            covers=("bsa_m2", "bsa_formula", "dose_by_formula_mg"),
        ),
        "rejection_outside_range": convention("doses outside 300–800 mg/m² are rejected"),
        "large_dose_flag": convention(
            "a large dose is flagged at BMI 30 kg/m² or more (the usual definition of obesity) "
            "or BSA above 2.4 m² (the top of this guideline's printed table); no cited source "
            "gives a cap",
            covers=("bmi_kg_m2",),
        ),
        "pharmacy_rounding": convention(
            "rounded to the chosen 10–50 mg step", covers=("rounded_dose_mg",)
        ),
    },
    not_included="Mesna, hydration and antiemetic schedules; Euro-Lupus and NIH regimens; renal "
    "dose reduction (no myositis rule).",
    examples=(
        Example(
            inputs={
                "height_cm": 180,
                "weight_kg": 80,
                "dose_mg_per_m2": 500,
                "bsa_formula": "mosteller",
                "round_to_mg": 10,
            },
            expected={"bsa_m2": 2.0, "dose_mg": 1000.0, "rounded_dose_mg": 1000},
            source="spec",
            note="Mosteller 2.00 m² × 500 mg/m² = 1000 mg.",
            tolerance=1e-6,
        ),
        Example(
            inputs={
                "height_cm": 170,
                "weight_kg": 70,
                "dose_mg_per_m2": 750,
                "bsa_formula": "mosteller",
                "round_to_mg": 10,
            },
            expected={"dose_mg": 1363.59, "rounded_dose_mg": 1360},
            source="spec",
            note="√(170 × 70 / 3600) = 1.8181 m² × 750 = 1363.59 mg → 1360 mg.",
        ),
        Example(
            inputs={
                "height_cm": 190,
                "weight_kg": 140,
                "dose_mg_per_m2": 800,
                "bsa_formula": "mosteller",
                "round_to_mg": 10,
            },
            expected={"bsa_m2": 2.7183, "dose_mg": 2174.60, "rounded_dose_mg": 2170},
            source="moghadam-kia-oddis-2023",
            note="A large dose: √(190 × 140 / 3600) = 2.7183 m² × 800 mg/m² = 2174.6 mg → 2170 "
            "mg, flagged (BMI 38.8, BSA above 2.4 m²); no cited source gives a cap.",
            tolerance=0.01,
            expected_warnings=("cyclophosphamide_large_dose",),
        ),
    ),
    presentation=Presentation(
        primary="rounded_dose_mg",
        phrase="Monthly IV dose (rounded)",
        secondary=("dose_by_formula_mg", "dose_mg", "bsa_m2", "bmi_kg_m2"),
    ),
    compute=_cyclophosphamide_iv_bsa_dose,
    related_entries=("cyclophosphamide",),
    related_calculators=(
        "cyclophosphamide_pulse_age_renal_adjusted",
        "bsa_mosteller",
        "bsa_dubois",
    ),
)

# --- CYCLOPS pulse reductions: EULAR 2009 Table 6 [mukhtyar-2009-eular] -----------------------
# (the CYCLOPS trial itself: [de-groot-2009-pulse])
CYCLOPS_AGE_UNDER: Final = 60  # "< 60"
CYCLOPS_AGE_OVER: Final = 70  # "> 70"; 60–70 inclusive is the middle band
CYCLOPS_CREAT_COLUMN_FROM: Final = 150  # first column 150–300 µmol/L
CYCLOPS_CREAT_BOUNDARY: Final = (
    300  # second column 300–500 µmol/L; exactly 300 is ambiguous in the source
)
CYCLOPS_CREAT_MAX: Final = 500  # > 500 not covered
CYCLOPS_MG_PER_KG: Final = {
    ("under_60", "150_300"): Fraction(15),
    ("under_60", "300_500"): Fraction(25, 2),
    ("60_70", "150_300"): Fraction(25, 2),
    ("60_70", "300_500"): Fraction(10),
    ("over_70", "150_300"): Fraction(10),
    ("over_70", "300_500"): Fraction(15, 2),
}
AGE_BAND_LABELS: Final = {"under_60": "< 60 years", "60_70": "60–70 years", "over_70": "> 70 years"}
CREAT_BAND_LABELS: Final = {"150_300": "150–300 µmol/L", "300_500": "300–500 µmol/L"}

ANCA_WARNING = (
    "This age/renal table is from ANCA-associated vasculitis (CYCLOPS, weight-based pulses); it is "
    "not a myositis-specific rule."
)


def cyclops_bands(age: float, creatinine: float) -> tuple[str, str]:
    """Age and creatinine bands of the EULAR 2009 table.

    Exactly 300 µmol/L falls in the 300–500 column [PC].
    """
    age_exact = exact(age)
    if age_exact < CYCLOPS_AGE_UNDER:
        age_band = "under_60"
    elif age_exact <= CYCLOPS_AGE_OVER:
        age_band = "60_70"
    else:
        age_band = "over_70"
    creat_band = "150_300" if exact(creatinine) < CYCLOPS_CREAT_BOUNDARY else "300_500"
    return age_band, creat_band


def _cyclophosphamide_pulse(
    *, age_years: float, creatinine_umol_l: float, weight_kg: float
) -> Outcome:
    trace = Trace()
    trace.warn("anca_vasculitis_protocol", ANCA_WARNING, "mukhtyar-2009-eular")
    age_band, creat_band = cyclops_bands(age_years, creatinine_umol_l)
    if exact(creatinine_umol_l) < CYCLOPS_CREAT_COLUMN_FROM:
        trace.warn(
            "creatinine_below_150",
            f"The trial had no separate regimen for creatinine < {CYCLOPS_CREAT_COLUMN_FROM} "
            "µmol/L; "
            f"the {CREAT_BAND_LABELS['150_300']} column is used [PC].",
            "mukhtyar-2009-eular",
        )
    if exact(creatinine_umol_l) == CYCLOPS_CREAT_BOUNDARY:
        trace.warn(
            "creatinine_exactly_300",
            f"Creatinine of exactly {CYCLOPS_CREAT_BOUNDARY} µmol/L is ambiguous in the source "
            "table (it ends one column and starts the next); the lower-dose 300–500 µmol/L column "
            "is used [PC].",
            "mukhtyar-2009-eular",
        )
    mg_per_kg = CYCLOPS_MG_PER_KG[(age_band, creat_band)]
    dose = mg_per_kg * exact(weight_kg)
    trace.explain(
        f"Age {fmt(age_years)} years → {AGE_BAND_LABELS[age_band]}; creatinine "
        f"{fmt(creatinine_umol_l)} µmol/L → {CREAT_BAND_LABELS[creat_band]} column → "
        f"{fmt(mg_per_kg)} mg/kg/pulse"
    )
    trace.explain(
        f"Dose = {fmt(mg_per_kg)} mg/kg × {fmt(weight_kg)} kg = {fmt(dose, 1)} mg per pulse"
    )
    return trace.finish(
        {
            "mg_per_kg": float(mg_per_kg),
            "dose_mg": float(dose),
            "age_band": AGE_BAND_LABELS[age_band],
            "creatinine_band": CREAT_BAND_LABELS[creat_band],
        }
    )


CYCLOPHOSPHAMIDE_PULSE = Calculator(
    id="cyclophosphamide_pulse_age_renal_adjusted",
    title="Cyclophosphamide pulse reduced for age and creatinine (ANCA-vasculitis CYCLOPS table)",
    version="1.0.0",
    family="dosing",
    purpose=(
        "Weight-based IV cyclophosphamide pulse reduced for age and serum creatinine, from "
        "ANCA-associated vasculitis practice (CYCLOPS; EULAR 2009 Table 6). Shown for reference "
        "because no myositis-specific cyclophosphamide renal-dosing convention was found."
    ),
    population="Derived from ANCA-associated vasculitis with renal involvement (CYCLOPS trial), "
    "not myositis.",
    inputs=(
        age_years(),
        NumberInput(
            name="creatinine_umol_l",
            label="Serum creatinine",
            unit="µmol/L",
            hard_min=float(exact(SCR_MIN_MG_DL) * SCR_UMOL_L_PER_MG_DL),
            hard_max=CYCLOPS_CREAT_MAX,
            range_source="lower bound spec plausibility table [PC]; upper bound the table's last "
            "column (500 µmol/L)",
            above_note="the EULAR 2009 / CYCLOPS table does not cover creatinine above 500 µmol/L",
            precision=0,
            unit_alternatives=(UnitAlt(unit="mg/dL", factor=SCR_UMOL_L_PER_MG_DL),),
            slip_hints=(
                SlipHint(
                    low=0.1,
                    high=float(exact(SCR_MIN_MG_DL) * SCR_UMOL_L_PER_MG_DL),
                    message='looks like mg/dL; multiply by 88.4 or send {"value": …, "unit": '
                    '"mg/dL"}',
                ),
            ),
        ),
        weight_kg(),
    ),
    outputs=(
        Output(name="mg_per_kg", label="Pulse dose per kg", unit="mg/kg", precision=1),
        Output(name="dose_mg", label="Pulse dose", unit="mg", precision=0),
        Output(name="age_band", label="Age band", kind="text"),
        Output(name="creatinine_band", label="Creatinine column", kind="text"),
    ),
    formula=(
        "mg/kg per pulse: age < 60: 15 (creatinine 150–300) / 12.5 (300–500); 60–70: 12.5 / 10; > "
        "70: 10 / 7.5\ndose (mg) = mg/kg × weight_kg"
    ),
    references=("mukhtyar-2009-eular", "de-groot-2009-pulse"),
    caveats=(
        NOT_A_PRESCRIPTION,
        ANCA_WARNING,
        "Creatinine < 150 µmol/L: the trial had no separate regimen; the first column is used "
        "[PC].",
        "Creatinine of exactly 300 µmol/L is ambiguous in the source; the lower-dose column is "
        "used and a warning is shown [PC].",
        "Creatinine above 500 µmol/L is not covered and is rejected.",
        "Ages 60 and 70 fall in the 60–70 band.",
    ),
    provenance={
        "dose_table": checked(
            "mukhtyar-2009-eular",
            "15 / 12.5 / 10 / 7.5 mg/kg per pulse by age and creatinine (ANCA vasculitis)",
            "EULAR 2009 ANCA-vasculitis recommendations, Table 6",
            covers=("mg_per_kg", "dose_mg", "age_band", "creatinine_band"),
        ),
        "below_150_as_first_column": convention(
            "creatinine below 150 µmol/L uses the first column", covers=("mg_per_kg",)
        ),
        "exactly_300": convention(
            "creatinine of exactly 300 µmol/L uses the lower-dose column, with a warning",
            covers=("mg_per_kg",),
        ),
        "age_band_edges": convention(
            "age 60 and 70 belong to the 60–70 band", covers=("age_band",)
        ),
        "cyclops_cap": unverified("the CYCLOPS per-pulse cap (commonly quoted as 1.2 g)"),
    },
    not_included=(
        "The CYCLOPS per-pulse cap (commonly quoted as 1.2 g) is unverified and not applied. Pulse "
        "intervals (every 2–3 weeks in CYCLOPS) and the number of pulses are not calculated."
    ),
    examples=(
        Example(
            inputs={"age_years": 65, "creatinine_umol_l": 200, "weight_kg": 70},
            expected={"mg_per_kg": 12.5, "dose_mg": 875.0},
            source="mukhtyar-2009-eular",
            note="Age 60–70, creatinine 150–300 → 12.5 mg/kg × 70 kg = 875 mg.",
            expected_warnings=("anca_vasculitis_protocol",),
        ),
        Example(
            inputs={"age_years": 75, "creatinine_umol_l": 350, "weight_kg": 70},
            expected={"mg_per_kg": 7.5, "dose_mg": 525.0},
            source="mukhtyar-2009-eular",
            note="Age > 70, creatinine 300–500 → 7.5 mg/kg × 70 kg = 525 mg.",
        ),
    ),
    presentation=Presentation(
        primary="dose_mg",
        phrase="Pulse dose (ANCA-vasculitis table)",
        secondary=(
            "mg_per_kg",
            "age_band",
            "creatinine_band",
        ),
    ),
    compute=_cyclophosphamide_pulse,
    related_entries=("cyclophosphamide",),
    related_calculators=("cyclophosphamide_iv_bsa_dose", "creatinine_clearance_cockcroft_gault"),
)

CALCULATORS: tuple[Calculator, ...] = (
    IVIG_DOSE,
    PREDNISONE_INITIAL,
    PREDNISONE_TAPER,
    METHYLPREDNISOLONE_PULSE,
    MYCOPHENOLATE_TITRATION,
    AZATHIOPRINE_DOSING,
    CYCLOPHOSPHAMIDE_BSA,
    CYCLOPHOSPHAMIDE_PULSE,
)
