"""Every declaration: the spec's interface, worked examples, references and self-consistency."""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from calculators import CALCULATORS, GUIDELINE_EDITION, describe, run
from calculators.declaration import (
    Band,
    Calculator,
    Example,
    Interpretation,
    JSONValue,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    Provenance,
    Trace,
    checked,
    convention,
    review,
    unverified,
)
from calculators.dosing import NOT_A_PRESCRIPTION
from calculators.errors import DeclarationError

ROOT = Path(__file__).resolve().parents[2]

# The spec's "Interface" table, copied independently of the code: id -> (inputs, outputs).
INTERFACE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bsa_mosteller": (("height_cm", "weight_kg"), ("bsa_m2",)),
    "bsa_dubois": (("height_cm", "weight_kg"), ("bsa_m2",)),
    "creatinine_clearance_cockcroft_gault": (
        ("age_years", "weight_kg", "serum_creatinine", "scr_unit", "sex"),
        ("crcl_ml_min",),
    ),
    "ideal_body_weight_devine": (("height_cm", "sex"), ("ibw_kg",)),
    "ivig_dose": (
        ("weight_kg", "height_cm", "sex", "age_years", "dose_g_per_kg", "days"),
        ("dosing_weight_kg", "total_dose_g", "rounded_dose_g", "dose_per_day_g"),
    ),
    "prednisone_initial_dose": (
        ("weight_kg", "mg_per_kg", "max_mg_per_day", "round_to_mg"),
        ("dose_mg_per_day", "capped"),
    ),
    "prednisone_taper_schedule": (
        ("start_mg", "taper_fraction_per_month", "round_to_mg", "floor_mg"),
        ("monthly_doses_mg", "months_to_floor"),
    ),
    "methylprednisolone_pulse": (("daily_mg", "days"), ("total_mg", "dose_days")),
    "mycophenolate_titration": (
        (
            "start_mg_per_dose",
            "doses_per_day",
            "increment_mg_per_day",
            "interval_weeks",
            "target_mg_per_day",
            "gfr_ml_min_1_73m2",
        ),
        ("schedule_week_mg_per_day", "effective_target_mg_per_day", "renal_cap_applied"),
    ),
    "azathioprine_dosing": (
        ("weight_kg", "target_mg_per_kg", "tpmt", "nudt15", "crcl_ml_min", "interval_weeks"),
        (
            "recommendation",
            "target_mg_per_day",
            "renal_factor",
            "schedule_week_mg_per_day",
            "start_range_mg_per_day",
            "fraction_of_normal",
        ),
    ),
    "cyclophosphamide_iv_bsa_dose": (
        ("height_cm", "weight_kg", "dose_mg_per_m2"),
        ("bsa_m2", "dose_mg"),
    ),
    "cyclophosphamide_pulse_age_renal_adjusted": (
        ("age_years", "creatinine_umol_l", "weight_kg"),
        ("mg_per_kg", "dose_mg"),
    ),
    "rituximab_schedule": (
        ("first_infusion_date",),
        ("infusion_dates", "dose_mg_each", "total_mg"),
    ),
    "basiliximab_schedule": (("first_dose_date",), ("dose_dates", "dose_mg_each", "total_mg")),
    "daratumumab_schedule": (("first_dose_date",), ("dose_dates", "dose_mg_each", "total_mg")),
    "pamidronate_calcinosis": (
        ("weight_kg",),
        ("dose_mg_per_day", "days_per_cycle", "total_mg_per_cycle", "cycle_interval_months"),
    ),
    "tofacitinib_regimen": (("dose_mg", "frequency"), ("daily_mg", "allowed")),
    "diltiazem_range_check": (("daily_mg",), ("within_range",)),
    "pft_change": (
        ("parameter", "baseline_pct_pred", "followup_pct_pred"),
        (
            "absolute_change_points",
            "relative_change_pct",
            "significant_by_relative",
            "significant_by_absolute",
        ),
    ),
    "ppf_physiologic_criterion_2022": (
        ("fvc_baseline", "fvc_followup", "dlco_baseline", "dlco_followup", "interval_months"),
        ("fvc_criterion", "dlco_criterion", "physiological_progression"),
    ),
    "omeract_ctd_ild_progression": (
        ("fvc_baseline", "fvc_followup", "dlco_baseline", "dlco_followup", "death"),
        ("fvc_rel_decline_pct", "dlco_rel_decline_pct", "progression", "pfs_event"),
    ),
    "gap_index": (
        ("sex", "age_years", "fvc_pct_pred", "dlco_pct_pred"),
        ("points", "total", "stage", "mortality_pct"),
    ),
    "ild_gap_index": (
        ("ild_subtype", "sex", "age_years", "fvc_pct_pred", "dlco_pct_pred"),
        ("raw_sum", "total", "score_band", "mortality_pct"),
    ),
    "mck_criteria_count": (
        ("anti_mda5_positive", "crp_mg_dl", "kl6_u_ml"),
        ("crp_criterion", "kl6_criterion", "mck_score"),
    ),
    "flair_score": (
        ("ferritin_ng_ml", "ldh_u_l", "anti_mda5_titer", "hrct_score", "rpild"),
        ("score", "risk_group"),
    ),
    "goh_staging": (("hrct_extent_pct", "fvc_pct_pred"), ("stage",)),
    "cross_rpild_score": (
        ("crp_mg_l", "anti_ro52_positive", "sex", "disease_duration_months"),
        ("points", "risk_group_eular2021_abstract"),
    ),
    "imacs_screening_plan": (
        (
            "risk_category",
            "age_at_onset",
            "cancer_detected_at_diagnosis",
            "anti_tif1g_dm",
            "additional_high_risk_feature",
            "npc_endemic_region",
        ),
        (
            "routine_screening_required",
            "panels_at_diagnosis",
            "annual_repeat_for_3_years",
            "consider_pet_ct",
            "consider_gi_endoscopy",
            "consider_nasoendoscopy",
        ),
    ),
}

