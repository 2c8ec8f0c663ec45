"""Spec B1–B8: PFT change, PPF 2022, OMERACT, GAP, ILD-GAP, MCK, FLAIR, Goh, CROSS."""

from __future__ import annotations

from typing import Any

import pytest

from tests.calculators.helpers import errors, notice_ids, outputs, result

# --- B1 PFT change -----


def test_fvc_50_to_45_is_significant_relative_but_not_absolute() -> None:
    res = result("pft_change", parameter="FVC", baseline_pct_pred=50, followup_pct_pred=45)
    assert res["outputs"] == {
        "absolute_change_points": -5.0,
        "relative_change_pct": -10.0,
        "significant_by_relative": True,
        "significant_by_absolute": False,
        "threshold": 10,
    }
    assert res["explanation"][:2] == [
        "Absolute change = 45 − 50 = -5.0 points",
        "Relative change = (45 − 50) / 50 × 100 = -10.0%",
    ]
    assert "relative_absolute_disagree" in notice_ids(res, "warnings")


@pytest.mark.parametrize(
    ("parameter", "baseline", "followup", "relative", "absolute"),
    [
        ("FVC", 80, 72, True, False),  # exactly −10%
        ("FVC", 80, 72.1, False, False),
        ("FVC", 80, 70, True, True),  # exactly −10 points
        ("FVC", 80, 70.1, True, False),
        ("FVC", 50.1, 45.09, True, False),  # −10% exactly in decimal, not in binary floats
        ("DLCO", 80, 68, True, False),  # exactly −15%
        ("DLCO", 80, 68.1, False, False),
        ("DLCO", 80, 65, True, True),  # exactly −15 points
        ("DLCO", 80, 65.1, True, False),
        ("FVC", 60, 70, False, False),  # improvement
    ],
)
def test_pft_thresholds_are_inclusive_at_the_boundary(
    parameter: str, baseline: float, followup: float, relative: bool, absolute: bool
) -> None:
    out = outputs(
        "pft_change", parameter=parameter, baseline_pct_pred=baseline, followup_pct_pred=followup
    )
    assert out["significant_by_relative"] is relative
    assert out["significant_by_absolute"] is absolute


# --- B1 PPF 2022 -----

PPF = {"fvc_baseline": 80, "fvc_followup": 80, "dlco_baseline": 60, "dlco_followup": 60}


@pytest.mark.parametrize(
    ("changes", "fvc", "dlco"),
    [
        ({"fvc_followup": 75}, True, False),
        ({"fvc_followup": 75.1}, False, False),
        ({"dlco_followup": 50}, False, True),
        ({"dlco_followup": 50.1}, False, False),
        ({"fvc_followup": 70, "dlco_followup": 45}, True, True),
    ],
)
def test_ppf_absolute_thresholds(changes: dict[str, float], fvc: bool, dlco: bool) -> None:
    out = outputs("ppf_physiologic_criterion_2022", **(PPF | changes), interval_months=12)
    assert out["fvc_criterion"] is fvc
    assert out["dlco_criterion"] is dlco
    assert out["physiological_progression"] is (fvc or dlco)


def test_ppf_decline_over_more_than_a_year_is_not_asserted() -> None:
    res = result(
        "ppf_physiologic_criterion_2022", **(PPF | {"fvc_followup": 60}), interval_months=12.1
    )
    assert res["outputs"]["fvc_decline_points"] == 20.0
    assert res["outputs"]["physiological_progression"] is False
    assert res["outputs"]["within_one_year"] is False
    assert "ppf_interval_over_one_year" in notice_ids(res, "warnings")
    assert "ppf_needs_two_domains" in notice_ids(res, "warnings")


# --- B2 OMERACT -----

OMERACT = "omeract_ctd_ild_progression"


