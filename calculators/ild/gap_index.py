"""GAP index: gender, age and physiology points, stage and mortality."""

from __future__ import annotations

from itertools import product
from typing import Final

from calculators.common_inputs import age_years, pct_pred, sex
from calculators.declaration import (
    Band,
    Calculator,
    Example,
    Interpretation,
    JSONValue,
    NumberOrChoiceInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    checked,
    convention,
)
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS
from calculators.inputs import ParsedValue
from calculators.numeric import exact, fmt
from calculators.printed import Column, Row, Table, references
from calculators.result import format_value

# --- GAP index [ley-2012-multidimensional] -----------------------------------------------------
GAP_GENDER_POINTS: Final = {"female": 0, "male": 1}
GAP_AGE_POINTS: Final = (0, 1, 2)  # by band: ≤ 60, 61–65, > 65
GAP_FVC_POINTS: Final = (0, 1, 2)  # by band: > 75, 50–75, < 50
GAP_DLCO_POINTS: Final = (0, 1, 2)  # by band: > 55, 36–55, ≤ 35
GAP_AGE_LOW: Final = 60  # ≤ 60 → 0
GAP_AGE_HIGH: Final = 65  # 61–65 → 1 (non-integer: 60 < a ≤ 65 [PC]); > 65 → 2
GAP_FVC_HIGH: Final = 75  # > 75 → 0
GAP_FVC_LOW: Final = 50  # 50–75 → 1; < 50 → 2
GAP_DLCO_HIGH: Final = 55  # > 55 → 0
GAP_DLCO_LOW: Final = 35  # 36–55 → 1 (non-integer: 35 < x ≤ 55 [PC]); ≤ 35 → 2
GAP_DLCO_CANNOT_PERFORM_POINTS: Final = 3
GAP_STAGE_MAX: Final = (("I", 3), ("II", 5), ("III", 8))  # stage I 0–3, II 4–5, III 6–8
GAP_MORTALITY_PCT: Final = {
    "I": {"1y": 5.6, "2y": 10.9, "3y": 16.3},
    "II": {"1y": 16.2, "2y": 29.9, "3y": 42.1},
    "III": {"1y": 39.2, "2y": 62.1, "3y": 76.8},
}
CANNOT_PERFORM = "cannot_perform"
GAP_POINT_LABELS: tuple[tuple[str, str], ...] = (
    ("subtype", "ILD subtype"),
    ("gender", "Gender"),
    ("age", "Age"),
    ("fvc", "FVC"),
    ("dlco", "DLCO"),
)
MORTALITY_LABELS: tuple[tuple[str, str], ...] = (
    ("1y", "1 year"),
    ("2y", "2 years"),
    ("3y", "3 years"),
)


def gap_points(sex_value: str, age: float, fvc: float, dlco: float | str) -> dict[str, int]:
    """GAP points per variable (the one implementation used by GAP and ILD-GAP)."""
    age_x, fvc_x = exact(age), exact(fvc)
    gender = GAP_GENDER_POINTS[sex_value]
    age_band = 0 if age_x <= GAP_AGE_LOW else (1 if age_x <= GAP_AGE_HIGH else 2)
    fvc_band = 0 if fvc_x > GAP_FVC_HIGH else (1 if fvc_x >= GAP_FVC_LOW else 2)
    if isinstance(dlco, str):
        dlco_points = GAP_DLCO_CANNOT_PERFORM_POINTS
    else:
        dlco_x = exact(dlco)
        dlco_band = 0 if dlco_x > GAP_DLCO_HIGH else (1 if dlco_x > GAP_DLCO_LOW else 2)
        dlco_points = GAP_DLCO_POINTS[dlco_band]
    return {
        "gender": gender,
        "age": GAP_AGE_POINTS[age_band],
        "fvc": GAP_FVC_POINTS[fvc_band],
        "dlco": dlco_points,
    }


