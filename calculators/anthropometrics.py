"""Body size and kidney function: BSA (Mosteller, DuBois), Cockcroft–Gault, Devine IBW.

The plain formula helpers (``mosteller_bsa`` etc.) are the one implementation of
each formula; dose calculators call them rather than re-deriving the maths.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

from calculators.common_inputs import age_years, height_cm, sex, weight_kg
from calculators.declaration import (
    Calculator,
    ChoiceInput,
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
)
from calculators.limits import SCR_MAX_MG_DL, SCR_MIN_MG_DL, SCR_UMOL_L_PER_MG_DL, SPEC_PLAUSIBILITY
from calculators.numeric import exact, fmt
from calculators.printed import Column, Row, Table, cell, references

# --- Mosteller 1987 [mosteller-1987-simplified] -------------------------------------
MOSTELLER_DIVISOR: Final = 3600

# --- DuBois & DuBois 1916 [dubois-1916-formula] -------------------------------------
DUBOIS_COEFFICIENT: Final = 0.007184
DUBOIS_WEIGHT_EXPONENT: Final = 0.425
DUBOIS_HEIGHT_EXPONENT: Final = 0.725

# --- Cockcroft & Gault 1976 [cockcroft-1976-prediction] ------------------------------
CG_AGE_CONSTANT: Final = 140
CG_DENOMINATOR: Final = 72
CG_FEMALE_FACTOR: Final = 0.85

# --- Devine IBW as applied by the NBA BloodSTAR calculator [nba-nd-adjusting] -------
DEVINE_BASE_MALE_KG: Final = 50
DEVINE_BASE_FEMALE_KG: Final = 45.5
DEVINE_KG_PER_INCH: Final = 2.3
DEVINE_REFERENCE_HEIGHT_IN: Final = 60
NBA_INCHES_PER_CM: Final = 0.393701  # the NBA's stated conversion (not 1/2.54)
DEVINE_MIN_HEIGHT_CM: Final = (
    152.4  # 60 in: Devine is undefined or implausible below this (spec A3)
)

DUBOIS_OBESITY_CAVEAT = (
    "DuBois underestimates BSA in obesity by about 3–5% (Verbraecken 2006); Mosteller is the "
    "default for dosing in this guideline."
)


def mosteller_bsa(height: float, weight: float) -> float:
    """BSA in m² from height (cm) and weight (kg), full precision."""
    return math.sqrt(height * weight / MOSTELLER_DIVISOR)


def dubois_bsa(height: float, weight: float) -> float:
    """BSA in m² by DuBois & DuBois, full precision."""
    return float(
        DUBOIS_COEFFICIENT * weight**DUBOIS_WEIGHT_EXPONENT * height**DUBOIS_HEIGHT_EXPONENT
    )


def mosteller_line(height: float, weight: float, bsa: float) -> str:
    """The worked step shown wherever Mosteller BSA is used."""
    return (
        f"BSA (Mosteller) = √({fmt(height)} cm × {fmt(weight)} kg / {MOSTELLER_DIVISOR}) = "
        f"{fmt(bsa, 2)} m²"
    )


def dubois_line(height: float, weight: float, bsa: float) -> str:
    """The worked step shown wherever DuBois BSA is used."""
    return (
        f"BSA (DuBois) = {DUBOIS_COEFFICIENT} × {fmt(weight)} kg^{DUBOIS_WEIGHT_EXPONENT} × "
        f"{fmt(height)} cm^{DUBOIS_HEIGHT_EXPONENT} = {fmt(bsa, 2)} m²"
    )


def devine_ibw(height: float, sex_value: str) -> float:
    """Ideal body weight (kg) by Devine with the NBA's cm→inch factor."""
    base = DEVINE_BASE_MALE_KG if sex_value == "male" else DEVINE_BASE_FEMALE_KG
    return base + DEVINE_KG_PER_INCH * (height * NBA_INCHES_PER_CM - DEVINE_REFERENCE_HEIGHT_IN)


