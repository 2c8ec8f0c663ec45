"""Spec A4–A9: IVIg, prednisone, methylprednisolone, MMF, azathioprine, cyclophosphamide."""

from __future__ import annotations

from typing import Any

import pytest

from tests.calculators.helpers import errors, notice_ids, outputs, result

# --- A3/A4 IVIg -----

MALE_175 = {"height_cm": 175, "sex": "male", "age_years": 50}
# The weight policy and the number of days have no default: each changes a dose.
NBA_2_DAYS = {"days": 2, "adjustment_policy": "nba_2026"}


def test_ivig_spec_example() -> None:
    res = result(
        "ivig_dose",
        weight_kg=100,
        dose_g_per_kg=2,
        adjustment_policy="nba_2026",
        days=2,
        **MALE_175,
    )
    out = res["outputs"]
    assert out["ibw_kg"] == pytest.approx(70.46, abs=0.005)
    assert out["adjusted_weight_kg"] == pytest.approx(82.28, abs=0.005)
    assert out["dosing_weight_kg"] == pytest.approx(82.28, abs=0.005)
    assert out["total_dose_g"] == pytest.approx(164.56, abs=0.005)
    assert out["rounded_dose_g"] == 165
    assert out["dose_per_day_g"] == pytest.approx(82.28, abs=0.005)
    assert out["weight_basis"] == "adjusted"
    assert res["explanation"] == [
        "IBW (male) = 50 + 2.3 × (175 cm × 0.393701 = 68.90 in − 60) = 70.46 kg",
        "DDW = 70.46 + 0.4 × (100 − 70.46) = 82.28 kg",
        "Dosing weight = DDW = 82.28 kg",
        "Total = 82.28 kg × 2 g/kg = 164.56 g → 165 g (nearest 5 g, halves up)",
        "Per day = 164.56 g / 2 days = 82.28 g/day",
    ]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"age_years": 17}, "age < 18 years"),
        ({"height_cm": 151.9}, "height < 152 cm"),
        ({"pregnant": True}, "pregnancy"),
        ({"weight_kg": 70}, "actual weight is below the adjusted weight"),
        ({"adjustment_policy": "actual_weight"}, "the chosen policy is actual body weight"),
    ],
)
def test_ivig_uses_actual_weight_when_excluded(overrides: dict[str, Any], reason: str) -> None:
    inputs = {"weight_kg": 100, **MALE_175, **NBA_2_DAYS, **overrides}
    res = result("ivig_dose", **inputs)
    assert res["outputs"]["weight_basis"] == "actual"
    assert res["outputs"]["dosing_weight_kg"] == inputs["weight_kg"]
    assert reason in res["explanation"][2]


def test_ivig_height_152_is_not_excluded() -> None:
    assert outputs(
        "ivig_dose", weight_kg=100, height_cm=152, sex="female", age_years=40, **NBA_2_DAYS
    )["weight_basis"] == ("adjusted")


def test_ivig_age_18_is_not_excluded() -> None:
    assert outputs("ivig_dose", weight_kg=100, **(MALE_175 | NBA_2_DAYS | {"age_years": 18}))[
        "weight_basis"
    ] == ("adjusted")


def test_ivig_ontario_adjusts_only_above_bmi_30() -> None:
    # 175 cm: BMI 30 at 91.875 kg.
    at_30 = outputs(
        "ivig_dose", weight_kg=91.875, days=2, adjustment_policy="ontario_bmi_over_30", **MALE_175
    )
    above = outputs(
        "ivig_dose", weight_kg=92, days=2, adjustment_policy="ontario_bmi_over_30", **MALE_175
    )
    assert at_30["weight_basis"] == "actual"
    assert above["weight_basis"] == "adjusted"


def test_ivig_ontario_pregnancy_uses_pre_pregnancy_weight() -> None:
    res = result(
        "ivig_dose",
        weight_kg=110,
        pregnant=True,
        days=2,
        adjustment_policy="ontario_bmi_over_30",
        **MALE_175,
    )
    assert res["outputs"]["weight_basis"] == "adjusted"
    assert "ivig_pregnancy_weight" in notice_ids(res, "warnings")


