"""What every dose calculator shares: the not-a-prescription sentence and the plausibility
limits of regimen parameters.
"""

from __future__ import annotations

from typing import Final

NOT_A_PRESCRIPTION = (
    "This is arithmetic, not a prescription: check the local formulary, the product's labelling "
    "and the patient's circumstances before ordering."
)
PC_RANGES = "project convention [PC]"

# --- Plausibility limits for regimen parameters: project conventions [PC] ---------------------
# They catch typos and unit slips; they are not clinical recommendations.
IVIG_DAYS_MIN: Final = 1
PRED_MG_PER_KG_LIMITS: Final = (0.1, 2)
PRED_CAP_MIN_MG: Final = 5
PRED_TAPER_START_MIN_MG: Final = 1
PRED_TAPER_FRACTION_LIMITS: Final = (0.05, 0.5)
PRED_FLOOR_LIMITS_MG: Final = (1, 20)
PRED_PLANNED_MONTHS_LIMITS: Final = (1, 120)
MP_MIN_DAYS: Final = 1
MMF_START_MG_PER_DOSE_MAX: Final = 1500
MMF_DOSES_PER_DAY_LIMITS: Final = (1, 3)
MMF_INCREMENT_MAX_MG_PER_DAY: Final = 1000
MMF_TARGET_MIN_MG_PER_DAY: Final = 500
TITRATION_INTERVAL_LIMITS_WEEKS: Final = (1, 4)
AZA_TARGET_MG_PER_KG_MIN: Final = 1
