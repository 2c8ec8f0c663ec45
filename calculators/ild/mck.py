"""MCK criteria count (MYKO definition) for anti-MDA5 positive dermatomyositis."""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from calculators.common_inputs import crp_mg_dl
from calculators.declaration import (
    Band,
    BoolInput,
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
    unverified,
)
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS
from calculators.limits import (
    KL6_MAX_U_ML,
    KL6_MIN_U_ML,
    SPEC_PLAUSIBILITY,
)
from calculators.numeric import exact, fmt

# --- MCK criteria count, MYKO definition [miyake-2025-validation]; model [gono-2021-risk] -------
MCK_CRP_CUTOFF_MDA5_POSITIVE_MG_DL: Final = Fraction("0.8")  # CRP ≥ 0.8 mg/dL
MCK_CRP_CUTOFF_MDA5_NEGATIVE_MG_DL: Final = Fraction("1.1")  # CRP ≥ 1.1 mg/dL
MCK_KL6_CUTOFF_U_ML: Final = 1000  # KL-6 ≥ 1000 U/mL (both groups)

KL6_INPUT = NumberInput(
    name="kl6_u_ml",
    label="KL-6",
    unit="U/mL",
    hard_min=KL6_MIN_U_ML,
    hard_max=KL6_MAX_U_ML,
    range_source=SPEC_PLAUSIBILITY,
    precision=0,
)


def _mck(*, anti_mda5_positive: bool, crp_mg_dl: float, kl6_u_ml: float) -> Outcome:
    trace = Trace()
    crp_cut = (
        MCK_CRP_CUTOFF_MDA5_POSITIVE_MG_DL
        if anti_mda5_positive
        else MCK_CRP_CUTOFF_MDA5_NEGATIVE_MG_DL
    )
    crp_met = exact(crp_mg_dl) >= crp_cut
    kl6_met = exact(kl6_u_ml) >= MCK_KL6_CUTOFF_U_ML
    group = "anti-MDA5 positive" if anti_mda5_positive else "anti-MDA5 negative"
    trace.explain(
        f"{group}: CRP {fmt(crp_mg_dl)} mg/dL ≥ {fmt(crp_cut)}? {'yes' if crp_met else 'no'}"
    )
    trace.explain(
        f"KL-6 {fmt(kl6_u_ml)} U/mL ≥ {MCK_KL6_CUTOFF_U_ML}? {'yes' if kl6_met else 'no'}"
    )
    score = int(crp_met) + int(kl6_met)
    trace.explain(f"MCK score = {score} criteria met")
    if anti_mda5_positive and score == 2:
        trace.warn(
            "mck_mda5_positive_limited",
            "In the MYKO validation a score of 2 did not significantly predict mortality in "
            "anti-MDA5-positive patients.",
            "miyake-2025-validation",
        )
    return trace.finish({"crp_criterion": crp_met, "kl6_criterion": kl6_met, "mck_score": score})


MCK_CRITERIA = Calculator(
    id="mck_criteria_count",
    title="MCK criteria count (anti-MDA5, CRP, KL-6; MYKO definition)",
    version="1.0.0",
    family="ild",
    purpose=(
        "Counts the MCK risk criteria (CRP and KL-6 above anti-MDA5-specific cut-offs) in "
        "PM/DM-associated ILD, using the cut-offs published in the MYKO validation."
    ),
    population="Japanese PM/DM-ILD cohorts (JAMI derivation n = 497; MYKO validation n = 242).",
    inputs=(
        BoolInput(name="anti_mda5_positive", label="Anti-MDA5 antibody positive"),
        crp_mg_dl(),
        KL6_INPUT,
    ),
    outputs=(
        Output(name="crp_criterion", label="CRP criterion met", kind="boolean"),
        Output(name="kl6_criterion", label="KL-6 criterion met", kind="boolean"),
        Output(name="mck_score", label="MCK score (criteria met)", precision=0, kind="integer"),
    ),
    formula=(
        "anti-MDA5 positive: CRP ≥ 0.8 mg/dL; negative: CRP ≥ 1.1 mg/dL; both: KL-6 ≥ 1000 "
        "U/mL;\nMCK score = number of criteria met (0–2)"
    ),
    references=("gono-2021-risk", "miyake-2025-validation"),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "Cut-offs are those of the MYKO validation; the original paper's cut-offs were not "
        "checked.",
        "In MYKO a score of 2 predicted mortality in anti-MDA5-negative but not significantly in "
        "anti-MDA5-positive patients.",
        "Derived and validated in Japanese cohorts.",
    ),
    provenance={
        "criteria_cutoffs": checked(
            "miyake-2025-validation",
            "CRP ≥ 0.8 (MDA5+) or ≥ 1.1 mg/dL (MDA5−) and KL-6 ≥ 1000 U/mL",
            "MYKO validation abstract (Mod Rheumatol 2025)",
            covers=("crp_criterion", "kl6_criterion", "mck_score"),
        ),
        "inclusive_comparison": convention("a value at the cut-off meets the criterion"),
        "risk_mapping": unverified(
            "the original mapping from criteria count to low/moderate/high mortality risk",
            "gono-2021-risk",
        ),
    },
    not_included=(
        "The original MCK mapping from criteria count to low/moderate/high mortality risk (< 15%, "
        "15–50%, ≥ 50%) was not verified against the full paper and is not shown."
    ),
    examples=(
        Example(
            inputs={"anti_mda5_positive": True, "crp_mg_dl": 0.8, "kl6_u_ml": 1000},
            expected={"crp_criterion": True, "kl6_criterion": True, "mck_score": 2},
            source="miyake-2025-validation",
            note="Both cut-offs are inclusive (≥).",
        ),
        Example(
            inputs={"anti_mda5_positive": False, "crp_mg_dl": 0.8, "kl6_u_ml": 999},
            expected={"crp_criterion": False, "kl6_criterion": False, "mck_score": 0},
            source="miyake-2025-validation",
            note="Anti-MDA5 negative uses the higher CRP cut-off (1.1 mg/dL).",
        ),
    ),
    presentation=Presentation(
        primary="mck_score",
        phrase="MCK criteria met (of 2)",
        secondary=(
            "crp_criterion",
            "kl6_criterion",
        ),
    ),
    interpretation=Interpretation(
        output="mck_score",
        bands=(
            Band(
                label="0 or 1 criterion",
                low=0,
                high=1,
                tone="neutral",
                meaning=(
                    "The count of MYKO criteria met. The original model's mortality figures for "
                    "each count could not be checked for this guideline, so none is shown."
                ),
                rule="criteria_cutoffs",
            ),
            Band(
                label="2 criteria",
                low=2,
                high=2,
                tone="higher",
                meaning=(
                    "Both criteria met. In the MYKO validation cohort a score of 2 predicted "
                    "mortality in anti-MDA5-negative patients, but not significantly in "
                    "anti-MDA5-positive patients; no mortality figure is shown."
                ),
                rule="criteria_cutoffs",
            ),
        ),
    ),
    compute=_mck,
    related_entries=("ild-epidemiology-prognosis", "mda5-rpild-combination"),
)
