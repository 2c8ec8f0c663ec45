"""What changed between editions is computed from their exports, item by item, field by field.

The previous edition's export is kept in the repository (content/editions/2026.1.json); these
tests compare copies of it with small edits, so every expected line is exact.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from build_tools import changes
from tests.conftest import ROOT

EDITION_2026_1 = ROOT / "content" / "editions" / "2026.1.json"


@pytest.fixture(scope="module")
def previous() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EDITION_2026_1.read_text(encoding="utf-8"))
    return data


def entry(export: dict[str, Any], entry_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in export["entries"] if e["id"] == entry_id)
    return found


def test_the_kept_export_is_edition_2026_1(previous: dict[str, Any]) -> None:
    assert previous["format"] == "myositis-guideline/1"
    assert previous["edition"] == "2026.1"


def test_an_edition_against_itself_has_no_changes(previous: dict[str, Any]) -> None:
    found = changes.compare(previous, copy.deepcopy(previous))
    assert found.changes == ()
    assert found.new_fields == {}


def test_a_dose_edit_is_one_change_with_its_old_and_new_value(previous: dict[str, Any]) -> None:
    current = copy.deepcopy(previous)
    current["edition"] = "2026.2"
    regimen = next(r for r in entry(current, "ivig")["regimens"] if r["id"] == "ivig-2gkg-q4w")
    regimen["dose"]["value"] = 1.0

    found = changes.compare(previous, current)

    assert (found.previous, found.current) == ("2026.1", "2026.2")
    assert len(found.changes) == 1
    change = found.changes[0]
    assert (change.kind, change.id, change.status, change.parent) == (
        "regimen",
        "ivig-2gkg-q4w",
        "changed",
        "ivig",
    )
    assert [f.line() for f in change.fields] == ["dose: 2 g/kg → 1 g/kg"]
    assert change.guidance


def test_new_and_withdrawn_items_are_named(previous: dict[str, Any]) -> None:
    current = copy.deepcopy(previous)
    evidence = entry(current, "azathioprine")["evidence"]
    removed = evidence.pop(0)
    current["glossary"].append({"term": "XYZ", "definition": "A new term", "refs": []})

    found = changes.compare(previous, current)

    assert [(c.kind, c.id, c.status) for c in found.changes] == [
        ("evidence item", removed["id"], "withdrawn"),
        ("glossary term", "XYZ", "new"),
    ]


def test_a_quote_added_is_a_change_of_provenance_not_of_guidance(
    previous: dict[str, Any],
) -> None:
    current = copy.deepcopy(previous)
    regimen = entry(current, "azathioprine")["regimens"][0]
    regimen["source"]["quote"] = ["Azathioprine is given orally starting at 50 mg/day."]

    (change,) = changes.compare(previous, current).changes

    assert change.fields[0].path == "source.quote"
    assert not change.guidance


def test_a_field_the_previous_format_lacked_is_reported_once_not_on_every_item(
    previous: dict[str, Any],
) -> None:
    current = copy.deepcopy(previous)
    for item in current["antibodies"]:
        item["aliases"] = ["x"]

    found = changes.compare(previous, current)

    assert found.changes == ()
    assert found.new_fields == {"antibodies": ("aliases",)}


def test_changes_inside_a_list_are_located_by_the_element_s_name(
    previous: dict[str, Any],
) -> None:
    current = copy.deepcopy(previous)
    section = entry(current, "ivig")["sections"][0]
    section["paragraphs"][0]["text"] = "Changed."

    (change,) = changes.compare(previous, current).changes

    assert change.fields[0].path == f"sections[{section['title']}].paragraphs[1].text"
    assert change.fields[0].new == "Changed."


def test_a_changed_reference_list_names_the_references_not_their_keys(
    previous: dict[str, Any],
) -> None:
    current = copy.deepcopy(previous)
    paragraph = entry(current, "ivig")["sections"][0]["paragraphs"][0]
    paragraph["refs"] = [*paragraph.get("refs", []), "bolosiu-1999-effect"]

    (change,) = changes.compare(previous, current).changes

    (line,) = [f.line() for f in change.fields]
    assert line.endswith("Bolosiu et al. 1999")
    assert "bolosiu-1999-effect" not in line


def test_both_feeds_carry_the_change_and_parse_as_feeds(previous: dict[str, Any]) -> None:
    import feedparser

    from build_tools import feeds

    current = copy.deepcopy(previous)
    current["edition"] = "2026.2"
    regimen = next(r for r in entry(current, "ivig")["regimens"] if r["id"] == "ivig-2gkg-q4w")
    regimen["dose"]["value"] = 1.0
    found = changes.compare(previous, current)
    site = "https://guideline.example.org/"
    listed = feeds.items(found, "2026-12-01", lambda c: f"{site}therapies/{c.parent}/#{c.id}")

    atom = feedparser.parse(
        feeds.atom(
            listed,
            title="Changes",
            site_url=site,
            feed_url=site + "changes.atom",
            updated="2026-12-01",
        )
    )
    as_json = json.loads(
        feeds.json_feed(listed, title="Changes", site_url=site, feed_url=site + "changes.json")
    )

    assert not atom.bozo, atom.get("bozo_exception")
    assert atom.version == "atom10"
    (item,) = atom.entries
    assert item.title == "Changed in 2026.2: regimen “IVIg 2 g/kg every 4 weeks”"
    assert item.link == f"{site}therapies/ivig/#ivig-2gkg-q4w"
    assert item.summary == "dose: 2 g/kg → 1 g/kg"
    assert as_json["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["content_text"] for i in as_json["items"]] == ["dose: 2 g/kg → 1 g/kg"]
    assert as_json["items"][0]["id"] == item.id


def test_the_kept_2026_1_calculators_are_those_of_the_commit_it_was_rebuilt_from(
    previous: dict[str, Any],
) -> None:
    calculators = {c["id"]: c for c in previous["calculators"]}
    assert len(calculators) == 28
    assert {c["version"] for c in calculators.values()} == {"1.0.0"}
    ivig = calculators["ivig_dose"]
    assert ivig["title"] == "IVIg 2 g/kg course with adjusted (dose-determining) weight"
    assert len(ivig["examples"]) == 2
    assert ivig["examples"][1]["inputs"] == {
        "Actual body weight": "60 kg",
        "Height": "175 cm",
        "Sex": "Male",
        "Age": "50 years",
    }
    assert ivig["examples"][1]["outputs"]["Total course dose (nearest 5 g)"] == "120 g"


def test_the_calculators_changed_since_2026_1_are_those_of_the_changelog(
    previous: dict[str, Any],
) -> None:
    from build_tools import calculator_export

    found = changes.compare(
        {"edition": "2026.1", "calculators": previous["calculators"]},
        {"edition": "2026.2", "calculators": calculator_export.records()},
    )

    # calculators/CHANGELOG.md: 2.0.0 (no silent default changes a dose), 1.1.0 (labels),
    # then the display-only versions that put text results in words.
    assert [(c.id, c.status) for c in found.changes] == [
        ("creatinine_clearance_cockcroft_gault", "changed"),
        ("ivig_dose", "changed"),
        ("prednisone_initial_dose", "changed"),
        ("prednisone_taper_schedule", "changed"),
        ("azathioprine_dosing", "changed"),
        ("cyclophosphamide_iv_bsa_dose", "changed"),
        ("diltiazem_range_check", "changed"),
        ("gap_index", "changed"),
        ("ild_gap_index", "changed"),
        ("flair_score", "changed"),
        ("goh_staging", "changed"),
        ("cross_rpild_score", "changed"),
        ("imacs_screening_plan", "changed"),
    ]
    assert found.new_fields == {}  # a worked example's new input is the calculator's change
    azathioprine = found.for_item("calculators", "azathioprine_dosing")
    assert azathioprine is not None
    assert azathioprine.kind == "calculator"
    assert [f.line() for f in azathioprine.fields] == [
        "version: 1.0.0 → 1.1.0",
        "worked example 1 › result › Recommendation: normal_dose → Normal dose",
        "worked example 2 › result › Recommendation: reduced_start_30_80 → "
        "Start at 30–80% of the normal dose",
        "worked example 3 › result › Recommendation: consider_alternative → "
        "Consider a non-thiopurine alternative",
    ]
    goh = found.for_item("calculators", "goh_staging")
    assert goh is not None
    assert [f.line() for f in goh.fields][:3] == [
        "version: 1.0.0 → 1.1.0",
        "worked example 1 › result › Decided by: hrct → HRCT extent alone",
        "worked example 1 › result › Stage: limited → Limited",
    ]
    prednisone = found.for_item("calculators", "prednisone_initial_dose")
    assert prednisone is not None
    assert [f.line() for f in prednisone.fields] == [
        "version: 1.0.0 → 2.0.0",
        "worked example 1 › given › Round to tablet step: (none) → 5 mg",
        "worked example 4 › given › Round to tablet step: (none) → 5 mg",
    ]


def test_a_worked_example_s_result_changed_is_named_with_its_old_and_new_value(
    previous: dict[str, Any],
) -> None:
    current = copy.deepcopy(previous)
    ivig = next(c for c in current["calculators"] if c["id"] == "ivig_dose")
    ivig["version"] = "1.0.1"
    ivig["examples"][1]["outputs"]["Total course dose (nearest 5 g)"] = "125 g"
    removed = current["calculators"].pop()

    found = changes.compare(previous, current)

    assert [(c.id, c.status) for c in found.changes] == [
        ("ivig_dose", "changed"),
        (removed["id"], "withdrawn"),
    ]
    assert [f.line() for f in found.changes[0].fields] == [
        "version: 1.0.0 → 1.0.1",
        "worked example 2 › result › Total course dose (nearest 5 g): 120 g → 125 g",
    ]
