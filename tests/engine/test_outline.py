"""The outline: one plan and one label vocabulary for the site, the handbook and the exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools import book_plan, exports, outline, schema, site_plan, templating
from build_tools.context import CalculatorCatalog
from build_tools.loader import Corpus, load_content
from build_tools.paper_calculators import PaperCalculators
from build_tools.store import ContentStore
from tests.conftest import FIXTURE_CONTENT, ROOT


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_content(ContentStore(), FIXTURE_CONTENT, CalculatorCatalog.from_registry())


def test_every_domain_line_and_study_type_has_one_label() -> None:
    assert set(outline.DOMAIN_LABELS) == {d.value for d in schema.Domain}
    assert set(outline.LINE_LABELS) == {line.value for line in schema.LineOfTherapy}
    assert set(outline.STUDY_TYPE_LABELS) == {t.value for t in schema.StudyType}


def test_the_site_and_the_book_name_a_domain_alike() -> None:
    """They used to disagree ("RP-ILD" on the site, "Rapidly progressive ILD" in print)."""
    site = templating.site_environment().globals["DOMAIN_LABELS"]
    book = templating.print_environment().globals["DOMAIN_LABELS"]
    assert site == book == dict(outline.DOMAIN_LABELS)
    assert site["rp-ild"] == "Rapidly progressive ILD"
    assert templating.site_environment().globals["LINE_LABELS"]["refractory"] == (
        "Refractory disease"
    )


def test_the_site_and_the_book_follow_the_outlines_order(corpus: Corpus) -> None:
    plan = outline.make_outline(corpus, site_plan.entry_summaries(corpus, None))
    pages = [p.path for p in site_plan.plan_pages(corpus)]
    chapters = book_plan.plan_book(corpus, PaperCalculators())
    therapies = [t.id for t in plan.therapies]
    assert [p for p in pages if p.startswith("therapies/") and p != "therapies/index.md"] == [
        f"therapies/{t}.md" for t in therapies
    ]
    monographs = next(c for c in chapters if c.title == outline.THERAPIES.full)
    assert [s.anchor for s in monographs.sections] == [f"entry-{t}" for t in therapies]
    domains = [d.domain.id.value for d in plan.domains]
    assert [c.anchor for c in chapters if c.anchor.startswith("domain-")] == [
        f"domain-{d}" for d in domains
    ]


def test_every_collection_of_the_corpus_is_seen_by_kind(corpus: Corpus) -> None:
    kinds = outline.collections(corpus)
    assert list(kinds) == [
        "guideline", "domains", "entries", "antibodies", "algorithms", "glossary",
        "references", "discrepancies", "citation_map", "recommendations", "withdrawals",
    ]  # fmt: skip
    everything = outline.objects(corpus)
    assert corpus.guideline in everything
    assert all(any(e is o for o in everything) for e in corpus.entries.values())


def test_a_kind_that_declares_pages_is_planned_by_both_publishers() -> None:
    """No hand list: the recommendation kind declares its pages (build_tools.kinds), and the
    site plans its listing and one page per recommendation, the book its chapter."""
    real = load_content(ContentStore(), ROOT / "content", CalculatorCatalog.from_registry())
    pages = site_plan.plan_pages(real)
    paths = [p.path for p in pages]
    first = paths.index("recommendations/index.md")
    ids = [r.id for r in real.recommendations.values()]
    assert paths[first : first + 1 + len(ids)] == [
        "recommendations/index.md",
        *(f"recommendations/{i}.md" for i in ids),
    ]
    assert pages[first].title == "Key recommendations"
    chapters = book_plan.plan_book(real, PaperCalculators())
    chapter = next(c for c in chapters if c.anchor == "ch-recommendations")
    assert [s.anchor for s in chapter.sections] == ["recommendations-all"]


def test_exports_are_found_in_the_registry() -> None:
    names = {e.name: e.stage for e in exports.registered()}
    assert names == {
        "FHIR Bundle": "site",
        "changes feeds": "site",
        "guideline.json": "pages",
        "References (CSL-JSON, BibTeX, RIS)": "site",
        "References of each page (CSL-JSON, BibTeX, RIS)": "pages",
        "study cards and decks": "site",
    }


def test_site_exports_write_their_files(corpus: Corpus, tmp_path: Path) -> None:
    from build_tools.context import BuildContext, Settings

    ctx = BuildContext.create(Settings.from_environment().but(content=FIXTURE_CONTENT))
    written = exports.write("site", exports.ExportInput(ctx, corpus, tmp_path))
    assert sorted(w for w in written if not w.startswith("study/")) == [
        "exports/references.bib", "exports/references.json", "exports/references.ris",
        "fhir/guideline.json",
    ]  # fmt: skip
    assert "study/cards.json" in written
    assert all((tmp_path / rel).stat().st_size > 0 for rel in written)
