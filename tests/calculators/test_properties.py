"""Property tests: caps hold, doses are never negative, monotonic where the formula is."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import CALCULATORS, run_json
from tests.calculators.helpers import outputs

weights = st.floats(min_value=25, max_value=300, allow_nan=False)
heights = st.floats(min_value=120, max_value=230, allow_nan=False)
sexes = st.sampled_from(["male", "female"])
pct = st.floats(min_value=5, max_value=150, allow_nan=False)
steps = st.sampled_from([1, 2.5, 5])


@given(
    w1=weights,
    w2=weights,
    mg_per_kg=st.floats(min_value=0.1, max_value=2),
    cap=st.floats(min_value=5, max_value=80),
    step=steps,
)
def test_prednisone_never_exceeds_the_cap_and_rises_with_weight(
    w1: float, w2: float, mg_per_kg: float, cap: float, step: float
) -> None:
    low, high = sorted((w1, w2))
    common = {"mg_per_kg": mg_per_kg, "max_mg_per_day": cap, "round_to_mg": step}
    a = outputs("prednisone_initial_dose", weight_kg=low, **common)["dose_mg_per_day"]
    b = outputs("prednisone_initial_dose", weight_kg=high, **common)["dose_mg_per_day"]
    assert 0 <= a <= b <= cap


@given(
    w1=weights,
    w2=weights,
    height=heights,
    sex=sexes,
    age=st.floats(min_value=1, max_value=110),
    policy=st.sampled_from(["nba_2026", "actual_weight"]),
    days=st.integers(min_value=1, max_value=5),
)
def test_ivig_dose_is_monotonic_and_never_above_actual_weight(
    w1: float, w2: float, height: float, sex: str, age: float, policy: str, days: int
) -> None:
    low, high = sorted((w1, w2))
    common = {
        "height_cm": height,
        "sex": sex,
        "age_years": age,
        "adjustment_policy": policy,
        "days": days,
    }
    a = outputs("ivig_dose", weight_kg=low, **common)
    b = outputs("ivig_dose", weight_kg=high, **common)
    assert 0 < a["dosing_weight_kg"] <= low + 1e-9
    assert a["total_dose_g"] <= b["total_dose_g"] + 1e-9
    assert 0 <= a["rounded_dose_g"] <= b["rounded_dose_g"]
    assert a["rounded_dose_g"] % 5 == 0
    assert abs(a["rounded_dose_g"] - a["total_dose_g"]) <= 2.5 + 1e-9


@given(h1=heights, h2=heights, w1=weights, w2=weights)
def test_bsa_is_positive_and_monotonic(h1: float, h2: float, w1: float, w2: float) -> None:
    (hl, hh), (wl, wh) = sorted((h1, h2)), sorted((w1, w2))
    for calc_id in ("bsa_mosteller", "bsa_dubois"):
        small = outputs(calc_id, height_cm=hl, weight_kg=wl)["bsa_m2"]
        big = outputs(calc_id, height_cm=hh, weight_kg=wh)["bsa_m2"]
        assert 0 < small <= big


@given(height=heights, w1=weights, w2=weights, per_m2=st.floats(min_value=300, max_value=800))
def test_cyclophosphamide_dose_stays_within_the_regimen_and_rises_with_bsa(
    height: float, w1: float, w2: float, per_m2: float
) -> None:
    low, high = sorted((w1, w2))
    choices = {"dose_mg_per_m2": per_m2, "bsa_formula": "mosteller", "round_to_mg": 10}
    a = outputs("cyclophosphamide_iv_bsa_dose", height_cm=height, weight_kg=low, **choices)
    b = outputs("cyclophosphamide_iv_bsa_dose", height_cm=height, weight_kg=high, **choices)
    assert 300 * a["bsa_m2"] - 1e-9 <= a["dose_mg"] <= 800 * a["bsa_m2"] + 1e-9
    assert a["dose_mg"] <= b["dose_mg"] + 1e-9
    assert a["rounded_dose_mg"] <= b["rounded_dose_mg"]


@given(
    start=st.sampled_from([250, 500, 750]),
    doses=st.integers(min_value=1, max_value=3),
    increment=st.sampled_from([250, 500, 750, 1000]),
    interval=st.integers(min_value=1, max_value=4),
    target=st.sampled_from(list(range(500, 3001, 250))),
    gfr=st.one_of(st.none(), st.floats(min_value=1, max_value=250)),
)
def test_mmf_schedule_rises_to_the_capped_target_in_250_mg_steps(
    start: int, doses: int, increment: int, interval: int, target: int, gfr: float | None
) -> None:
    inputs: dict[str, Any] = {
        "start_mg_per_dose": start,
        "doses_per_day": doses,
        "increment_mg_per_day": increment,
        "interval_weeks": interval,
        "target_mg_per_day": target,
    }
    if gfr is not None:
        inputs["gfr_ml_min_1_73m2"] = gfr
    out = outputs("mycophenolate_titration", **inputs)
    effective = out["effective_target_mg_per_day"]
    assert effective <= target
    if gfr is not None and gfr < 25:
        assert effective <= 2000
    daily = [mg for _, mg in out["schedule_week_mg_per_day"]]
    assert daily == sorted(daily)
    assert daily[-1] == effective
    assert all(mg % 250 == 0 and 0 < mg <= effective for mg in daily)
    for (_, mg), (_, parts) in zip(
        out["schedule_week_mg_per_day"], out["schedule_doses_mg"], strict=True
    ):
        assert sum(parts) == mg
        assert len(parts) == doses


@given(
    w1=weights,
    w2=weights,
    mg_per_kg=st.floats(min_value=1, max_value=3),
    tpmt=st.sampled_from(["normal", "intermediate", "possible_intermediate"]),
    nudt15=st.sampled_from(["normal", "intermediate", "possible_intermediate", "indeterminate"]),
    crcl=st.one_of(st.none(), st.floats(min_value=1, max_value=250)),
)
def test_azathioprine_target_is_bounded_tablet_multiple_and_monotonic(
    w1: float, w2: float, mg_per_kg: float, tpmt: str, nudt15: str, crcl: float | None
) -> None:
    low, high = sorted((w1, w2))
    common: dict[str, Any] = {"target_mg_per_kg": mg_per_kg, "tpmt": tpmt, "nudt15": nudt15}
    if crcl is not None:
        common["crcl_ml_min"] = crcl
    a = outputs("azathioprine_dosing", weight_kg=low, **common)
    b = outputs("azathioprine_dosing", weight_kg=high, **common)
    assert 0 <= a["target_mg_per_day"] <= low * mg_per_kg * a["renal_factor"] + 1e-9
    assert a["target_mg_per_day"] % 25 == 0
    assert a["target_mg_per_day"] <= b["target_mg_per_day"]
    daily = [mg for _, mg in a["schedule_week_mg_per_day"]]
    assert daily == sorted(daily)
    assert all(0 < mg <= a["target_mg_per_day"] for mg in daily)


@given(
    start=st.integers(min_value=1, max_value=80),
    fraction=st.floats(min_value=0.05, max_value=0.5),
    step=steps,
    floor=st.integers(min_value=1, max_value=20),
)
def test_taper_decreases_every_month_and_stops_at_the_floor(
    start: int, fraction: float, step: float, floor: int
) -> None:
    doses = outputs(
        "prednisone_taper_schedule",
        start_mg=start,
        taper_fraction_per_month=fraction,
        round_to_mg=step,
        floor_mg=floor,
    )["monthly_doses_mg"]
    assert doses[0] == start
    assert all(later < earlier for earlier, later in itertools.pairwise(doses))
    if start > floor:
        assert doses[-1] == floor
        assert min(doses) >= floor


@given(
    sex=sexes,
    age=st.floats(min_value=18, max_value=110),
    fvc=pct,
    dlco=st.one_of(pct, st.just("cannot_perform")),
)
def test_gap_and_ild_gap_scores_stay_in_range(sex: str, age: float, fvc: float, dlco: Any) -> None:
    gap = outputs("gap_index", sex=sex, age_years=age, fvc_pct_pred=fvc, dlco_pct_pred=dlco)
    assert 0 <= gap["total"] <= 8
    assert gap["stage"] == ("I" if gap["total"] <= 3 else "II" if gap["total"] <= 5 else "III")
    for subtype in ("IPF", "CTD-ILD"):
        ild = outputs(
            "ild_gap_index",
            ild_subtype=subtype,
            sex=sex,
            age_years=age,
            fvc_pct_pred=fvc,
            dlco_pct_pred=dlco,
        )
        assert 0 <= ild["total"] <= 8
        assert ild["total"] == max(0, ild["raw_sum"])


@given(
    ferritin=st.floats(min_value=1, max_value=100_000),
    ldh=st.floats(min_value=50, max_value=10_000),
    titre=st.sampled_from(["negative", "+", "++", "+++"]),
    hrct=st.floats(min_value=0, max_value=1000),
    rpild=st.booleans(),
    crp=st.floats(min_value=0, max_value=500),
    ro52=st.booleans(),
    sex=sexes,
    months=st.floats(min_value=0.01, max_value=1200),
    mda5=st.booleans(),
    kl6=st.floats(min_value=50, max_value=50_000),
)
def test_risk_scores_stay_in_range(
    ferritin: float,
    ldh: float,
    titre: str,
    hrct: float,
    rpild: bool,
    crp: float,
    ro52: bool,
    sex: str,
    months: float,
    mda5: bool,
    kl6: float,
) -> None:
    flair = outputs(
        "flair_score",
        ferritin_ng_ml=ferritin,
        ldh_u_l=ldh,
        anti_mda5_titer=titre,
        hrct_score=hrct,
        rpild=rpild,
    )
    assert 0 <= flair["score"] <= 13
    cross = outputs(
        "cross_rpild_score",
        crp_mg_l=crp,
        anti_ro52_positive=ro52,
        sex=sex,
        disease_duration_months=months,
    )
    assert 0 <= cross["points"] <= 11
    mck = outputs("mck_criteria_count", anti_mda5_positive=mda5, crp_mg_dl=crp / 10, kl6_u_ml=kl6)
    assert mck["mck_score"] in (0, 1, 2)


@given(
    baseline=st.integers(min_value=6, max_value=150), tenths=st.integers(min_value=0, max_value=9)
)
def test_relative_threshold_is_exact_for_any_decimal_baseline(baseline: int, tenths: int) -> None:
    base = Decimal(baseline) + Decimal(tenths) / 10
    if base > 150:
        return
    for parameter, threshold in (("FVC", 10), ("DLCO", 15)):
        at = base * (100 - threshold) / 100
        out = outputs(
            "pft_change",
            parameter=parameter,
            baseline_pct_pred=str(base),
            followup_pct_pred=str(at),
        )
        assert out["significant_by_relative"] is True
        above = at + Decimal("0.01")
        out = outputs(
            "pft_change",
            parameter=parameter,
            baseline_pct_pred=str(base),
            followup_pct_pred=str(above),
        )
        assert out["significant_by_relative"] is False


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
ids = st.sampled_from([*CALCULATORS, "nope", ""])


def _check_payload(text: str) -> None:
    payload = json.loads(text)
    assert ("errors" in payload) != ("outputs" in payload)
    if "errors" in payload:
        assert payload["errors"]
        assert all({"field", "message"} <= set(error) for error in payload["errors"])


@settings(max_examples=300)
@given(calc_id=ids, value=json_values)
def test_run_json_never_raises_on_arbitrary_json(calc_id: str, value: object) -> None:
    _check_payload(run_json(calc_id, json.dumps(value)))


@settings(max_examples=300)
@given(
    calc_id=ids,
    fields=st.dictionaries(
        st.sampled_from(sorted({n for c in CALCULATORS.values() for n in c.input_names})),
        json_values,
        max_size=8,
    ),
)
def test_run_json_never_raises_on_plausible_field_names(
    calc_id: str, fields: dict[str, object]
) -> None:
    _check_payload(run_json(calc_id, json.dumps(fields)))


@given(calc_id=ids, text=st.text(max_size=60))
def test_run_json_never_raises_on_arbitrary_text(calc_id: str, text: str) -> None:
    _check_payload(run_json(calc_id, text))
