"""OMERACT CTD-ILD progression from FVC and DLCO change."""

from __future__ import annotations

from typing import Final

from calculators.common_inputs import pct_pred
from calculators.declaration import (
    BoolInput,
    Calculator,
    Example,
    Outcome,
    Output,
    Presentation,
    Trace,
    checked,
    convention,
    review,
)
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS
from calculators.ild.pft_change import relative_decline_pct
from calculators.numeric import fmt

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