def test_ivig_has_no_default_weight_policy() -> None:
    raw = {"weight_kg": 92, "height_cm": 168, "sex": "female", "age_years": 50, "days": 2}
    assert errors("ivig_dose", raw) == {
        "adjustment_policy": "adjustment_policy: required field is missing; choose the weight "
        "policy your programme uses; the dose under each policy is shown once it is chosen"
    }


def test_ivig_shows_the_dose_under_every_policy() -> None:
    """92 kg, 168 cm woman: IBW 59.63, adjusted 72.58 kg; 184 g (185 g) against 145.15 g (145 g)."""
    res = result(
        "ivig_dose",
        weight_kg=92,
        height_cm=168,
        sex="female",
        age_years=50,
        days=2,
        adjustment_policy="actual_weight",
    )
    out = res["outputs"]
    assert out["total_dose_g"] == pytest.approx(184.0)
    assert out["rounded_dose_g"] == 185
    assert out["adjusted_weight_kg"] == pytest.approx(72.58, abs=0.005)
    assert out["dose_by_policy_g"] == {
        "actual_weight": 185,
        "nba_2026": 145,
        "ontario_bmi_over_30": 145,
    }
    assert res["display"]["dose_by_policy_g"] == (
        "Actual body weight: 185 g · Adjusted body weight (NBA 2026): 145 g · Adjusted if BMI > "
        "30 (Ontario): 145 g"
    )
    assert res["display"]["basis_by_policy"] == (
        "Actual body weight: actual weight 92 kg, 184.00 g before rounding (no adjustment) · "
        "Adjusted body weight (NBA 2026): adjusted weight 72.58 kg, 145.15 g before rounding (NBA "
        "BloodSTAR default from 1 July 2026) · Adjusted if BMI > 30 (Ontario): adjusted weight "
        "72.58 kg, 145.15 g before rounding (Ontario IVIG dose calculator)"
    )
    assert "ivig_policy_changes_dose" in notice_ids(res, "warnings")


def test_ivig_policy_row_says_why_actual_weight_is_used() -> None:
    out = outputs(
        "ivig_dose",
        weight_kg=92,
        height_cm=168,
        sex="female",
        age_years=50,
        days=2,
        pregnant=True,
        adjustment_policy="nba_2026",
    )
    assert out["rounded_dose_g"] == 185
    assert out["dose_by_policy_g"]["nba_2026"] == 185
    assert out["basis_by_policy"]["nba_2026"] == (
        "actual weight 92 kg, 184.00 g before rounding, because pregnancy (NBA BloodSTAR default "
        "from 1 July 2026)"
    )


@pytest.mark.parametrize(("weight", "rounded"), [(81.25, 165), (81.24, 160), (81.2, 160)])
def test_ivig_rounds_half_up_to_5_g(weight: float, rounded: int) -> None:
    out = outputs(
        "ivig_dose", weight_kg=weight, days=2, adjustment_policy="actual_weight", **MALE_175
    )
    assert out["rounded_dose_g"] == rounded


def test_ivig_one_day_course_warns() -> None:
    res = result("ivig_dose", weight_kg=100, days=1, adjustment_policy="nba_2026", **MALE_175)
    assert res["warnings"][0]["message"] == (
        "days: 1 days is outside the usual range at least 2 days (usually split over 2–5 "
        "consecutive days)"
    )


def test_ivig_rejects_more_than_2_g_per_kg() -> None:
    raw = {"weight_kg": 100, "dose_g_per_kg": 2.5, **MALE_175, **NBA_2_DAYS}
    assert errors("ivig_dose", raw) == {
        "dose_g_per_kg": "dose_g_per_kg: 2.5 g/kg is outside the accepted range 0.2–2 g/kg (the "
        "review regimen is 2 g/kg per course; larger courses are not accepted)"
    }


# --- A5 prednisone -----


