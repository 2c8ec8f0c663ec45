"""ILD-GAP index: GAP with ILD-subtype points, band and mortality."""

from __future__ import annotations

from typing import Final

from calculators.common_inputs import age_years, pct_pred, sex
from calculators.declaration import (
    Band,
    Calculator,
    ChoiceInput,
    Example,
    Interpretation,
    JSONValue,
    Outcome,
    Output,
    Presentation,
    Trace,
    checked,
    convention,
    unverified,
)
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS
from calculators.ild.gap_index import (
    GAP_DEFAULTS,
    GAP_POINT_LABELS,
    MORTALITY_LABELS,
    dlco_input,
    gap_combinations,
    gap_points,
    gap_points_line,
    mortality_text,
)
from calculators.printed import Column, Row, Table, references

# --- ILD-GAP [ryerson-2014-predicting] ----------------------------------------------------------
ILD_SUBTYPE_POINTS: Final = {
    "IPF": 0,
    "unclassifiable": 0,
    "CTD-ILD": -2,
    "idiopathic_NSIP": -2,
    "CHP": -2,
}
ILD_SUBTYPE_CHOICES: tuple[tuple[str, str], ...] = (
    ("IPF", "Idiopathic pulmonary fibrosis"),
    ("unclassifiable", "Unclassifiable ILD"),
    ("CTD-ILD", "Connective-tissue-disease ILD"),
    ("idiopathic_NSIP", "Idiopathic NSIP"),
    ("CHP", "Chronic hypersensitivity pneumonitis"),
)
ILD_GAP_MIN_TOTAL: Final = 0  # total = max(0, sum)
ILD_GAP_BAND_MAX: Final = (("0-1", 1), ("2-3", 3), ("4-5", 5), ("6-8", 8))
ILD_GAP_MORTALITY_PCT: Final = {
    "0-1": {"1y": 3.1, "3y": 10.2},
    "2-3": {"1y": 8.8, "3y": 26.9},
    "4-5": {"1y": 18.2, "3y": 49.2},
    "6-8": {"1y": 33.5, "3y": 74.8},
}


def _ild_gap_index(
    *, ild_subtype: str, sex: str, age_years: float, fvc_pct_pred: float, dlco_pct_pred: float | str
) -> Outcome:
    trace = Trace()
    points = gap_points(sex, age_years, fvc_pct_pred, dlco_pct_pred)
    subtype = ILD_SUBTYPE_POINTS[ild_subtype]
    raw_sum = subtype + sum(points.values())
    total = max(ILD_GAP_MIN_TOTAL, raw_sum)
    band = next(name for name, top in ILD_GAP_BAND_MAX if total <= top)
    subtype_label = dict(ILD_SUBTYPE_CHOICES)[ild_subtype]
    trace.explain(
        f"Subtype {subtype_label} {subtype:+d}; " + gap_points_line(points, dlco_pct_pred)
    )
    trace.explain(f"Sum {raw_sum} → total max(0, {raw_sum}) = {total} → band {band}")
    trace.warn(
        "ild_gap_not_myositis",
        "Myositis-ILD (especially anti-MDA5) was not represented in the ILD-GAP cohorts; in an "
        "SSc-ILD cohort ILD-GAP underestimated mortality (SMR 1.50).",
        "ryerson-2014-predicting",
    )
    points_json: dict[str, JSONValue] = {"subtype": subtype, **points}
    mortality: dict[str, JSONValue] = dict(ILD_GAP_MORTALITY_PCT[band])
    return trace.finish(
        {
            "raw_sum": raw_sum,
            "total": total,
            "score_band": band,
            "mortality_pct": mortality,
            "points": points_json,
        }
    )


# --- Printed tables (the handbook's ready reckoners), computed by this calculator ----------