def gap_points_line(points: dict[str, int], dlco: float | str) -> str:
    """The worked step listing each GAP point."""
    dlco_text = "cannot perform" if isinstance(dlco, str) else f"{fmt(dlco)}%"
    return (
        f"Gender {points['gender']} + age {points['age']} + FVC {points['fvc']} + DLCO "
        f"({dlco_text}) {points['dlco']} = {sum(points.values())}"
    )


def dlco_input() -> NumberOrChoiceInput:
    base = pct_pred("dlco_pct_pred", "DLCO")
    return NumberOrChoiceInput(
        name=base.name,
        label=base.label,
        unit=base.unit,
        hard_min=base.hard_min,
        hard_max=base.hard_max,
        range_source=base.range_source,
        precision=base.precision,
        slip_hints=base.slip_hints,
        choices=(
            (CANNOT_PERFORM, "Cannot perform (symptoms or lung function prevent the manoeuvre)"),
        ),
        help="Choose 'Cannot perform' only if symptoms or lung function prevented the DLCO "
        "manoeuvre.",
        missing_hint=(
            "choose 'Cannot perform' only if symptoms or lung function prevented the DLCO "
            "manoeuvre; if DLCO is missing for another reason the model does not apply"
        ),
    )


def _gap_index(
    *, sex: str, age_years: float, fvc_pct_pred: float, dlco_pct_pred: float | str
) -> Outcome:
    trace = Trace()
    points = gap_points(sex, age_years, fvc_pct_pred, dlco_pct_pred)
    total = sum(points.values())
    stage = next(name for name, top in GAP_STAGE_MAX if total <= top)
    trace.explain(gap_points_line(points, dlco_pct_pred))
    trace.explain(f"Total {total} → stage {stage}")
    trace.warn(
        "gap_derived_in_ipf",
        "GAP was derived in IPF and is not myositis-specific; treat the mortality figures as "
        "approximate.",
        "ley-2012-multidimensional",
    )
    points_json: dict[str, JSONValue] = dict(points)
    mortality: dict[str, JSONValue] = dict(GAP_MORTALITY_PCT[stage])
    return trace.finish(
        {"points": points_json, "total": total, "stage": stage, "mortality_pct": mortality}
    )


# --- Printed tables (the handbook's ready reckoners), computed by this calculator ----------

GAP_DEFAULTS: dict[str, ParsedValue] = {
    "sex": "female",
    "age_years": GAP_AGE_LOW,
    "fvc_pct_pred": GAP_FVC_HIGH + 1,
    "dlco_pct_pred": GAP_DLCO_HIGH + 1,
}


GAP_CATEGORIES: tuple[tuple[str, str, str, ParsedValue], ...] = (
    ("Gender", "female", "sex", "female"),
    ("Gender", "male", "sex", "male"),
    ("Age (years)", f"≤ {GAP_AGE_LOW}", "age_years", GAP_AGE_LOW),
    ("Age (years)", f"{GAP_AGE_LOW + 1}–{GAP_AGE_HIGH}", "age_years", GAP_AGE_HIGH),
    ("Age (years)", f"> {GAP_AGE_HIGH}", "age_years", GAP_AGE_HIGH + 1),
    ("FVC (% predicted)", f"> {GAP_FVC_HIGH}", "fvc_pct_pred", GAP_FVC_HIGH + 1),
    ("FVC (% predicted)", f"{GAP_FVC_LOW}–{GAP_FVC_HIGH}", "fvc_pct_pred", GAP_FVC_LOW),
    ("FVC (% predicted)", f"< {GAP_FVC_LOW}", "fvc_pct_pred", GAP_FVC_LOW - 1),
    ("DLCO (% predicted)", f"> {GAP_DLCO_HIGH}", "dlco_pct_pred", GAP_DLCO_HIGH + 1),
    (
        "DLCO (% predicted)",
        f"{GAP_DLCO_LOW + 1}–{GAP_DLCO_HIGH}",
        "dlco_pct_pred",
        GAP_DLCO_LOW + 1,
    ),
    ("DLCO (% predicted)", f"≤ {GAP_DLCO_LOW}", "dlco_pct_pred", GAP_DLCO_LOW),
    ("DLCO (% predicted)", "cannot perform", "dlco_pct_pred", CANNOT_PERFORM),
)