def test_prednisone_120_kg_is_capped_at_80() -> None:
    res = result("prednisone_initial_dose", weight_kg=120, round_to_mg=5)
    assert res["outputs"]["dose_mg_per_day"] == 80
    assert res["outputs"]["capped"] is True
    assert res["caps_applied"] == [
        {
            "id": "prednisone_max_daily",
            "message": "Capped at 80 mg/day (the review: generally not exceeding 80 mg daily).",
            "reference": "moghadam-kia-oddis-2023",
        }
    ]


@pytest.mark.parametrize(
    ("weight", "step", "dose"),
    [(67, 5, 65), (67, 2.5, 67.5), (72.5, 5, 75), (77.5, 5, 80), (82.5, 5, 80), (80, 5, 80)],
)
def test_prednisone_rounding_half_up(weight: float, step: float, dose: float) -> None:
    assert outputs("prednisone_initial_dose", weight_kg=weight, round_to_mg=step)[
        "dose_mg_per_day"
    ] == (dose)


def test_prednisone_80_kg_is_not_capped_but_80_5_is() -> None:
    assert outputs("prednisone_initial_dose", weight_kg=80, round_to_mg=5)["capped"] is False
    assert outputs("prednisone_initial_dose", weight_kg=80.5, round_to_mg=5)["capped"] is True


def test_prednisone_rounding_never_exceeds_a_lower_cap() -> None:
    out = outputs("prednisone_initial_dose", weight_kg=70, max_mg_per_day=63, round_to_mg=5)
    assert out == {"dose_mg_per_day": 60, "capped": True, "unrounded_mg_per_day": 70.0}


def test_prednisone_cap_cannot_exceed_80() -> None:
    raw = {"weight_kg": 70, "max_mg_per_day": 100, "round_to_mg": 5}
    assert errors("prednisone_initial_dose", raw) == {
        "max_mg_per_day": "max_mg_per_day: 100 mg/day is outside the accepted range 5–80 mg/day "
        "(the review's ceiling is 80 mg/day)"
    }


def test_prednisone_taper_spec_example() -> None:
    res = result(
        "prednisone_taper_schedule",
        start_mg=60,
        taper_fraction_per_month=0.2,
        round_to_mg=2.5,
        floor_mg=5,
    )
    assert res["outputs"] == {
        "monthly_doses_mg": [60, 47.5, 37.5, 30, 25, 20, 15, 12.5, 10, 7.5, 5],
        "months_to_floor": 10,
    }
    assert res["explanation"][0] == "Month 1: 60 × 0.8 = 48 → 47.5 mg"
    assert res["display"]["monthly_doses_mg"] == (
        "60, 47.5, 37.5, 30, 25, 20, 15, 12.5, 10, 7.5, 5 mg/day"
    )


def test_taper_subtracts_one_step_when_rounding_gives_no_decrease() -> None:
    out = outputs(
        "prednisone_taper_schedule",
        start_mg=10,
        taper_fraction_per_month=0.2,
        round_to_mg=5,
        floor_mg=5,
    )
    assert out["monthly_doses_mg"] == [10, 5]
    res = result(
        "prednisone_taper_schedule",
        start_mg=5,
        taper_fraction_per_month=0.2,
        round_to_mg=2.5,
        floor_mg=2.5,
    )
    assert res["outputs"]["monthly_doses_mg"] == [5, 2.5]
    assert res["explanation"][0] == (
        "Month 1: 5 × 0.8 = 4 → 5 mg; no decrease after rounding, so one step less = 2.5 mg"
    )


def test_taper_never_goes_below_the_floor() -> None:
    out = outputs(
        "prednisone_taper_schedule",
        start_mg=20,
        taper_fraction_per_month=0.25,
        round_to_mg=5,
        floor_mg=7,
    )
    assert out["monthly_doses_mg"] == [20, 15, 10, 7]


TAPER_CHOICES = {"taper_fraction_per_month": 0.2, "round_to_mg": 2.5, "floor_mg": 5}


