"""Study mode: cards generated from the guideline's export, calculator practice, the Anki
decks, the printed self-test, and the study page's template (the built page in a browser:
tests/browser/test_study.py).

The export used here is tests/fixtures/study/guideline.json: the current content's
`guideline.json` with only what study mode reads (entries' regimens and evidence,
antibodies, glossary, domains, references by number and citation). Key recommendations are
not in the content yet; RECOMMENDATIONS below have the shape of the living-guideline issue
and the review's own sentences. `test_live_export_every_item_is_carded_or_reported` runs the
same count on the export of a real build.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import sqlite3
import zipfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from build_tools import changes
from build_tools.study import (
    build_cards,
    page_context,
    publish,
    self_test_context,
    study_data,
    study_pages,
)
from build_tools.study.cards import (
    AMBIGUOUS,
    DOSE_MISSING,
    NO_DOSE,
    NO_NUMBERS,
    NO_QUOTE,
    NUMBERS_MISSING,
    REPEAT,
)
from build_tools.study.model import NOT_GRADED
from build_tools.study.practice import practice_cases
from build_tools.study.recall import NO_STATEMENT
from calculators import CALCULATORS, describe, run
from tests.conftest import ROOT

EXPORT = ROOT / "tests" / "fixtures" / "study" / "guideline.json"
TEMPLATES = ROOT / "site_templates"

RECOMMENDATIONS: list[dict[str, Any]] = [
    {
        "id": "R-ILD-01",
        "statement": "In myositis-associated ILD the first-line glucocorticoid-sparing agents "
        "are mycophenolate mofetil or azathioprine.",
        "domains": ["ild"],
        "action": {"entries": ["mycophenolate-mofetil", "azathioprine"]},
        "grading": "not graded by the source: narrative review",
        "refs": ["moghadam-kia-oddis-2023"],
        "source": {
            "document": "moghadam-kia-oddis-2023",
            "section": "Glucocorticoid-sparing drugs > Azathioprine",
            "quote": [],
        },
    },
    {
        "id": "R-RPILD-01",
        "statement": "Patients with rapidly progressive ILD require pulse intravenous "
        "methylprednisolone followed by high-dose oral glucocorticoid with a second "
        "immunosuppressive agent.",
        "domains": ["rp-ild"],
        "strength": "strong",
        "certainty": "low",
        "refs": ["moghadam-kia-oddis-2023"],
    },
    {"id": "R-EMPTY-01", "statement": "", "domains": ["ild"]},
]


@pytest.fixture(scope="module")
def export() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPORT.read_text(encoding="utf-8"))
    data["recommendations"] = copy.deepcopy(RECOMMENDATIONS)
    return data


def items(export: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [item for entry in export["entries"] for item in entry[kind]]


def carded_or_reported(export: dict[str, Any]) -> None:
    """Every evidence item with numbers, regimen with a dose, antibody and recommendation
    has a card, or is reported skipped with a reason; nothing else is counted."""
    cardset = build_cards(export)
    made = {card.item for card in cardset.cards}
    skipped = {(s.kind, s.item): s.reason for s in cardset.skipped}
    with_numbers = [
        e for e in items(export, "evidence") if e.get("figures") or e.get("n") is not None
    ]
    with_dose = [r for r in items(export, "regimens") if r.get("dose")]
    for item in with_numbers:
        assert ("evidence", item["id"]) in made or skipped.get(("evidence", item["id"])), item
    for regimen in with_dose:
        assert ("regimens", regimen["id"]) in made or skipped.get(("regimen", regimen["id"]))
    for antibody in export["antibodies"]:
        assert ("antibodies", antibody["id"]) in made
    for rec in export.get("recommendations", ()):
        rec_id = rec["id"]
        assert ("recommendations", rec_id) in made or skipped.get(("recommendation", rec_id))
    evidence_cards = sum(1 for c in cardset.cards if c.kind == "evidence")
    evidence_skipped = sum(1 for s in cardset.skipped if s.kind == "evidence")
    assert evidence_cards + evidence_skipped == len(items(export, "evidence"))
    regimen_cards = sum(1 for c in cardset.cards if c.kind == "regimen")
    regimen_skipped = sum(1 for s in cardset.skipped if s.kind == "regimen")
    assert regimen_cards + regimen_skipped == len(items(export, "regimens"))


def test_every_item_is_carded_or_reported(export: dict[str, Any]) -> None:
    carded_or_reported(export)
    cardset = build_cards(export)
    kinds: dict[str, int] = {}
    for made in cardset.cards:
        kinds[made.kind] = kinds.get(made.kind, 0) + 1
    assert kinds == {
        "evidence": 35,
        "regimen": 14,
        "antibody": 16,
        "antigen": 11,
        "glossary": 111,
        "recommendation": 2,
    }
    reasons = {(r["kind"], r["reason"]): r["count"] for r in cardset.reasons()}
    assert reasons == {
        ("evidence", NO_NUMBERS): 37,
        ("evidence", NO_QUOTE): 21,
        ("evidence", AMBIGUOUS): 1,
        ("evidence", REPEAT): 10,
        ("regimen", NO_DOSE): 8,
        ("recommendation", NO_STATEMENT): 1,
    }


@pytest.mark.slow
def test_live_export_every_item_is_carded_or_reported(real_site: Path) -> None:
    carded_or_reported(json.loads((real_site / "guideline.json").read_text(encoding="utf-8")))


def card(export: dict[str, Any], card_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        c for c in study_data(export, cases_per_calculator=1)["cards"] if c["id"] == card_id
    )
    return found


def test_evidence_card_blanks_the_figures_where_the_source_sentence_writes_them(
    export: dict[str, Any],
) -> None:
    # Moghadam-Kia & Oddis: Tsuji et al., combined immunosuppression in anti-MDA5 DM-ILD.
    found = card(export, "evidence/cyc-mda5-combined-tsuji")
    assert found["prompt"] == (
        "In a prospective multi-center study, anti-MDA5-positive DM with ILD (n = __) were "
        "enrolled and treated with a regimen of high-dose glucocorticoids, tacrolimus, and IV "
        "cyclophosphamide. A historical control group (n = __) was used consisting of "
        "anti-MDA5-positive DM patients with ILD who received step-up treatment (high-dose GC "
        "and stepwise addition of immunosuppressant). The combined immunosuppressive regimen "
        "group showed significantly higher 6-month survival rates than the step-up treatment "
        "group (__% versus __%; p < 0.0001)."
    )
    assert found["answers"] == ["29", "15", "89", "33"]
    assert found["detail"][:4] == [
        "patients in the study (n): 29",
        "historical control group: 15",
        "6-month survival, combined regimen: 89%",
        "6-month survival, step-up treatment: 33%",
    ]
    assert found["url"] == "therapies/cyclophosphamide/#evidence-cyc-mda5-combined-tsuji"
    # Three entries quote the same sentences: one card, in each entry's domains.
    repeats = [s for s in build_cards(export).skipped if s.note == found["id"]]
    assert {s.item for s in repeats} == {
        "gc-mda5-combined-regimen-tsuji",
        "tac-mda5-combined-tsuji",
    }
    assert {r.reason for r in repeats} == {REPEAT}
    assert found["source"] == (
        "Moghadam-Kia & Oddis 2023, Glucocorticoid-sparing drugs > Other therapies"
    )
    assert [r["id"] for r in found["refs"]] == ["tsuji-2020-multicenter"]


def test_evidence_card_keeps_number_words_as_the_source_writes_them(
    export: dict[str, Any],
) -> None:
    # "Seventeen"/"17" are both written, so n is not asked; "Twelve" is written once.
    found = card(export, "evidence/cyc-yamasaki-17")
    assert found["prompt"].endswith(
        "__ patients showed improvements in FVC of at least 10 percent."
    )
    assert found["answers"] == ["Twelve"]
    assert found["detail"][0] == "FVC improvement of at least 10 percent: 12"


def test_regimen_card_gives_dose_frequency_and_route(export: dict[str, Any]) -> None:
    # "Azathioprine is given orally starting at 50 mg/day ..." (Moghadam-Kia & Oddis).
    found = card(export, "regimen/azathioprine-oral")
    assert found["prompt"] == (
        "Azathioprine titration (MA-ILD): what dose, how often and by which route?"
    )
    assert found["answer"] == "50 mg/day; daily; oral"
    assert found["quote"][0] == (
        "Azathioprine is given orally starting at 50 mg/day with dose escalation by 50 mg "
        "increments every 1–2 weeks up to 2.5 mg/kg/day."
    )
    assert "Maximum: 2.5 mg/kg/day" in found["detail"]
    # A label that states the dose has it blanked.
    ivig = card(export, "regimen/ivig-2gkg-q4w")
    assert ivig["prompt"] == (
        "Intravenous immunoglobulin: IVIg __ g/kg every 4 weeks: what dose, how often and by "
        "which route?"
    )
    assert ivig["answer"] == "2 g/kg per course; every 4 weeks; IV"


def test_antibody_cards_ask_the_antigen_and_the_associations(export: dict[str, Any]) -> None:
    antigen = card(export, "antigen/anti-jo1")
    assert antigen["prompt"] == "Which myositis autoantibody targets histidyl-tRNA synthetase?"
    assert antigen["answer"] == "anti-Jo-1"
    srp = card(export, "antibody/anti-srp")
    assert srp["detail"] == [
        "Phenotype: Named by Huang & Pye in anti-SRP-positive immune-mediated necrotizing "
        "myopathy (IMNM), in which daratumumab has recently been successful.",
        "Lung: Considered to be less associated with ILD.",
    ]
    assert srp["url"] == "antibodies/#anti-srp"


def test_recommendation_card_blanks_the_action_and_states_the_grading(
    export: dict[str, Any],
) -> None:
    found = card(export, "recommendation/R-ILD-01")
    assert found["prompt"] == (
        "In myositis-associated ILD the first-line glucocorticoid-sparing agents are __ or __."
    )
    assert found["answers"] == ["mycophenolate mofetil", "azathioprine"]
    assert found["detail"][1] == f"Grading: {NOT_GRADED}"
    graded = card(export, "recommendation/R-RPILD-01")
    assert graded["prompt"] == "What does key recommendation R-RPILD-01 say?"
    assert graded["detail"][1] == "Grading: strength: strong; certainty: low"


def test_glossary_card(export: dict[str, Any]) -> None:
    found = card(export, "glossary/ild")
    assert (found["prompt"], found["answer"]) == (
        "What does “ILD” mean?",
        "interstitial lung disease",
    )
    assert found["url"] == "glossary/#ild"


def test_no_card_without_its_numbers_in_the_source_sentence(export: dict[str, Any]) -> None:
    altered = copy.deepcopy(export)
    item = next(e for e in items(altered, "evidence") if e["id"] == "aza-ild-douglas-70")
    item["source"]["quote"] = ["Azathioprine was associated with clinical improvement."]
    regimen = next(r for r in items(altered, "regimens") if r["id"] == "azathioprine-oral")
    regimen["dose"] = {"value": 75.0, "unit": "mg/day"}
    cardset = build_cards(altered)
    ids = {c.id for c in cardset.cards}
    assert "evidence/aza-ild-douglas-70" not in ids
    assert "regimen/azathioprine-oral" not in ids
    reasons = {(s.kind, s.item): s.reason for s in cardset.skipped}
    assert reasons["evidence", "aza-ild-douglas-70"] == NUMBERS_MISSING
    assert reasons["regimen", "azathioprine-oral"] == DOSE_MISSING


def test_items_changed_in_this_edition_are_marked(export: dict[str, Any]) -> None:
    previous = json.loads((ROOT / "content" / "editions" / "2026.1.json").read_text())
    current = copy.deepcopy(export)
    current["edition"] = "2026.2"
    changeset = changes.compare(previous, current)
    changed = [(c.collection, c.id) for c in changeset.changes]
    cards = study_data(current, changed, cases_per_calculator=1)["cards"]
    marked = {c["id"] for c in cards if c["updated_in"] == "2026.2"}
    expected = {c["id"] for c in cards if (c["item"]["collection"], c["item"]["id"]) in changed}
    assert marked == expected
    assert "recommendation/R-ILD-01" in marked  # new since 2026.1
    assert "glossary/ild" not in marked
    unmarked = study_data(export, cases_per_calculator=1)["cards"]
    assert all(c["updated_in"] is None for c in unmarked)


def test_practice_answers_are_the_calculators_own() -> None:
    cases = practice_cases()
    assert {c["calculator"] for c in cases} == set(CALCULATORS)
    assert cases == practice_cases()  # seeded: the same build gives the same cases
    for case in cases:
        result = run(case["calculator"], case["inputs"])
        info = describe(case["calculator"])
        shown = [info["presentation"]["primary"], *info["presentation"]["secondary"]]  # type: ignore[call-overload,index]
        assert [a["text"] for a in case["answer"]] == [result.display[name] for name in shown]
        assert case["steps"] == list(result.explanation)
        assert case["outputs"] == result.to_dict()["outputs"]


def test_practice_inputs_are_within_the_declared_limits() -> None:
    for case in practice_cases():
        for spec in describe(case["calculator"])["inputs"]:  # type: ignore[union-attr]
            assert isinstance(spec, dict)
            value = case["inputs"].get(spec["name"])
            if spec["kind"] != "number" or value is None:
                continue
            low, high = spec["hard_min"], spec["hard_max"]
            unit = case["inputs"].get(spec["unit_field"]) if spec["unit_field"] else None
            alt = next((a for a in spec["unit_alternatives"] if a["unit"] == unit), None)
            if alt is not None:  # limits are declared in the canonical unit
                low, high = ((b - alt["offset"]) / alt["factor"] for b in (low, high))
            assert low <= value <= high, (case["id"], spec["name"])


@contextlib.contextmanager
def open_deck(data: bytes) -> Iterator[sqlite3.Connection]:
    """An .apkg as Anki reads it: a zip holding the SQLite collection."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["collection.anki2", "media"]
    with contextlib.closing(sqlite3.connect(":memory:")) as connection:
        connection.deserialize(archive.read("collection.anki2"))
        yield connection


