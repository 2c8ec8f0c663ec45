"""The subject index at the back of the handbook: every drug, antibody, calculator and
glossary abbreviation by every name it goes by, with the pages it is discussed on (its own
section, and the first link to it in each other chapter), read back from the PDF."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from build_tools import book_index
from build_tools.book_index import Mentions, Subject
from build_tools.handbook import RenderedBook
from build_tools.loader import Corpus
from build_tools.paper_calculators import PaperCalculators
from tests.handbook.conftest import normalise
from tests.handbook.test_pdf import outline


def test_synonyms_point_to_the_subject_and_a_shared_name_to_each_subject() -> None:
    subjects = [
        Subject("Mycophenolate mofetil", "entry-mmf", "drug", ("MMF", "CellCept")),
        Subject("anti-PL-7", "antibody-pl7", "antibody", ("antisynthetase antibody",)),
        Subject("anti-PL-12", "antibody-pl12", "antibody", ("antisynthetase antibody",)),
        Subject("MMF", "glossary-mmf", "glossary", ("mycophenolate mofetil",)),
    ]
    lines = {
        line.name: (line.places, line.see)
        for line in book_index.index_lines(subjects, Mentions({}))
    }
    assert lines == {
        "anti-PL-7": ([("antibody-pl7", True)], []),
        "anti-PL-12": ([("antibody-pl12", True)], []),
        "antisynthetase antibody": ([], ["anti-PL-7", "anti-PL-12"]),
        "CellCept": ([], ["Mycophenolate mofetil"]),
        "MMF": ([("glossary-mmf", True)], ["Mycophenolate mofetil"]),
        "Mycophenolate mofetil": ([("entry-mmf", True)], ["MMF"]),
    }


def test_the_first_link_in_each_other_chapter_is_a_place_in_reading_order() -> None:
    mentions = Mentions({"entry-mmf": "ch-therapies"}, ["domain-ild", "ch-therapies", "ch-x"])
    mentions.at("ch-x")
    later = mentions("entry-mmf", "Mycophenolate mofetil")
    mentions.at("domain-ild")
    first = mentions("entry-mmf", "Mycophenolate mofetil")
    again = mentions("entry-mmf", "MMF")
    mentions.at("ch-therapies")
    at_home = mentions("entry-mmf", "Mycophenolate mofetil")
    assert 'id="ix-entry-mmf-2"' in first
    assert 'id="ix-entry-mmf-1"' in later
    assert "id=" not in again
    assert "id=" not in at_home
    assert mentions.in_order("entry-mmf") == [
        ("ix-entry-mmf-2", False),
        ("entry-mmf", True),
        ("ix-entry-mmf-1", False),
    ]


def test_the_index_lists_every_subject_of_the_content_by_every_name(
    rendered: RenderedBook, book_corpus: Corpus, paper_calcs: PaperCalculators
) -> None:
    html = rendered.html
    index = html[html.index('id="ch-index"') :]
    subjects = book_index.subjects(book_corpus, paper_calcs)
    therapies = [e for e in book_corpus.entries.values() if e.kind == "therapy"]
    assert {s.name for s in subjects if s.kind == "drug"} == {e.title for e in therapies}
    assert {s.name for s in subjects if s.kind == "calculator"} == {
        c.title for c in paper_calcs.calculators
    }
    names = {s.name for s in subjects} | {n for s in subjects for n in s.other_names}
    listed = set(re.findall(r'<span class="index-name">([^<]*)</span>', index))
    unescaped = {n.replace("&amp;", "&").replace("&#39;", "'") for n in listed}
    assert {n.casefold() for n in names} == {n.casefold() for n in unescaped}
    for subject in subjects:  # every own place is an anchor of the book
        assert f'id="{subject.home}"' in html, subject.home


def joined(text: str) -> str:
    """Text to compare names in: a line broken after a name's own hyphen ("anti-⏎MDA5")
    joined again, case folded."""
    return re.sub(r"-\s+", "-", normalise(text)).casefold()


def index_entries(page_texts: list[str], start: int) -> str:
    """The index's text, pages joined, running heads and footers left in."""
    return normalise(" ".join(page_texts[start:]))


def listed_pages(index_text: str, name: str, last_page: int) -> list[int]:
    """The page numbers printed after `name` on its index line (the first place the name
    is followed by numbers that are all pages of the book: not "Rituximab 1000 mg…")."""
    for match in re.finditer(re.escape(normalise(name)) + r"((?:,? \d+)+)(?!\d)", index_text):
        pages = [int(n) for n in re.findall(r"\d+", match.group(1))]
        if all(1 <= page <= last_page for page in pages):
            return pages
    raise AssertionError(f"{name!r} is not in the index with its pages")


@pytest.mark.slow
def test_the_index_is_the_last_chapter_and_its_page_numbers_are_where_the_term_appears(
    reader: PdfReader,
    page_texts: list[str],
    book_corpus: Corpus,
    paper_calcs: PaperCalculators,
) -> None:
    chapters = [(title, page) for level, title, page in outline(reader) if level == 1]
    assert chapters[-1][0] == "Index"
    start = chapters[-1][1]
    assert page_texts[start].startswith("Index")
    text = index_entries(page_texts, start)
    subjects = book_index.subjects(book_corpus, paper_calcs)
    by_kind: dict[str, list[Subject]] = {}
    for subject in subjects:
        by_kind.setdefault(subject.kind, []).append(subject)
    sample = [*by_kind["drug"][:6], *by_kind.get("antibody", [])[:4]]
    sample += [*by_kind["calculator"][:4], *by_kind.get("glossary", [])[:4]]
    for subject in sample:
        pages = listed_pages(text, subject.name, start)
        assert pages == sorted(set(pages)), subject.name  # in order, none twice
        name = joined(subject.name)
        showing = [page for page in pages if name in joined(page_texts[page - 1])]
        if subject.kind == "calculator":  # a link to a calculator names the regimen it computes
            assert showing, subject.name
        else:
            assert showing == pages, subject.name
