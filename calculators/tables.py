"""Printed handbook tables, produced by calling the calculators (never by re-deriving them).

Each table is declared beside its calculator (``Calculator.printed_tables``) and computes
every cell through that calculator's typed ``evaluate``, so a change to a formula, threshold
or rounding rule changes the tables with it. This module collects them in book order and
names each builder, so one that fails can be left out on its own.
"""

from __future__ import annotations

from calculators.anthropometrics import bsa_grid_table
from calculators.dosing.azathioprine import AZA_STATUSES, azathioprine_target_table
from calculators.dosing.cyclophosphamide_bsa import REFERENCE_HEIGHT_CM, cyclophosphamide_bsa_table
from calculators.dosing.ivig_dose import ivig_dose_grid_table, ivig_dose_table
from calculators.dosing.prednisone_initial import prednisone_initial_table
from calculators.ild.gap_index import (
    GAP_CATEGORIES,
    GAP_DEFAULTS,
    gap_points_table,
    gap_stage_table,
)
from calculators.ild.ild_gap_index import ild_gap_band_table, ild_gap_subtype_table
from calculators.ild.pft_change import pft_threshold_table
from calculators.printed import Column, Row, Table
from calculators.registry import CALCULATORS

__all__ = [
    "AZA_STATUSES",
    "GAP_CATEGORIES",
    "GAP_DEFAULTS",
    "REFERENCE_HEIGHT_CM",
    "Column",
    "Row",
    "Table",
    "azathioprine_target_table",
    "bsa_grid_table",
    "build_tables",
    "cyclophosphamide_bsa_table",
    "gap_points_table",
    "gap_stage_table",
    "ild_gap_band_table",
    "ild_gap_subtype_table",
    "ivig_dose_grid_table",
    "ivig_dose_table",
    "pft_threshold_table",
    "prednisone_initial_table",
]


def build_tables() -> tuple[Table, ...]:
    """Every handbook table: each calculator's declared tables, in registry order."""
    return tuple(build() for calc in CALCULATORS.values() for build in calc.printed_tables)
