"""Where each printed chapter lives on the site: the page its QR code opens.

A reader of the handbook who wants the live page (the calculators run there, the text may
be newer) scans the code beside a chapter's title. A chapter that is one page of the site
(a domain, the therapy listing, the antibodies, the glossary) links to that page; a chapter
whose parts are pages of their own and which has no listing (the clinical topics, the
algorithms) links each part from its heading instead. The paths are the site's own
(build_tools.site_plan, the kinds' page plans, build_tools.calculator_pages), turned into
addresses by build_tools.qrcodes.page_url with the build's site address.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from build_tools import kinds, whatsnew
from build_tools.book_plan import Chapter
from build_tools.calculator_pages import INDEX_PATH as CALCULATORS_PATH
from build_tools.loader import Corpus
from build_tools.outline import entry_anchor, entry_path
from build_tools.qrcodes import page_url

CHAPTER_PAGES: Mapping[str, str] = {
    "ch-therapies": "therapies/index.md",
    "ch-antibodies": "antibodies.md",
    "ch-calculators": CALCULATORS_PATH,
    "ch-glossary": "glossary.md",
    "ch-about": "about.md",
    "ch-changes": whatsnew.PAGE_PATH,
    "ch-self-test": "study.md",
}
"""Chapters that are one fixed page of the site (build_tools.site_plan), by anchor."""
REFERENCES_ANCHOR = "ch-references"
"""The reference list, printed after the planned chapters (references.html.j2)."""


def _chapter_pages(corpus: Corpus) -> dict[str, str]:
    """Every chapter anchor that is a page of the site → that page's path."""
    pages = dict(CHAPTER_PAGES)
    pages |= {f"domain-{d.id.value}": f"domains/{d.id.value}.md" for d in corpus.domains}
    pages |= {
        f"ch-{kind.name}": kind.pages.index
        for kind in kinds.KINDS
        if kind.pages is not None and kind.pages.print_template
    }
    return pages


def _section_pages(corpus: Corpus) -> dict[str, str]:
    """Sections that are a page of their own (a topic, an algorithm) → that page's path."""
    pages = {entry_anchor(e.id): entry_path(e) for e in corpus.entries.values()}
    pages |= {f"algorithm-{a}": f"algorithms/{a}.md" for a in corpus.algorithms}
    return pages


def page_links(chapters: Sequence[Chapter], corpus: Corpus, site: str) -> dict[str, str]:
    """Chapter or section anchor → the web address its QR code opens: each chapter's page,
    or, for a chapter that is no page of the site, each of its sections' pages."""
    chapter_pages = _chapter_pages(corpus)
    section_pages = _section_pages(corpus)
    links = {REFERENCES_ANCHOR: page_url(site, "references.md")}
    for chapter in chapters:
        if chapter.anchor in chapter_pages:
            links[chapter.anchor] = page_url(site, chapter_pages[chapter.anchor])
            continue
        for section in chapter.sections:
            if section.anchor in section_pages:
                links[section.anchor] = page_url(site, section_pages[section.anchor])
    return links
