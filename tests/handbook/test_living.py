"""The printed handbook of the real content carries the key recommendations and the changes of
this edition: read back from the PDF `make site` publishes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from build_tools import handbook
from build_tools.context import BuildContext, Settings
from build_tools.paper_calculators import collect_calculators
from tests.conftest import ROOT


def pdf_text(site: Path) -> str:
    reader = PdfReader(site / "handbook.pdf")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def outline_titles(site: Path) -> list[str]:
    reader = PdfReader(site / "handbook.pdf")
    titles: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(getattr(item, "title", "")))

    walk(reader.outline)
    return titles


def test_the_pdf_has_the_recommendations_chapter_and_the_changes_chapter(
    real_site: Path,
) -> None:
    titles = outline_titles(real_site)
    assert "Key recommendations" in titles
    assert "Changes in edition 2026.2" in titles
    text = pdf_text(real_site)
    assert "Edition 2026.2 compared with edition 2026.1, item by item" in " ".join(text.split())


@pytest.fixture(scope="module")
def real_book() -> handbook.RenderedBook:
    """The book of the real content, rendered in-process (HTML, no layout)."""
    ctx = BuildContext.create(Settings.from_environment().but(content=ROOT / "content"))
    corpus = handbook.load_book_corpus(ROOT / "content")
    parts = handbook.book_parts(ctx, corpus)
    return handbook.render_book(corpus, collect_calculators(), edition="test", **parts)


def section_html(book: handbook.RenderedBook, anchor: str) -> str:
    start = book.html.index(f'<section class="book-section" id="{anchor}">')
    return book.html[start : book.html.index("</section>", start)]


def boxed(book: handbook.RenderedBook, anchor: str) -> list[str]:
    """The ids in the key recommendations box of one section, in order."""
    html = section_html(book, anchor)
    if 'class="box key-recommendations"' not in html:
        return []
    box = html[html.index('class="box key-recommendations"') :]
    box = box[: box.index("</div>")]
    return re.findall(r"<li><b>(R-[A-Z0-9-]+)</b>", box)


def test_an_antibody_named_by_recommendations_has_their_box(
    real_book: handbook.RenderedBook,
) -> None:
    # R-ILD-03, R-MDA5-01 and R-MDA5-02 name anti-MDA5 in their population.
    assert boxed(real_book, "antibody-anti-mda5") == ["R-ILD-03", "R-MDA5-01", "R-MDA5-02"]
    assert boxed(real_book, "antibody-anti-jo1") == []


def test_a_calculator_computing_a_regimen_a_recommendation_names_has_its_box(
    real_book: handbook.RenderedBook,
) -> None:
    # R-GEN-03 names the IVIg 2 g/kg regimen, which ivig_dose computes.
    assert boxed(real_book, "calc-ivig_dose") == ["R-GEN-03"]
    assert boxed(real_book, "calc-cyclophosphamide_iv_bsa_dose") == ["R-ILD-11", "R-RPILD-02"]
    # Body-surface area is computed for no regimen a recommendation names.
    assert boxed(real_book, "calc-bsa_mosteller") == []


def test_no_algorithm_has_a_box_as_no_recommendation_names_one(
    real_book: handbook.RenderedBook,
) -> None:
    algorithms = [
        s for c in real_book.chapters for s in c.sections if s.anchor.startswith("algorithm-")
    ]
    assert algorithms
    assert all(boxed(real_book, s.anchor) == [] for s in algorithms)