# Enumerated values fixed by the spec's interface section.
ENUMS: dict[str, tuple[str, ...]] = {
    "sex": ("male", "female"),
    "tpmt": ("normal", "intermediate", "possible_intermediate", "poor", "indeterminate"),
    "nudt15": ("normal", "intermediate", "possible_intermediate", "poor", "indeterminate"),
    "scr_unit": ("mg/dL", "umol/L"),
    "anti_mda5_titer": ("negative", "+", "++", "+++"),
    "parameter": ("FVC", "DLCO"),
    "ild_subtype": ("IPF", "unclassifiable", "CTD-ILD", "idiopathic_NSIP", "CHP"),
    "risk_category": ("standard", "moderate", "high"),
}

EXAMPLES = [
    pytest.param(calc_id, example, id=f"{calc_id}-{number}")
    for calc_id, calc in CALCULATORS.items()
    for number, example in enumerate(calc.examples, start=1)
]


def test_registry_holds_exactly_the_interface_ids_in_spec_order() -> None:
    assert list(CALCULATORS) == list(INTERFACE)


@pytest.mark.parametrize("calc_id", list(INTERFACE))
def test_canonical_inputs_and_outputs_are_declared(calc_id: str) -> None:
    calc = CALCULATORS[calc_id]
    inputs, outs = INTERFACE[calc_id]
    assert calc.input_names[: len(inputs)] == inputs
    assert set(outs) <= set(calc.output_names)


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_enumerated_inputs_accept_exactly_the_spec_values(calc_id: str) -> None:
    data: Any = describe(calc_id)
    for item in data["inputs"]:
        assert isinstance(item, dict)
        if item["name"] in ENUMS and item["kind"] == "choice":
            values = tuple(choice["value"] for choice in item["choices"])
            assert values == ENUMS[str(item["name"])]


def test_gap_dlco_also_accepts_cannot_perform() -> None:
    for calc_id in ("gap_index", "ild_gap_index"):
        dlco = CALCULATORS[calc_id].input("dlco_pct_pred")
        assert dlco.describe()["choices"] == [
            {
                "value": "cannot_perform",
                "label": "Cannot perform (symptoms or lung function prevent the manoeuvre)",
            }
        ]


