"""The outline: one plan and one label vocabulary for the site, the handbook and the exports."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from build_tools import book_plan, exports, outline, schema, site_plan, templating
from build_tools.loader import Corpus, load_content
from build_tools.paper_calculators import PaperCalculators
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    from build_tools.generator import calculator_info

    return load_content(FIXTURE_CONTENT, calculator_info()[0])


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
        "discrepancies", "citation_map", "references",
    ]  # fmt: skip
    everything = outline.objects(corpus)
    assert corpus.guideline in everything
    assert all(any(e is o for o in everything) for e in corpus.entries.values())


@dataclass(frozen=True)
class _Plan:
    section: str = "Recommendations"
    path: str = "recommendations/{id}.md"
    template: str = "recommendation.md.j2"
    print_template: str | None = "recommendation.html.j2"
    index_path: str | None = "recommendations/index.md"
    index_template: str | None = "recommendations_index.md.j2"

    def title(self, item: Any) -> str:
        return f"Recommendation {item.id}"


def test_a_kind_that_declares_pages_is_planned_by_both_publishers(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No hand list: a kind in the registry with `pages` gets its pages and its chapter."""
    items = [types.SimpleNamespace(id="r1"), types.SimpleNamespace(id="r2")]
    kind = types.SimpleNamespace(pages=_Plan())
    module = types.ModuleType("build_tools.kinds")
    module.KINDS = {"recommendations": kind}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "build_tools.kinds", module)
    base = outline.collections(corpus)
    monkeypatch.setattr(
        outline, "collections", lambda c: {**base, "recommendations": items}, raising=True
    )
    pages = site_plan.plan_pages(corpus)
    paths = [p.path for p in pages]
    assert paths[paths.index("recommendations/index.md") :][:3] == [
        "recommendations/index.md", "recommendations/r1.md", "recommendations/r2.md",
    ]  # fmt: skip
    assert pages[paths.index("recommendations/r1.md")].title == "Recommendation r1"
    chapters = book_plan.plan_book(corpus, PaperCalculators())
    chapter = next(c for c in chapters if c.anchor == "ch-recommendations")
    assert [s.anchor for s in chapter.sections] == ["recommendations-r1", "recommendations-r2"]


def test_exports_are_found_in_the_registry() -> None:
    names = {e.name: e.stage for e in exports.registered()}
    assert names == {
        "FHIR Bundle": "site",
        "guideline.json": "pages",
        "References (CSL-JSON, BibTeX, RIS)": "site",
    }


def test_site_exports_write_their_files(corpus: Corpus, tmp_path: Path) -> None:
    from build_tools.context import BuildContext, Settings

    ctx = BuildContext.create(Settings.from_environment().but(content=FIXTURE_CONTENT))
    written = exports.write("site", exports.ExportInput(ctx, corpus, tmp_path))
    assert sorted(written) == [
        "exports/references.bib", "exports/references.json", "exports/references.ris",
        "fhir/guideline.json",
    ]  # fmt: skip
    assert all((tmp_path / rel).stat().st_size > 0 for rel in written)
