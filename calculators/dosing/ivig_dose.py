"""IVIg course and daily dose by dose-determining weight, with the weight policy explicit."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Final

from calculators.anthropometrics import (
    devine_ibw,
    devine_line,
)
from calculators.common_inputs import height_cm, sex, weight_kg
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
    Trace,
    checked,
    convention,
    review,
    unverified,
)
from calculators.dosing.common import IVIG_DAYS_MIN, NOT_A_PRESCRIPTION, PC_RANGES
from calculators.limits import (
    AGE_MAX_YEARS,
    ANY_AGE_MIN_YEARS,
)
from calculators.numeric import as_number, exact, fmt, round_half_up
from calculators.printed import Column, Row, Table, cell, references

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


# --- Printed tables (the handbook's ready reckoners), computed by this calculator ----------


def _by_policy(doses: JSONValue, policy: str) -> JSONValue:
    """One policy's course dose from the calculator's side-by-side doses."""
    return doses.get(policy) if isinstance(doses, dict) else None


def ivig_dose_table(
    *,
    height_cm: float = 175,
    sex: str = "male",
    age_years: float = 50,
    weights_kg: Iterable[float] = range(50, 151, 10),
    dose_g_per_kg: float = 2,
    days: int = 2,
    adjustment_policy: str = "nba_2026",
) -> Table:
    """IVIg course and daily dose by actual weight, for one height and sex."""
    calc = IVIG_DOSE
    rows: list[Row] = []
    for weight in weights_kg:
        result = calc.evaluate(
            weight_kg=weight,
            height_cm=height_cm,
            sex=sex,
            age_years=age_years,
            dose_g_per_kg=dose_g_per_kg,
            days=days,
            adjustment_policy=adjustment_policy,
        )
        out = result.outputs
        rows.append(
            {
                "weight_kg": fmt(weight),
                "weight_basis": str(out["weight_basis"]),
                "dosing_weight_kg": cell(calc, "dosing_weight_kg", out["dosing_weight_kg"]),
                "total_dose_g": cell(calc, "total_dose_g", out["total_dose_g"]),
                "rounded_dose_g": cell(calc, "rounded_dose_g", out["rounded_dose_g"]),
                "dose_per_day_g": cell(calc, "dose_per_day_g", out["dose_per_day_g"]),
                "actual_weight_dose_g": cell(
                    calc, "rounded_dose_g", _by_policy(out["dose_by_policy_g"], "actual_weight")
                ),
            }
        )
    first = calc.evaluate(
        weight_kg=100,
        height_cm=height_cm,
        sex=sex,
        age_years=age_years,
        days=days,
        adjustment_policy=adjustment_policy,
    )
    ibw = cell(calc, "ibw_kg", first.outputs["ibw_kg"])
    return Table(
        id=f"ivig_dose_{sex}_{fmt(height_cm)}cm",
        title=f"IVIg {fmt(dose_g_per_kg)} g/kg course by weight ({sex}, {fmt(height_cm)} cm)",
        caption=(
            f"{sex.capitalize()}, {fmt(height_cm)} cm (IBW {ibw} kg), age {fmt(age_years)}. "
            "Weight policy: "
            + dict(IVIG_POLICIES)[adjustment_policy]
            + ". Adjusted (dose-determining) weight = IBW + 0.4 × (actual − IBW), used unless "
            "actual weight is below it; the last column is the same course at actual body weight "
            "(no adjustment), so both doses stand side by side; totals rounded to the nearest 5 "
            f"g; per-day dose over {days} days from the unrounded total. Not a prescription."
        ),
        columns=(
            Column(key="weight_kg", label="Actual weight", unit="kg"),
            Column(key="weight_basis", label="Weight used"),
            Column(key="dosing_weight_kg", label="Dosing weight", unit="kg"),
            Column(key="total_dose_g", label="Total (unrounded)", unit="g"),
            Column(key="rounded_dose_g", label="Total (nearest 5 g)", unit="g"),
            Column(key="dose_per_day_g", label="Per day", unit="g/day"),
            Column(key="actual_weight_dose_g", label="At actual weight (nearest 5 g)", unit="g"),
        ),
        rows=tuple(rows),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


def ivig_dose_grid_table(
    *,
    sex: str,
    heights_cm: Iterable[float] = range(150, 191, 10),
    weights_kg: Iterable[float] = range(40, 151, 10),
    age_years: float = 50,
    dose_g_per_kg: float = 2,
    days: int = 2,
    adjustment_policy: str = "nba_2026",
) -> Table:
    """IVIg course (nearest 5 g) by actual weight (rows) and height (columns), for one sex.

    The weight policy changes the dose, so the table names the one it applies and ends with
    the same course at actual body weight: both stand side by side, as on the web page.

    The adjusted weight depends on ideal body weight, so on height and sex: one table per
    sex, with a column per height, covers the patients a ward sees instead of one build.
    """
    calc = IVIG_DOSE
    heights = list(heights_cm)
    rows: list[Row] = []
    for weight in weights_kg:
        row: dict[str, str] = {"weight_kg": fmt(weight)}
        for height in heights:
            out = calc.evaluate(
                weight_kg=weight,
                height_cm=height,
                sex=sex,
                age_years=age_years,
                dose_g_per_kg=dose_g_per_kg,
                days=days,
                adjustment_policy=adjustment_policy,
            ).outputs
            row[f"h{fmt(height)}"] = cell(calc, "rounded_dose_g", out["rounded_dose_g"])
            # The same course at actual weight depends on the weight alone (any height).
            row["actual"] = cell(
                calc, "rounded_dose_g", _by_policy(out["dose_by_policy_g"], "actual_weight")
            )
        rows.append(row)
    return Table(
        id=f"ivig_dose_grid_{sex}",
        title=f"IVIg {fmt(dose_g_per_kg)} g/kg course by weight and height ({sex})",
        caption=(
            f"{sex.capitalize()}, age {fmt(age_years)}. Weight policy: "
            + dict(IVIG_POLICIES)[adjustment_policy]
            + ". Total course in grams, rounded to the nearest 5 g, from the adjusted "
            "(dose-determining) weight = IBW + 0.4 × (actual − IBW), or the actual weight when "
            f"it is below that or the height is under {fmt(ABW_MIN_HEIGHT_CM)} cm; the last "
            "column is the same course at actual body weight (no adjustment), whatever the "
            "height. Divide by the number of days for the daily dose. Not a prescription."
        ),
        columns=(
            Column(key="weight_kg", label="Actual weight", unit="kg"),
            *(Column(key=f"h{fmt(h)}", label=f"{fmt(h)} cm", unit="g") for h in heights),
            Column(key="actual", label="At actual weight", unit="g"),
        ),
        rows=tuple(rows),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


IVIG_DOSE = Calculator(
    id="ivig_dose",
    title="IVIg 2 g/kg course: actual or adjusted body weight",
    version="2.1.0",
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
        Output(
            name="weight_basis",
            label="Weight used",
            kind="text",
            key_labels=(("actual", "Actual body weight"), ("adjusted", "Adjusted body weight")),
        ),
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
    printed_tables=(
        partial(ivig_dose_table, height_cm=175, sex="male"),
        partial(ivig_dose_table, height_cm=162, sex="female"),
        partial(ivig_dose_grid_table, sex="male"),
        partial(ivig_dose_grid_table, sex="female"),
    ),
    related_entries=("ivig",),
)