def _matches(got: Any, want: Any, tolerance: float) -> bool:
    if isinstance(want, bool) or want is None or isinstance(want, str):
        return bool(got == want)
    if isinstance(want, int | float):
        return isinstance(got, int | float) and math.isclose(got, want, abs_tol=tolerance)
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(_matches(g, w, tolerance) for g, w in zip(got, want, strict=True))
        )
    if isinstance(want, dict):
        return (
            isinstance(got, dict)
            and got.keys() == want.keys()
            and all(_matches(got[k], want[k], tolerance) for k in want)
        )
    raise TypeError(want)


@pytest.mark.parametrize(("calc_id", "example"), EXAMPLES)
def test_worked_example(calc_id: str, example: Example) -> None:
    res: Any = run(calc_id, dict(example.inputs)).to_dict()
    outputs = res["outputs"]
    assert isinstance(outputs, dict)
    for name, want in example.expected.items():
        assert _matches(outputs[name], want, example.tolerance), (name, outputs[name], want)
    caps = [notice["id"] for notice in res["caps_applied"]]
    warnings = [notice["id"] for notice in res["warnings"]]
    assert set(example.expected_caps) <= set(caps)
    assert set(example.expected_warnings) <= set(warnings)


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_every_calculator_has_a_worked_example(calc_id: str) -> None:
    assert CALCULATORS[calc_id].examples


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_describe_is_plain_json_without_the_function(calc_id: str) -> None:
    data = describe(calc_id)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert "compute" not in data
    assert data["guideline_edition"] == GUIDELINE_EDITION
    assert list(data)[:4] == ["id", "title", "version", "family"]


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_project_conventions_are_labelled_where_the_page_shows_them(calc_id: str) -> None:
    calc = CALCULATORS[calc_id]
    described = describe(calc_id)["provenance"]
    assert isinstance(described, list)
    for item, entry in calc.provenance.items():
        if entry.tier == "convention":
            assert {"item": item, "tier": "convention", "label": "PC"}.items() <= next(
                d for d in described if isinstance(d, dict) and d["item"] == item
            ).items()


@pytest.mark.parametrize(
    "calc_id", [c.id for c in CALCULATORS.values() if c.family in {"dosing", "regimens"}]
)
def test_dose_calculators_say_they_are_not_a_prescription(calc_id: str) -> None:
    assert NOT_A_PRESCRIPTION in CALCULATORS[calc_id].caveats
    assert "formulary" in NOT_A_PRESCRIPTION


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_result_carries_edition_version_formula_and_references(calc_id: str) -> None:
    calc = CALCULATORS[calc_id]
    res: Any = run(calc_id, dict(calc.examples[0].inputs)).to_dict()
    assert list(res) == [
        "calculator",
        "version",
        "guideline_edition",
        "inputs",
        "outputs",
        "display",
        "caps_applied",
        "warnings",
        "explanation",
        "formula",
        "references",
    ]
    assert res["calculator"] == calc_id
    assert res["guideline_edition"] == GUIDELINE_EDITION
    assert res["version"] == calc.version
    assert res["formula"] == calc.formula
    assert res["references"] == list(calc.references)
    assert list(res["inputs"]) == list(calc.input_names)
    assert list(res["outputs"]) == list(calc.output_names)
    assert res["explanation"]


def test_unranged_values_in_results_are_json_with_no_nan() -> None:
    for calc_id, calc in CALCULATORS.items():
        for example in calc.examples:
            json.dumps(run(calc_id, dict(example.inputs)).to_dict(), allow_nan=False)


def test_running_twice_is_deterministic_and_results_do_not_share_state() -> None:
    first = run(
        "mycophenolate_titration", dict(CALCULATORS["mycophenolate_titration"].examples[0].inputs)
    )
    data: Any = first.to_dict()
    data["outputs"]["schedule_week_mg_per_day"].clear()
    second = run(
        "mycophenolate_titration", dict(CALCULATORS["mycophenolate_titration"].examples[0].inputs)
    )
    assert second.to_dict() == first.to_dict()
    again: Any = first.to_dict()
    assert again["outputs"]["schedule_week_mg_per_day"]


# --- references -----


