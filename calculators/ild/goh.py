"""Goh staging of ILD extent (limited or extensive)."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from calculators.common_inputs import pct_pred
from calculators.declaration import (
    Band,
    Calculator,
    Example,
    Interpretation,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    checked,
    convention,
)
from calculators.errors import CalculatorInputError, FieldError
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS
from calculators.limits import (
    HRCT_EXTENT_MAX_PCT,
    HRCT_EXTENT_MIN_PCT,
    PCT_PRED_MAX,
    PCT_PRED_MIN,
    SPEC_PLAUSIBILITY,
)
from calculators.numeric import exact, fmt

# --- Goh staging [goh-2008-interstitial] ----------------------------------------------------------
GOH_EXTENT_THRESHOLD_PCT: Final = (
    20  # optimal HRCT extent threshold (for readers: minimal < 20 < severe)
)
GOH_INDETERMINATE_LOW_PCT: Final = 10  # extent 10–30% is indeterminate (inclusive [PC])
GOH_INDETERMINATE_HIGH_PCT: Final = 30
GOH_FVC_THRESHOLD_PCT: Final = 70  # FVC ≥ 70 → limited; < 70 → extensive (70 itself [PC])


def _goh(*, hrct_extent_pct: float, fvc_pct_pred: float | None) -> Outcome:
    trace = Trace()
    extent = exact(hrct_extent_pct)
    if extent < GOH_INDETERMINATE_LOW_PCT:
        stage, basis = "limited", "hrct"
        trace.explain(
            f"HRCT extent {fmt(hrct_extent_pct)}% < {GOH_INDETERMINATE_LOW_PCT}% → limited"
        )
    elif extent > GOH_INDETERMINATE_HIGH_PCT:
        stage, basis = "extensive", "hrct"
        trace.explain(
            f"HRCT extent {fmt(hrct_extent_pct)}% > {GOH_INDETERMINATE_HIGH_PCT}% → extensive"
        )
    else:
        if fvc_pct_pred is None:
            raise CalculatorInputError(
                [
                    FieldError(
                        field="fvc_pct_pred",
                        message=(
                            "fvc_pct_pred: required when HRCT extent is "
                            f"{GOH_INDETERMINATE_LOW_PCT}–{GOH_INDETERMINATE_HIGH_PCT}% "
                            f"(indeterminate); got extent {fmt(hrct_extent_pct)}%"
                        ),
                        unit="% predicted",
                        accepted_min=float(PCT_PRED_MIN),
                        accepted_max=float(PCT_PRED_MAX),
                    )
                ]
            )
        basis = "fvc"
        stage = "limited" if exact(fvc_pct_pred) >= GOH_FVC_THRESHOLD_PCT else "extensive"
        comparison = "≥" if stage == "limited" else "<"
        trace.explain(
            f"HRCT extent {fmt(hrct_extent_pct)}% is indeterminate "
            f"({GOH_INDETERMINATE_LOW_PCT}–{GOH_INDETERMINATE_HIGH_PCT}%): FVC "
            f"{fmt(fvc_pct_pred)}% {comparison} {GOH_FVC_THRESHOLD_PCT}% → {stage}"
        )
    if basis == "hrct" and fvc_pct_pred is not None:
        trace.explain("FVC is not used when the HRCT extent is outside 10–30%.")
    trace.warn(
        "goh_derived_in_ssc",
        "Goh staging was derived in systemic sclerosis ILD; applying it to myositis is an "
        "extrapolation.",
        "goh-2008-interstitial",
    )
    return trace.finish({"stage": stage, "determined_by": basis})


GOH_STAGING = Calculator(
    id="goh_staging",
    title="Goh staging: limited vs extensive ILD (HRCT extent + FVC)",
    version="1.1.0",
    family="ild",
    purpose=(
        "Limited or extensive ILD by HRCT extent (threshold 20%), using FVC 70% when the extent is "
        "indeterminate (10–30%). Extensive disease carried a mortality hazard ratio of 3.46."
    ),
    population="Systemic sclerosis ILD (derivation); applying it to myositis is an extrapolation.",
    inputs=(
        NumberInput(
            name="hrct_extent_pct",
            label="HRCT disease extent",
            unit="%",
            hard_min=HRCT_EXTENT_MIN_PCT,
            hard_max=HRCT_EXTENT_MAX_PCT,
            range_source=SPEC_PLAUSIBILITY,
            precision=0,
        ),
        replace(
            pct_pred("fvc_pct_pred", "FVC"),
            required=False,
            help="Required only when HRCT extent is 10–30%.",
        ),
    ),
    outputs=(
        Output(
            name="stage",
            label="Stage",
            kind="text",
            key_labels=(("limited", "Limited"), ("extensive", "Extensive")),
        ),
        Output(
            name="determined_by",
            label="Decided by",
            kind="text",
            key_labels=(
                ("hrct", "HRCT extent alone"),
                ("fvc", "FVC (HRCT extent indeterminate, 10–30%)"),
            ),
        ),
    ),
    formula="extent < 10% → limited; > 30% → extensive; 10–30% (inclusive) → FVC ≥ 70% limited, < "
    "70% extensive",
    references=("goh-2008-interstitial",),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "For readers, 'minimal' and 'severe' mean clearly < 20% and clearly > 20%; the numeric "
        "bands (< 10%, 10–30% inclusive, > 30%) are a project convention [PC].",
        "FVC of exactly 70% is counted as limited [PC].",
        "Derived in SSc-ILD; applying it to myositis is an extrapolation.",
    ),
    provenance={
        "threshold_20_pct": checked(
            "goh-2008-interstitial",
            "HRCT extent threshold 20%",
            "abstract (AJRCCM 2008)",
            covers=("stage", "determined_by"),
        ),
        "fvc_70_rule": checked(
            "goh-2008-interstitial",
            "indeterminate extent: FVC ≥ 70% limited, < 70% extensive",
            "abstract (AJRCCM 2008)",
            covers=("stage", "determined_by"),
        ),
        "extensive_mortality": checked(
            "goh-2008-interstitial",
            "extensive disease: hazard ratio 3.46 for mortality against limited disease",
            "abstract (AJRCCM 2008)",
            covers=("stage",),
        ),
        "numeric_bands": convention(
            "< 10% limited, > 30% extensive, 10–30% by FVC", covers=("stage", "determined_by")
        ),
        "fvc_exactly_70": convention("FVC of exactly 70% counts as limited", covers=("stage",)),
    },
    not_included="Semi-quantitative HRCT scoring itself is not assisted.",
    examples=(
        Example(
            inputs={"hrct_extent_pct": 9.9},
            expected={"stage": "limited"},
            source="goh-2008-interstitial",
        ),
        Example(
            inputs={"hrct_extent_pct": 10, "fvc_pct_pred": 70},
            expected={"stage": "limited", "determined_by": "fvc"},
            source="goh-2008-interstitial",
            note="Extent 10% is indeterminate; FVC 70% counts as limited [PC].",
        ),
        Example(
            inputs={"hrct_extent_pct": 30, "fvc_pct_pred": 69.9},
            expected={"stage": "extensive", "determined_by": "fvc"},
            source="goh-2008-interstitial",
        ),
        Example(
            inputs={"hrct_extent_pct": 30.1},
            expected={"stage": "extensive"},
            source="goh-2008-interstitial",
        ),
    ),
    presentation=Presentation(
        primary="stage",
        phrase="Goh stage",
        secondary=("determined_by",),
    ),
    interpretation=Interpretation(
        output="stage",
        bands=(
            Band(
                label="Limited disease",
                equals="limited",
                tone="lower",
                meaning="Limited disease in the Goh staging system (derived in SSc-ILD; applying "
                "it to myositis is an extrapolation).",
                rule="threshold_20_pct",
            ),
            Band(
                label="Extensive disease",
                equals="extensive",
                tone="higher",
                meaning="Extensive disease carried a hazard ratio of 3.46 for mortality against "
                "limited disease in the SSc-ILD derivation cohort.",
                rule="extensive_mortality",
            ),
        ),
    ),
    compute=_goh,
    related_entries=("ild-epidemiology-prognosis",),
)
