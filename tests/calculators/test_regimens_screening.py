"""Spec A10 fixed regimens and section C (IMACS screening actions)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.calculators.helpers import notice_ids, outputs, result


def test_rituximab_day_1_and_day_15() -> None:
    res = result("rituximab_schedule", first_infusion_date="2026-12-25")
    assert res["outputs"] == {
        "infusion_dates": ["2026-12-25", "2027-01-08"],
        "dose_mg_each": 1000,
        "total_mg": 2000,
    }
    assert res["display"]["infusion_dates"] == "2026-12-25, 2027-01-08"


def test_basiliximab_7_days_apart_with_label_caveat() -> None:
    res = result("basiliximab_schedule", first_dose_date="2027-02-25")
    assert res["outputs"] == {
        "dose_dates": ["2027-02-25", "2027-03-04"],
        "dose_mg_each": 20,
        "total_mg": 40,
    }
    assert "basiliximab_interval_differs_from_label" in notice_ids(res, "warnings")


def test_daratumumab_weekly_times_4_across_a_leap_day() -> None:
    assert outputs("daratumumab_schedule", first_dose_date="2028-02-15") == {
        "dose_dates": ["2028-02-15", "2028-02-22", "2028-02-29", "2028-03-07"],
        "dose_mg_each": 1800,
        "total_mg": 7200,
    }


def test_pamidronate_is_unrounded() -> None:
    assert outputs("pamidronate_calcinosis", weight_kg=71.3) == {
        "dose_mg_per_day": 71.3,
        "days_per_cycle": 3,
        "total_mg_per_cycle": 213.9,
        "cycle_interval_months": 3,
    }


@pytest.mark.parametrize(
    ("dose", "frequency", "daily", "allowed"),
    [
        (5, "twice_daily", 10, True),
        (10, "twice_daily", 20, True),
        (5, "once_daily", 5, False),
        (7.5, "twice_daily", 15, False),
    ],
)
def test_tofacitinib(dose: float, frequency: str, daily: float, allowed: bool) -> None:
    assert outputs("tofacitinib_regimen", dose_mg=dose, frequency=frequency) == {
        "daily_mg": daily,
        "allowed": allowed,
    }


@pytest.mark.parametrize(
    ("daily", "within", "position"),
    [(59.9, False, "below"), (60, True, "within"), (240, True, "within"), (240.1, False, "above")],
)
def test_diltiazem_range_is_inclusive_and_only_warns(
    daily: float, within: bool, position: str
) -> None:
    res = result("diltiazem_range_check", daily_mg=daily)
    assert res["outputs"] == {"within_range": within, "position": position}
    assert ("diltiazem_outside_review_range" in notice_ids(res, "warnings")) is not within


# --- IMACS -----

ADULT: dict[str, Any] = {
    "age_at_onset": 55,
    "cancer_detected_at_diagnosis": False,
    "anti_tif1g_dm": False,
    "additional_high_risk_feature": False,
    "npc_endemic_region": False,
}


@pytest.mark.parametrize(
    ("category", "panels", "annual", "pet", "gi"),
    [
        ("standard", ["basic"], False, False, False),
        ("moderate", ["basic", "enhanced"], False, False, False),
        ("high", ["basic", "enhanced"], True, True, True),
    ],
)
def test_imacs_actions_by_category(
    category: str, panels: list[str], annual: bool, pet: bool, gi: bool
) -> None:
    out = outputs("imacs_screening_plan", risk_category=category, **ADULT)
    assert out["routine_screening_required"] is True
    assert out["panels_at_diagnosis"] == panels
    assert out["annual_repeat_for_3_years"] is annual
    assert out["consider_pet_ct"] is pet
    assert out["consider_gi_endoscopy"] is gi
    assert out["consider_nasoendoscopy"] is False
    assert list(out["panel_contents"]) == panels


def test_imacs_high_risk_with_cancer_found_needs_no_pet_or_endoscopy() -> None:
    res = result(
        "imacs_screening_plan",
        risk_category="high",
        **(ADULT | {"cancer_detected_at_diagnosis": True}),
    )
    assert res["outputs"]["consider_pet_ct"] is False
    assert res["outputs"]["consider_gi_endoscopy"] is False
    assert "cancer_detected" in notice_ids(res, "warnings")


@pytest.mark.parametrize(("age", "pet"), [(40, False), (40.1, True)])
def test_imacs_tif1g_pet_route_needs_onset_over_40(age: float, pet: bool) -> None:
    inputs = ADULT | {
        "age_at_onset": age,
        "anti_tif1g_dm": True,
        "additional_high_risk_feature": True,
    }
    assert (
        outputs("imacs_screening_plan", risk_category="standard", **inputs)["consider_pet_ct"]
        is pet
    )


def test_imacs_tif1g_pet_route_needs_an_additional_feature() -> None:
    inputs = ADULT | {"anti_tif1g_dm": True}
    assert (
        outputs("imacs_screening_plan", risk_category="moderate", **inputs)["consider_pet_ct"]
        is False
    )


@pytest.mark.parametrize(("age", "routine"), [(17.9, False), (18, True)])
def test_imacs_juvenile_onset(age: float, routine: bool) -> None:
    inputs = ADULT | {"age_at_onset": age, "npc_endemic_region": True}
    out = outputs("imacs_screening_plan", risk_category="high", **inputs)
    assert out["routine_screening_required"] is routine
    assert out["consider_nasoendoscopy"] is routine
    assert (out["panels_at_diagnosis"] == []) is not routine


def test_imacs_moderate_frequency_is_flagged_unverified() -> None:
    res = result("imacs_screening_plan", risk_category="moderate", **ADULT)
    assert "imacs_moderate_frequency_unverified" in notice_ids(res, "warnings")


def test_imacs_red_flags_and_window() -> None:
    res = result(
        "imacs_screening_plan",
        risk_category="standard",
        red_flag_features=True,
        within_3_years_of_onset=False,
        **ADULT,
    )
    assert notice_ids(res, "warnings") == ["imacs_outside_window", "red_flags_present"]