def _reference_ids() -> set[str]:
    ids: set[str] = set()
    for path in sorted((ROOT / "content" / "references").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            ids.add(item["id"])
    return ids


def _notice_references_in_source() -> set[str]:
    """Reference ids passed to Trace.warn/Trace.cap anywhere in the package source."""
    found: set[str] = set()
    for path in (ROOT / "calculators").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"warn", "cap"}
                and len(node.args) >= 3
                and isinstance(node.args[2], ast.Constant)
                and isinstance(node.args[2].value, str)
            ):
                found.add(node.args[2].value)
    return found


def test_every_cited_reference_exists_in_the_reference_files() -> None:
    known = _reference_ids()
    used = {ref for calc in CALCULATORS.values() for ref in calc.references}
    used |= {ex.source for calc in CALCULATORS.values() for ex in calc.examples} - {"spec"}
    used |= _notice_references_in_source()
    assert used - known == set()


def test_calculator_reference_file_is_used_and_has_no_duplicates() -> None:
    items = yaml.safe_load((ROOT / "content/references/calculators.yaml").read_text("utf-8"))
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    used = {ref for calc in CALCULATORS.values() for ref in calc.references}
    used |= _notice_references_in_source()
    assert set(ids) <= used
    for item in items:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*[a-z0-9]", item["id"])
        assert item.get("title") or item.get("container-title")


def test_notices_name_a_reference_declared_by_their_calculator_or_none() -> None:
    for calc_id, calc in CALCULATORS.items():
        for example in calc.examples:
            res: Any = run(calc_id, dict(example.inputs)).to_dict()
            for notice in [*res["caps_applied"], *res["warnings"]]:
                assert notice["reference"] is None or notice["reference"] in calc.references


# --- the declaration guards -----


def _calc(compute: Any, **overrides: Any) -> Calculator:
    fields: dict[str, Any] = {
        "id": "demo",
        "title": "Demo",
        "version": "0.0.1",
        "family": "test",
        "purpose": "p",
        "population": "p",
        "inputs": (
            NumberInput(
                name="weight_kg", label="W", unit="kg", hard_min=1, hard_max=2, range_source="x"
            ),
        ),
        "outputs": (Output(name="out", label="Out"),),
        "formula": "f",
        "references": (),
        "caveats": (),
        "provenance": {"formula": convention("f", covers=("out",))},
        "not_included": "",
        "examples": (),
        "compute": compute,
        "presentation": Presentation(primary="out", phrase="Out"),
    }
    fields.update(overrides)
    return Calculator(**fields)


def _ok(*, weight_kg: float) -> Outcome:
    return Trace().finish({"out": weight_kg})


def test_declaration_accepts_matching_keyword_only_compute() -> None:
    assert _calc(_ok).input_names == ("weight_kg",)


def test_declaration_rejects_compute_parameters_that_differ_from_inputs() -> None:
    def compute(*, weight: float) -> Outcome:
        return Trace().finish({"out": weight})

    with pytest.raises(DeclarationError) as info:
        _calc(compute)
    assert str(info.value) == (
        "calculator 'demo': compute parameters do not match declared inputs (declared but not "
        "accepted: ['weight_kg']; accepted but not declared: ['weight'])"
    )


def test_declaration_rejects_positional_parameters() -> None:
    def compute(weight_kg: float) -> Outcome:
        return Trace().finish({"out": weight_kg})

    with pytest.raises(DeclarationError, match="must be keyword-only"):
        _calc(compute)


def test_declaration_rejects_a_rule_without_a_tier() -> None:
    with pytest.raises(DeclarationError, match="rule 'formula' has no tier"):
        _calc(_ok, provenance={"formula": "V1"})


def test_declaration_rejects_an_output_no_rule_covers() -> None:
    with pytest.raises(DeclarationError, match=r"outputs with no tier \(no rule covers them\)"):
        _calc(_ok, provenance={"formula": convention("f")})


def test_declaration_rejects_a_review_tier_citing_another_paper() -> None:
    with pytest.raises(DeclarationError, match="tier 'review' needs one of"):
        _calc(
            _ok,
            references=("mosteller-1987-simplified",),
            provenance={"formula": review("mosteller-1987-simplified", "f", covers=("out",))},
        )


