"""The calculator tables on paper match the calculators themselves.

Two layers: every short row printed by calculators.tables is found in the PDF's text (the
book prints what the tables module produced), and sampled rows are recomputed here by
calling calculators.registry.run directly (what the tables module produced is what the
calculators compute). Expected values come from the calculators, never typed here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from build_tools.paper_calculators import PaperCalculators, PrintedTable
from tests.handbook.conftest import normalise

registry = pytest.importorskip("calculators.registry")
result_module = pytest.importorskip("calculators.result")

REQUIRED_TABLES = (
    # (calculator, what the brief asks the book to carry)
    ("ivig_dose", "IVIg total and daily dose by weight"),
    ("prednisone_initial_dose", "prednisone starting dose by weight with the cap"),
    ("cyclophosphamide_iv_bsa_dose", "cyclophosphamide dose by BSA and mg/m²"),
    ("bsa_mosteller", "BSA by height and weight"),
    ("azathioprine_dosing", "azathioprine target by weight and TPMT/NUDT15"),
    ("pft_change", "FVC/DLCO significant-change thresholds"),
    ("gap_index", "GAP points and mortality"),
    ("ild_gap_index", "ILD-GAP points and mortality"),
)


def cell(calculator_id: str, output: str, value: object) -> str:
    """A value formatted as the calculator declares it (precision, no unit)."""
    declared = registry.get(calculator_id).output(output)
    return str(result_module.format_value(value, declared.precision, ""))


def table(paper_calcs: PaperCalculators, predicate: str) -> PrintedTable:
    found = [t for t in paper_calcs.tables if t.id.startswith(predicate)]
    assert found, f"no printed table {predicate}*"
    return found[0]


def row_for(t: PrintedTable, first: str) -> list[str]:
    return next(r for r in t.rows if r[0] == first)


def test_the_book_has_every_required_table(paper_calcs: PaperCalculators) -> None:
    printed = {c for t in paper_calcs.tables for c in t.calculator_ids}
    missing = [what for calc, what in REQUIRED_TABLES if calc not in printed]
    assert missing == []


def test_printed_rows_are_in_the_pdf(paper_calcs: PaperCalculators, page_texts: list[str]) -> None:
    text = " ".join(page_texts)
    checked = 0
    for t in paper_calcs.tables:
        assert normalise(t.title) in text, t.title
        for row in t.rows:
            if all(len(c) <= 12 for c in row):  # long cells wrap; their words interleave
                assert " ".join(row) in text, (t.id, row)
                checked += 1
    assert checked > 50


def test_ivig_rows_match_the_calculator(paper_calcs: PaperCalculators) -> None:
    t = table(paper_calcs, "ivig_dose_male_175")
    for weight in ("60", "100", "150"):
        out = registry.run(
            "ivig_dose",
            {
                "weight_kg": int(weight),
                "height_cm": 175,
                "sex": "male",
                "age_years": 50,
                "dose_g_per_kg": 2,
                "days": 2,
                "adjustment_policy": "nba_2026",
            },
        ).outputs
        assert row_for(t, weight) == [
            weight,
            out["weight_basis"],
            cell("ivig_dose", "dosing_weight_kg", out["dosing_weight_kg"]),
            cell("ivig_dose", "total_dose_g", out["total_dose_g"]),
            cell("ivig_dose", "rounded_dose_g", out["rounded_dose_g"]),
            cell("ivig_dose", "dose_per_day_g", out["dose_per_day_g"]),
            cell("ivig_dose", "rounded_dose_g", out["dose_by_policy_g"]["actual_weight"]),
        ]


def test_prednisone_rows_match_including_the_cap(paper_calcs: PaperCalculators) -> None:
    t = table(paper_calcs, "prednisone_initial")
    capped_rows = 0
    for row in t.rows:
        five = registry.run(
            "prednisone_initial_dose", {"weight_kg": int(row[0]), "round_to_mg": 5}
        ).outputs
        half = registry.run(
            "prednisone_initial_dose", {"weight_kg": int(row[0]), "round_to_mg": 2.5}
        ).outputs
        assert row[1] == cell("prednisone_initial_dose", "dose_mg_per_day", five["dose_mg_per_day"])
        assert row[2] == cell("prednisone_initial_dose", "dose_mg_per_day", half["dose_mg_per_day"])
        assert row[3] == cell("prednisone_initial_dose", "capped", five["capped"])
        capped_rows += five["capped"] is True
    assert 0 < capped_rows < len(t.rows)  # the cap shows, and not on every row


def test_bsa_and_cyclophosphamide_rows_match(paper_calcs: PaperCalculators) -> None:
    bsa = table(paper_calcs, "bsa_mosteller")
    row = row_for(bsa, "180")
    weights = [int(label.removesuffix(" kg")) for label, _ in bsa.columns[1:]]
    for weight, printed in zip(weights, row[1:], strict=True):
        out = registry.run("bsa_mosteller", {"height_cm": 180, "weight_kg": weight}).outputs
        assert printed == cell("bsa_mosteller", "bsa_m2", out["bsa_m2"])
    cyc = table(paper_calcs, "cyclophosphamide")
    row = row_for(cyc, "1.80")
    doses = [int(label.removesuffix(" mg/m²")) for label, _ in cyc.columns[1:]]
    height = 170
    weight = float(Decimal("1.8") ** 2 * 3600 / height)  # Mosteller: BSA 1.80 m² at 170 cm
    for dose, printed in zip(doses, row[1:], strict=True):
        out = registry.run(
            "cyclophosphamide_iv_bsa_dose",
            {
                "height_cm": height,
                "weight_kg": weight,
                "dose_mg_per_m2": dose,
                "bsa_formula": "mosteller",
                "round_to_mg": 10,
            },
        ).outputs
        assert printed == cell(
            "cyclophosphamide_iv_bsa_dose", "rounded_dose_mg", out["rounded_dose_mg"]
        )


def test_azathioprine_normal_metabolizer_column_matches(paper_calcs: PaperCalculators) -> None:
    t = table(paper_calcs, "azathioprine")
    for row in t.rows[::3]:
        out = registry.run(
            "azathioprine_dosing",
            {"weight_kg": int(row[0]), "tpmt": "normal", "nudt15": "normal", "crcl_ml_min": 90},
        ).outputs
        assert row[1] == cell("azathioprine_dosing", "target_mg_per_day", out["target_mg_per_day"])


def test_pft_thresholds_are_where_the_calculator_turns(paper_calcs: PaperCalculators) -> None:
    """At the printed follow-up value the decline is significant; 0.1 higher it is not."""
    t = table(paper_calcs, "pft_significant")
    for parameter, baseline, relative, *_ in t.rows[::4]:
        if relative == result_module.NOT_APPLICABLE:
            continue

        def significant(value: str, parameter: str = parameter, baseline: str = baseline) -> bool:
            out = registry.run(
                "pft_change",
                {
                    "parameter": parameter,
                    "baseline_pct_pred": float(baseline),
                    "followup_pct_pred": float(value),
                },
            ).outputs
            return out["significant_by_relative"] is True

        assert significant(relative)
        assert not significant(str(Decimal(relative) + Decimal("0.1")))


def test_gap_points_and_stages_match(paper_calcs: PaperCalculators) -> None:
    stages = table(paper_calcs, "gap_stages")
    out = registry.run(
        "gap_index",
        {"sex": "male", "age_years": 70, "fvc_pct_pred": 45, "dlco_pct_pred": 30},
    ).outputs
    row = row_for(stages, str(out["total"]))
    assert row[1] == str(out["stage"])
    mortality = out["mortality_pct"]
    assert isinstance(mortality, dict)
    assert row[2] == cell("gap_index", "mortality_pct", mortality["1y"])
    points = table(paper_calcs, "gap_points")
    gender = out["points"]
    assert isinstance(gender, dict)
    assert ["Gender", "male", str(gender["gender"])] in [list(r) for r in points.rows]