def test_anki_decks_are_deterministic_and_hold_the_cards(export: dict[str, Any]) -> None:
    files = publish(export, cases_per_calculator=1)
    assert files == publish(export, cases_per_calculator=1)
    data = json.loads(files["study/cards.json"])
    assert set(files) == {"study/cards.json"} | {d["apkg"] for d in data["decks"]}
    assert [d["id"] for d in data["decks"]] == [
        "general", "muscle", "cutaneous", "calcinosis", "ild", "rp-ild", "antibodies", "glossary",
    ]  # fmt: skip
    for deck in data["decks"]:
        with open_deck(files[deck["apkg"]]) as db:
            (notes,) = db.execute("SELECT count(*) FROM notes").fetchone()
            (names,) = db.execute("SELECT decks FROM col").fetchone()
        assert notes == deck["count"] == sum(deck["id"] in c["domains"] for c in data["cards"])
        titles = {d["name"] for d in json.loads(names).values()}
        assert f"Myositis guideline::{deck['title']}" in titles
    with open_deck(files["study/ild.apkg"]) as db:
        fields = [row[0].split("\x1f") for row in db.execute("SELECT flds FROM notes")]
    rec = next(f for f in fields if f[0] == "Key recommendation R-ILD-01")
    assert rec[1] == (
        "In myositis-associated ILD the first-line glucocorticoid-sparing agents are __ or __."
    )
    assert rec[6].startswith("Reference: [")
    assert "Moghadam-Kia" in rec[6]


