"""Significant change in FVC or DLCO between two tests (the review's thresholds)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
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
from calculators.inputs import ParsedValue
from calculators.numeric import exact, fmt
from calculators.printed import Column, Row, Table, references
from calculators.result import NOT_APPLICABLE

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


# --- Printed tables (the handbook's ready reckoners), computed by this calculator ----------

TENTH = Decimal("0.1")


def _highest_followup(baseline: Decimal, is_significant: Callable[[Decimal], bool]) -> str:
    """Highest follow-up value (to 0.1) at which the calculator calls the decline significant.

    The calculators' predicates are monotonic in the follow-up value, so bisection
    over tenths finds the boundary exactly with a handful of calls.
    """
    low, high = int(Decimal(5) / TENTH), int(baseline / TENTH)  # 5% predicted is the floor
    if not is_significant(low * TENTH):
        return NOT_APPLICABLE
    while low < high:
        middle = (low + high + 1) // 2
        if is_significant(middle * TENTH):
            low = middle
        else:
            high = middle - 1
    return fmt(low * TENTH, 1)


def pft_threshold_table(*, baselines: Iterable[int] = range(30, 111, 10)) -> Table:
    """Follow-up values at or below which FVC/DLCO declines count as significant."""
    from calculators.ild.ppf_criterion import PPF_CRITERION  # declared after this module

    pft, ppf = PFT_CHANGE, PPF_CRITERION
    rows: list[Row] = []
    for parameter in PFT_SIGNIFICANT_DECLINE:
        for baseline in baselines:
            base = Decimal(baseline)

            def relative(value: Decimal, parameter: str = parameter, base: Decimal = base) -> bool:
                inputs: dict[str, ParsedValue] = {
                    "parameter": parameter,
                    "baseline_pct_pred": float(base),
                }
                out = pft.evaluate(**inputs | {"followup_pct_pred": float(value)}).outputs
                return out["significant_by_relative"] is True

            def absolute(value: Decimal, parameter: str = parameter, base: Decimal = base) -> bool:
                inputs: dict[str, ParsedValue] = {
                    "parameter": parameter,
                    "baseline_pct_pred": float(base),
                }
                out = pft.evaluate(**inputs | {"followup_pct_pred": float(value)}).outputs
                return out["significant_by_absolute"] is True

            def ppf_2022(value: Decimal, parameter: str = parameter, base: Decimal = base) -> bool:
                inputs: dict[str, ParsedValue] = {
                    "fvc_baseline": float(base),
                    "fvc_followup": float(base),
                    "dlco_baseline": float(base),
                    "dlco_followup": float(base),
                    "interval_months": 12,
                }
                inputs[f"{parameter.lower()}_followup"] = float(value)
                out = ppf.evaluate(**inputs).outputs
                return out[f"{parameter.lower()}_criterion"] is True

            rows.append(
                {
                    "parameter": parameter,
                    "baseline": fmt(baseline),
                    "relative": _highest_followup(base, relative),
                    "absolute": _highest_followup(base, absolute),
                    "ppf_2022": _highest_followup(base, ppf_2022),
                }
            )
    return Table(
        id="pft_significant_change_thresholds",
        title="FVC and DLCO: follow-up values that mark a significant decline",
        caption=(
            "Follow-up (% predicted) at or below which the decline is significant: relative (FVC ≥ "
            "10%, DLCO ≥ 15% of baseline), absolute (the same numbers in points), and the "
            "ATS/ERS/JRS/ALAT 2022 PPF physiological criterion (FVC ≥ 5, DLCO ≥ 10 points within 1 "
            "year). Thresholds are inclusive."
        ),
        columns=(
            Column(key="parameter", label="Test"),
            Column(key="baseline", label="Baseline", unit="% predicted"),
            Column(key="relative", label="Relative decline: follow-up ≤", unit="% predicted"),
            Column(key="absolute", label="Absolute decline: follow-up ≤", unit="% predicted"),
            Column(key="ppf_2022", label="PPF 2022: follow-up ≤", unit="% predicted"),
        ),
        rows=tuple(rows),
        calculator_ids=(pft.id, ppf.id),
        references=references(pft, ppf),
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
    printed_tables=(pft_threshold_table,),
    related_entries=("ild-diagnosis",),
)