def devine_line(height: float, sex_value: str, ibw: float) -> str:
    """The worked step shown wherever Devine IBW is used."""
    base = DEVINE_BASE_MALE_KG if sex_value == "male" else DEVINE_BASE_FEMALE_KG
    inches = height * NBA_INCHES_PER_CM
    return (
        f"IBW ({sex_value}) = {fmt(base)} + {DEVINE_KG_PER_INCH} × ({fmt(height)} cm × "
        f"{NBA_INCHES_PER_CM} = {fmt(inches, 2)} in − {DEVINE_REFERENCE_HEIGHT_IN}) = "
        f"{fmt(ibw, 2)} kg"
    )


# --- BSA ----------------------------------------------------------------------------


def _bsa_mosteller(*, height_cm: float, weight_kg: float) -> Outcome:
    trace = Trace()
    bsa = mosteller_bsa(height_cm, weight_kg)
    trace.explain(mosteller_line(height_cm, weight_kg, bsa))
    return trace.finish({"bsa_m2": bsa})


def _bsa_dubois(*, height_cm: float, weight_kg: float) -> Outcome:
    trace = Trace()
    bsa = dubois_bsa(height_cm, weight_kg)
    trace.explain(dubois_line(height_cm, weight_kg, bsa))
    trace.warn("dubois_obesity", DUBOIS_OBESITY_CAVEAT, "verbraecken-2006-body")
    return trace.finish({"bsa_m2": bsa})


BSA_OUTPUT = Output(
    name="bsa_m2",
    label="Body-surface area",
    unit="m²",
    precision=2,
    help="Displayed to 2 decimals; downstream doses use full precision.",
)


# --- Printed tables (the handbook's ready reckoners), computed by this calculator ----------


