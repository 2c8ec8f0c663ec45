"""Plausibility limits and unit factors shared by several calculators.

Every limit is a named constant with where it comes from. The adult ranges are
the specification's "Suggested plausibility ranges" table, which is itself a
project convention [PC]: values outside them are rejected, not guessed at.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final

SPEC_PLAUSIBILITY = "spec 'Suggested plausibility ranges' table [PC]"
"""Value of ``range_source`` for limits taken from that table."""

# --- spec plausibility table [PC] -------------------------------------------------
AGE_MIN_YEARS: Final = 18  # adult calculators; IMACS separately accepts onset < 18
AGE_MAX_YEARS: Final = 110
HEIGHT_MIN_CM: Final = 120
HEIGHT_MAX_CM: Final = 230
WEIGHT_MIN_KG: Final = 25
WEIGHT_MAX_KG: Final = 300
SCR_MIN_MG_DL: Final = 0.2  # ≈ 18 µmol/L
SCR_MAX_MG_DL: Final = 20  # ≈ 1770 µmol/L
PCT_PRED_MIN: Final = 5  # FVC and DLCO, % predicted
PCT_PRED_MAX: Final = 150
HRCT_EXTENT_MIN_PCT: Final = 0
HRCT_EXTENT_MAX_PCT: Final = 100
CRP_MIN_MG_DL: Final = 0  # the table includes 0 (below detection); CROSS uses mg/L
CRP_MAX_MG_DL: Final = 50
KL6_MIN_U_ML: Final = 50
KL6_MAX_U_ML: Final = 50_000
FERRITIN_MIN_NG_ML: Final = 1
FERRITIN_MAX_NG_ML: Final = 100_000
LDH_MIN_U_L: Final = 50
LDH_MAX_U_L: Final = 10_000

# --- ranges the table does not cover: project conventions [PC] ---------------------
POSITIVE: Final = 0  # exclusive lower bound: zero and negative values are always errors (spec)
ANY_AGE_MIN_YEARS: Final = (
    0  # exclusive; calculators that must see juvenile ages (IVIg exclusions, IMACS)
)
RENAL_FUNCTION_MAX_ML_MIN: Final = 250  # CrCl or eGFR; generous physiological ceiling [PC]
DURATION_MAX_MONTHS: Final = 1200  # 100 years: a typo catcher, not a clinical limit [PC]

# --- unit factors -------------------------------------------------------------------
KG_PER_LB: Final = Fraction("0.45359237")  # international avoirdupois pound (exact by definition)
CM_PER_INCH: Final = Fraction("2.54")  # exact by definition
SCR_UMOL_L_PER_MG_DL: Final = Fraction("88.4")  # spec A2: SCr µmol/L → mg/dL divide by 88.4
CRP_MG_L_PER_MG_DL: Final = 10  # 1 mg/dL = 10 mg/L (unit definition)
