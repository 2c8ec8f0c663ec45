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