def ild_gap_subtype_table() -> Table:
    """ILD-GAP subtype points, read back from the calculator."""
    calc = ILD_GAP_INDEX
    rows: list[Row] = []
    for subtype, label in ILD_SUBTYPE_CHOICES:
        out = calc.evaluate(**GAP_DEFAULTS | {"ild_subtype": subtype}).outputs
        points = out["points"]
        assert isinstance(points, dict)
        rows.append({"subtype": label, "points": str(points["subtype"])})
    return Table(
        id="ild_gap_subtype_points",
        title="ILD-GAP: subtype points (added to the GAP points)",
        caption="Total = max(0, subtype points + GAP gender, age and physiology points).",
        columns=(Column(key="subtype", label="ILD subtype"), Column(key="points", label="Points")),
        rows=tuple(rows),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


def ild_gap_band_table() -> Table:
    """ILD-GAP total → band and mortality, from every subtype and category combination."""
    calc = ILD_GAP_INDEX
    by_total: dict[int, dict[str, str]] = {}
    for subtype, _ in ILD_SUBTYPE_CHOICES:
        for inputs in gap_combinations():
            out = calc.evaluate(**inputs | {"ild_subtype": subtype}).outputs
            total = out["total"]
            assert isinstance(total, int)
            row = {"total": str(total), "score_band": str(out["score_band"])}
            row |= mortality_text(out["mortality_pct"], calc)
            if by_total.setdefault(total, row) != row:
                raise AssertionError(f"ILD-GAP total {total} maps to two different bands")
    return Table(
        id="ild_gap_bands",
        title="ILD-GAP: score band and mortality",
        caption=(
            "Mortality (%) at 1 and 3 years by ILD-GAP score (Ryerson 2014); the 2-year column was "
            "not verified. Myositis-ILD, especially anti-MDA5, was not represented."
        ),
        columns=(
            Column(key="total", label="ILD-GAP index"),
            Column(key="score_band", label="Band"),
            Column(key="mortality_1y", label="1 year", unit="%"),
            Column(key="mortality_3y", label="3 years", unit="%"),
        ),
        rows=tuple(by_total[total] for total in sorted(by_total)),
        calculator_ids=(calc.id,),
        references=references(calc),
    )


ILD_GAP_INDEX = Calculator(
    id="ild_gap_index",
    title="ILD-GAP index (GAP with ILD subtype)",
    version="1.1.0",
    family="ild",
    purpose="ILD-GAP score across chronic ILD subtypes and the published 1- and 3-year mortality "
    "for the score band.",
    population=(
        "Chronic ILD cohort (IPF, chronic HP, CTD-ILD, idiopathic NSIP, unclassifiable); "
        "myositis-ILD, especially anti-MDA5, was not represented."
    ),
    inputs=(
        ChoiceInput(name="ild_subtype", label="ILD subtype", choices=ILD_SUBTYPE_CHOICES),
        sex(),
        age_years(),
        pct_pred("fvc_pct_pred", "FVC"),
        dlco_input(),
    ),
    outputs=(
        Output(name="raw_sum", label="Sum before flooring at 0", precision=0, kind="integer"),
        Output(name="total", label="ILD-GAP index", precision=0, kind="integer"),
        Output(name="score_band", label="Score band", kind="text"),
        Output(
            name="mortality_pct",
            label="Mortality (1 and 3 years)",
            unit="%",
            precision=1,
            kind="mapping",
            key_labels=MORTALITY_LABELS,
        ),
        Output(
            name="points", label="Points", kind="mapping", precision=0, key_labels=GAP_POINT_LABELS
        ),
    ),
    formula=(
        "subtype: IPF 0, unclassifiable 0, CTD-ILD −2, idiopathic NSIP −2, chronic HP −2;\ntotal = "
        "max(0, subtype + GAP gender + age + physiology points), range 0–8"
    ),
    references=("ryerson-2014-predicting", "ley-2012-multidimensional"),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "Myositis-ILD (especially anti-MDA5) was not represented; an SSc-ILD cohort found ILD-GAP "
        "underestimated mortality (SMR 1.50).",
        "The GAP point rules (including 'cannot perform' for DLCO and the non-integer bands [PC]) "
        "apply.",
    ),
    provenance={
        "subtype_points": checked(
            "ryerson-2014-predicting",
            "ILD subtype points (CTD-ILD −2)",
            "medicalalgorithms.com reproduction; abstract confirms the direction",
            label="V2",
            covers=("points", "raw_sum", "total"),
        ),
        "mortality_1y_3y": checked(
            "ryerson-2014-predicting",
            "1- and 3-year mortality by score band",
            "medicalalgorithms.com reproduction",
            label="V2",
            covers=("score_band", "mortality_pct"),
        ),
        "gap_points": checked(
            "ley-2012-multidimensional",
            "GAP points for gender, age, FVC and DLCO",
            "GAP form on medical-data-models.org; abstract checked",
            label="V2",
            covers=("points", "raw_sum"),
        ),
        "non_integer_bands": convention(
            "how values between the printed integers are banded", covers=("points",)
        ),
        "two_year_mortality": unverified("the 2-year mortality column", "ryerson-2014-predicting"),
    },
    not_included="The 2-year mortality column was not verified and is not shown.",
    examples=(
        Example(
            inputs={
                "ild_subtype": "CTD-ILD",
                "sex": "female",
                "age_years": 50,
                "fvc_pct_pred": 80,
                "dlco_pct_pred": 60,
            },
            expected={
                "raw_sum": -2,
                "total": 0,
                "score_band": "0-1",
                "mortality_pct": {"1y": 3.1, "3y": 10.2},
            },
            source="ryerson-2014-predicting",
            note="A negative sum is floored at 0.",
        ),
        Example(
            inputs={
                "ild_subtype": "IPF",
                "sex": "male",
                "age_years": 70,
                "fvc_pct_pred": 45,
                "dlco_pct_pred": 30,
            },
            expected={
                "raw_sum": 7,
                "total": 7,
                "score_band": "6-8",
                "mortality_pct": {"1y": 33.5, "3y": 74.8},
            },
            source="ryerson-2014-predicting",
        ),
    ),
    presentation=Presentation(
        primary="total",
        phrase="ILD-GAP index",
        secondary=(
            "score_band",
            "mortality_pct",
        ),
    ),
    interpretation=Interpretation(
        output="total",
        bands=tuple(
            Band(
                label=f"Score {band.replace('-', '–')}",
                low=low,
                high=top,
                tone=tone,
                meaning=(
                    f"ILD-GAP {band.replace('-', '–')}: published mortality {rates['1y']} % at 1 "
                    f"year and {rates['3y']} % at 3 years (chronic-ILD derivation cohort; "
                    "myositis-ILD not represented, and mortality was underestimated in SSc-ILD)."
                ),
                rule="mortality_1y_3y",
            )
            for (band, top), low, tone, rates in zip(
                ILD_GAP_BAND_MAX,
                (0, 2, 4, 6),
                ("lower", "middle", "middle", "higher"),
                ILD_GAP_MORTALITY_PCT.values(),
                strict=True,
            )
        ),
    ),
    compute=_ild_gap_index,
    printed_tables=(
        ild_gap_subtype_table,
        ild_gap_band_table,
    ),
    related_entries=("ild-epidemiology-prognosis",),
)