def test_taper_has_no_default_policy() -> None:
    """Reduction, tablet step and floor each change every month's dose: no silent default."""
    assert errors("prednisone_taper_schedule", {"start_mg": 40}) == {
        "taper_fraction_per_month": "taper_fraction_per_month: required field is missing",
        "round_to_mg": "round_to_mg: required field is missing",
        "floor_mg": "floor_mg: required field is missing",
    }


def test_taper_reduction_may_be_given_in_percent() -> None:
    percent = {**TAPER_CHOICES, "taper_fraction_per_month": {"value": 20, "unit": "%"}}
    out = outputs("prednisone_taper_schedule", start_mg=60, **percent)
    assert out["monthly_doses_mg"] == [60, 47.5, 37.5, 30, 25, 20, 15, 12.5, 10, 7.5, 5]


def test_taper_warns_when_the_planned_course_is_under_12_months() -> None:
    res = result("prednisone_taper_schedule", start_mg=40, planned_total_months=11, **TAPER_CHOICES)
    assert "prednisone_course_short" in notice_ids(res, "warnings")
    res = result("prednisone_taper_schedule", start_mg=40, planned_total_months=12, **TAPER_CHOICES)
    assert "prednisone_course_short" not in notice_ids(res, "warnings")


def test_glucocorticoid_safety_is_flagged() -> None:
    for calc_id, inputs in (
        ("prednisone_initial_dose", {"weight_kg": 70, "round_to_mg": 5}),
        ("prednisone_taper_schedule", {"start_mg": 40, **TAPER_CHOICES}),
        ("methylprednisolone_pulse", {}),
    ):
        assert "glucocorticoid_safety" in notice_ids(result(calc_id, **inputs), "warnings")


# --- A6 methylprednisolone -----


def test_methylprednisolone_pulse_is_3_g_over_3_days() -> None:
    res = result("methylprednisolone_pulse")
    assert res["outputs"] == {"total_mg": 3000, "dose_days": [1, 2, 3], "daily_mg": 1000}
    assert "methylprednisolone_not_review_regimen" not in notice_ids(res, "warnings")


def test_methylprednisolone_other_regimens_warn() -> None:
    res = result("methylprednisolone_pulse", daily_mg=500, days=3)
    assert res["outputs"]["total_mg"] == 1500
    assert "methylprednisolone_not_review_regimen" in notice_ids(res, "warnings")


# --- A7 mycophenolate -----

MMF = {
    "start_mg_per_dose": 500,
    "increment_mg_per_day": 500,
    "interval_weeks": 2,
    "target_mg_per_day": 3000,
}


@pytest.mark.parametrize(("gfr", "capped"), [(25, False), (24.9, True), (60, False)])
def test_mmf_renal_cap_applies_below_gfr_25_only(gfr: float, capped: bool) -> None:
    res = result("mycophenolate_titration", **MMF, gfr_ml_min_1_73m2=gfr)
    assert res["outputs"]["renal_cap_applied"] is capped
    assert res["outputs"]["effective_target_mg_per_day"] == (2000 if capped else 3000)
    assert ("mmf_renal_cap" in notice_ids(res, "caps_applied")) is capped


def test_mmf_warns_in_severe_renal_impairment_even_without_reduction() -> None:
    res = result(
        "mycophenolate_titration", **(MMF | {"target_mg_per_day": 2000}), gfr_ml_min_1_73m2=20
    )
    assert res["outputs"]["renal_cap_applied"] is False
    assert "mmf_severe_renal_impairment" in notice_ids(res, "warnings")


def test_mmf_without_gfr_warns() -> None:
    res = result("mycophenolate_titration", **MMF)
    assert "renal_function_not_given" in notice_ids(res, "warnings")


def test_mmf_splits_uneven_daily_doses_larger_first() -> None:
    res = result(
        "mycophenolate_titration",
        start_mg_per_dose=250,
        increment_mg_per_day=250,
        interval_weeks=1,
        target_mg_per_day=1000,
    )
    assert res["outputs"]["schedule_week_mg_per_day"] == [[0, 500], [1, 750], [2, 1000]]
    assert res["outputs"]["schedule_doses_mg"] == [
        [0, [250, 250]],
        [1, [500, 250]],
        [2, [500, 500]],
    ]
    assert res["display"]["schedule_doses_mg"] == (
        "week 0: 250 + 250 mg; week 1: 500 + 250 mg; week 2: 500 + 500 mg"
    )
    assert "mmf_uneven_split" in notice_ids(res, "warnings")