@pytest.mark.parametrize(
    ("fvc_followup", "dlco_followup", "progression"),
    [
        (76, 51, True),  # FVC exactly 5%, DLCO exactly 15%
        (76, 51.1, False),  # DLCO 14.8%
        (76.1, 40, False),  # FVC 4.9%: DLCO does not matter
        (72, 60, True),  # FVC exactly 10%
        (72.1, 60, False),  # FVC 9.9%, DLCO unchanged
        (72.1, 51, True),  # FVC 9.9% and DLCO 15%
    ],
)
def test_omeract_boundaries(fvc_followup: float, dlco_followup: float, progression: bool) -> None:
    out = outputs(
        OMERACT,
        fvc_baseline=80,
        fvc_followup=fvc_followup,
        dlco_baseline=60,
        dlco_followup=dlco_followup,
    )
    assert out["progression"] is progression
    assert out["pfs_event"] is progression


def test_omeract_80_to_76_is_exactly_5_percent() -> None:
    out = outputs(OMERACT, fvc_baseline=80, fvc_followup=76, dlco_baseline=60, dlco_followup=51)
    assert out["fvc_rel_decline_pct"] == 5.0
    assert out["dlco_rel_decline_pct"] == 15.0


def test_death_is_a_pfs_event_without_progression() -> None:
    out = outputs(
        OMERACT, fvc_baseline=80, fvc_followup=80, dlco_baseline=60, dlco_followup=60, death=True
    )
    assert out["progression"] is False
    assert out["pfs_event"] is True


# --- B3 GAP -----

GAP_BASE: dict[str, Any] = {
    "sex": "female",
    "age_years": 50,
    "fvc_pct_pred": 80,
    "dlco_pct_pred": 60,
}


@pytest.mark.parametrize(
    ("field", "value", "key", "points"),
    [
        ("sex", "male", "gender", 1),
        ("age_years", 60, "age", 0),
        ("age_years", 60.5, "age", 1),
        ("age_years", 61, "age", 1),
        ("age_years", 65, "age", 1),
        ("age_years", 65.5, "age", 2),
        ("fvc_pct_pred", 75.1, "fvc", 0),
        ("fvc_pct_pred", 75, "fvc", 1),
        ("fvc_pct_pred", 50, "fvc", 1),
        ("fvc_pct_pred", 49.9, "fvc", 2),
        ("dlco_pct_pred", 55.1, "dlco", 0),
        ("dlco_pct_pred", 55, "dlco", 1),
        ("dlco_pct_pred", 35.1, "dlco", 1),
        ("dlco_pct_pred", 36, "dlco", 1),
        ("dlco_pct_pred", 35, "dlco", 2),
        ("dlco_pct_pred", "cannot_perform", "dlco", 3),
    ],
)
def test_gap_points_at_each_boundary(field: str, value: object, key: str, points: int) -> None:
    out = outputs("gap_index", **(GAP_BASE | {field: value}))
    assert out["points"][key] == points


@pytest.mark.parametrize(
    ("inputs", "total", "stage"),
    [
        ({"sex": "male", "age_years": 70}, 3, "I"),
        ({"sex": "male", "age_years": 70, "fvc_pct_pred": 75}, 4, "II"),
        ({"sex": "male", "age_years": 70, "fvc_pct_pred": 49}, 5, "II"),
        ({"sex": "male", "age_years": 70, "fvc_pct_pred": 49, "dlco_pct_pred": 55}, 6, "III"),
    ],
)
def test_gap_stage_boundaries(inputs: dict[str, Any], total: int, stage: str) -> None:
    out = outputs("gap_index", **(GAP_BASE | inputs))
    assert (out["total"], out["stage"]) == (total, stage)


def test_gap_mortality_by_stage() -> None:
    assert outputs("gap_index", **GAP_BASE)["mortality_pct"] == {"1y": 5.6, "2y": 10.9, "3y": 16.3}
    stage_2 = GAP_BASE | {"sex": "male", "age_years": 70, "fvc_pct_pred": 75}
    assert outputs("gap_index", **stage_2)["mortality_pct"] == {"1y": 16.2, "2y": 29.9, "3y": 42.1}
    stage_3 = stage_2 | {"dlco_pct_pred": "cannot_perform"}
    assert outputs("gap_index", **stage_3)["mortality_pct"] == {"1y": 39.2, "2y": 62.1, "3y": 76.8}


