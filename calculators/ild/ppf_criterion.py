"""The ATS/ERS/JRS/ALAT 2022 physiological criterion for progressive pulmonary fibrosis."""

from __future__ import annotations

from typing import Final

from calculators.common_inputs import pct_pred
from calculators.declaration import (
    Calculator,
    Example,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    checked,
    convention,
)
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS, PC_RANGES
from calculators.ild.pft_change import decline_points
from calculators.limits import (
    POSITIVE,
)
from calculators.numeric import exact, fmt

# --- PPF physiological criterion: ATS/ERS/JRS/ALAT 2022 [raghu-2022-idiopathic] --------------
PPF_FVC_ABSOLUTE_DECLINE: Final = 5  # ≥ 5% predicted absolute within 1 year
PPF_DLCO_ABSOLUTE_DECLINE: Final = 10  # ≥ 10% predicted absolute (Hb-corrected) within 1 year
PPF_WINDOW_MONTHS: Final = 12
PPF_INTERVAL_MAX_MONTHS: Final = 120  # [PC] plausibility bound


def _ppf_criterion(
    *,
    fvc_baseline: float,
    fvc_followup: float,
    dlco_baseline: float,
    dlco_followup: float,
    interval_months: float,
) -> Outcome:
    trace = Trace()
    fvc_decline = decline_points(fvc_baseline, fvc_followup)
    dlco_decline = decline_points(dlco_baseline, dlco_followup)
    within = exact(interval_months) <= PPF_WINDOW_MONTHS
    fvc_met = within and fvc_decline >= PPF_FVC_ABSOLUTE_DECLINE
    dlco_met = within and dlco_decline >= PPF_DLCO_ABSOLUTE_DECLINE
    trace.explain(
        f"FVC decline = {fmt(fvc_baseline)} − {fmt(fvc_followup)} = {fmt(fvc_decline, 1)} points "
        f"(criterion ≥ {PPF_FVC_ABSOLUTE_DECLINE})"
    )
    trace.explain(
        f"DLCO decline = {fmt(dlco_baseline)} − {fmt(dlco_followup)} = {fmt(dlco_decline, 1)} "
        "points "
        f"(criterion ≥ {PPF_DLCO_ABSOLUTE_DECLINE})"
    )
    if not within:
        trace.warn(
            "ppf_interval_over_one_year",
            f"The interval of {fmt(interval_months)} months exceeds the criterion's "
            f"{PPF_WINDOW_MONTHS}-month "
            "window; the physiological criterion is not asserted.",
            "raghu-2022-idiopathic",
        )
    trace.warn(
        "ppf_needs_two_domains",
        "PPF requires 2 of 3 domains (symptoms, physiology, imaging) within the past year in "
        "non-IPF fibrotic ILD with no alternative explanation; this is the physiological domain "
        "only.",
        "raghu-2022-idiopathic",
    )
    return trace.finish(
        {
            "fvc_criterion": fvc_met,
            "dlco_criterion": dlco_met,
            "physiological_progression": fvc_met or dlco_met,
            "fvc_decline_points": float(fvc_decline),
            "dlco_decline_points": float(dlco_decline),
            "within_one_year": within,
        }
    )


PPF_CRITERION = Calculator(
    id="ppf_physiologic_criterion_2022",
    title="Progressive pulmonary fibrosis: physiological criterion (ATS/ERS/JRS/ALAT 2022)",
    version="1.0.0",
    family="ild",
    purpose=(
        "The 2022 guideline's physiological evidence of progression: absolute FVC decline ≥ 5% "
        "predicted or absolute DLCO (Hb-corrected) decline ≥ 10% predicted within 1 year."
    ),
    population="Non-IPF fibrotic ILD (including CTD-ILD) under the 2022 PPF definition.",
    inputs=(
        pct_pred("fvc_baseline", "FVC baseline"),
        pct_pred("fvc_followup", "FVC follow-up"),
        pct_pred("dlco_baseline", "DLCO baseline (Hb-corrected)"),
        pct_pred("dlco_followup", "DLCO follow-up (Hb-corrected)"),
        NumberInput(
            name="interval_months",
            label="Interval between the tests",
            unit="months",
            hard_min=POSITIVE,
            min_inclusive=False,
            hard_max=PPF_INTERVAL_MAX_MONTHS,
            range_source=PC_RANGES,
            precision=1,
        ),
    ),
    outputs=(
        Output(name="fvc_criterion", label="FVC decline ≥ 5 points within 1 year", kind="boolean"),
        Output(
            name="dlco_criterion", label="DLCO decline ≥ 10 points within 1 year", kind="boolean"
        ),
        Output(
            name="physiological_progression", label="Physiological criterion met", kind="boolean"
        ),
        Output(name="fvc_decline_points", label="FVC decline", unit="points", precision=1),
        Output(name="dlco_decline_points", label="DLCO decline", unit="points", precision=1),
        Output(name="within_one_year", label="Interval within 1 year", kind="boolean"),
    ),
    formula=(
        "FVC criterion: baseline − follow-up ≥ 5 points; DLCO criterion: ≥ 10 points; both within "
        "12 months;\nphysiological progression = FVC criterion or DLCO criterion"
    ),
    references=("raghu-2022-idiopathic",),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "PPF itself needs 2 of 3 domains (symptoms, physiology, imaging) with no alternative "
        "explanation.",
        "DLCO should be corrected for haemoglobin.",
        "INBUILD used a relative FVC decline ≥ 10% (or 5–10% plus other criteria) over 24 months; "
        "that is a different definition.",
    ),
    provenance={
        "thresholds": checked(
            "raghu-2022-idiopathic",
            "absolute FVC decline ≥ 5% predicted or DLCO decline ≥ 10% predicted",
            "ATS/ERS/JRS/ALAT 2022 guideline, Table 2 (via the ATS quick-reference)",
            covers=(
                "fvc_criterion",
                "dlco_criterion",
                "physiological_progression",
                "fvc_decline_points",
                "dlco_decline_points",
            ),
        ),
        "one_year_window": checked(
            "raghu-2022-idiopathic",
            "within 1 year",
            "ATS/ERS/JRS/ALAT 2022 guideline, Table 2",
            covers=("within_one_year", "physiological_progression"),
        ),
        "inclusive_comparison": convention("a decline of exactly the threshold counts"),
    },
    not_included="The symptom and imaging domains are clinical judgements and are not scored.",
    examples=(
        Example(
            inputs={
                "fvc_baseline": 80,
                "fvc_followup": 75,
                "dlco_baseline": 60,
                "dlco_followup": 55,
                "interval_months": 12,
            },
            expected={
                "fvc_criterion": True,
                "dlco_criterion": False,
                "physiological_progression": True,
            },
            source="raghu-2022-idiopathic",
            note="FVC decline of exactly 5 points within 12 months meets the criterion.",
        ),
    ),
    presentation=Presentation(
        primary="physiological_progression",
        phrase="Physiological criterion for progression met",
        secondary=(
            "fvc_criterion",
            "dlco_criterion",
        ),
    ),
    compute=_ppf_criterion,
    related_entries=("ild-diagnosis",),
)