def test_mmf_start_above_target_starts_at_target() -> None:
    res = result(
        "mycophenolate_titration",
        start_mg_per_dose=1500,
        increment_mg_per_day=500,
        interval_weeks=2,
        target_mg_per_day=3000,
        gfr_ml_min_1_73m2=20,
    )
    assert res["outputs"]["schedule_week_mg_per_day"] == [[0, 2000]]
    assert notice_ids(res, "caps_applied") == ["mmf_renal_cap", "mmf_start_above_target"]


# --- A8 azathioprine -----

AZA = {"weight_kg": 70, "crcl_ml_min": 90}


def test_azathioprine_normal_metabolizers() -> None:
    out = outputs("azathioprine_dosing", tpmt="normal", nudt15="normal", **AZA)
    assert out["target_mg_per_day"] == 175
    assert out["schedule_week_mg_per_day"] == [[0, 50], [2, 100], [4, 150], [6, 175]]
    assert out["fraction_of_normal"] == [1.0, 1.0]
    assert out["start_range_mg_per_day"] == [50, 50]


@pytest.mark.parametrize("gene", ["tpmt", "nudt15"])
@pytest.mark.parametrize("status", ["intermediate", "possible_intermediate"])
def test_azathioprine_one_intermediate_gene(gene: str, status: str) -> None:
    genes = {"tpmt": "normal", "nudt15": "normal"} | {gene: status}
    out = outputs("azathioprine_dosing", **genes, **AZA)
    assert out["recommendation"] == "reduced_start_30_80"
    assert out["fraction_of_normal"] == [0.3, 0.8]
    assert out["start_range_mg_per_day"] == [75, 125]
    assert out["target_mg_per_day"] == 125


def test_azathioprine_both_intermediate_uses_the_2024_update() -> None:
    res = result("azathioprine_dosing", tpmt="intermediate", nudt15="intermediate", **AZA)
    out = res["outputs"]
    assert out["recommendation"] == "reduced_start_20_50"
    assert out["fraction_of_normal"] == [0.2, 0.5]
    assert out["start_range_mg_per_day"] == [50, 75]  # 35–87.5 mg/day in whole 25 mg tablets
    assert "CPIC March 2024 update" in out["recommendation_text"]


def test_azathioprine_intermediate_interval_is_at_least_2_weeks() -> None:
    res = result(
        "azathioprine_dosing", tpmt="intermediate", nudt15="normal", interval_weeks=1, **AZA
    )
    assert res["outputs"]["schedule_week_mg_per_day"] == [[0, 50], [2, 100], [4, 125]]
    assert notice_ids(res, "caps_applied") == ["azathioprine_interval_lengthened"]


@pytest.mark.parametrize(
    ("tpmt", "nudt15"), [("poor", "normal"), ("normal", "poor"), ("intermediate", "poor")]
)
def test_azathioprine_poor_metabolizer_gets_no_dose(tpmt: str, nudt15: str) -> None:
    out = outputs("azathioprine_dosing", tpmt=tpmt, nudt15=nudt15, **AZA)
    assert out["recommendation"] == "consider_alternative"
    assert out["target_mg_per_day"] is None
    assert out["schedule_week_mg_per_day"] == []
    assert out["fraction_of_normal"] is None


def test_azathioprine_indeterminate_phenotypes() -> None:
    tpmt = result("azathioprine_dosing", tpmt="indeterminate", nudt15="normal", **AZA)
    assert tpmt["outputs"]["recommendation"] == "determine_tpmt_phenotype"
    assert tpmt["outputs"]["target_mg_per_day"] is None
    nudt15 = result("azathioprine_dosing", tpmt="normal", nudt15="indeterminate", **AZA)
    assert nudt15["outputs"]["recommendation"] == "normal_dose"
    assert "nudt15_indeterminate" in notice_ids(nudt15, "warnings")


