"""IV cyclophosphamide dose by body-surface area (the review's regimen)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from calculators.anthropometrics import (
    MOSTELLER_DIVISOR,
    dubois_bsa,
    dubois_line,
    mosteller_bsa,
    mosteller_line,
)
from calculators.common_inputs import height_cm, weight_kg
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
)
from calculators.dosing.common import NOT_A_PRESCRIPTION, PC_RANGES
from calculators.dosing.ivig_dose import CM_PER_M
from calculators.numeric import as_number, fmt, round_half_up
from calculators.printed import Column, Row, Table, cell, decimal_range, references

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


# --- Printed tables (the handbook's ready reckoners), computed by this calculator ----------

REFERENCE_HEIGHT_CM = 170  # any height works; the weight is chosen to give each BSA exactly


def cyclophosphamide_bsa_table(
    *,
    bsa_values: Iterable[Decimal] = tuple(decimal_range("1.4", "2.4", "0.1")),
    doses_mg_per_m2: Iterable[int] = (300, 400, 500, 600, 700, 750, 800),
    round_to_mg: int = 10,
) -> Table:
    """Rounded IV cyclophosphamide dose by BSA (rows) and mg/m² (columns)."""
    calc = CYCLOPHOSPHAMIDE_BSA
    doses = tuple(doses_mg_per_m2)
    rows: list[Row] = []
    for bsa in bsa_values:
        # Pick the weight that gives this Mosteller BSA at the reference height, then let the
        # calculator compute BSA and dose itself (and check they agree).
        weight = float(bsa * bsa * MOSTELLER_DIVISOR / REFERENCE_HEIGHT_CM)
        row: dict[str, str] = {"bsa_m2": fmt(bsa, 2)}
        for dose in doses:
            out = calc.evaluate(
                height_cm=REFERENCE_HEIGHT_CM,
                weight_kg=weight,
                dose_mg_per_m2=dose,
                bsa_formula="mosteller",
                round_to_mg=round_to_mg,
            ).outputs
            computed = out["bsa_m2"]
            if not isinstance(computed, float) or abs(computed - float(bsa)) > 1e-9:
                raise AssertionError(f"BSA mismatch for {bsa}: {computed}")
            row[f"dose_{dose}"] = cell(calc, "rounded_dose_mg", out["rounded_dose_mg"])
        rows.append(row)
    return Table(
        id="cyclophosphamide_dose_by_bsa",
        title="IV cyclophosphamide dose by body-surface area and mg/m²",
        caption=(
            f"Dose = mg/m² × BSA (Mosteller), rounded half up to {round_to_mg} mg [PC]. Review "
            "regimen 300–800 mg/m² monthly for at least 6 months. Not a prescription."
        ),
        columns=(
            Column(key="bsa_m2", label="BSA", unit="m²"),
            *(Column(key=f"dose_{dose}", label=f"{dose} mg/m²", unit="mg") for dose in doses),
        ),
        rows=tuple(rows),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


CYCLOPHOSPHAMIDE_BSA = Calculator(
    id="cyclophosphamide_iv_bsa_dose",
    title="IV cyclophosphamide dose by body-surface area",
    version="2.1.0",
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
        Output(name="bsa_formula", label="BSA formula", kind="text", key_labels=BSA_FORMULAS),
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
    printed_tables=(cyclophosphamide_bsa_table,),
    related_entries=("cyclophosphamide",),
    related_calculators=(
        "cyclophosphamide_pulse_age_renal_adjusted",
        "bsa_mosteller",
        "bsa_dubois",
    ),
)
