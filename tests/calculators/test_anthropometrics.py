"""Spec A1–A3: BSA, Cockcroft–Gault and Devine IBW."""

from __future__ import annotations

import pytest

from tests.calculators.helpers import errors, notice_ids, outputs, result


def test_mosteller_spec_example() -> None:
    res = result("bsa_mosteller", height_cm=180, weight_kg=80)
    assert res["outputs"]["bsa_m2"] == pytest.approx(2.0000, abs=5e-5)
    assert res["display"] == {"bsa_m2": "2.00 m²"}
    assert res["explanation"] == ["BSA (Mosteller) = √(180 cm × 80 kg / 3600) = 2.00 m²"]


def test_dubois_spec_example_is_1_9964_not_1_9979() -> None:
    res = result("bsa_dubois", height_cm=180, weight_kg=80)
    assert res["outputs"]["bsa_m2"] == pytest.approx(1.9964, abs=5e-5)
    assert res["outputs"]["bsa_m2"] != pytest.approx(1.9979, abs=5e-5)
    assert res["explanation"] == ["BSA (DuBois) = 0.007184 × 80 kg^0.425 × 180 cm^0.725 = 2.00 m²"]
    assert notice_ids(res, "warnings") == ["dubois_obesity"]


def test_bsa_keeps_full_precision_and_only_display_is_rounded() -> None:
    res = result("bsa_mosteller", height_cm=170, weight_kg=70)
    assert res["outputs"]["bsa_m2"] == pytest.approx(1.818118, abs=1e-6)
    assert res["display"]["bsa_m2"] == "1.82 m²"


def test_cockcroft_gault_male() -> None:
    res = result(
        "creatinine_clearance_cockcroft_gault",
        age_years=60,
        weight_kg=72,
        serum_creatinine=1.0,
        scr_unit="mg/dL",
        sex="male",
    )
    assert res["outputs"]["crcl_ml_min"] == pytest.approx(80.0)
    assert res["explanation"][0] == (
        "CrCl = (140 − 60 y) × 72 kg / (72 × 1.00 mg/dL) = 80.0 mL/min"
    )


def test_cockcroft_gault_female_factor_and_umol_conversion() -> None:
    res = result(
        "creatinine_clearance_cockcroft_gault",
        age_years=60,
        weight_kg=72,
        serum_creatinine=88.4,
        scr_unit="umol/L",
        sex="female",
        weight_descriptor="ideal",
    )
    assert res["outputs"] == {"crcl_ml_min": pytest.approx(68.0), "weight_descriptor": "ideal"}
    assert res["explanation"] == [
        "SCr = 88.4 µmol/L ÷ 88.4 = 1.00 mg/dL",
        "CrCl = (140 − 60 y) × 72 kg / (72 × 1.00 mg/dL) = 80.0 mL/min",
        "× 0.85 (female) = 68.0 mL/min",
        "Weight used: ideal body weight. The result is not normalized to 1.73 m².",
    ]


@pytest.mark.parametrize("age", [17, 111])
def test_cockcroft_gault_is_adult_only(age: int) -> None:
    raw = {"age_years": age, "weight_kg": 70, "serum_creatinine": 1, "scr_unit": "mg/dL"}
    assert errors("creatinine_clearance_cockcroft_gault", raw | {"sex": "male"}) == {
        "age_years": f"age_years: {age} years is outside the accepted range 18–110 years"
    }


def test_devine_spec_example_and_female() -> None:
    assert outputs("ideal_body_weight_devine", height_cm=175, sex="male")["ibw_kg"] == (
        pytest.approx(70.46, abs=0.005)
    )
    assert outputs("ideal_body_weight_devine", height_cm=175, sex="female")["ibw_kg"] == (
        pytest.approx(65.96, abs=0.005)
    )


def test_devine_at_60_inches_is_the_base_weight() -> None:
    ibw = outputs("ideal_body_weight_devine", height_cm=152.4, sex="male")["ibw_kg"]
    assert ibw == pytest.approx(50 + 2.3 * (152.4 * 0.393701 - 60))
    assert ibw == pytest.approx(50.0, abs=0.001)


def test_devine_rejects_heights_below_60_inches() -> None:
    assert errors("ideal_body_weight_devine", {"height_cm": 152.3, "sex": "male"}) == {
        "height_cm": "height_cm: 152.3 cm is outside the accepted range 152.4–230 cm (the Devine "
        "formula is not defined below 60 in = 152.4 cm)"
    }
