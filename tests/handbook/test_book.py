"""The book's plan and HTML (no layout): every page links the editions, omissions are said."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from build_tools import handbook, paper_calculators
from build_tools.loader import Corpus
from build_tools.paper_calculators import PaperCalculators


def test_every_site_page_links_the_handbook_at_its_depth(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("*.html") if p.name != "404.html"]
    assert pages
    for page in pages:
        html = page.read_text("utf-8")
        match = re.search(r'<a href="([^"]+)"[^>]*>Download the handbook \(PDF\)</a>', html)
        assert match, page
        url = urljoin("http://site.invalid/" + page.relative_to(built_site).as_posix(), match[1])
        assert built_site / unquote(urlsplit(url).path.lstrip("/")) == built_site / "handbook.pdf"
        assert "Download the offline bundle (zip)" in html


def test_chapters_follow_the_reading_order_of_the_brief(rendered: handbook.RenderedBook) -> None:
    """Domains, key recommendations, monographs, topics, antibodies, algorithms,
    calculators, glossary, changes, about, then the self-test appendix."""
    order = [
        "ch-recommendations",
        "ch-therapies",
        "ch-topics",
        "ch-antibodies",
        "ch-algorithms",
        "ch-calculators",
        "ch-glossary",
        "ch-changes",
        "ch-about",
        "ch-self-test",
        "ch-self-test-answers",
    ]
    anchors = [c.anchor for c in rendered.chapters]
    domains = [a for a in anchors if a.startswith("domain-")]
    assert anchors[: len(domains)] == domains
    rest = anchors[len(domains) :]
    assert rest == [a for a in order if a in rest]
    # About ends the book proper; the self-test appendix (questions, then answers) follows.
    assert rest[-1] == ("ch-self-test-answers" if "ch-self-test" in rest else "ch-about")
    assert rendered.html.rstrip().endswith("</html>")
    assert rendered.html.index('id="ch-references"') > rendered.html.index('id="ch-about"')


def test_cover_carries_title_edition_date_and_disclaimer(
    rendered: handbook.RenderedBook, book_corpus: Corpus
) -> None:
    cover = rendered.html[: rendered.html.index('class="toc"')]
    guideline = book_corpus.guideline
    assert guideline.date in cover
    assert "Edition" in cover
    assert "Disclaimer" in cover
    assert str(handbook.escape(guideline.title)) in cover


def test_citation_groups_are_sorted_and_link_inside_the_book(book_corpus: Corpus) -> None:
    citer = handbook.PrintCiter(book_corpus)
    keys = list(book_corpus.references)[:3]
    citer.marks([keys[1]])
    marks = str(citer.marks([keys[2], keys[1], keys[0]]))
    numbers = [int(n) for n in re.findall(r">(\d+)</a>", marks)]
    assert numbers == sorted(numbers) == [1, 2, 3]
    assert all(f'href="#ref-{k}"' in marks for k in keys)


def test_a_reference_missing_from_the_corpus_is_printed_and_reported(
    book_corpus: Corpus,
) -> None:
    citer = handbook.PrintCiter(book_corpus)
    citer.at("calc-x", "Some calculator")
    marks = str(citer.marks(["no-such-paper-1999"]))
    assert "no-such-paper-1999" in marks
    assert citer.missing == {"no-such-paper-1999": {"Some calculator"}}


def test_without_the_tables_module_the_book_still_builds_and_says_so(
    monkeypatch: pytest.MonkeyPatch, book_corpus: Corpus
) -> None:
    monkeypatch.setitem(sys.modules, "calculators.tables", None)  # import fails
    calcs = paper_calculators.collect_calculators()
    assert calcs.tables == []
    assert any("calculators.tables cannot be imported" in s for s in calcs.skipped)
    book = handbook.render_book(book_corpus, calcs)
    assert "Not printed in this edition" in book.html


def test_a_failing_table_is_left_out_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = pytest.importorskip("calculators.tables")

    def broken(**_: object) -> None:
        raise ValueError("formula under revision")

    def failing_all() -> None:
        raise RuntimeError("one table failed")

    monkeypatch.setattr(tables, "build_tables", failing_all)
    monkeypatch.setattr(tables, "gap_points_table", broken)
    calcs = paper_calculators.collect_calculators()
    assert any("gap_points_table left out" in s for s in calcs.skipped)
    assert not any(t.id == "gap_points" for t in calcs.tables)
    assert any(t.id == "gap_stages" for t in calcs.tables)


def test_without_the_calculators_there_is_no_calculator_chapter(
    monkeypatch: pytest.MonkeyPatch, book_corpus: Corpus
) -> None:
    monkeypatch.setitem(sys.modules, "calculators.registry", None)
    calcs = paper_calculators.collect_calculators()
    assert calcs.calculators == []
    assert calcs.skipped
    chapters = handbook.plan_book(book_corpus, calcs)
    assert "ch-calculators" not in [c.anchor for c in chapters]


def test_every_calculator_has_a_worked_example_run_at_build_time(
    paper_calcs: PaperCalculators,
) -> None:
    registry = pytest.importorskip("calculators.registry")
    for calc in paper_calcs.calculators:
        declared = registry.get(calc.id)
        if not declared.examples:
            continue
        assert calc.example is not None, calc.id
        result = registry.run(calc.id, dict(declared.examples[0].inputs))
        assert calc.example.outputs == [(o.label, result.display[o.name]) for o in declared.outputs]
