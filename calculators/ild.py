"""ILD severity, progression and prognosis: PFT change, PPF 2022, OMERACT, GAP, ILD-GAP,
MCK criteria count, FLAIR, Goh staging and CROSS points.

Threshold comparisons use exact rational arithmetic (numeric.exact), so a
decline of exactly 5% or 10% counts as the sources' "≥" intends.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Final

from calculators.common_inputs import age_years, crp_mg_dl, pct_pred, sex
from calculators.declaration import (
    Band,
    BoolInput,
    Calculator,
    ChoiceInput,
    Example,
    Interpretation,
    JSONValue,
    NumberInput,
    NumberOrChoiceInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    UnitAlt,
    checked,
    convention,
    review,
    unverified,
)
from calculators.errors import CalculatorInputError, FieldError
from calculators.limits import (
    CRP_MAX_MG_DL,
    CRP_MG_L_PER_MG_DL,
    CRP_MIN_MG_DL,
    DURATION_MAX_MONTHS,
    FERRITIN_MAX_NG_ML,
    FERRITIN_MIN_NG_ML,
    HRCT_EXTENT_MAX_PCT,
    HRCT_EXTENT_MIN_PCT,
    KL6_MAX_U_ML,
    KL6_MIN_U_ML,
    LDH_MAX_U_L,
    LDH_MIN_U_L,
    PCT_PRED_MAX,
    PCT_PRED_MIN,
    POSITIVE,
    SPEC_PLAUSIBILITY,
)
from calculators.numeric import exact, fmt

PC_RANGES = "project convention [PC]"
GUIDE_NOT_DIAGNOSIS = (
    "A decision aid, not a diagnosis: interpret with the clinical picture and imaging."
)

# --- Significant PFT change: review [moghadam-kia-oddis-2023] ("at least 15% and 10%") -------
PFT_SIGNIFICANT_DECLINE: Final = {"FVC": 10, "DLCO": 15}
PARAMETER_CHOICES: tuple[tuple[str, str], ...] = (
    ("FVC", "FVC % predicted"),
    ("DLCO", "DLCO % predicted"),
)


def decline_points(baseline: float, followup: float) -> Fraction:
    """Absolute decline in % predicted points (positive = worse), exact."""
    return exact(baseline) - exact(followup)


def relative_decline_pct(baseline: float, followup: float) -> Fraction:
    """Relative decline in % of baseline (positive = worse), exact."""
    return (exact(baseline) - exact(followup)) / exact(baseline) * 100


def _pft_change(*, parameter: str, baseline_pct_pred: float, followup_pct_pred: float) -> Outcome:
    trace = Trace()
    absolute = exact(followup_pct_pred) - exact(baseline_pct_pred)
    relative = absolute / exact(baseline_pct_pred) * 100
    threshold = PFT_SIGNIFICANT_DECLINE[parameter]
    by_relative = -relative >= threshold
    by_absolute = -absolute >= threshold
    trace.explain(
        f"Absolute change = {fmt(followup_pct_pred)} − {fmt(baseline_pct_pred)} = "
        f"{fmt(absolute, 1)} points"
    )
    trace.explain(
        f"Relative change = ({fmt(followup_pct_pred)} − {fmt(baseline_pct_pred)}) / "
        f"{fmt(baseline_pct_pred)} × 100 = {fmt(relative, 1)}%"
    )
    trace.explain(
        f"{parameter} significant decline threshold: ≥ {threshold}% relative "
        f"({'met' if by_relative else 'not met'}); ≥ {threshold} points absolute "
        f"({'met' if by_absolute else 'not met'})"
    )
    if by_relative != by_absolute:
        trace.warn(
            "relative_absolute_disagree",
            "The relative and absolute interpretations disagree; say which one you use.",
        )
    return trace.finish(
        {
            "absolute_change_points": float(absolute),
            "relative_change_pct": float(relative),
            "significant_by_relative": by_relative,
            "significant_by_absolute": by_absolute,
            "threshold": threshold,
        }
    )


PFT_CHANGE = Calculator(
    id="pft_change",
    title="PFT change: FVC or DLCO, relative and absolute",
    version="1.0.0",
    family="ild",
    purpose=(
        "Interprets a change in FVC or DLCO (% predicted) against the usual significance "
        "thresholds (FVC ≥ 10%, DLCO ≥ 15%), reporting the relative and absolute readings "
        "separately because they differ."
    ),
    population="Adults with ILD followed with serial PFTs (thresholds widely used in IIM-ILD).",
    inputs=(
        ChoiceInput(name="parameter", label="Parameter", choices=PARAMETER_CHOICES),
        pct_pred("baseline_pct_pred", "Baseline"),
        pct_pred("followup_pct_pred", "Follow-up"),
    ),
    outputs=(
        Output(name="absolute_change_points", label="Absolute change", unit="points", precision=1),
        Output(name="relative_change_pct", label="Relative change", unit="%", precision=1),
        Output(
            name="significant_by_relative", label="Significant decline (relative)", kind="boolean"
        ),
        Output(
            name="significant_by_absolute", label="Significant decline (absolute)", kind="boolean"
        ),
        Output(name="threshold", label="Threshold used", unit="% or points", precision=0),
    ),
    formula=(
        "absolute = follow-up − baseline (points); relative = (follow-up − baseline) / baseline × "
        "100 (%)\nsignificant decline: FVC ≥ 10, DLCO ≥ 15 (inclusive), read as % relative and as "
        "points absolute"
    ),
    references=("moghadam-kia-oddis-2023", "raghu-2022-idiopathic"),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "The thresholds are widely used (e.g. '≥ 10% in FVC or ≥ 15% in DLco' for IIM-ILD "
        "progression) but sources differ on relative versus absolute: both are shown.",
        "Thresholds are inclusive; comparisons use exact arithmetic so a change of exactly 10% "
        "counts.",
        "The ATS/ERS/JRS/ALAT 2022 PPF criterion uses absolute declines (FVC ≥ 5, DLCO ≥ 10 points "
        "within a year): see its own calculator.",
    ),
    provenance={
        "thresholds": review(
            "moghadam-kia-oddis-2023",
            "a change of at least 10% (FVC) and 15% (DLCO) is significant",
            covers=("threshold", "significant_by_relative", "significant_by_absolute"),
            where="Pulmonary function tests",
        ),
        "both_readings": convention(
            "the threshold is applied both to the relative and the absolute change, shown apart",
            covers=(
                "absolute_change_points",
                "relative_change_pct",
                "significant_by_relative",
                "significant_by_absolute",
            ),
        ),
        "inclusive_comparison": convention("a change of exactly the threshold counts"),
    },
    not_included="Improvement thresholds and measurement-variability corrections are not modelled.",
    examples=(
        Example(
            inputs={"parameter": "FVC", "baseline_pct_pred": 50, "followup_pct_pred": 45},
            expected={
                "absolute_change_points": -5.0,
                "relative_change_pct": -10.0,
                "significant_by_relative": True,
                "significant_by_absolute": False,
            },
            source="spec",
            note="Spec B1: FVC 50 → 45 is −10% relative (significant) but −5 points absolute "
            "(not).",
            expected_warnings=("relative_absolute_disagree",),
        ),
        Example(
            inputs={"parameter": "DLCO", "baseline_pct_pred": 80, "followup_pct_pred": 68},
            expected={
                "relative_change_pct": -15.0,
                "significant_by_relative": True,
                "significant_by_absolute": False,
            },
            source="spec",
            note="DLCO 80 → 68 is exactly −15% relative (inclusive).",
        ),
    ),
    presentation=Presentation(
        primary="relative_change_pct",
        phrase="Relative change",
        secondary=(
            "absolute_change_points",
            "significant_by_relative",
            "significant_by_absolute",
        ),
    ),
    compute=_pft_change,
    related_entries=("ild-diagnosis",),
)

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

# --- OMERACT CTD-ILD progression [khanna-2015-connective] ------------------------------------
OMERACT_FVC_MAJOR_PCT: Final = 10  # ≥ 10% relative FVC decline
OMERACT_FVC_MINOR_PCT: Final = 5  # ≥ 5 to < 10% relative FVC decline ...
OMERACT_DLCO_PCT: Final = 15  # ... and ≥ 15% relative DLCO decline


def _omeract(
    *,
    fvc_baseline: float,
    fvc_followup: float,
    dlco_baseline: float,
    dlco_followup: float,
    death: bool,
) -> Outcome:
    trace = Trace()
    fvc_rel = relative_decline_pct(fvc_baseline, fvc_followup)
    dlco_rel = relative_decline_pct(dlco_baseline, dlco_followup)
    major = fvc_rel >= OMERACT_FVC_MAJOR_PCT
    minor = (
        OMERACT_FVC_MINOR_PCT <= fvc_rel < OMERACT_FVC_MAJOR_PCT and dlco_rel >= OMERACT_DLCO_PCT
    )
    progression = major or minor
    trace.explain(
        f"FVC relative decline = ({fmt(fvc_baseline)} − {fmt(fvc_followup)}) / {fmt(fvc_baseline)} "
        f"× 100 = {fmt(fvc_rel, 1)}%"
    )
    trace.explain(
        f"DLCO relative decline = ({fmt(dlco_baseline)} − {fmt(dlco_followup)}) / "
        f"{fmt(dlco_baseline)} × 100 = {fmt(dlco_rel, 1)}%"
    )
    if major:
        trace.explain(f"FVC decline ≥ {OMERACT_FVC_MAJOR_PCT}% → progression")
    elif minor:
        trace.explain(
            f"FVC decline {OMERACT_FVC_MINOR_PCT}–<{OMERACT_FVC_MAJOR_PCT}% and DLCO decline ≥ "
            f"{OMERACT_DLCO_PCT}% → progression"
        )
    else:
        trace.explain("Neither progression rule is met")
    if death:
        trace.explain("Death counts as a progression-free-survival event")
    return trace.finish(
        {
            "fvc_rel_decline_pct": float(fvc_rel),
            "dlco_rel_decline_pct": float(dlco_rel),
            "progression": progression,
            "pfs_event": progression or death,
        }
    )


OMERACT_PROGRESSION = Calculator(
    id="omeract_ctd_ild_progression",
    title="OMERACT CTD-ILD progression (and PFS event)",
    version="1.0.0",
    family="ild",
    purpose=(
        "Clinically meaningful CTD-ILD progression per OMERACT: relative FVC decline ≥ 10%, or 5 "
        "to < 10% with a relative DLCO decline ≥ 15%; with death added for a "
        "progression-free-survival event."
    ),
    population="Connective-tissue-disease ILD, proposed as a trial outcome (consensus, OMERACT "
    "12).",
    inputs=(
        pct_pred("fvc_baseline", "FVC baseline"),
        pct_pred("fvc_followup", "FVC follow-up"),
        pct_pred("dlco_baseline", "DLCO baseline"),
        pct_pred("dlco_followup", "DLCO follow-up"),
        BoolInput(name="death", label="Death", required=False, default=False),
    ),
    outputs=(
        Output(name="fvc_rel_decline_pct", label="FVC relative decline", unit="%", precision=1),
        Output(name="dlco_rel_decline_pct", label="DLCO relative decline", unit="%", precision=1),
        Output(name="progression", label="Clinically meaningful progression", kind="boolean"),
        Output(name="pfs_event", label="PFS event (progression or death)", kind="boolean"),
    ),
    formula=(
        "relative decline = (baseline − follow-up) / baseline × 100\nprogression = FVC ≥ 10 or (5 "
        "≤ FVC < 10 and DLCO ≥ 15); PFS event = progression or death"
    ),
    references=("khanna-2015-connective", "moghadam-kia-oddis-2023"),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "A consensus trial definition, not validated for individual patients.",
        "Adding death as a PFS event follows the review; the abstract defines only clinically "
        "meaningful progression (partially verified).",
        "Declines are relative (% of baseline), not percentage points.",
    ),
    provenance={
        "progression_rule": checked(
            "khanna-2015-connective",
            "≥ 10% relative FVC decline, or 5–10% FVC with ≥ 15% DLCO decline",
            "OMERACT CTD-ILD abstract (PMC4809413)",
            covers=("fvc_rel_decline_pct", "dlco_rel_decline_pct", "progression"),
        ),
        "death_as_pfs_event": review(
            "moghadam-kia-oddis-2023",
            "death counted as a progression-free-survival event",
            covers=("pfs_event",),
            where="the review's account of the composite; the OMERACT full text was not seen",
        ),
        "inclusive_comparison": convention("a decline of exactly the threshold counts"),
    },
    not_included="Time-to-event analysis and confirmation of declines on repeat testing.",
    examples=(
        Example(
            inputs={
                "fvc_baseline": 80,
                "fvc_followup": 76,
                "dlco_baseline": 60,
                "dlco_followup": 51,
            },
            expected={
                "fvc_rel_decline_pct": 5.0,
                "dlco_rel_decline_pct": 15.0,
                "progression": True,
            },
            source="spec",
            note="(80 − 76) / 80 × 100 is exactly 5% and 9/60 exactly 15%: both boundaries count.",
        ),
        Example(
            inputs={
                "fvc_baseline": 70,
                "fvc_followup": 65,
                "dlco_baseline": 60,
                "dlco_followup": 55,
                "death": True,
            },
            expected={"progression": False, "pfs_event": True},
            source="moghadam-kia-oddis-2023",
            note="No progression rule met, but death is a PFS event.",
        ),
    ),
    presentation=Presentation(
        primary="progression",
        phrase="Clinically meaningful progression (OMERACT)",
        secondary=(
            "fvc_rel_decline_pct",
            "dlco_rel_decline_pct",
            "pfs_event",
        ),
    ),
    compute=_omeract,
    related_entries=("ild-diagnosis",),
)

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


def _dlco_input() -> NumberOrChoiceInput:
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


GAP_INDEX = Calculator(
    id="gap_index",
    title="GAP index (gender, age, physiology) and stage",
    version="1.1.0",
    family="ild",
    purpose="GAP points, stage (I–III) and the published 1-, 2- and 3-year mortality for the "
    "stage.",
    population="Derived in idiopathic pulmonary fibrosis; validated reasonably in RA-ILD and "
    "SSc-ILD; not myositis-specific.",
    inputs=(sex(), age_years(), pct_pred("fvc_pct_pred", "FVC"), _dlco_input()),
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
                reference="ley-2012-multidimensional",
                verification="V2",
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
    related_entries=("ild-epidemiology-prognosis",),
)

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
        _dlco_input(),
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
                reference="ryerson-2014-predicting",
                verification="V2",
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
    related_entries=("ild-epidemiology-prognosis",),
)

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
                reference="miyake-2025-validation",
                verification="V1",
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
                reference="miyake-2025-validation",
                verification="V1",
            ),
        ),
    ),
    compute=_mck,
    related_entries=("ild-epidemiology-prognosis", "mda5-rpild-combination"),
)

# --- FLAIR [lian-2020-mortality] ----------------------------------------------------------------
FLAIR_FERRITIN_CUTOFF_NG_ML: Final = 636  # ≥ 636 → 2
FLAIR_FERRITIN_POINTS: Final = 2
FLAIR_LDH_CUTOFF_U_L: Final = 355  # ≥ 355 → 2
FLAIR_LDH_POINTS: Final = 2
FLAIR_MDA5_TITER_POINTS: Final = {"negative": 0, "+": 2, "++": 3, "+++": 4}
FLAIR_HRCT_CUTOFF: Final = 133  # ≥ 133 → 3
FLAIR_HRCT_POINTS: Final = 3
FLAIR_RPILD_POINTS: Final = 2
FLAIR_GROUP_MAX: Final = (
    ("low", 4),
    ("medium", 9),
    ("high", 13),
)  # low 0–4, medium 5–9, high 10–13
FLAIR_HRCT_MIN: Final = 0  # [PC] a semi-quantitative score can be 0
FLAIR_HRCT_PLAUSIBLE_MAX: Final = 1000  # [PC] generous bound; the scale's maximum was not verified


def _flair(
    *, ferritin_ng_ml: float, ldh_u_l: float, anti_mda5_titer: str, hrct_score: float, rpild: bool
) -> Outcome:
    trace = Trace()
    parts = {
        "ferritin": FLAIR_FERRITIN_POINTS
        if exact(ferritin_ng_ml) >= FLAIR_FERRITIN_CUTOFF_NG_ML
        else 0,
        "ldh": FLAIR_LDH_POINTS if exact(ldh_u_l) >= FLAIR_LDH_CUTOFF_U_L else 0,
        "anti_mda5": FLAIR_MDA5_TITER_POINTS[anti_mda5_titer],
        "hrct": FLAIR_HRCT_POINTS if exact(hrct_score) >= FLAIR_HRCT_CUTOFF else 0,
        "rpild": FLAIR_RPILD_POINTS if rpild else 0,
    }
    score = sum(parts.values())
    group = next(name for name, top in FLAIR_GROUP_MAX if score <= top)
    trace.explain(
        f"Ferritin {fmt(ferritin_ng_ml)} → {parts['ferritin']}; LDH {fmt(ldh_u_l)} → "
        f"{parts['ldh']}; anti-MDA5 {anti_mda5_titer} → {parts['anti_mda5']}; HRCT "
        f"{fmt(hrct_score)} → {parts['hrct']}; RP-ILD {'yes' if rpild else 'no'} → {parts['rpild']}"
    )
    trace.explain(f"FLAIR score = {score} → {group} risk")
    points: dict[str, JSONValue] = dict(parts)
    return trace.finish({"score": score, "risk_group": group, "points": points})


FLAIR_SCORE = Calculator(
    id="flair_score",
    title="FLAIR score (amyopathic DM-ILD mortality risk)",
    version="1.1.0",
    family="ild",
    purpose="FLAIR mortality-risk score and group (low, medium, high) in amyopathic "
    "dermatomyositis with ILD.",
    population="Prospective Chinese ADM-ILD cohort (n = 207) with an independent validation group.",
    inputs=(
        NumberInput(
            name="ferritin_ng_ml",
            label="Ferritin",
            unit="ng/mL",
            hard_min=FERRITIN_MIN_NG_ML,
            hard_max=FERRITIN_MAX_NG_ML,
            range_source=SPEC_PLAUSIBILITY,
            precision=0,
            unit_alternatives=(UnitAlt(unit="ug/L", label="µg/L", factor=Fraction(1)),),
        ),
        NumberInput(
            name="ldh_u_l",
            label="LDH",
            unit="U/L",
            hard_min=LDH_MIN_U_L,
            hard_max=LDH_MAX_U_L,
            range_source=SPEC_PLAUSIBILITY,
            precision=0,
        ),
        ChoiceInput(
            name="anti_mda5_titer",
            label="Anti-MDA5 titre",
            choices=(("negative", "Negative"), ("+", "+"), ("++", "++"), ("+++", "+++")),
            help="Semi-quantitative and assay-specific.",
        ),
        NumberInput(
            name="hrct_score",
            label="HRCT score (the authors' system)",
            unit="points",
            hard_min=FLAIR_HRCT_MIN,
            hard_max=FLAIR_HRCT_PLAUSIBLE_MAX,
            range_source="generous plausibility bound; the scale's maximum was not verified [PC]",
            precision=0,
            help="What it is: the FLAIR authors' own semi-quantitative HRCT score of the extent "
            "of lung involvement; 133 points or more scores 3. How it is scored: as described in "
            "the methods of Lian et al. 2020 (Chest 158:1535–45), the FLAIR paper listed under "
            "References. This guideline could not check that description, so it does not "
            "reproduce it; do not enter another CT score (such as a percentage extent).",
        ),
        BoolInput(name="rpild", label="Rapidly progressive ILD"),
    ),
    outputs=(
        Output(name="score", label="FLAIR score", precision=0, kind="integer"),
        Output(name="risk_group", label="Risk group", kind="text"),
        Output(
            name="points",
            label="Points",
            precision=0,
            kind="mapping",
            key_labels=(
                ("ferritin", "Ferritin"),
                ("ldh", "LDH"),
                ("anti_mda5", "Anti-MDA5"),
                ("hrct", "HRCT"),
                ("rpild", "RP-ILD"),
            ),
        ),
    ),
    formula=(
        "ferritin ≥ 636 ng/mL 2; LDH ≥ 355 U/L 2; anti-MDA5 negative 0, + 2, ++ 3, +++ 4; HRCT ≥ "
        "133 3; RP-ILD 2\nlow 0–4, medium 5–9, high 10–13"
    ),
    references=("lian-2020-mortality",),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "Anti-MDA5 titre categories are semi-quantitative and assay-specific.",
        "The HRCT score is the authors' own semi-quantitative system; do not feed it another CT "
        "score.",
        "Derived in amyopathic DM-ILD in one Chinese centre.",
    ),
    provenance={
        "points": checked(
            "lian-2020-mortality",
            "points for ferritin, LDH, anti-MDA5 titre, HRCT score and RP-ILD",
            "PubMed abstract (Chest 2020)",
            covers=("points", "score"),
        ),
        "risk_groups": checked(
            "lian-2020-mortality",
            "low 0–4, medium 5–9, high 10–13",
            "PubMed abstract (Chest 2020)",
            covers=("risk_group",),
        ),
        "inclusive_comparison": convention("a value at the cut-off scores the points"),
        "group_mortality": unverified("mortality rate of each risk group", "lian-2020-mortality"),
    },
    not_included="Group mortality rates are not in the abstract (unverified) and are not shown.",
    examples=(
        Example(
            inputs={
                "ferritin_ng_ml": 636,
                "ldh_u_l": 355,
                "anti_mda5_titer": "+++",
                "hrct_score": 133,
                "rpild": True,
            },
            expected={"score": 13, "risk_group": "high"},
            source="lian-2020-mortality",
            note="All cut-offs met at exactly the boundary (≥): maximum score 13.",
        ),
        Example(
            inputs={
                "ferritin_ng_ml": 635,
                "ldh_u_l": 354,
                "anti_mda5_titer": "++",
                "hrct_score": 132,
                "rpild": True,
            },
            expected={"score": 5, "risk_group": "medium"},
            source="lian-2020-mortality",
        ),
    ),
    presentation=Presentation(
        primary="score",
        phrase="FLAIR score (0–13)",
        secondary=(
            "risk_group",
            "points",
        ),
    ),
    interpretation=Interpretation(
        output="score",
        bands=tuple(
            Band(
                label=f"{name.capitalize()} risk",
                low=low,
                high=top,
                tone=tone,
                meaning=(
                    f"FLAIR {name}-risk group ({low}–{top} points). The abstract checked for this "
                    "guideline does not give the group's mortality, so no figure is shown."
                ),
                reference="lian-2020-mortality",
                verification="V1",
            )
            for (name, top), low, tone in zip(
                FLAIR_GROUP_MAX, (0, 5, 10), ("lower", "middle", "higher"), strict=True
            )
        ),
    ),
    compute=_flair,
    related_entries=("ild-epidemiology-prognosis", "mda5-rpild-combination"),
)

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
    version="1.0.0",
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
        Output(name="stage", label="Stage", kind="text"),
        Output(name="determined_by", label="Decided by", kind="text"),
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
                reference="goh-2008-interstitial",
                verification="V1",
            ),
            Band(
                label="Extensive disease",
                equals="extensive",
                tone="higher",
                meaning="Extensive disease carried a hazard ratio of 3.46 for mortality against "
                "limited disease in the SSc-ILD derivation cohort.",
                reference="goh-2008-interstitial",
                verification="V1",
            ),
        ),
    ),
    compute=_goh,
    related_entries=("ild-epidemiology-prognosis",),
)

# --- CROSS points [wang-2024-rapidly]; groups from the EULAR 2021 abstract POS0320 (V2) --------
CROSS_CRP_CUTOFF_MG_L: Final = 8  # CRP > 8 mg/L → 3
CROSS_CRP_POINTS: Final = 3
CROSS_RO52_POINTS: Final = 4
CROSS_MALE_POINTS: Final = 2
CROSS_DURATION_CUTOFF_MONTHS: Final = 3  # disease course < 3 months → 2
CROSS_DURATION_POINTS: Final = 2
CROSS_EULAR2021_GROUP_MAX: Final = (("low", 3), ("medium", 7), ("high", 11))


def _cross(
    *, crp_mg_l: float, anti_ro52_positive: bool, sex: str, disease_duration_months: float
) -> Outcome:
    trace = Trace()
    parts = {
        "crp": CROSS_CRP_POINTS if exact(crp_mg_l) > CROSS_CRP_CUTOFF_MG_L else 0,
        "anti_ro52": CROSS_RO52_POINTS if anti_ro52_positive else 0,
        "male": CROSS_MALE_POINTS if sex == "male" else 0,
        "short_course": CROSS_DURATION_POINTS
        if exact(disease_duration_months) < CROSS_DURATION_CUTOFF_MONTHS
        else 0,
    }
    total = sum(parts.values())
    group = next(name for name, top in CROSS_EULAR2021_GROUP_MAX if total <= top)
    trace.explain(
        f"CRP {fmt(crp_mg_l)} mg/L → {parts['crp']}; anti-Ro52 → {parts['anti_ro52']}; {sex} → "
        f"{parts['male']}; course {fmt(disease_duration_months)} months → {parts['short_course']}"
    )
    trace.explain(f"CROSS points = {total} → {group} (EULAR 2021 abstract groups)")
    trace.warn(
        "cross_published_cutoffs_unverified",
        "The published paper labels groups moderate, high and very high with cut-offs that were "
        "not verified; the groups shown are the 2021 abstract's (low 0–3, medium 4–7, high 8–11).",
        "wang-2024-rapidly",
    )
    points: dict[str, JSONValue] = dict(parts)
    return trace.finish(
        {"points": total, "risk_group_eular2021_abstract": group, "point_breakdown": points}
    )


CROSS_SCORE = Calculator(
    id="cross_rpild_score",
    title="CROSS points for RP-ILD risk in anti-MDA5 dermatomyositis",
    version="1.1.0",
    family="ild",
    purpose=(
        "CROSS points (CRP, anti-Ro52, sex, short disease course) for the risk of rapidly "
        "progressive ILD in anti-MDA5-positive dermatomyositis, with the EULAR 2021 abstract's "
        "groups."
    ),
    population="Chinese multicentre anti-MDA5-positive DM cohorts (discovery and validation).",
    inputs=(
        NumberInput(
            name="crp_mg_l",
            label="C-reactive protein",
            unit="mg/L",
            hard_min=CRP_MIN_MG_DL * CRP_MG_L_PER_MG_DL,
            hard_max=CRP_MAX_MG_DL * CRP_MG_L_PER_MG_DL,
            range_source="spec plausibility table (0–50 mg/dL) converted to mg/L [PC]",
            precision=1,
            unit_alternatives=(UnitAlt(unit="mg/dL", factor=Fraction(CRP_MG_L_PER_MG_DL)),),
            help="CROSS uses mg/L (1 mg/dL = 10 mg/L).",
        ),
        BoolInput(name="anti_ro52_positive", label="Anti-Ro52 positive"),
        sex(),
        NumberInput(
            name="disease_duration_months",
            label="Disease course",
            unit="months",
            hard_min=POSITIVE,
            min_inclusive=False,
            hard_max=DURATION_MAX_MONTHS,
            range_source=PC_RANGES,
            precision=1,
        ),
    ),
    outputs=(
        Output(name="points", label="CROSS points", precision=0, kind="integer"),
        Output(
            name="risk_group_eular2021_abstract",
            label="Risk group (EULAR 2021 abstract)",
            kind="text",
        ),
        Output(
            name="point_breakdown",
            label="Points by item",
            precision=0,
            kind="mapping",
            key_labels=(
                ("crp", "CRP"),
                ("anti_ro52", "Anti-Ro52"),
                ("male", "Male sex"),
                ("short_course", "Disease course under 3 months"),
            ),
        ),
    ),
    formula=(
        "CRP > 8 mg/L 3; anti-Ro52 positive 4; male 2; disease course < 3 months 2 (total "
        "0–11)\nEULAR 2021 abstract groups: low 0–3, medium 4–7, high 8–11"
    ),
    references=("wang-2024-rapidly",),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "Points are verified against the variables of the 2024 paper and the point values of the "
        "EULAR 2021 abstract (POS0320) [V2].",
        "The published paper labels the groups moderate, high and very high (1-year RP-ILD "
        "9.5/6.7%, 35.2/41.7%, 71.3/85.7% in discovery/validation); its exact cut-offs were not "
        "verified.",
        "CRP > 8 and duration < 3 months are strict comparisons as published.",
    ),
    provenance={
        "variables": checked(
            "wang-2024-rapidly",
            "CRP, anti-Ro52, male sex, disease course under 3 months",
            "the 2024 paper's variables",
            covers=("point_breakdown",),
        ),
        "points": checked(
            "wang-2024-rapidly",
            "CRP > 8 mg/L 3; anti-Ro52 4; male 2; course < 3 months 2",
            "EULAR 2021 abstract POS0320 (the paper's points were not seen)",
            label="V2",
            covers=("points", "point_breakdown"),
        ),
        "eular2021_groups": checked(
            "wang-2024-rapidly",
            "low 0–3, medium 4–7, high 8–11",
            "EULAR 2021 abstract POS0320",
            label="V2",
            covers=("risk_group_eular2021_abstract",),
        ),
        "published_cutoffs": unverified(
            "the published paper's moderate/high/very high cut-offs", "wang-2024-rapidly"
        ),
    },
    not_included=(
        "The published paper's group cut-offs (moderate/high/very high) are unverified and not "
        "used. FLAW (fever, LDH, age, WBC/NLR) is not implemented because some item thresholds are "
        "not stated in its abstract."
    ),
    examples=(
        Example(
            inputs={
                "crp_mg_l": 8.1,
                "anti_ro52_positive": True,
                "sex": "male",
                "disease_duration_months": 2.9,
            },
            expected={"points": 11, "risk_group_eular2021_abstract": "high"},
            source="wang-2024-rapidly",
        ),
        Example(
            inputs={
                "crp_mg_l": 8,
                "anti_ro52_positive": False,
                "sex": "female",
                "disease_duration_months": 3,
            },
            expected={"points": 0, "risk_group_eular2021_abstract": "low"},
            source="wang-2024-rapidly",
            note="Exactly 8 mg/L and exactly 3 months score nothing (strict > and <).",
        ),
    ),
    presentation=Presentation(
        primary="points",
        phrase="CROSS points (0–11)",
        secondary=(
            "risk_group_eular2021_abstract",
            "point_breakdown",
        ),
    ),
    interpretation=Interpretation(
        output="points",
        bands=tuple(
            Band(
                label=f"{name.capitalize()} (2021 abstract)",
                low=low,
                high=top,
                tone=tone,
                meaning=(
                    f"The 2021 abstract's {name}-risk group ({low}–{top} points). The published "
                    "paper's RP-ILD rates belong to groups whose cut-offs could not be checked, "
                    "so no rate is shown."
                ),
                reference="wang-2024-rapidly",
                verification="V2",
            )
            for (name, top), low, tone in zip(
                CROSS_EULAR2021_GROUP_MAX, (0, 4, 8), ("lower", "middle", "higher"), strict=True
            )
        ),
    ),
    compute=_cross,
    related_entries=("ild-epidemiology-prognosis", "mda5-rpild-combination"),
)

CALCULATORS: tuple[Calculator, ...] = (
    PFT_CHANGE,
    PPF_CRITERION,
    OMERACT_PROGRESSION,
    GAP_INDEX,
    ILD_GAP_INDEX,
    MCK_CRITERIA,
    FLAIR_SCORE,
    GOH_STAGING,
    CROSS_SCORE,
)
