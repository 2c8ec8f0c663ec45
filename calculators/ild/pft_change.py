"""Significant change in FVC or DLCO between two tests (the review's thresholds)."""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from calculators.common_inputs import pct_pred
from calculators.declaration import (
    Calculator,
    ChoiceInput,
    Example,
    Outcome,
    Output,
    Presentation,
    Trace,
    convention,
    review,
)
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS
from calculators.numeric import exact, fmt

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
