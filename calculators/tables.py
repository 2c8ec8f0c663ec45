"""Printed handbook tables, produced by calling the calculators (never by re-deriving them).

Every cell comes from ``registry.run`` on a declared calculator, so a change to
a formula, threshold or rounding rule changes the tables with it. Cells are
already formatted strings (the declared precision, units in the column header),
so templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from calculators.anthropometrics import MOSTELLER_DIVISOR
from calculators.declaration import JSONValue
from calculators.dosing.ivig_dose import ABW_MIN_HEIGHT_CM, IVIG_POLICIES
from calculators.edition import GUIDELINE_EDITION
from calculators.ild.gap_index import (
    CANNOT_PERFORM,
    GAP_AGE_HIGH,
    GAP_AGE_LOW,
    GAP_DLCO_HIGH,
    GAP_DLCO_LOW,
    GAP_FVC_HIGH,
    GAP_FVC_LOW,
)
from calculators.ild.ild_gap_index import ILD_SUBTYPE_CHOICES
from calculators.ild.pft_change import PFT_SIGNIFICANT_DECLINE
from calculators.numeric import fmt
from calculators.registry import get, run
from calculators.result import NOT_APPLICABLE, format_value

type Row = Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class Column:
    """One table column; the unit belongs in the header, not in every cell."""

    key: str
    label: str
    unit: str = ""

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON data."""
        return {"key": self.key, "label": self.label, "unit": self.unit}


