"""Weight-, BSA- and phenotype-based dose calculators (IVIg, glucocorticoids, MMF, AZA, CYC).

None of these outputs is a prescription: every declaration says so, and each
dose is shown with the arithmetic that produced it.
"""

from __future__ import annotations

from calculators.declaration import Calculator
from calculators.dosing.azathioprine import AZATHIOPRINE_DOSING
from calculators.dosing.common import NOT_A_PRESCRIPTION, PC_RANGES
from calculators.dosing.cyclophosphamide_bsa import CYCLOPHOSPHAMIDE_BSA
from calculators.dosing.cyclophosphamide_pulse import CYCLOPHOSPHAMIDE_PULSE
from calculators.dosing.ivig_dose import IVIG_DOSE
from calculators.dosing.methylprednisolone_pulse import METHYLPREDNISOLONE_PULSE
from calculators.dosing.mycophenolate_titration import MYCOPHENOLATE_TITRATION
from calculators.dosing.prednisone_initial import PREDNISONE_INITIAL
from calculators.dosing.prednisone_taper import PREDNISONE_TAPER

__all__ = [
    "AZATHIOPRINE_DOSING",
    "CALCULATORS",
    "CYCLOPHOSPHAMIDE_BSA",
    "CYCLOPHOSPHAMIDE_PULSE",
    "IVIG_DOSE",
    "METHYLPREDNISOLONE_PULSE",
    "MYCOPHENOLATE_TITRATION",
    "NOT_A_PRESCRIPTION",
    "PC_RANGES",
    "PREDNISONE_INITIAL",
    "PREDNISONE_TAPER",
]

CALCULATORS: tuple[Calculator, ...] = (
    IVIG_DOSE,
    PREDNISONE_INITIAL,
    PREDNISONE_TAPER,
    METHYLPREDNISOLONE_PULSE,
    MYCOPHENOLATE_TITRATION,
    AZATHIOPRINE_DOSING,
    CYCLOPHOSPHAMIDE_BSA,
    CYCLOPHOSPHAMIDE_PULSE,
)
"""The calculators of this family, in the order of the specification."""
