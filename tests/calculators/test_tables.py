"""Handbook tables: produced by the calculators, consistent with them, and as the spec says."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calculators import run
from calculators.result import format_value
from calculators.tables import (
    Table,
    azathioprine_target_table,
    bsa_grid_table,
    build_tables,
    cyclophosphamide_bsa_table,
    gap_points_table,
    gap_stage_table,
    ild_gap_band_table,
    ild_gap_subtype_table,
    ivig_dose_table,
    pft_threshold_table,
    prednisone_initial_table,
)

TABLES = build_tables()


def _row(table: Table, key: str, value: str) -> dict[str, str]:
    (row,) = [dict(r) for r in table.rows if r[key] == value]
    return row


@pytest.mark.parametrize("table", TABLES, ids=[t.id for t in TABLES])
def test_table_shape(table: Table) -> None:
    data: Any = table.to_dict()
    json.dumps(data, allow_nan=False)
    keys = [column["key"] for column in data["columns"]]
    assert data["rows"]
    for row in data["rows"]:
        assert list(row) == keys
        assert all(isinstance(cell, str) for cell in row.values())
    assert data["calculator_ids"]
    assert data["references"]
    assert data["guideline_edition"] == "2026.2"


def test_table_ids_are_unique() -> None:
    assert len({t.id for t in TABLES}) == len(TABLES)


def test_ivig_table_matches_the_calculator_and_the_spec_example() -> None:
    table = ivig_dose_table(height_cm=175, sex="male")
    row = _row(table, "weight_kg", "100")
    assert row == {
        "weight_kg": "100",
        "weight_basis": "adjusted",
        "dosing_weight_kg": "82.28",
        "total_dose_g": "164.56",
        "rounded_dose_g": "165",
        "dose_per_day_g": "82.28",
        "actual_weight_dose_g": "200",  # the same course without adjustment, side by side
    }
    assert _row(table, "weight_kg", "60")["weight_basis"] == "actual"
    assert "IBW 70.46 kg" in table.caption


def test_prednisone_table_applies_the_cap_and_steps() -> None:
    table = prednisone_initial_table(weights_kg=[65, 70, 85])
    assert [dict(r) for r in table.rows] == [
        {"weight_kg": "65", "dose_5_mg_step": "65.0", "dose_2_5_mg_step": "65.0", "capped": "no"},
        {"weight_kg": "70", "dose_5_mg_step": "70.0", "dose_2_5_mg_step": "70.0", "capped": "no"},
        {"weight_kg": "85", "dose_5_mg_step": "80.0", "dose_2_5_mg_step": "80.0", "capped": "yes"},
    ]


def test_cyclophosphamide_table() -> None:
    table = cyclophosphamide_bsa_table()
    row = _row(table, "bsa_m2", "2.00")
    assert row["dose_500"] == "1000"
    assert row["dose_750"] == "1500"
    assert _row(table, "bsa_m2", "1.50")["dose_750"] == "1130"  # 1125 rounds half up


def test_bsa_grid_calls_mosteller() -> None:
    table = bsa_grid_table(heights_cm=[180], weights_kg=[80])
    assert [dict(r) for r in table.rows] == [{"height_cm": "180", "w80": "2.00"}]
    assert table.calculator_ids == ("bsa_mosteller",)


def test_azathioprine_table() -> None:
    table = azathioprine_target_table(weights_kg=[70])
    assert [dict(r) for r in table.rows] == [
        {"weight_kg": "70", "s0": "175", "s1": "75–125", "s2": "50–75", "s3": "alternative"}
    ]


def test_pft_threshold_table() -> None:
    table = pft_threshold_table(baselines=[50, 80])
    rows = {(r["parameter"], r["baseline"]): dict(r) for r in table.rows}
    assert rows["FVC", "50"] == {
        "parameter": "FVC",
        "baseline": "50",
        "relative": "45.0",
        "absolute": "40.0",
        "ppf_2022": "45.0",
    }
    assert rows["DLCO", "80"] == {
        "parameter": "DLCO",
        "baseline": "80",
        "relative": "68.0",
        "absolute": "65.0",
        "ppf_2022": "70.0",
    }


def test_pft_threshold_cells_are_exactly_the_calculator_boundary() -> None:
    for row in pft_threshold_table(baselines=[37]).rows:
        limit = float(row["relative"])
        at = run(
            "pft_change",
            {"parameter": row["parameter"], "baseline_pct_pred": 37, "followup_pct_pred": limit},
        )
        above = run(
            "pft_change",
            {
                "parameter": row["parameter"],
                "baseline_pct_pred": 37,
                "followup_pct_pred": limit + 0.1,
            },
        )
        assert at.outputs["significant_by_relative"] is True
        assert above.outputs["significant_by_relative"] is False


def test_gap_tables() -> None:
    points = {(r["variable"], r["category"]): r["points"] for r in gap_points_table().rows}
    assert points == {
        ("Gender", "female"): "0",
        ("Gender", "male"): "1",
        ("Age (years)", "≤ 60"): "0",
        ("Age (years)", "61–65"): "1",
        ("Age (years)", "> 65"): "2",
        ("FVC (% predicted)", "> 75"): "0",
        ("FVC (% predicted)", "50–75"): "1",
        ("FVC (% predicted)", "< 50"): "2",
        ("DLCO (% predicted)", "> 55"): "0",
        ("DLCO (% predicted)", "36–55"): "1",
        ("DLCO (% predicted)", "≤ 35"): "2",
        ("DLCO (% predicted)", "cannot perform"): "3",
    }
    stages = [
        (r["total"], r["stage"], r["mortality_1y"], r["mortality_3y"])
        for r in gap_stage_table().rows
    ]
    assert stages == [
        ("0", "I", "5.6", "16.3"),
        ("1", "I", "5.6", "16.3"),
        ("2", "I", "5.6", "16.3"),
        ("3", "I", "5.6", "16.3"),
        ("4", "II", "16.2", "42.1"),
        ("5", "II", "16.2", "42.1"),
        ("6", "III", "39.2", "76.8"),
        ("7", "III", "39.2", "76.8"),
        ("8", "III", "39.2", "76.8"),
    ]


def test_ild_gap_tables() -> None:
    assert [(r["subtype"], r["points"]) for r in ild_gap_subtype_table().rows] == [
        ("Idiopathic pulmonary fibrosis", "0"),
        ("Unclassifiable ILD", "0"),
        ("Connective-tissue-disease ILD", "-2"),
        ("Idiopathic NSIP", "-2"),
        ("Chronic hypersensitivity pneumonitis", "-2"),
    ]
    bands = [
        (r["total"], r["score_band"], r["mortality_1y"], r["mortality_3y"])
        for r in ild_gap_band_table().rows
    ]
    assert bands == [
        ("0", "0-1", "3.1", "10.2"),
        ("1", "0-1", "3.1", "10.2"),
        ("2", "2-3", "8.8", "26.9"),
        ("3", "2-3", "8.8", "26.9"),
        ("4", "4-5", "18.2", "49.2"),
        ("5", "4-5", "18.2", "49.2"),
        ("6", "6-8", "33.5", "74.8"),
        ("7", "6-8", "33.5", "74.8"),
        ("8", "6-8", "33.5", "74.8"),
    ]


def test_format_value_is_shared_with_results() -> None:
    assert format_value(82.27879, 2, "") == "82.28"


def test_ivig_grid_covers_both_sexes_by_weight_and_height() -> None:
    """Male, 170 cm, 100 kg: IBW = 50 + 2.3 × (66.93 in − 60) = 65.94 kg; adjusted weight
    65.94 + 0.4 × (100 − 65.94) = 79.56 kg; × 2 g/kg = 159.1 g → 160 g (nearest 5 g)."""
    from calculators.tables import build_tables, ivig_dose_grid_table

    male = ivig_dose_grid_table(sex="male")
    cells = {row["weight_kg"]: row for row in male.rows}
    assert [c.label for c in male.columns] == [
        "Actual weight", "150 cm", "160 cm", "170 cm", "180 cm", "190 cm", "At actual weight",
    ]  # fmt: skip
    assert cells["100"]["actual"] == "200"  # the same course at actual weight, side by side
    assert cells["100"]["h170"] == "160"
    assert cells["40"]["h170"] == "80"  # below the adjusted weight: actual weight × 2
    assert cells["100"]["h150"] == "200"  # under 152 cm: actual weight
    ids = [t.id for t in build_tables()]
    assert {"ivig_dose_grid_male", "ivig_dose_grid_female"} <= set(ids)