def test_declaration_rejects_a_checked_tier_that_does_not_say_what_was_checked() -> None:
    with pytest.raises(DeclarationError, match="must say what was checked"):
        _calc(
            _ok,
            references=("mosteller-1987-simplified",),
            provenance={"formula": checked("mosteller-1987-simplified", "f", " ", covers=("out",))},
        )


def test_declaration_rejects_a_reference_the_calculator_does_not_cite() -> None:
    with pytest.raises(DeclarationError, match="is not among the calculator's references"):
        _calc(_ok, provenance={"formula": review("huang-pye-2024", "f", covers=("out",))})


def test_declaration_rejects_an_unverified_rule_that_decides_an_output() -> None:
    bad = Provenance(tier="unverified", what="f", covers=("out",))
    with pytest.raises(DeclarationError, match="an unverified rule is not applied"):
        _calc(_ok, provenance={"formula": convention("f", covers=("out",)), "x": bad})


def test_declaration_rejects_examples_naming_undeclared_outputs() -> None:
    example = Example(inputs={"weight_kg": 1}, expected={"nope": 1}, source="spec")
    with pytest.raises(DeclarationError, match="example 1 names undeclared"):
        _calc(_ok, examples=(example,))


def test_the_primary_result_must_be_a_declared_output() -> None:
    with pytest.raises(DeclarationError, match=r"presentation names undeclared outputs \['nope'\]"):
        _calc(_ok, presentation=Presentation(primary="nope", phrase="Nope"))


def test_mapping_outputs_must_label_their_keys() -> None:
    outputs = (Output(name="out", label="Out"), Output(name="parts", label="P", kind="mapping"))
    with pytest.raises(DeclarationError, match="mapping output 'parts' must label its keys"):
        _calc(
            _ok,
            outputs=outputs,
            provenance={"formula": convention("f", covers=("out", "parts"))},
        )


def _band(label: str, low: float, high: float, rule: str = "formula") -> Band:
    return Band(label=label, low=low, high=high, tone="lower", meaning="m", rule=rule)


def test_bands_must_not_overlap() -> None:
    reading = Interpretation(output="out", bands=(_band("a", 0, 4), _band("b", 4, 9)))
    with pytest.raises(DeclarationError, match="bands 'a' and 'b' overlap"):
        _calc(_ok, interpretation=reading)


def test_a_band_takes_its_tier_from_a_declared_rule() -> None:
    reading = Interpretation(output="out", bands=(_band("a", 0, 4, rule="elsewhere"),))
    with pytest.raises(DeclarationError, match="band 'a' names rule 'elsewhere', which the"):
        _calc(_ok, interpretation=reading)


def test_a_band_cannot_rest_on_an_unverified_rule() -> None:
    reading = Interpretation(output="out", bands=(_band("a", 0, 4, rule="hunch"),))
    rules = {"formula": convention("f", covers=("out",)), "hunch": unverified("a guess")}
    with pytest.raises(DeclarationError, match="rests on the unverified rule 'hunch'"):
        _calc(_ok, interpretation=reading, provenance=rules)


def test_every_band_shows_the_tier_and_reference_of_its_rule() -> None:
    flair: Any = CALCULATORS["flair_score"].describe()["interpretation"]
    assert {(b["rule"], b["tier"], b["reference"], b["label"]) for b in flair["bands"]} == {
        ("risk_groups", "checked", "lian-2020-mortality", "V1")
    }
    goh = CALCULATORS["goh_staging"].interpretation
    assert goh is not None
    assert [(b.label, b.rule) for b in goh.bands] == [
        ("Limited disease", "threshold_20_pct"),
        ("Extensive disease", "extensive_mortality"),
    ]
    assert CALCULATORS["goh_staging"].provenance["extensive_mortality"].checked == (
        "abstract (AJRCCM 2008)"
    )


def test_every_calculator_has_one_primary_result() -> None:
    for calc in CALCULATORS.values():
        assert calc.presentation.primary in calc.output_names, calc.id
        assert calc.presentation.phrase, calc.id


def test_flair_bands_are_the_papers_groups_without_invented_mortality() -> None:
    reading = CALCULATORS["flair_score"].interpretation
    assert reading is not None
    assert [(b.label, b.range_text(), b.rule) for b in reading.bands] == [
        ("Low risk", "0–4", "risk_groups"),
        ("Medium risk", "5–9", "risk_groups"),
        ("High risk", "10–13", "risk_groups"),
    ]
    assert all("no figure is shown" in b.meaning for b in reading.bands)
    assert reading.band_for(13) is reading.bands[2]
    assert reading.next_steps == ()