@pytest.mark.parametrize(
    ("crcl", "factor", "target"),
    [
        (90, 1.0, 175),
        (50.1, 1.0, 175),
        (50, 0.75, 125),
        (30, 0.75, 125),
        (10, 0.75, 125),
        (9.9, 0.5, 75),
    ],
)
def test_azathioprine_renal_bands(crcl: float, factor: float, target: int) -> None:
    out = outputs(
        "azathioprine_dosing", weight_kg=70, tpmt="normal", nudt15="normal", crcl_ml_min=crcl
    )
    assert out["renal_factor"] == factor
    assert out["target_mg_per_day"] == target


def test_azathioprine_target_is_floored_to_25_mg() -> None:
    assert (
        outputs("azathioprine_dosing", weight_kg=71, tpmt="normal", nudt15="normal")[
            "target_mg_per_day"
        ]
        == 175
    )  # 177.5 → 175


# --- A9 cyclophosphamide -----


CYC_180_80 = {"height_cm": 180, "weight_kg": 80, "bsa_formula": "mosteller"}


def test_cyclophosphamide_bsa_dose() -> None:
    res = result("cyclophosphamide_iv_bsa_dose", **CYC_180_80, dose_mg_per_m2=500, round_to_mg=10)
    assert res["outputs"]["bsa_m2"] == pytest.approx(2.0)
    assert res["outputs"]["dose_mg"] == pytest.approx(1000.0)
    assert res["outputs"]["rounded_dose_mg"] == 1000
    assert res["explanation"][1] == (
        "Dose = 500 mg/m² × 2.0000 m² = 1000.0 mg → 1000 mg (nearest 10 mg, halves up) [PC]"
    )


@pytest.mark.parametrize(
    ("per_m2", "step", "rounded"), [(302.5, 10, 610), (312.5, 50, 650), (301, 25, 600)]
)
def test_cyclophosphamide_rounding_halves_up(per_m2: float, step: int, rounded: int) -> None:
    out = outputs(
        "cyclophosphamide_iv_bsa_dose",
        **CYC_180_80,
        dose_mg_per_m2=per_m2,
        round_to_mg=step,
    )
    assert out["rounded_dose_mg"] == rounded


@pytest.mark.parametrize("per_m2", [299.9, 800.1])
def test_cyclophosphamide_outside_300_800_is_an_error(per_m2: float) -> None:
    raw = {**CYC_180_80, "dose_mg_per_m2": per_m2, "round_to_mg": 10}
    assert errors("cyclophosphamide_iv_bsa_dose", raw) == {
        "dose_mg_per_m2": f"dose_mg_per_m2: {per_m2} mg/m² is outside the accepted range "
        "300–800 mg/m² (the review's regimen is 300–800 mg/m² monthly)"
    }


def test_cyclophosphamide_dubois_option() -> None:
    out = outputs(
        "cyclophosphamide_iv_bsa_dose",
        height_cm=180,
        weight_kg=80,
        dose_mg_per_m2=500,
        bsa_formula="dubois",
        round_to_mg=10,
    )
    assert out["bsa_m2"] == pytest.approx(1.9964, abs=5e-5)
    assert out["rounded_dose_mg"] == 1000  # 998.2 → 1000
    assert out["dose_by_formula_mg"] == {"mosteller": 1000, "dubois": 1000}


def test_cyclophosphamide_has_no_default_formula_or_rounding() -> None:
    raw = {"height_cm": 180, "weight_kg": 80, "dose_mg_per_m2": 500}
    assert errors("cyclophosphamide_iv_bsa_dose", raw) == {
        "bsa_formula": "bsa_formula: required field is missing",
        "round_to_mg": "round_to_mg: required field is missing",
    }


