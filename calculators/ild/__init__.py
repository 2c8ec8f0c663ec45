"""ILD severity, progression and prognosis: PFT change, PPF 2022, OMERACT, GAP, ILD-GAP,
MCK criteria count, FLAIR, Goh staging and CROSS points.

Threshold comparisons use exact rational arithmetic (numeric.exact), so a
decline of exactly 5% or 10% counts as the sources' "≥" intends.
"""

from __future__ import annotations

from calculators.declaration import Calculator
from calculators.ild.cross import CROSS_SCORE
from calculators.ild.flair import FLAIR_SCORE
from calculators.ild.gap_index import GAP_INDEX
from calculators.ild.goh import GOH_STAGING
from calculators.ild.ild_gap_index import ILD_GAP_INDEX
from calculators.ild.mck import MCK_CRITERIA
from calculators.ild.omeract import OMERACT_PROGRESSION
from calculators.ild.pft_change import PFT_CHANGE
from calculators.ild.ppf_criterion import PPF_CRITERION

__all__ = [
    "CALCULATORS",
    "CROSS_SCORE",
    "FLAIR_SCORE",
    "GAP_INDEX",
    "GOH_STAGING",
    "ILD_GAP_INDEX",
    "MCK_CRITERIA",
    "OMERACT_PROGRESSION",
    "PFT_CHANGE",
    "PPF_CRITERION",
]

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
"""The calculators of this family, in the order of the specification."""
