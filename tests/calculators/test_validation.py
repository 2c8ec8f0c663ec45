"""Input validation: every kind of bad input, with the exact message the user sees."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from calculators import CalculatorInputError, run, run_json
from tests.calculators.helpers import errors, result

BSA = "bsa_mosteller"


def test_all_field_errors_are_reported_at_once() -> None:
    assert errors(BSA, {"height_cm": "tall", "weight_kg": 0, "colour": "red"}) == {
        "colour": "colour: unknown field; accepted fields are height_cm, weight_kg",
        "height_cm": 'height_cm: expected a number in cm, got "tall"',
        "weight_kg": "weight_kg: 0 kg is outside the accepted range 25–300 kg",
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "weight_kg: 0 kg is outside the accepted range 25–300 kg"),
        (-70, "weight_kg: -70 kg is outside the accepted range 25–300 kg"),
        (24.9, "weight_kg: 24.9 kg is outside the accepted range 25–300 kg"),
        (
            400,
            "weight_kg: 400 kg is outside the accepted range 25–300 kg; "
            'if this is in pounds, send {"value": …, "unit": "lb"}',
        ),
        ("", "weight_kg: empty value; enter a number in kg"),
        ("  ", "weight_kg: empty value; enter a number in kg"),
        (True, "weight_kg: expected a number in kg, got true (a boolean)"),
        ("70,5", 'weight_kg: expected a number in kg, got "70,5"; use a decimal point'),
        ("seventy", 'weight_kg: expected a number in kg, got "seventy"'),
        ("nan", 'weight_kg: expected a number in kg, got "nan"'),
        ("1e999", 'weight_kg: expected a finite number in kg, got "1e999"'),
        (float("nan"), "weight_kg: expected a finite number in kg, got NaN"),
        (float("inf"), "weight_kg: expected a finite number in kg, got Infinity"),
        ([70], "weight_kg: expected a number in kg, got [70]"),
    ],
)
def test_bad_weights(value: object, message: str) -> None:
    assert errors(BSA, {"height_cm": 180, "weight_kg": value}) == {"weight_kg": message}


@pytest.mark.parametrize("value", [25, 300, "25", " 300 ", "80.5", 80.5, "8.05e1"])
def test_boundary_and_string_weights_are_accepted(value: object) -> None:
    res = result(BSA, height_cm=180, weight_kg=value)
    assert math.isclose(res["inputs"]["weight_kg"], float(str(value).strip()))


def test_nan_and_infinity_in_json_text_are_field_errors() -> None:
    payload = json.loads(run_json(BSA, '{"height_cm": NaN, "weight_kg": -Infinity}'))
    assert payload == {
        "errors": [
            {
                "field": "height_cm",
                "message": "height_cm: expected a finite number in cm, got NaN",
                "unit": "cm",
                "accepted_min": 120.0,
                "accepted_max": 230.0,
            },
            {
                "field": "weight_kg",
                "message": "weight_kg: expected a finite number in kg, got -Infinity",
                "unit": "kg",
                "accepted_min": 25.0,
                "accepted_max": 300.0,
            },
        ]
    }


def test_height_in_metres_gets_a_unit_slip_hint() -> None:
    assert errors(BSA, {"height_cm": 1.8, "weight_kg": 80}) == {
        "height_cm": "height_cm: 1.8 cm is outside the accepted range 120–230 cm; looks like "
        "metres; enter centimetres (1.80 m = 180 cm)"
    }


def test_height_in_inches_gets_a_unit_slip_hint() -> None:
    assert errors(BSA, {"height_cm": 70, "weight_kg": 80}) == {
        "height_cm": "height_cm: 70 cm is outside the accepted range 120–230 cm; "
        'looks like inches; enter centimetres or send {"value": …, "unit": "in"}'
    }


def test_alternative_units_are_converted_and_shown() -> None:
    res = result(
        BSA, height_cm={"value": 70, "unit": "in"}, weight_kg={"value": 176.4, "unit": "lb"}
    )
    assert res["inputs"] == {"height_cm": 177.8, "weight_kg": pytest.approx(80.0137, abs=1e-4)}
    assert res["explanation"][:2] == [
        "height_cm: 70 in = 177.8 cm",
        "weight_kg: 176.4 lb = 80.0137 kg",
    ]


def test_wrong_unit() -> None:
    assert errors(BSA, {"height_cm": 180, "weight_kg": {"value": 11, "unit": "st"}}) == {
        "weight_kg": 'weight_kg: unit "st" is not accepted; use kg or lb'
    }


def test_out_of_range_in_an_alternative_unit_shows_both_units() -> None:
    assert errors(BSA, {"height_cm": 180, "weight_kg": {"value": 900, "unit": "lb"}}) == {
        "weight_kg": "weight_kg: 900 lb (408.23 kg) is outside the accepted range 25–300 kg"
    }


def test_missing_required_field() -> None:
    assert errors(BSA, {"height_cm": 180}) == {"weight_kg": "weight_kg: required field is missing"}


def test_null_counts_as_missing() -> None:
    assert errors(BSA, {"height_cm": 180, "weight_kg": None}) == {
        "weight_kg": "weight_kg: required field is missing"
    }


def test_unknown_choice() -> None:
    assert errors("ideal_body_weight_devine", {"height_cm": 175, "sex": "other"}) == {
        "sex": 'sex: "other" is not one of the accepted values: male, female'
    }


def test_choices_are_case_sensitive_machine_values() -> None:
    assert errors("ideal_body_weight_devine", {"height_cm": 175, "sex": "Male"}) == {
        "sex": 'sex: "Male" is not one of the accepted values: male, female'
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2026-02-30",
            'first_infusion_date: "2026-02-30" is not a real calendar date (YYYY-MM-DD)',
        ),
        ("03/02/2026", 'first_infusion_date: expected a date as YYYY-MM-DD, got "03/02/2026"'),
        ("20260302", 'first_infusion_date: expected a date as YYYY-MM-DD, got "20260302"'),
        (20260302, "first_infusion_date: expected a date as YYYY-MM-DD, got 20260302"),
        (
            "1899-12-31",
            "first_infusion_date: 1899-12-31 is outside the accepted dates 1900-01-01 to "
            "2100-12-31",
        ),
    ],
)
def test_bad_dates(value: object, message: str) -> None:
    assert errors("rituximab_schedule", {"first_infusion_date": value}) == {
        "first_infusion_date": message
    }


def test_whole_number_fields() -> None:
    assert errors("methylprednisolone_pulse", {"days": 2.5}) == {
        "days": "days: expected a whole number of days, got 2.5"
    }
    assert result("methylprednisolone_pulse", days="2.0")["inputs"]["days"] == 2


def test_closed_value_sets_for_numbers() -> None:
    assert errors("prednisone_initial_dose", {"weight_kg": 70, "round_to_mg": 3}) == {
        "round_to_mg": "round_to_mg: 3 mg is not one of the accepted values 1, 2.5, 5 mg"
    }


def test_multiples() -> None:
    raw = {
        "start_mg_per_dose": 300,
        "increment_mg_per_day": 500,
        "interval_weeks": 2,
        "target_mg_per_day": 3000,
    }
    assert errors("mycophenolate_titration", raw) == {
        "start_mg_per_dose": "start_mg_per_dose: 300 mg is not a multiple of 250 mg (250 mg "
        "capsules and 500 mg tablets)"
    }


def test_exclusive_lower_bound_message() -> None:
    assert errors("methylprednisolone_pulse", {"daily_mg": 0}) == {
        "daily_mg": "daily_mg: 0 mg/day is outside the accepted range above 0 and up to 1000 mg/day"
    }


def test_clinical_upper_limit_explains_itself() -> None:
    assert errors("methylprednisolone_pulse", {"daily_mg": 2000}) == {
        "daily_mg": "daily_mg: 2000 mg/day is outside the accepted range above 0 and up to 1000 "
        "mg/day (the review's pulse is 1000 mg/day)"
    }


def test_booleans() -> None:
    base = {"fvc_baseline": 70, "fvc_followup": 65, "dlco_baseline": 60, "dlco_followup": 55}
    assert result("omeract_ctd_ild_progression", **base, death="true")["inputs"]["death"] is True
    assert result("omeract_ctd_ild_progression", **base, death="FALSE")["inputs"]["death"] is False
    assert errors("omeract_ctd_ild_progression", {**base, "death": 1}) == {
        "death": "death: expected true or false, got 1"
    }
    assert errors("omeract_ctd_ild_progression", {**base, "death": "yes"}) == {
        "death": 'death: expected true or false, got "yes"'
    }


def test_number_or_choice() -> None:
    base = {"sex": "male", "age_years": 70, "fvc_pct_pred": 60}
    assert result("gap_index", **base, dlco_pct_pred="cannot_perform")["inputs"][
        "dlco_pct_pred"
    ] == ("cannot_perform")
    assert errors("gap_index", {**base, "dlco_pct_pred": "n/a"}) == {
        "dlco_pct_pred": "dlco_pct_pred: expected a number in % predicted or cannot_perform, got "
        '"n/a"'
    }


def test_missing_dlco_means_the_gap_model_does_not_apply() -> None:
    assert errors("gap_index", {"sex": "male", "age_years": 70, "fvc_pct_pred": 60}) == {
        "dlco_pct_pred": "dlco_pct_pred: required field is missing; choose 'Cannot perform' only "
        "if symptoms or lung function prevented the DLCO manoeuvre; if DLCO is missing for "
        "another reason the model does not apply"
    }


def test_percent_as_fraction_slip() -> None:
    raw = {"parameter": "FVC", "baseline_pct_pred": 0.75, "followup_pct_pred": 70}
    assert errors("pft_change", raw) == {
        "baseline_pct_pred": "baseline_pct_pred: 0.75 % predicted is outside the accepted range "
        "5–150 % predicted; looks like a fraction; enter percent predicted (0.75 = 75)"
    }


def test_creatinine_limits_are_shown_in_the_chosen_unit() -> None:
    raw = {
        "age_years": 60,
        "weight_kg": 70,
        "serum_creatinine": 2000,
        "scr_unit": "umol/L",
        "sex": "male",
    }
    assert errors("creatinine_clearance_cockcroft_gault", raw) == {
        "serum_creatinine": "serum_creatinine: 2000 µmol/L is outside the accepted range "
        "17.68–1768 µmol/L"
    }
    raw |= {"serum_creatinine": 88.4, "scr_unit": "mg/dL"}
    assert errors("creatinine_clearance_cockcroft_gault", raw) == {
        "serum_creatinine": "serum_creatinine: 88.4 mg/dL is outside the accepted range 0.2–20 "
        "mg/dL; looks like µmol/L; set scr_unit to umol/L"
    }


def test_soft_range_gives_a_warning_not_an_error() -> None:
    res = result(
        "prednisone_taper_schedule",
        start_mg=40,
        taper_fraction_per_month=0.3,
        round_to_mg=2.5,
        floor_mg=5,
    )
    assert res["warnings"][0] == {
        "id": "taper_fraction_per_month_outside_usual_range",
        "message": "taper_fraction_per_month: 0.3 fraction/month is outside the usual range "
        "0.2–0.25 fraction/month (the review tapers by 20–25% a month)",
        "reference": None,
    }


def test_input_must_be_an_object() -> None:
    assert errors(BSA, [180, 80]) == {
        "input": "input: expected an object of named fields, got [180, 80]"
    }


def test_unknown_calculator() -> None:
    with pytest.raises(CalculatorInputError) as info:
        run("bsa_haycock", {})
    (error,) = info.value.errors
    assert error.field == "calculator"
    assert error.message.startswith(
        'calculator: unknown id "bsa_haycock"; known ids are bsa_mosteller,'
    )


def test_defaults_are_filled_in_and_echoed() -> None:
    res = result(
        "ivig_dose",
        weight_kg=100,
        height_cm=175,
        sex="male",
        age_years=50,
        days=2,
        adjustment_policy="nba_2026",
    )
    assert res["inputs"] == {
        "weight_kg": 100.0,
        "height_cm": 175.0,
        "sex": "male",
        "age_years": 50.0,
        "dose_g_per_kg": 2.0,
        "days": 2,
        "pregnant": False,
        "adjustment_policy": "nba_2026",
    }


# --- run_json: the browser worker's entry point -----


def test_run_json_returns_the_result() -> None:
    payload = json.loads(run_json(BSA, '{"height_cm": 180, "weight_kg": 80}'))
    assert payload["outputs"] == {"bsa_m2": 2.0}
    assert payload["display"] == {"bsa_m2": "2.00 m²"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{bad",
            "input: malformed JSON (Expecting property name enclosed in double quotes: line 1 "
            "column 2 (char 1))",
        ),
        ('{"height_cm": 1, "height_cm": 2}', 'input: field "height_cm" is given twice'),
        ("[]", "input: expected an object of named fields, got []"),
        ("", "input: malformed JSON (Expecting value: line 1 column 1 (char 0))"),
    ],
)
def test_run_json_input_errors(text: str, message: str) -> None:
    assert json.loads(run_json(BSA, text)) == {"errors": [{"field": "input", "message": message}]}


def test_run_json_unknown_calculator_is_reported_before_the_input() -> None:
    payload = json.loads(run_json("nope", "{bad"))
    assert payload["errors"][0]["field"] == "calculator"


def test_run_json_never_raises_even_for_non_text() -> None:
    no_text: Any = None
    payload = json.loads(run_json(BSA, no_text))
    assert payload == {"errors": [{"field": "input", "message": "input: expected JSON text"}]}
    payload = json.loads(run_json(no_text, "{}"))
    assert payload["errors"][0]["field"] == "calculator"


def test_cross_field_errors_come_from_compute() -> None:
    assert errors("goh_staging", {"hrct_extent_pct": 20}) == {
        "fvc_pct_pred": "fvc_pct_pred: required when HRCT extent is 10–30% (indeterminate); got "
        "extent 20%"
    }


def test_errors_follow_the_declared_field_order() -> None:
    raw = {"sex": "x", "age_years": 10, "weight_kg": 10, "serum_creatinine": 1, "scr_unit": "mg/dL"}
    with pytest.raises(CalculatorInputError) as info:
        run("creatinine_clearance_cockcroft_gault", raw)
    assert [error.field for error in info.value.errors] == ["age_years", "weight_kg", "sex"]


def test_a_value_whose_unit_field_failed_is_only_checked_as_a_number() -> None:
    raw = {
        "age_years": 60,
        "weight_kg": 70,
        "serum_creatinine": 88,
        "scr_unit": "mmol/L",
        "sex": "male",
    }
    assert errors("creatinine_clearance_cockcroft_gault", raw) == {
        "scr_unit": 'scr_unit: "mmol/L" is not one of the accepted values: mg/dL, umol/L'
    }
    raw["serum_creatinine"] = "high"
    assert set(errors("creatinine_clearance_cockcroft_gault", raw)) == {
        "scr_unit",
        "serum_creatinine",
    }