def test_cyclophosphamide_large_dose_is_flagged_without_a_cap() -> None:
    """190 cm, 140 kg at 800 mg/m²: 2.7183 m² × 800 = 2174.6 mg → 2170 mg, flagged."""
    res = result(
        "cyclophosphamide_iv_bsa_dose",
        height_cm=190,
        weight_kg=140,
        dose_mg_per_m2=800,
        bsa_formula="mosteller",
        round_to_mg=10,
    )
    out = res["outputs"]
    assert out["bsa_m2"] == pytest.approx(2.71825, abs=5e-5)
    assert out["rounded_dose_mg"] == 2170
    assert out["bmi_kg_m2"] == pytest.approx(38.78, abs=0.005)
    assert out["dose_by_formula_mg"] == {"mosteller": 2170, "dubois": 2110}  # 2106.96 → 2110
    (large,) = [w for w in res["warnings"] if w["id"] == "cyclophosphamide_large_dose"]
    assert large["message"].startswith(
        "Large dose: 2170 mg. BMI 38.8 is in the obese range (30 or more) [PC]; BSA 2.72 m² is "
        "above 2.4 m², the top of this guideline's dose table [PC]. No source cited here gives "
        "a maximum single dose"
    )
    assert "1.2 g" not in large["message"]  # the CYCLOPS cap is unverified: never guidance


def test_cyclophosphamide_usual_dose_is_not_flagged() -> None:
    res = result("cyclophosphamide_iv_bsa_dose", **CYC_180_80, dose_mg_per_m2=750, round_to_mg=10)
    assert "cyclophosphamide_large_dose" not in notice_ids(res, "warnings")


@pytest.mark.parametrize(
    ("age", "creatinine", "mg_per_kg"),
    [
        (59.9, 200, 15),
        (60, 200, 12.5),
        (70, 200, 12.5),
        (70.1, 200, 10),
        (59, 350, 12.5),
        (65, 350, 10),
        (75, 350, 7.5),
        (50, 150, 15),
        (50, 299.9, 15),
        (50, 500, 12.5),
    ],
)
def test_cyclops_table(age: float, creatinine: float, mg_per_kg: float) -> None:
    out = outputs(
        "cyclophosphamide_pulse_age_renal_adjusted",
        age_years=age,
        creatinine_umol_l=creatinine,
        weight_kg=70,
    )
    assert out["mg_per_kg"] == mg_per_kg
    assert out["dose_mg"] == pytest.approx(mg_per_kg * 70)


def test_cyclops_below_150_uses_the_first_column_with_a_warning() -> None:
    res = result(
        "cyclophosphamide_pulse_age_renal_adjusted",
        age_years=50,
        creatinine_umol_l=149,
        weight_kg=70,
    )
    assert res["outputs"]["mg_per_kg"] == 15
    assert "creatinine_below_150" in notice_ids(res, "warnings")


def test_cyclops_exactly_300_is_flagged_as_ambiguous() -> None:
    res = result(
        "cyclophosphamide_pulse_age_renal_adjusted",
        age_years=50,
        creatinine_umol_l=300,
        weight_kg=70,
    )
    assert res["outputs"]["mg_per_kg"] == 12.5
    assert notice_ids(res, "warnings") == ["anca_vasculitis_protocol", "creatinine_exactly_300"]


def test_cyclops_above_500_is_not_covered() -> None:
    raw = {"age_years": 50, "creatinine_umol_l": 500.1, "weight_kg": 70}
    assert errors("cyclophosphamide_pulse_age_renal_adjusted", raw) == {
        "creatinine_umol_l": "creatinine_umol_l: 500.1 µmol/L is outside the accepted range "
        "17.68–500 µmol/L (the EULAR 2009 / CYCLOPS table does not cover creatinine above 500 "
        "µmol/L)"
    }


def test_cyclops_accepts_mg_dl() -> None:
    out = outputs(
        "cyclophosphamide_pulse_age_renal_adjusted",
        age_years=50,
        creatinine_umol_l={"value": 4, "unit": "mg/dL"},
        weight_kg=70,
    )
    assert out["creatinine_band"] == "300–500 µmol/L"  # 4 mg/dL = 353.6 µmol/L