def render_page(
    export: dict[str, Any], root: str = "../", changed: Collection[tuple[str, str]] = ()
) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "pages"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("study.md.j2").render(**page_context(export, changed, root=root))


def test_study_pages_one_for_everything_and_one_per_deck(export: dict[str, Any]) -> None:
    pages = study_pages(export)
    assert [p.path for p in pages][:3] == ["study.md", "study/general.md", "study/muscle.md"]
    ild = next(p for p in pages if p.path == "study/ild.md")
    assert ild.title == "Study: Myositis-associated interstitial lung disease"
    assert (ild.context["domain"], ild.context["root"]) == ("ild", "../../")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "pages"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    page = env.get_template(ild.template).render(**ild.context)
    assert page.startswith("# Study: Myositis-associated interstitial lung disease\n")
    assert 'data-cards="../../study/cards.json" data-domain="ild"' in page
    assert '<script type="module" src="../../assets/js/study.js"></script>' in page


def test_study_page_template(export: dict[str, Any]) -> None:
    page = render_page(export)
    assert page.startswith("# Study\n")
    assert "nothing is sent anywhere" in page
    assert '<script type="module" src="../assets/js/study.js"></script>' in page
    assert '<a href="../study/ild.apkg" download>' in page
    assert "- 37 evidence items: no figures to ask for" in page
    assert "onclick" not in page
    assert "<script>" not in page


def test_self_test_appendix_prints_questions_then_answers(export: dict[str, Any]) -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    context = self_test_context(export, per_deck=3)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "print"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    fragment = env.get_template("self_test.html.j2").render(**context)
    pdf = HTML(string=f"<html><body>{fragment}</body></html>").write_pdf()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    answers_from = next(i for i, text in enumerate(pages) if "Answers: " in text)
    questions = "\n".join(pages[:answers_from])
    answers = "\n".join(pages[answers_from:])
    assert "Questions: General approach to all patients" in questions
    assert answers_from >= 1
    assert "Questions:" not in answers
    first = context["sections"][0]["items"][0]
    assert first["number"] == 1
    assert first["answer"].split(";")[0] in " ".join(answers.split())
    assert first["answer"].split(";")[0] not in " ".join(questions.split())
