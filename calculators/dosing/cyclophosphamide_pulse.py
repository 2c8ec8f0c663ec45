"""CYCLOPS pulse cyclophosphamide dose with the EULAR 2009 reductions."""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from calculators.common_inputs import age_years, weight_kg
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
    checked,
    convention,
    unverified,
)
from calculators.dosing.common import NOT_A_PRESCRIPTION
from calculators.limits import (
    SCR_MIN_MG_DL,
    SCR_UMOL_L_PER_MG_DL,
)
from calculators.numeric import exact, fmt

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