def test_gap_bands_carry_the_published_mortality() -> None:
    reading = CALCULATORS["gap_index"].interpretation
    assert reading is not None
    assert reading.band_for(5) is reading.bands[1]
    assert reading.bands[1].meaning.startswith(
        "Stage II: published mortality 16.2 % at 1 year, 29.9 % at 2 years and 42.1 % at 3 years"
    )


def test_every_rule_has_a_tier_and_the_spec_labels_are_kept() -> None:
    for calc in CALCULATORS.values():
        assert calc.provenance
        for entry in calc.provenance.values():
            assert entry.tier in ("review", "checked", "convention", "unverified")
            assert entry.label in (None, "V1", "V2", "PC", "partial")


def test_the_ivig_calculator_declares_the_rules_the_review_does_not_state() -> None:
    tiers = {item: p.tier for item, p in CALCULATORS["ivig_dose"].provenance.items()}
    assert tiers["review_regimen"] == "review"
    assert tiers["adjusted_weight"] == "checked"
    assert tiers["split_over_days"] == "checked"
    assert tiers["half_up_rounding"] == "convention"
    assert tiers["vial_sizes"] == "unverified"


def test_related_entries_are_lowercase_hyphen_ids() -> None:
    for calc in CALCULATORS.values():
        assert calc.related_entries
        for entry in calc.related_entries:
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry)


def test_unverified_items_are_named_in_not_included() -> None:
    expectations = {
        "mck_criteria_count": "not verified",
        "flair_score": "unverified",
        "cross_rpild_score": "FLAW",
        "imacs_screening_plan": "risk-assignment",
        "cyclophosphamide_pulse_age_renal_adjusted": "1.2 g",
        "pamidronate_calcinosis": "Vial sizes",
        "tofacitinib_regimen": "Renal and hepatic",
        "ivig_dose": "vial sizes",
        "ild_gap_index": "2-year",
    }
    for calc_id, phrase in expectations.items():
        assert phrase in CALCULATORS[calc_id].not_included, calc_id


def test_anca_origin_is_stated_on_the_cyclophosphamide_pulse_page() -> None:
    calc = CALCULATORS["cyclophosphamide_pulse_age_renal_adjusted"]
    assert "ANCA" in calc.purpose
    assert any("ANCA" in caveat for caveat in calc.caveats)


def test_json_value_alias_is_exported_for_consumers() -> None:
    value: JSONValue = {"a": [1, 2.5, None, True, "x"]}
    assert json.loads(json.dumps(value)) == value


def test_changelog_names_every_calculator() -> None:
    changelog = (ROOT / "calculators" / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = changelog.split("## 2026.1")[0]
    for calc_id, calc in CALCULATORS.items():
        assert calc_id in changelog
        if calc.version != "1.0.0":  # every later version says why
            assert calc_id in unreleased, calc_id
            assert f"Version {calc.version}" in unreleased, calc_id


def test_display_of_absent_values() -> None:
    raw = {"weight_kg": 70, "tpmt": "poor", "nudt15": "normal"}
    display = run("azathioprine_dosing", raw).display
    assert display["target_mg_per_day"] == "—"
    assert display["schedule_week_mg_per_day"] == "—"
    assert display["start_range_mg_per_day"] == "—"


def test_no_text_result_is_shown_as_an_internal_code() -> None:
    """A text output that holds a code ("hrct", "adjusted") is displayed through its labels."""
    code = re.compile(r"[a-z][a-z0-9_]*")
    shown_raw = []
    for calc in CALCULATORS.values():
        for example in calc.examples:
            result = run(calc.id, dict(example.inputs))
            for out in calc.outputs:
                value = result.outputs[out.name]
                raw = out.kind == "text" and isinstance(value, str) and code.fullmatch(value)
                if raw and result.display[out.name] == value:
                    shown_raw.append(f"{calc.id}.{out.name} = {value!r}")
    assert shown_raw == []
