"""Study mode wired into the build: the study pages planned with the site's other pages,
cards.json and the decks written by the study export, the handbook's self-test, all made
from the content being built (not from a kept export)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from build_tools import exports, generator, study, study_site, whatsnew
from build_tools.context import BuildContext, Settings
from build_tools.exports.study_files import EXPORT as STUDY_EXPORT
from tests.conftest import FIXTURE_CONTENT, ROOT
from tests.generating import context_for, generate


def _study_pages(files: list[str]) -> list[str]:
    return sorted(f for f in files if f.startswith("study/"))


def test_the_site_plans_a_study_page_for_everything_and_one_per_deck(
    content: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    first = generate(content, docs)
    pages = _study_pages(first.written)
    assert "study/index.md" in pages
    made = {p.split("/")[1] for p in pages if p.count("/") == 2}
    # The fixture's entries quote no source sentence, so only its antibody and its glossary
    # terms give cards: a deck without cards gets no page.
    assert made == {"antibodies", "glossary"}, pages
    # Folder indexes: as deep in the site (study/ild/) as in the offline copy.
    assert all(p.endswith("/index.md") for p in pages), pages
    deck = (docs / "study" / "antibodies" / "index.md").read_text("utf-8")
    assert 'data-cards="../../study/cards.json" data-domain="antibodies"' in deck
    assert '<script type="module" src="../../assets/js/study.js"></script>' in deck
    whole = (docs / "study" / "index.md").read_text("utf-8")
    assert 'data-cards="../study/cards.json" data-domain=""' in whole
    # A Study section of the navigation, the page for everything first.
    section = next(i["Study"] for i in first.nav if isinstance(i, dict) and "Study" in i)
    assert section[0] == {"All cards": "study/index.md"}
    assert len(section) == len(made) + 1

    # An edit elsewhere: the cards are not made again, the pages are the same objects.
    ctx = context_for(content, docs)
    held = ctx.memos.study.source, list(ctx.memos.study.pages)
    generate(content, docs)
    assert ctx.memos.study.source is held[0]
    assert all(a is b for a, b in zip(ctx.memos.study.pages, held[1], strict=True))

    # An edit to an entry, as `make serve` sees it: only that entry's page is rendered
    # again; the cards are made again, and their pages, whose counts did not change, are
    # the same pages.
    entry = content / "entries" / "ivig.yaml"
    entry.write_text(entry.read_text("utf-8").replace("n: 95", "n: 96"), "utf-8")
    quick = generate(content, docs, changed=[str(entry)])
    assert quick.quick
    assert ctx.memos.study.source is not held[0]
    assert all(a is b for a, b in zip(ctx.memos.study.pages, held[1], strict=True))
    assert sorted(quick.written) == ["guideline.json", "therapies/ivig.md"]


def test_the_study_export_writes_cards_json_and_a_deck_per_domain(tmp_path: Path) -> None:
    ctx = BuildContext.create(Settings.from_environment().but(content=FIXTURE_CONTENT))
    corpus = generator.load(ctx)
    assert STUDY_EXPORT in exports.registered("site")
    files = STUDY_EXPORT.files(exports.ExportInput(ctx, corpus, tmp_path))
    data = json.loads(files["study/cards.json"])
    assert data["format"] == "myositis-guideline-study/1"
    assert data["edition"] == ctx.calculators.edition
    # The cards of the content being built: its antibody and its glossary terms.
    items = {(c["item"]["collection"], c["item"]["id"]) for c in data["cards"]}
    assert items == {("antibodies", a.id) for a in corpus.antibodies} | {
        ("glossary", t.term) for t in corpus.glossary
    }
    assert {f"study/{d['id']}.apkg" for d in data["decks"]} == set(files) - {"study/cards.json"}
    # Each deck opens as the Anki package it is (a zip holding a SQLite collection).
    for deck in data["decks"]:
        with zipfile.ZipFile(io.BytesIO(files[deck["apkg"]])) as package:
            collection = package.read("collection.anki2")
        with tempfile.NamedTemporaryFile(suffix=".anki2") as held:
            held.write(collection)
            held.flush()
            with contextlib.closing(sqlite3.connect(held.name)) as db:
                (notes,) = db.execute("select count(*) from notes").fetchone()
        assert notes == deck["count"], deck
    # References are named by their citation, not their key.
    refs = [r for c in data["cards"] for r in c["refs"]]
    assert all(r["citation"] != r["id"] for r in refs)
    # Written into the site by the post-build step, as every site export is.
    site = tmp_path / "site"
    written = exports.write("site", exports.ExportInput(ctx, corpus, site))
    assert "study/cards.json" in written
    assert (site / "study" / "antibodies.apkg").is_file()
    shutil.rmtree(site)


def test_cards_updated_in_this_edition_are_the_items_the_site_marks_changed() -> None:
    ctx = BuildContext.create(Settings.from_environment().but(content=ROOT / "content"))
    corpus = generator.load(ctx)
    changes = whatsnew.edition_changes(
        corpus, ctx.calculators.edition, ctx.settings.content, ctx.memos.edition
    )
    assert changes.change_set is not None, "content/ keeps an earlier edition"
    changed = study_site.changed_items(changes)
    export = study_site.export_of(ctx.calculators.edition, corpus, ctx.memos.edition.compare, {})
    cards = study.build_cards(export, changed).cards
    updated = [c for c in cards if c.updated_in]
    assert updated
    assert all(c.updated_in == ctx.calculators.edition for c in updated)
    assert all(c.item in changed for c in updated)
    assert all(changes.mark_for(*c.item) for c in updated if c.item[0] == "recommendations")
    # The handbook's self-test: the same cards, without the glossary deck (said in print).
    printed = study_site.self_test(ctx, corpus)
    assert printed["left_out"] == ["Glossary"]
    assert "glossary" not in {s["id"] for s in printed["sections"]}
    questions = [q for s in printed["sections"] for q in s["items"]]
    assert printed["total"] == len(questions) == len({q["id"] for q in questions})
    assert {q["id"] for q in questions} <= {c.id for c in cards}