def bsa_grid_table(
    *,
    heights_cm: Iterable[int] = range(150, 201, 5),
    weights_kg: Iterable[int] = range(40, 131, 10),
) -> Table:
    """Mosteller BSA for a grid of heights (rows) and weights (columns)."""
    calc = BSA_MOSTELLER
    weights = tuple(weights_kg)
    rows: list[Row] = []
    for height in heights_cm:
        row: dict[str, str] = {"height_cm": fmt(height)}
        for weight in weights:
            out = calc.evaluate(height_cm=height, weight_kg=weight).outputs
            row[f"w{weight}"] = cell(calc, "bsa_m2", out["bsa_m2"])
        rows.append(row)
    return Table(
        id="bsa_mosteller_grid",
        title="Body-surface area (Mosteller) by height and weight",
        caption="BSA = √(height_cm × weight_kg / 3600), in m², shown to 2 decimals.",
        columns=(
            Column(key="height_cm", label="Height", unit="cm"),
            *(Column(key=f"w{weight}", label=f"{weight} kg", unit="m²") for weight in weights),
        ),
        rows=tuple(rows),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


BSA_MOSTELLER = Calculator(
    id="bsa_mosteller",
    title="Body-surface area (Mosteller)",
    version="1.0.0",
    family="anthropometrics",
    purpose=(
        "Body-surface area for BSA-based doses such as IV cyclophosphamide (mg/m²). The default "
        "BSA formula in this guideline."
    ),
    population="Adults (derived as a simplification of earlier height–weight formulae).",
    inputs=(height_cm(), weight_kg()),
    outputs=(BSA_OUTPUT,),
    formula="BSA (m²) = √(height_cm × weight_kg / 3600)",
    references=("mosteller-1987-simplified",),
    caveats=(
        "Displayed to 2 decimals; any downstream dose uses the unrounded value.",
        "Plausibility limits (height 120–230 cm, weight 25–300 kg) are a project convention [PC].",
    ),
    provenance={
        "formula": checked(
            "mosteller-1987-simplified",
            "BSA = √(height × weight / 3600)",
            "formula as reproduced with this citation on several drug-reference pages",
            covers=("bsa_m2",),
        ),
        "display_precision": convention("shown to 2 decimals; doses use the unrounded value"),
        "plausibility_ranges": convention("height 120–230 cm and weight 25–300 kg accepted"),
    },
    not_included="Other BSA formulae (Haycock, Gehan–George) are not offered; the guideline uses "
    "Mosteller.",
    examples=(
        Example(
            inputs={"height_cm": 180, "weight_kg": 80},
            expected={"bsa_m2": 2.0},
            source="spec",
            note="Spec A1 worked example: 180 cm / 80 kg → 2.0000 m².",
            tolerance=0.00005,
        ),
    ),
    presentation=Presentation(
        primary="bsa_m2",
        phrase="Body-surface area (Mosteller)",
        secondary=(),
    ),
    compute=_bsa_mosteller,
    printed_tables=(bsa_grid_table,),
    related_entries=("cyclophosphamide",),
)

BSA_DUBOIS = Calculator(
    id="bsa_dubois",
    title="Body-surface area (DuBois)",
    version="1.0.0",
    family="anthropometrics",
    purpose="Body-surface area by the DuBois formula, for comparison or where a protocol specifies "
    "DuBois.",
    population="Derived in 9 subjects in 1916; widely used in adults.",
    inputs=(height_cm(), weight_kg()),
    outputs=(BSA_OUTPUT,),
    formula="BSA (m²) = 0.007184 × weight_kg^0.425 × height_cm^0.725",
    references=("dubois-1916-formula", "verbraecken-2006-body"),
    caveats=(
        DUBOIS_OBESITY_CAVEAT,
        "Some web pages print 1.9979 m² for 180 cm / 80 kg; the correct value is 1.9964 m² "
        "(recomputed).",
        "Plausibility limits are a project convention [PC].",
    ),
    provenance={
        "formula": checked(
            "dubois-1916-formula",
            "BSA = 0.007184 × weight^0.425 × height^0.725",
            "formula as reproduced with this citation on several drug-reference pages",
            covers=("bsa_m2",),
        ),
        "obesity_caveat": checked(
            "verbraecken-2006-body",
            "DuBois underestimates BSA in obesity by about 3–5%",
            "as quoted on a secondary drug-reference page (globalrph), not the paper",
            label="V2",
        ),
        "display_precision": convention("shown to 2 decimals; doses use the unrounded value"),
        "plausibility_ranges": convention("height 120–230 cm and weight 25–300 kg accepted"),
    },
    not_included="Not used for any dose in this guideline unless chosen explicitly (Mosteller is "
    "the default).",
    examples=(
        Example(
            inputs={"height_cm": 180, "weight_kg": 80},
            expected={"bsa_m2": 1.9964},
            source="spec",
            note="Spec A1 worked example: 180 cm / 80 kg → 1.9964 m².",
            tolerance=0.00005,
            expected_warnings=("dubois_obesity",),
        ),
    ),
    presentation=Presentation(
        primary="bsa_m2",
        phrase="Body-surface area (DuBois)",
        secondary=(),
    ),
    compute=_bsa_dubois,
    related_entries=("cyclophosphamide",),
)

# --- Cockcroft–Gault ------------------------------------------------------------------

SCR_UNIT_CHOICES: tuple[tuple[str, str], ...] = (("mg/dL", "mg/dL"), ("umol/L", "µmol/L"))
UMOL_L = UnitAlt(unit="umol/L", label="µmol/L", factor=1 / SCR_UMOL_L_PER_MG_DL)

SERUM_CREATININE = NumberInput(
    name="serum_creatinine",
    label="Serum creatinine",
    unit="mg/dL",
    hard_min=SCR_MIN_MG_DL,
    hard_max=SCR_MAX_MG_DL,
    range_source=SPEC_PLAUSIBILITY,
    precision=2,
    step=0.01,
    help="In the unit chosen in scr_unit; µmol/L is divided by 88.4.",
    unit_alternatives=(UMOL_L,),
    unit_field="scr_unit",
    slip_hints=(
        SlipHint(
            low=SCR_MAX_MG_DL,
            high=SCR_MAX_MG_DL * float(SCR_UMOL_L_PER_MG_DL),
            message="looks like µmol/L; set scr_unit to umol/L",
        ),
    ),
)

WEIGHT_DESCRIPTORS: tuple[tuple[str, str], ...] = (
    ("actual", "Actual body weight"),
    ("ideal", "Ideal body weight"),
    ("adjusted", "Adjusted body weight"),
)


def scr_to_mg_dl(value: float, unit: str) -> Fraction:
    """Serum creatinine in mg/dL (exact), from mg/dL or µmol/L."""
    return exact(value) if unit == "mg/dL" else exact(value) / SCR_UMOL_L_PER_MG_DL


def _creatinine_clearance(
    *,
    age_years: float,
    weight_kg: float,
    serum_creatinine: float,
    scr_unit: str,
    sex: str,
    weight_descriptor: str,
) -> Outcome:
    trace = Trace()
    scr = float(scr_to_mg_dl(serum_creatinine, scr_unit))
    if scr_unit != "mg/dL":
        trace.explain(
            f"SCr = {fmt(serum_creatinine)} µmol/L ÷ {fmt(SCR_UMOL_L_PER_MG_DL)} = {fmt(scr, 2)} "
            "mg/dL"
        )
    crcl = (CG_AGE_CONSTANT - age_years) * weight_kg / (CG_DENOMINATOR * scr)
    trace.explain(
        f"CrCl = ({CG_AGE_CONSTANT} − {fmt(age_years)} y) × {fmt(weight_kg)} kg / "
        f"({CG_DENOMINATOR} × {fmt(scr, 2)} mg/dL) = {fmt(crcl, 1)} mL/min"
    )
    if sex == "female":
        crcl *= CG_FEMALE_FACTOR
        trace.explain(f"× {CG_FEMALE_FACTOR} (female) = {fmt(crcl, 1)} mL/min")
    label = dict(WEIGHT_DESCRIPTORS)[weight_descriptor].lower()
    trace.explain(f"Weight used: {label}. The result is not normalized to 1.73 m².")
    return trace.finish({"crcl_ml_min": crcl, "weight_descriptor": weight_descriptor})


CREATININE_CLEARANCE = Calculator(
    id="creatinine_clearance_cockcroft_gault",
    title="Creatinine clearance (Cockcroft–Gault)",
    version="1.1.0",
    family="anthropometrics",
    purpose=(
        "Estimated creatinine clearance for renal dose adjustment (e.g. the azathioprine CrCl "
        "bands). It is not an eGFR normalized to 1.73 m²."
    ),
    population="Derived in 249 mostly male adults aged 18–92 (1976); the female factor was "
    "estimated, not measured.",
    inputs=(
        age_years(),
        weight_kg(
            label="Body weight",
            help_text="State which weight you entered in weight_descriptor (the descriptor is not "
            "standardized).",
        ),
        SERUM_CREATININE,
        ChoiceInput(name="scr_unit", label="Creatinine unit", choices=SCR_UNIT_CHOICES),
        sex(),
        ChoiceInput(
            name="weight_descriptor",
            label="Weight used",
            choices=WEIGHT_DESCRIPTORS,
            required=False,
            default="actual",
            help="Shown with the result so readers know which weight was used.",
        ),
    ),
    outputs=(
        Output(name="crcl_ml_min", label="Creatinine clearance", unit="mL/min", precision=1),
        Output(
            name="weight_descriptor",
            label="Weight used",
            kind="text",
            key_labels=WEIGHT_DESCRIPTORS,
        ),
    ),
    formula=(
        "CrCl (mL/min) = (140 − age) × weight_kg / (72 × SCr_mg/dL), × 0.85 if female\nSCr µmol/L "
        "→ mg/dL: divide by 88.4"
    ),
    references=("cockcroft-1976-prediction",),
    caveats=(
        "The weight descriptor (actual, ideal or adjusted) is not standardized; the calculator "
        "uses the weight it is given.",
        "CrCl is not normalized to 1.73 m². The mycophenolate label threshold is a GFR in "
        "mL/min/1.73 m²: do not substitute one for the other.",
        "Serum creatinine was measured with pre-IDMS assays in 1976.",
        "Plausibility limits are a project convention [PC].",
    ),
    provenance={
        "formula": checked(
            "cockcroft-1976-prediction",
            "CrCl = (140 − age) × weight / (72 × creatinine), × 0.85 if female",
            "standard formula, PMID 1244564",
            covers=("crcl_ml_min",),
        ),
        "unit_conversion": checked(
            "cockcroft-1976-prediction",
            "creatinine µmol/L ÷ 88.4 = mg/dL",
            "standard unit conversion",
        ),
        "weight_descriptor": convention(
            "the weight given is used as is (actual, ideal or adjusted is not standardised)",
            covers=("weight_descriptor",),
        ),
        "plausibility_ranges": convention("age, weight and creatinine plausibility limits"),
    },
    not_included="eGFR equations (CKD-EPI, MDRD) are not offered here.",
    examples=(
        Example(
            inputs={
                "age_years": 60,
                "weight_kg": 72,
                "serum_creatinine": 1.0,
                "scr_unit": "mg/dL",
                "sex": "male",
            },
            expected={"crcl_ml_min": 80.0},
            source="spec",
            note="(140 − 60) × 72 / (72 × 1.0) = 80 mL/min.",
        ),
        Example(
            inputs={
                "age_years": 60,
                "weight_kg": 72,
                "serum_creatinine": 88.4,
                "scr_unit": "umol/L",
                "sex": "female",
            },
            expected={"crcl_ml_min": 68.0},
            source="spec",
            note="88.4 µmol/L = 1.00 mg/dL; 80 × 0.85 = 68 mL/min.",
        ),
    ),
    presentation=Presentation(
        primary="crcl_ml_min",
        phrase="Creatinine clearance (Cockcroft–Gault)",
        secondary=("weight_descriptor",),
    ),
    compute=_creatinine_clearance,
    related_entries=("azathioprine", "mycophenolate-mofetil"),
)

# --- Devine ideal body weight ----------------------------------------------------------


def _ideal_body_weight(*, height_cm: float, sex: str) -> Outcome:
    trace = Trace()
    ibw = devine_ibw(height_cm, sex)
    trace.explain(devine_line(height_cm, sex, ibw))
    return trace.finish({"ibw_kg": ibw})


IDEAL_BODY_WEIGHT = Calculator(
    id="ideal_body_weight_devine",
    title="Ideal body weight (Devine)",
    version="1.0.0",
    family="anthropometrics",
    purpose="Ideal body weight, the first step of the adjusted (dose-determining) weight used for "
    "IVIg.",
    population="Adults at least 152.4 cm (60 in) tall; Devine is undefined or implausible below 60 "
    "in.",
    inputs=(
        NumberInput(
            name="height_cm",
            label="Height",
            unit="cm",
            hard_min=DEVINE_MIN_HEIGHT_CM,
            hard_max=height_cm().hard_max,
            range_source="Devine lower bound 60 in (spec A3); upper bound from the spec "
            "plausibility table [PC]",
            below_note="the Devine formula is not defined below 60 in = 152.4 cm",
            precision=0,
            step=1,
            unit_alternatives=height_cm().unit_alternatives,
            slip_hints=height_cm().slip_hints,
        ),
        sex(),
    ),
    outputs=(Output(name="ibw_kg", label="Ideal body weight", unit="kg", precision=2),),
    formula=(
        "IBW male = 50 + 2.3 × (height_in − 60)\nIBW female = 45.5 + 2.3 × (height_in − "
        "60)\nheight_in = height_cm × 0.393701 (the NBA's conversion)"
    ),
    references=("nba-nd-adjusting",),
    caveats=(
        "Uses the NBA's conversion 1 cm = 0.393701 in so results match the BloodSTAR calculator.",
        "Not defined below 152.4 cm (60 in): such heights are rejected here; the IVIg calculator "
        "uses actual weight instead.",
    ),
    provenance={
        "formula": checked(
            "nba-nd-adjusting",
            "IBW = 50 (male) or 45.5 (female) + 2.3 × (height in inches − 60)",
            "NBA BloodSTAR page 'Adjusting Immunoglobulin dose for ideal body weight'",
            covers=("ibw_kg",),
        ),
        "cm_to_inch": checked(
            "nba-nd-adjusting", "1 cm = 0.393701 in", "NBA BloodSTAR page (same conversion)"
        ),
        "plausibility_ranges": convention("heights below 152.4 cm (60 in) are rejected"),
    },
    not_included="Other IBW formulae (Robinson, Miller, Hamwi) are not offered.",
    examples=(
        Example(
            inputs={"height_cm": 175, "sex": "male"},
            expected={"ibw_kg": 70.46},
            source="spec",
            note="Spec A4 worked example: male 175 cm → IBW 70.46 kg.",
        ),
    ),
    presentation=Presentation(
        primary="ibw_kg",
        phrase="Ideal body weight (Devine)",
        secondary=(),
    ),
    compute=_ideal_body_weight,
    related_entries=("ivig",),
)

CALCULATORS: tuple[Calculator, ...] = (
    BSA_MOSTELLER,
    BSA_DUBOIS,
    CREATININE_CLEARANCE,
    IDEAL_BODY_WEIGHT,
)
