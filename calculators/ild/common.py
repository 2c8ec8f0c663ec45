"""What every ILD calculator shares: the range-source wording and the not-a-diagnosis sentence."""

from __future__ import annotations

PC_RANGES = "project convention [PC]"
GUIDE_NOT_DIAGNOSIS = (
    "A decision aid, not a diagnosis: interpret with the clinical picture and imaging."
)