def test_gap_explanation() -> None:
    res = result(
        "gap_index", sex="male", age_years=70, fvc_pct_pred=45, dlco_pct_pred="cannot_perform"
    )
    assert res["explanation"] == [
        "Gender 1 + age 2 + FVC 2 + DLCO (cannot perform) 3 = 8",
        "Total 8 → stage III",
    ]


# --- B4 ILD-GAP -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subtype", "points"),
    [("IPF", 0), ("unclassifiable", 0), ("CTD-ILD", -2), ("idiopathic_NSIP", -2), ("CHP", -2)],
)
def test_ild_gap_subtype_points(subtype: str, points: int) -> None:
    out = outputs("ild_gap_index", ild_subtype=subtype, **GAP_BASE)
    assert out["points"]["subtype"] == points
    assert out["raw_sum"] == points
    assert out["total"] == max(0, points)


@pytest.mark.parametrize(
    ("extra", "total", "band", "mortality"),
    [
        ({"sex": "male"}, 1, "0-1", {"1y": 3.1, "3y": 10.2}),
        ({"sex": "male", "age_years": 61}, 2, "2-3", {"1y": 8.8, "3y": 26.9}),
        ({"sex": "male", "age_years": 66}, 3, "2-3", {"1y": 8.8, "3y": 26.9}),
        ({"sex": "male", "age_years": 66, "fvc_pct_pred": 60}, 4, "4-5", {"1y": 18.2, "3y": 49.2}),
        ({"sex": "male", "age_years": 66, "fvc_pct_pred": 40}, 5, "4-5", {"1y": 18.2, "3y": 49.2}),
        (
            {"sex": "male", "age_years": 66, "fvc_pct_pred": 40, "dlco_pct_pred": 50},
            6,
            "6-8",
            {"1y": 33.5, "3y": 74.8},
        ),
    ],
)
def test_ild_gap_bands(
    extra: dict[str, Any], total: int, band: str, mortality: dict[str, float]
) -> None:
    out = outputs("ild_gap_index", ild_subtype="IPF", **(GAP_BASE | extra))
    assert (out["total"], out["score_band"], out["mortality_pct"]) == (total, band, mortality)


def test_ild_gap_maximum_is_8() -> None:
    out = outputs(
        "ild_gap_index",
        ild_subtype="IPF",
        sex="male",
        age_years=80,
        fvc_pct_pred=30,
        dlco_pct_pred="cannot_perform",
    )
    assert out["total"] == 8


def test_ild_gap_warns_that_myositis_was_not_represented() -> None:
    res = result("ild_gap_index", ild_subtype="CTD-ILD", **GAP_BASE)
    assert "ild_gap_not_myositis" in notice_ids(res, "warnings")


# --- B5 MCK -----


@pytest.mark.parametrize(
    ("mda5", "crp", "kl6", "crp_met", "kl6_met"),
    [
        (True, 0.8, 1000, True, True),
        (True, 0.79, 999, False, False),
        (False, 1.1, 1000, True, True),
        (False, 1.09, 1000, False, True),
        (False, 0.8, 999.9, False, False),
    ],
)
def test_mck_cutoffs(mda5: bool, crp: float, kl6: float, crp_met: bool, kl6_met: bool) -> None:
    out = outputs("mck_criteria_count", anti_mda5_positive=mda5, crp_mg_dl=crp, kl6_u_ml=kl6)
    assert out == {
        "crp_criterion": crp_met,
        "kl6_criterion": kl6_met,
        "mck_score": crp_met + kl6_met,
    }


def test_mck_accepts_crp_in_mg_l() -> None:
    out = outputs(
        "mck_criteria_count",
        anti_mda5_positive=True,
        crp_mg_dl={"value": 8, "unit": "mg/L"},
        kl6_u_ml=500,
    )
    assert out["crp_criterion"] is True


def test_mck_crp_in_mg_l_by_mistake_gets_a_hint() -> None:
    raw = {"anti_mda5_positive": True, "crp_mg_dl": 80, "kl6_u_ml": 500}
    assert errors("mck_criteria_count", raw) == {
        "crp_mg_dl": "crp_mg_dl: 80 mg/dL is outside the accepted range 0–50 mg/dL; looks like "
        'mg/L; divide by 10 or send {"value": …, "unit": "mg/L"}'
    }