POINT_KEY = {"sex": "gender", "age_years": "age", "fvc_pct_pred": "fvc", "dlco_pct_pred": "dlco"}


def gap_points_table() -> Table:
    """GAP points per variable and category, read back from the calculator."""
    calc = GAP_INDEX
    rows: list[Row] = []
    for variable, category, field, value in GAP_CATEGORIES:
        out = calc.evaluate(**GAP_DEFAULTS | {field: value}).outputs
        points = out["points"]
        assert isinstance(points, dict)
        rows.append(
            {"variable": variable, "category": category, "points": str(points[POINT_KEY[field]])}
        )
    return Table(
        id="gap_points",
        title="GAP index: points",
        caption=(
            "Non-integer values: age 60 < a ≤ 65, FVC 50 ≤ x ≤ 75 and DLCO 35 < x ≤ 55 score 1 "
            "[PC]. 'Cannot perform' only when symptoms or lung function prevent the DLCO manoeuvre."
        ),
        columns=(
            Column(key="variable", label="Variable"),
            Column(key="category", label="Category"),
            Column(key="points", label="Points"),
        ),
        rows=tuple(rows),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


def gap_combinations() -> list[dict[str, ParsedValue]]:
    by_field: dict[str, list[ParsedValue]] = {}
    for _, _, field, value in GAP_CATEGORIES:
        by_field.setdefault(field, []).append(value)
    fields = list(by_field)
    return [dict(zip(fields, combo, strict=True)) for combo in product(*by_field.values())]


def mortality_text(value: JSONValue, calc: Calculator) -> dict[str, str]:
    assert isinstance(value, dict)
    precision = calc.output("mortality_pct").precision
    return {f"mortality_{key}": format_value(item, precision, "") for key, item in value.items()}


def gap_stage_table() -> Table:
    """GAP total → stage and mortality, from every category combination run through GAP."""
    calc = GAP_INDEX
    by_total: dict[int, dict[str, str]] = {}
    for inputs in gap_combinations():
        out = calc.evaluate(**inputs).outputs
        total = out["total"]
        assert isinstance(total, int)
        row = {"total": str(total), "stage": str(out["stage"])}
        row |= mortality_text(out["mortality_pct"], calc)
        if by_total.setdefault(total, row) != row:
            raise AssertionError(f"GAP total {total} maps to two different stages")
    return Table(
        id="gap_stages",
        title="GAP index: stage and mortality",
        caption="Mortality (%) at 1, 2 and 3 years by GAP stage (Ley 2012). Derived in IPF.",
        columns=(
            Column(key="total", label="GAP index"),
            Column(key="stage", label="Stage"),
            Column(key="mortality_1y", label="1 year", unit="%"),
            Column(key="mortality_2y", label="2 years", unit="%"),
            Column(key="mortality_3y", label="3 years", unit="%"),
        ),
        rows=tuple(by_total[total] for total in sorted(by_total)),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


GAP_INDEX = Calculator(
    id="gap_index",
    title="GAP index (gender, age, physiology) and stage",
    version="1.1.0",
    family="ild",
    purpose="GAP points, stage (I–III) and the published 1-, 2- and 3-year mortality for the "
    "stage.",
    population="Derived in idiopathic pulmonary fibrosis; validated reasonably in RA-ILD and "
    "SSc-ILD; not myositis-specific.",
    inputs=(sex(), age_years(), pct_pred("fvc_pct_pred", "FVC"), dlco_input()),
    outputs=(
        Output(
            name="points",
            label="Points",
            kind="mapping",
            precision=0,
            key_labels=GAP_POINT_LABELS[1:],
        ),
        Output(name="total", label="GAP index", precision=0, kind="integer"),
        Output(name="stage", label="GAP stage", kind="text"),
        Output(
            name="mortality_pct",
            label="Mortality (1, 2, 3 years)",
            unit="%",
            precision=1,
            kind="mapping",
            key_labels=MORTALITY_LABELS,
        ),
    ),
    formula=(
        "Gender: female 0, male 1; Age: ≤ 60 0, 61–65 1, > 65 2; FVC: > 75 0, 50–75 1, < 50 "
        "2;\nDLCO: > 55 0, 36–55 1, ≤ 35 2, cannot perform 3; stage I 0–3, II 4–5, III 6–8"
    ),
    references=("ley-2012-multidimensional",),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "Derived in IPF; validated reasonably in RA-ILD and SSc-ILD but not myositis-specific.",
        "'Cannot perform' applies only when symptoms or lung function prevent the DLCO manoeuvre; "
        "if DLCO is missing for other reasons the model does not apply and no score is given.",
        "Non-integer inputs: age 60 < a ≤ 65 → 1, FVC 50 ≤ x ≤ 75 → 1, DLCO 35 < x ≤ 55 → 1 [PC].",
    ),
    provenance={
        "points": checked(
            "ley-2012-multidimensional",
            "points for gender, age, FVC and DLCO",
            "GAP form on medical-data-models.org; abstract checked",
            label="V2",
            covers=("points", "total"),
        ),
        "stages": checked(
            "ley-2012-multidimensional",
            "stage I 0–3, II 4–5, III 6–8",
            "GAP form on medical-data-models.org; abstract checked",
            label="V2",
            covers=("stage",),
        ),
        "mortality": checked(
            "ley-2012-multidimensional",
            "1-, 2- and 3-year mortality by stage",
            "GAP form on medical-data-models.org",
            label="V2",
            covers=("mortality_pct",),
        ),
        "non_integer_bands": convention(
            "how values between the printed integers are banded", covers=("points",)
        ),
    },
    not_included="The continuous GAP calculator (not the point index) is not implemented.",
    examples=(
        Example(
            inputs={
                "sex": "male",
                "age_years": 70,
                "fvc_pct_pred": 45,
                "dlco_pct_pred": "cannot_perform",
            },
            expected={
                "total": 8,
                "stage": "III",
                "mortality_pct": {"1y": 39.2, "2y": 62.1, "3y": 76.8},
            },
            source="ley-2012-multidimensional",
            note="Maximum score: 1 + 2 + 2 + 3 = 8, stage III.",
        ),
        Example(
            inputs={"sex": "female", "age_years": 60, "fvc_pct_pred": 75, "dlco_pct_pred": 55},
            expected={
                "points": {"gender": 0, "age": 0, "fvc": 1, "dlco": 1},
                "total": 2,
                "stage": "I",
            },
            source="ley-2012-multidimensional",
            note="Boundaries: age 60 → 0; FVC 75 → 1; DLCO 55 → 1.",
        ),
    ),
    presentation=Presentation(
        primary="total",
        phrase="GAP index",
        secondary=(
            "stage",
            "mortality_pct",
        ),
    ),
    interpretation=Interpretation(
        output="total",
        bands=tuple(
            Band(
                label=f"Stage {stage}",
                low=low,
                high=top,
                tone=tone,
                meaning=(
                    f"Stage {stage}: published mortality {rates['1y']} % at 1 year, "
                    f"{rates['2y']} % at 2 years and {rates['3y']} % at 3 years (IPF derivation "
                    "cohort; not myositis-specific)."
                ),
                rule="mortality",
            )
            for (stage, top), low, tone, rates in zip(
                GAP_STAGE_MAX,
                (0, 4, 6),
                ("lower", "middle", "higher"),
                GAP_MORTALITY_PCT.values(),
                strict=True,
            )
        ),
    ),
    compute=_gap_index,
    printed_tables=(
        gap_points_table,
        gap_stage_table,
    ),
    related_entries=("ild-epidemiology-prognosis",),
)