@dataclass(frozen=True, kw_only=True)
class Table:
    """A printable table and the calculators and references behind it."""

    id: str
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    calculator_ids: tuple[str, ...]
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON data with a fixed key order; rows follow the column order."""
        keys = [column.key for column in self.columns]
        return {
            "id": self.id,
            "title": self.title,
            "caption": self.caption,
            "guideline_edition": GUIDELINE_EDITION,
            "columns": [column.to_dict() for column in self.columns],
            "rows": [{key: row[key] for key in keys} for row in self.rows],
            "calculator_ids": list(self.calculator_ids),
            "references": list(self.references),
        }


def _cell(calculator_id: str, output: str, value: JSONValue) -> str:
    declared = get(calculator_id).output(output)
    return format_value(value, declared.precision, "")


def _references(*calculator_ids: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for calculator_id in calculator_ids:
        for ref in get(calculator_id).references:
            seen[ref] = None
    return tuple(seen)


def _decimal_range(start: str, stop: str, step: str) -> list[Decimal]:
    values, current = [], Decimal(start)
    while current <= Decimal(stop):
        values.append(current)
        current += Decimal(step)
    return values


# --- IVIg ------------------------------------------------------------------------------------


def _by_policy(doses: JSONValue, policy: str) -> JSONValue:
    """One policy's course dose from the calculator's side-by-side doses."""
    return doses.get(policy) if isinstance(doses, dict) else None


def ivig_dose_table(
    *,
    height_cm: float = 175,
    sex: str = "male",
    age_years: float = 50,
    weights_kg: Iterable[float] = range(50, 151, 10),
    dose_g_per_kg: float = 2,
    days: int = 2,
    adjustment_policy: str = "nba_2026",
) -> Table:
    """IVIg course and daily dose by actual weight, for one height and sex."""
    calc = "ivig_dose"
    rows: list[Row] = []
    for weight in weights_kg:
        result = run(
            calc,
            {
                "weight_kg": weight,
                "height_cm": height_cm,
                "sex": sex,
                "age_years": age_years,
                "dose_g_per_kg": dose_g_per_kg,
                "days": days,
                "adjustment_policy": adjustment_policy,
            },
        )
        out = result.outputs
        rows.append(
            {
                "weight_kg": fmt(weight),
                "weight_basis": str(out["weight_basis"]),
                "dosing_weight_kg": _cell(calc, "dosing_weight_kg", out["dosing_weight_kg"]),
                "total_dose_g": _cell(calc, "total_dose_g", out["total_dose_g"]),
                "rounded_dose_g": _cell(calc, "rounded_dose_g", out["rounded_dose_g"]),
                "dose_per_day_g": _cell(calc, "dose_per_day_g", out["dose_per_day_g"]),
                "actual_weight_dose_g": _cell(
                    calc, "rounded_dose_g", _by_policy(out["dose_by_policy_g"], "actual_weight")
                ),
            }
        )
    first = run(
        calc,
        {
            "weight_kg": 100,
            "height_cm": height_cm,
            "sex": sex,
            "age_years": age_years,
            "days": days,
            "adjustment_policy": adjustment_policy,
        },
    )
    ibw = _cell(calc, "ibw_kg", first.outputs["ibw_kg"])
    return Table(
        id=f"ivig_dose_{sex}_{fmt(height_cm)}cm",
        title=f"IVIg {fmt(dose_g_per_kg)} g/kg course by weight ({sex}, {fmt(height_cm)} cm)",
        caption=(
            f"{sex.capitalize()}, {fmt(height_cm)} cm (IBW {ibw} kg), age {fmt(age_years)}. "
            "Weight policy: "
            + dict(IVIG_POLICIES)[adjustment_policy]
            + ". Adjusted (dose-determining) weight = IBW + 0.4 × (actual − IBW), used unless "
            "actual weight is below it; the last column is the same course at actual body weight "
            "(no adjustment), so both doses stand side by side; totals rounded to the nearest 5 "
            f"g; per-day dose over {days} days from the unrounded total. Not a prescription."
        ),
        columns=(
            Column(key="weight_kg", label="Actual weight", unit="kg"),
            Column(key="weight_basis", label="Weight used"),
            Column(key="dosing_weight_kg", label="Dosing weight", unit="kg"),
            Column(key="total_dose_g", label="Total (unrounded)", unit="g"),
            Column(key="rounded_dose_g", label="Total (nearest 5 g)", unit="g"),
            Column(key="dose_per_day_g", label="Per day", unit="g/day"),
            Column(key="actual_weight_dose_g", label="At actual weight (nearest 5 g)", unit="g"),
        ),
        rows=tuple(rows),
        calculator_ids=(calc,),
        references=_references(calc),
    )


def ivig_dose_grid_table(
    *,
    sex: str,
    heights_cm: Iterable[float] = range(150, 191, 10),
    weights_kg: Iterable[float] = range(40, 151, 10),
    age_years: float = 50,
    dose_g_per_kg: float = 2,
    days: int = 2,
    adjustment_policy: str = "nba_2026",
) -> Table:
    """IVIg course (nearest 5 g) by actual weight (rows) and height (columns), for one sex.

    The weight policy changes the dose, so the table names the one it applies and ends with
    the same course at actual body weight: both stand side by side, as on the web page.

    The adjusted weight depends on ideal body weight, so on height and sex: one table per
    sex, with a column per height, covers the patients a ward sees instead of one build.
    """
    calc = "ivig_dose"
    heights = list(heights_cm)
    rows: list[Row] = []
    for weight in weights_kg:
        row: dict[str, str] = {"weight_kg": fmt(weight)}
        for height in heights:
            out = run(
                calc,
                {
                    "weight_kg": weight,
                    "height_cm": height,
                    "sex": sex,
                    "age_years": age_years,
                    "dose_g_per_kg": dose_g_per_kg,
                    "days": days,
                    "adjustment_policy": adjustment_policy,
                },
            ).outputs
            row[f"h{fmt(height)}"] = _cell(calc, "rounded_dose_g", out["rounded_dose_g"])
            # The same course at actual weight depends on the weight alone (any height).
            row["actual"] = _cell(
                calc, "rounded_dose_g", _by_policy(out["dose_by_policy_g"], "actual_weight")
            )
        rows.append(row)
    return Table(
        id=f"ivig_dose_grid_{sex}",
        title=f"IVIg {fmt(dose_g_per_kg)} g/kg course by weight and height ({sex})",
        caption=(
            f"{sex.capitalize()}, age {fmt(age_years)}. Weight policy: "
            + dict(IVIG_POLICIES)[adjustment_policy]
            + ". Total course in grams, rounded to the nearest 5 g, from the adjusted "
            "(dose-determining) weight = IBW + 0.4 × (actual − IBW), or the actual weight when "
            f"it is below that or the height is under {fmt(ABW_MIN_HEIGHT_CM)} cm; the last "
            "column is the same course at actual body weight (no adjustment), whatever the "
            "height. Divide by the number of days for the daily dose. Not a prescription."
        ),
        columns=(
            Column(key="weight_kg", label="Actual weight", unit="kg"),
            *(Column(key=f"h{fmt(h)}", label=f"{fmt(h)} cm", unit="g") for h in heights),
            Column(key="actual", label="At actual weight", unit="g"),
        ),
        rows=tuple(rows),
        calculator_ids=(calc,),
        references=_references(calc),
    )


# --- Prednisone ---------------------------------------------------------------------------------


def prednisone_initial_table(*, weights_kg: Iterable[float] = range(40, 131, 5)) -> Table:
    """Starting dose at 1 mg/kg/day (max 80 mg) with 5 mg and 2.5 mg tablet steps."""
    calc = "prednisone_initial_dose"
    rows: list[Row] = []
    for weight in weights_kg:
        five = run(calc, {"weight_kg": weight, "round_to_mg": 5}).outputs
        half = run(calc, {"weight_kg": weight, "round_to_mg": 2.5}).outputs
        rows.append(
            {
                "weight_kg": fmt(weight),
                "dose_5_mg_step": _cell(calc, "dose_mg_per_day", five["dose_mg_per_day"]),
                "dose_2_5_mg_step": _cell(calc, "dose_mg_per_day", half["dose_mg_per_day"]),
                "capped": _cell(calc, "capped", five["capped"]),
            }
        )
    return Table(
        id="prednisone_initial_by_weight",
        title="Prednisone starting dose by weight (1 mg/kg/day, max 80 mg/day)",
        caption=(
            "Review regimen: 1 mg/kg/day, generally not exceeding 80 mg/day, for 4–6 weeks. "
            "Rounded half up to the tablet step [PC]. Not a prescription."
        ),
        columns=(
            Column(key="weight_kg", label="Weight", unit="kg"),
            Column(key="dose_5_mg_step", label="Dose, 5 mg step", unit="mg/day"),
            Column(key="dose_2_5_mg_step", label="Dose, 2.5 mg step", unit="mg/day"),
            Column(key="capped", label="Capped at 80 mg"),
        ),
        rows=tuple(rows),
        calculator_ids=(calc,),
        references=_references(calc),
    )


# --- Cyclophosphamide -----------------------------------------------------------------------------

REFERENCE_HEIGHT_CM = 170  # any height works; the weight is chosen to give each BSA exactly


def cyclophosphamide_bsa_table(
    *,
    bsa_values: Iterable[Decimal] = tuple(_decimal_range("1.4", "2.4", "0.1")),
    doses_mg_per_m2: Iterable[int] = (300, 400, 500, 600, 700, 750, 800),
    round_to_mg: int = 10,
) -> Table:
    """Rounded IV cyclophosphamide dose by BSA (rows) and mg/m² (columns)."""
    calc = "cyclophosphamide_iv_bsa_dose"
    doses = tuple(doses_mg_per_m2)
    rows: list[Row] = []
    for bsa in bsa_values:
        # Pick the weight that gives this Mosteller BSA at the reference height, then let the
        # calculator compute BSA and dose itself (and check they agree).
        weight = float(bsa * bsa * MOSTELLER_DIVISOR / REFERENCE_HEIGHT_CM)
        row: dict[str, str] = {"bsa_m2": fmt(bsa, 2)}
        for dose in doses:
            out = run(
                calc,
                {
                    "height_cm": REFERENCE_HEIGHT_CM,
                    "weight_kg": weight,
                    "dose_mg_per_m2": dose,
                    "bsa_formula": "mosteller",
                    "round_to_mg": round_to_mg,
                },
            ).outputs
            computed = out["bsa_m2"]
            if not isinstance(computed, float) or abs(computed - float(bsa)) > 1e-9:
                raise AssertionError(f"BSA mismatch for {bsa}: {computed}")
            row[f"dose_{dose}"] = _cell(calc, "rounded_dose_mg", out["rounded_dose_mg"])
        rows.append(row)
    return Table(
        id="cyclophosphamide_dose_by_bsa",
        title="IV cyclophosphamide dose by body-surface area and mg/m²",
        caption=(
            f"Dose = mg/m² × BSA (Mosteller), rounded half up to {round_to_mg} mg [PC]. Review "
            "regimen 300–800 mg/m² monthly for at least 6 months. Not a prescription."
        ),
        columns=(
            Column(key="bsa_m2", label="BSA", unit="m²"),
            *(Column(key=f"dose_{dose}", label=f"{dose} mg/m²", unit="mg") for dose in doses),
        ),
        rows=tuple(rows),
        calculator_ids=(calc,),
        references=_references(calc),
    )


# --- BSA grid ------------------------------------------------------------------------------------


def bsa_grid_table(
    *,
    heights_cm: Iterable[int] = range(150, 201, 5),
    weights_kg: Iterable[int] = range(40, 131, 10),
) -> Table:
    """Mosteller BSA for a grid of heights (rows) and weights (columns)."""
    calc = "bsa_mosteller"
    weights = tuple(weights_kg)
    rows: list[Row] = []
    for height in heights_cm:
        row: dict[str, str] = {"height_cm": fmt(height)}
        for weight in weights:
            out = run(calc, {"height_cm": height, "weight_kg": weight}).outputs
            row[f"w{weight}"] = _cell(calc, "bsa_m2", out["bsa_m2"])
        rows.append(row)
    return Table(
        id="bsa_mosteller_grid",
        title="Body-surface area (Mosteller) by height and weight",
        caption="BSA = √(height_cm × weight_kg / 3600), in m², shown to 2 decimals.",
        columns=(
            Column(key="height_cm", label="Height", unit="cm"),
            *(Column(key=f"w{weight}", label=f"{weight} kg", unit="m²") for weight in weights),
        ),
        rows=tuple(rows),
        calculator_ids=(calc,),
        references=_references(calc),
    )


# --- Azathioprine ---------------------------------------------------------------------------------

AZA_STATUSES: tuple[tuple[str, str, str], ...] = (
    ("normal", "normal", "TPMT NM, NUDT15 NM"),
    ("intermediate", "normal", "One gene IM"),
    ("intermediate", "intermediate", "TPMT IM + NUDT15 IM"),
    ("poor", "normal", "Poor metabolizer"),
)


def azathioprine_target_table(
    *, weights_kg: Iterable[int] = range(40, 121, 10), crcl_ml_min: float = 90
) -> Table:
    """Azathioprine target (mg/day) by weight and TPMT/NUDT15 status, at one CrCl."""
    calc = "azathioprine_dosing"
    rows: list[Row] = []
    for weight in weights_kg:
        row: dict[str, str] = {"weight_kg": fmt(weight)}
        for index, (tpmt, nudt15, _) in enumerate(AZA_STATUSES):
            out = run(
                calc,
                {"weight_kg": weight, "tpmt": tpmt, "nudt15": nudt15, "crcl_ml_min": crcl_ml_min},
            ).outputs
            if out["target_mg_per_day"] is None:
                row[f"s{index}"] = "alternative"
            elif tpmt == nudt15 == "normal":
                row[f"s{index}"] = _cell(calc, "target_mg_per_day", out["target_mg_per_day"])
            else:
                start = out["start_range_mg_per_day"]
                assert isinstance(start, list)
                low, high = (_cell(calc, "start_range_mg_per_day", item) for item in start)
                row[f"s{index}"] = low if low == high else f"{low}–{high}"
        rows.append(row)
    return Table(
        id="azathioprine_target_by_weight",
        title="Azathioprine target by weight and TPMT/NUDT15 status",
        caption=(
            f"Target 2.5 mg/kg/day (review), CrCl {fmt(crcl_ml_min)} mL/min. Normal metabolizers: "
            "target floored to 25 mg. Intermediate: whole 25 mg tablets within CPIC's starting "
            "range (30–80% one gene; 20–50% both genes). Poor: consider a non-thiopurine "
            "alternative. Not a prescription."
        ),
        columns=(
            Column(key="weight_kg", label="Weight", unit="kg"),
            *(
                Column(key=f"s{index}", label=label, unit="mg/day")
                for index, (_, _, label) in enumerate(AZA_STATUSES)
            ),
        ),
        rows=tuple(rows),
        calculator_ids=(calc,),
        references=_references(calc),
    )


# --- PFT significant-change thresholds ------------------------------------------------------------

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
    pft, ppf = "pft_change", "ppf_physiologic_criterion_2022"
    rows: list[Row] = []
    for parameter in PFT_SIGNIFICANT_DECLINE:
        for baseline in baselines:
            base = Decimal(baseline)

            def relative(value: Decimal, parameter: str = parameter, base: Decimal = base) -> bool:
                inputs = {"parameter": parameter, "baseline_pct_pred": float(base)}
                out = run(pft, inputs | {"followup_pct_pred": float(value)}).outputs
                return out["significant_by_relative"] is True

            def absolute(value: Decimal, parameter: str = parameter, base: Decimal = base) -> bool:
                inputs = {"parameter": parameter, "baseline_pct_pred": float(base)}
                out = run(pft, inputs | {"followup_pct_pred": float(value)}).outputs
                return out["significant_by_absolute"] is True

            def ppf_2022(value: Decimal, parameter: str = parameter, base: Decimal = base) -> bool:
                inputs: dict[str, JSONValue] = {
                    "fvc_baseline": float(base),
                    "fvc_followup": float(base),
                    "dlco_baseline": float(base),
                    "dlco_followup": float(base),
                    "interval_months": 12,
                }
                inputs[f"{parameter.lower()}_followup"] = float(value)
                out = run(ppf, inputs).outputs
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
        calculator_ids=(pft, ppf),
        references=_references(pft, ppf),
    )


# --- GAP and ILD-GAP ------------------------------------------------------------------------

GAP_DEFAULTS: dict[str, JSONValue] = {
    "sex": "female",
    "age_years": GAP_AGE_LOW,
    "fvc_pct_pred": GAP_FVC_HIGH + 1,
    "dlco_pct_pred": GAP_DLCO_HIGH + 1,
}
GAP_CATEGORIES: tuple[tuple[str, str, str, JSONValue], ...] = (
    ("Gender", "female", "sex", "female"),
    ("Gender", "male", "sex", "male"),
    ("Age (years)", f"≤ {GAP_AGE_LOW}", "age_years", GAP_AGE_LOW),
    ("Age (years)", f"{GAP_AGE_LOW + 1}–{GAP_AGE_HIGH}", "age_years", GAP_AGE_HIGH),
    ("Age (years)", f"> {GAP_AGE_HIGH}", "age_years", GAP_AGE_HIGH + 1),
    ("FVC (% predicted)", f"> {GAP_FVC_HIGH}", "fvc_pct_pred", GAP_FVC_HIGH + 1),
    ("FVC (% predicted)", f"{GAP_FVC_LOW}–{GAP_FVC_HIGH}", "fvc_pct_pred", GAP_FVC_LOW),
    ("FVC (% predicted)", f"< {GAP_FVC_LOW}", "fvc_pct_pred", GAP_FVC_LOW - 1),
    ("DLCO (% predicted)", f"> {GAP_DLCO_HIGH}", "dlco_pct_pred", GAP_DLCO_HIGH + 1),
    (
        "DLCO (% predicted)",
        f"{GAP_DLCO_LOW + 1}–{GAP_DLCO_HIGH}",
        "dlco_pct_pred",
        GAP_DLCO_LOW + 1,
    ),
    ("DLCO (% predicted)", f"≤ {GAP_DLCO_LOW}", "dlco_pct_pred", GAP_DLCO_LOW),
    ("DLCO (% predicted)", "cannot perform", "dlco_pct_pred", CANNOT_PERFORM),
)
POINT_KEY = {"sex": "gender", "age_years": "age", "fvc_pct_pred": "fvc", "dlco_pct_pred": "dlco"}


def gap_points_table() -> Table:
    """GAP points per variable and category, read back from the calculator."""
    calc = "gap_index"
    rows: list[Row] = []
    for variable, category, field, value in GAP_CATEGORIES:
        out = run(calc, GAP_DEFAULTS | {field: value}).outputs
        points = out["points"]
        assert isinstance(points, dict)
        rows.append(
            {"variable": variable, "category": category, "points": str(points[POINT_KEY[field]])}
        )
    return Table(
        id="gap_points",
        title="GAP index: points",
        caption=(
            "Non-integer values: age 60 < a ≤ 65, FVC 50 ≤ x ≤ 75 and DLCO 35 < x ≤ 55 score 1 "
            "[PC]. 'Cannot perform' only when symptoms or lung function prevent the DLCO manoeuvre."
        ),
        columns=(
            Column(key="variable", label="Variable"),
            Column(key="category", label="Category"),
            Column(key="points", label="Points"),
        ),
        rows=tuple(rows),
        calculator_ids=(calc,),
        references=_references(calc),
    )


def _gap_combinations() -> list[dict[str, JSONValue]]:
    by_field: dict[str, list[JSONValue]] = {}
    for _, _, field, value in GAP_CATEGORIES:
        by_field.setdefault(field, []).append(value)
    fields = list(by_field)
    return [dict(zip(fields, combo, strict=True)) for combo in product(*by_field.values())]


def _mortality_text(value: JSONValue, calc: str) -> dict[str, str]:
    assert isinstance(value, dict)
    precision = get(calc).output("mortality_pct").precision
    return {f"mortality_{key}": format_value(item, precision, "") for key, item in value.items()}


def gap_stage_table() -> Table:
    """GAP total → stage and mortality, from every category combination run through GAP."""
    calc = "gap_index"
    by_total: dict[int, dict[str, str]] = {}
    for inputs in _gap_combinations():
        out = run(calc, inputs).outputs
        total = out["total"]
        assert isinstance(total, int)
        row = {"total": str(total), "stage": str(out["stage"])}
        row |= _mortality_text(out["mortality_pct"], calc)
        if by_total.setdefault(total, row) != row:
            raise AssertionError(f"GAP total {total} maps to two different stages")
    return Table(
        id="gap_stages",
        title="GAP index: stage and mortality",
        caption="Mortality (%) at 1, 2 and 3 years by GAP stage (Ley 2012). Derived in IPF.",
        columns=(
            Column(key="total", label="GAP index"),
            Column(key="stage", label="Stage"),
            Column(key="mortality_1y", label="1 year", unit="%"),
            Column(key="mortality_2y", label="2 years", unit="%"),
            Column(key="mortality_3y", label="3 years", unit="%"),
        ),
        rows=tuple(by_total[total] for total in sorted(by_total)),
        calculator_ids=(calc,),
        references=_references(calc),
    )


def ild_gap_subtype_table() -> Table:
    """ILD-GAP subtype points, read back from the calculator."""
    calc = "ild_gap_index"
    rows: list[Row] = []
    for subtype, label in ILD_SUBTYPE_CHOICES:
        out = run(calc, GAP_DEFAULTS | {"ild_subtype": subtype}).outputs
        points = out["points"]
        assert isinstance(points, dict)
        rows.append({"subtype": label, "points": str(points["subtype"])})
    return Table(
        id="ild_gap_subtype_points",
        title="ILD-GAP: subtype points (added to the GAP points)",
        caption="Total = max(0, subtype points + GAP gender, age and physiology points).",
        columns=(Column(key="subtype", label="ILD subtype"), Column(key="points", label="Points")),
        rows=tuple(rows),
        calculator_ids=(calc,),
        references=_references(calc),
    )


def ild_gap_band_table() -> Table:
    """ILD-GAP total → band and mortality, from every subtype and category combination."""
    calc = "ild_gap_index"
    by_total: dict[int, dict[str, str]] = {}
    for subtype, _ in ILD_SUBTYPE_CHOICES:
        for inputs in _gap_combinations():
            out = run(calc, inputs | {"ild_subtype": subtype}).outputs
            total = out["total"]
            assert isinstance(total, int)
            row = {"total": str(total), "score_band": str(out["score_band"])}
            row |= _mortality_text(out["mortality_pct"], calc)
            if by_total.setdefault(total, row) != row:
                raise AssertionError(f"ILD-GAP total {total} maps to two different bands")
    return Table(
        id="ild_gap_bands",
        title="ILD-GAP: score band and mortality",
        caption=(
            "Mortality (%) at 1 and 3 years by ILD-GAP score (Ryerson 2014); the 2-year column was "
            "not verified. Myositis-ILD, especially anti-MDA5, was not represented."
        ),
        columns=(
            Column(key="total", label="ILD-GAP index"),
            Column(key="score_band", label="Band"),
            Column(key="mortality_1y", label="1 year", unit="%"),
            Column(key="mortality_3y", label="3 years", unit="%"),
        ),
        rows=tuple(by_total[total] for total in sorted(by_total)),
        calculator_ids=(calc,),
        references=_references(calc),
    )


def build_tables() -> tuple[Table, ...]:
    """Every handbook table, in the order they are printed."""
    return (
        ivig_dose_table(height_cm=175, sex="male"),
        ivig_dose_table(height_cm=162, sex="female"),
        ivig_dose_grid_table(sex="male"),
        ivig_dose_grid_table(sex="female"),
        prednisone_initial_table(),
        cyclophosphamide_bsa_table(),
        bsa_grid_table(),
        azathioprine_target_table(),
        pft_threshold_table(),
        gap_points_table(),
        gap_stage_table(),
        ild_gap_subtype_table(),
        ild_gap_band_table(),
    )