# --- B6 FLAIR -----

FLAIR_ZERO: dict[str, Any] = {
    "ferritin_ng_ml": 635,
    "ldh_u_l": 354,
    "anti_mda5_titer": "negative",
    "hrct_score": 132,
    "rpild": False,
}


@pytest.mark.parametrize(
    ("changes", "score", "group"),
    [
        ({}, 0, "low"),
        ({"ferritin_ng_ml": 636, "ldh_u_l": 355}, 4, "low"),
        ({"ferritin_ng_ml": 636, "anti_mda5_titer": "++"}, 5, "medium"),
        ({"anti_mda5_titer": "+++", "hrct_score": 133, "rpild": True}, 9, "medium"),
        (
            {"ferritin_ng_ml": 636, "ldh_u_l": 355, "hrct_score": 133, "anti_mda5_titer": "++"},
            10,
            "high",
        ),
        ({"anti_mda5_titer": "+"}, 2, "low"),
    ],
)
def test_flair_points_and_groups(changes: dict[str, Any], score: int, group: str) -> None:
    out = outputs("flair_score", **(FLAIR_ZERO | changes))
    assert (out["score"], out["risk_group"]) == (score, group)


# --- B7 Goh -----


@pytest.mark.parametrize(
    ("extent", "fvc", "stage", "basis"),
    [
        (0, None, "limited", "hrct"),
        (9.9, None, "limited", "hrct"),
        (10, 70, "limited", "fvc"),
        (10, 69.9, "extensive", "fvc"),
        (20, 85, "limited", "fvc"),
        (30, 70, "limited", "fvc"),
        (30, 69.9, "extensive", "fvc"),
        (30.1, None, "extensive", "hrct"),
        (30.1, 95, "extensive", "hrct"),
        (100, None, "extensive", "hrct"),
    ],
)
def test_goh_staging(extent: float, fvc: float | None, stage: str, basis: str) -> None:
    inputs: dict[str, Any] = {"hrct_extent_pct": extent}
    if fvc is not None:
        inputs["fvc_pct_pred"] = fvc
    res = result("goh_staging", **inputs)
    assert res["outputs"] == {"stage": stage, "determined_by": basis}
    assert "goh_derived_in_ssc" in notice_ids(res, "warnings")


def test_goh_indeterminate_without_fvc_is_an_error() -> None:
    assert errors("goh_staging", {"hrct_extent_pct": 10}) == {
        "fvc_pct_pred": "fvc_pct_pred: required when HRCT extent is 10–30% (indeterminate); got "
        "extent 10%"
    }


# --- B8 CROSS -----

CROSS_ZERO: dict[str, Any] = {
    "crp_mg_l": 8,
    "anti_ro52_positive": False,
    "sex": "female",
    "disease_duration_months": 3,
}


@pytest.mark.parametrize(
    ("changes", "points", "group"),
    [
        ({}, 0, "low"),
        ({"crp_mg_l": 8.1}, 3, "low"),
        ({"anti_ro52_positive": True}, 4, "medium"),
        ({"crp_mg_l": 8.1, "anti_ro52_positive": True}, 7, "medium"),
        ({"anti_ro52_positive": True, "sex": "male", "disease_duration_months": 2.9}, 8, "high"),
        (
            {
                "crp_mg_l": 9,
                "anti_ro52_positive": True,
                "sex": "male",
                "disease_duration_months": 1,
            },
            11,
            "high",
        ),
    ],
)
def test_cross_points_and_abstract_groups(changes: dict[str, Any], points: int, group: str) -> None:
    res = result("cross_rpild_score", **(CROSS_ZERO | changes))
    assert (res["outputs"]["points"], res["outputs"]["risk_group_eular2021_abstract"]) == (
        points,
        group,
    )
    assert "cross_published_cutoffs_unverified" in notice_ids(res, "warnings")


def test_cross_accepts_crp_in_mg_dl() -> None:
    out = outputs(
        "cross_rpild_score", **(CROSS_ZERO | {"crp_mg_l": {"value": 0.81, "unit": "mg/dL"}})
    )
    assert out["point_breakdown"]["crp"] == 3
