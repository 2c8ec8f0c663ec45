"""The handbook rendered to one HTML document, piece by piece in reading order.

The book cites as the site does (build_tools.citer: one citer, the book's marks), in the
order of the outline; Jinja print templates in site_templates/print/ (autoescaped,
StrictUndefined) lay each piece out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from build_tools import book_index, book_links, provenance, schema, siteurl
from build_tools.book_fonts import (
    DEFAULT_PAPER,
    PAPER_STYLESHEETS,
    find_font_dir,
    font_face_css,
    page_css,
)
from build_tools.book_plan import Chapter, plan_book
from build_tools.citations import format_references
from build_tools.citer import PrintCiter
from build_tools.loader import Corpus
from build_tools.paper_calculators import PaperCalculators
from build_tools.templating import print_environment
from build_tools.whatsnew import EditionChanges

AUTHOR = "Guideline editors"
SUBJECT = (
    "Treatment of refractory idiopathic inflammatory myositis and myositis-associated "
    "interstitial lung disease: printed handbook with calculator tables"
)


@dataclass
class RenderedBook:
    """The book as one HTML document, and what went into it."""

    html: str
    chapters: list[Chapter]
    reference_order: list[str]
    calculators: PaperCalculators
    missing_references: dict[str, set[str]]


def _reference_html(ref: schema.Reference, formatted: str) -> Markup:
    """AMA text from citeproc with the DOI made a link (and PubMed/URL links appended)."""
    html = formatted
    links = []
    if ref.DOI:
        target = f"https://doi.org/{ref.DOI}"
        pattern = re.compile(r"doi:\s*" + re.escape(str(escape(ref.DOI))), re.IGNORECASE)
        linked, count = pattern.subn(
            lambda m: f'<a href="{escape(target)}">{m.group(0)}</a>', html, count=1
        )
        if count:
            html = linked
        else:
            links.append(f'<a href="{escape(target)}">doi:{escape(ref.DOI)}</a>')
    if ref.PMID:
        url = f"https://pubmed.ncbi.nlm.nih.gov/{ref.PMID}/"
        links.append(f'PMID <a href="{escape(url)}">{escape(ref.PMID)}</a>')
    if ref.URL and not ref.DOI and ref.URL not in html:
        links.append(f'<a href="{escape(ref.URL)}">{escape(ref.URL)}</a>')
    if links:
        html = f"{html} {' · '.join(links)}"
    return Markup(html)


def render_book(
    corpus: Corpus,
    paper_calcs: PaperCalculators,
    *,
    paper: str = DEFAULT_PAPER,
    edition: str = "draft",
    font_dir: Path | None = None,
    include_unverified: bool = False,
    env: jinja2.Environment | None = None,
    changes: EditionChanges | None = None,
    self_test: Mapping[str, Any] | None = None,
    site: str | None = None,
) -> RenderedBook:
    """Render the book to one HTML document, piece by piece in reading order.

    Citation numbers are handed out as the pieces render, so the cover and every chapter
    render first, the reference list after them, and the outer document (head, table of
    contents: no citations) last. `site` is the address the printed QR codes open
    (build_tools.siteurl; by default the environment's, else the local server's).
    """
    env = env if env is not None else print_environment(include_unverified=include_unverified)
    citer = PrintCiter(corpus, show_unverified=include_unverified)
    chapters = plan_book(corpus, paper_calcs, changes, self_test)
    formatted = format_references(list(corpus.references.values()))
    guideline = corpus.guideline
    subjects = book_index.subjects(corpus, paper_calcs)
    mentions = book_index.mentions_for(chapters, subjects)  # the templates' xref
    common: dict[str, Any] = {
        "xref": mentions,
        "glossary_anchor": book_index.glossary_anchor,
        "guideline": guideline,
        "edition": edition,
        "cite": citer,
        "calculator_anchors": {c.id: f"calc-{c.id}" for c in paper_calcs.calculators},
        "calculator_titles": {c.id: c.title for c in paper_calcs.calculators},
        "entries_by_id": {e.id: e for e in corpus.entries.values()},
        "antibody_ids": {a.id for a in corpus.antibodies},
        "antibody_names": {a.id: a.name for a in corpus.antibodies},
        "domain_ids": {d.id.value for d in corpus.domains},
        "source_citations": {k: v[1] for k, v in formatted.items()},
        "calculator_count": len(paper_calcs.calculators),
        "table_count": len(paper_calcs.tables),
        "page_links": book_links.page_links(chapters, corpus, site or siteurl.site_url()),
        "calculator_notes": {
            c.id: provenance.therapy_note(c.id, corpus.references) for c in paper_calcs.calculators
        },
    }

    def render(template: str, context: dict[str, Any]) -> Markup:
        return Markup(env.get_template(template).render({**common, **context}))

    citer.at("cover", "Cover")
    cover = render("cover.html.j2", {})
    parts = []
    for chapter in chapters:
        citer.at(chapter.anchor, chapter.title)
        mentions.at(chapter.anchor)
        intro = render(chapter.template, {"chapter": chapter, **chapter.context})
        sections = []
        for section in chapter.sections:
            citer.at(section.anchor, section.title)
            html = render(section.template, {"section": section, **section.context})
            sections.append({"anchor": section.anchor, "title": section.title, "html": html})
        parts.append(
            render("chapter.html.j2", {"chapter": chapter, "intro": intro, "sections": sections})
        )

    # Every reference is listed: those cited in the text in order of first citation, then
    # any the text did not reach (e.g. cited only by a calculator that was left out).
    order = list(citer.numbering.order)
    order += [k for k in corpus.references if k not in citer.numbering.sites]
    rows = [
        {
            "n": i,
            "ref": corpus.references[k],
            "html": _reference_html(corpus.references[k], formatted[k][0]),
        }
        for i, k in enumerate(order, start=1)
    ]
    parts.append(render("references.html.j2", {"rows": rows}))
    lines = book_index.index_lines(subjects, mentions)
    parts.append(render("subject_index.html.j2", {"groups": book_index.letter_groups(lines)}))
    keywords = [d.title for d in corpus.domains] + sorted(
        e.title for e in corpus.entries.values() if e.kind == "therapy"
    )
    document = render(
        "handbook.html.j2",
        {
            "chapters": chapters,
            "cover": cover,
            "body": Markup("\n".join(parts)),
            "title": guideline.title,
            "author": AUTHOR,
            "subject": SUBJECT,
            "keywords": ", ".join(["myositis", "interstitial lung disease", *keywords]),
            "fonts_css": Markup(font_face_css(font_dir or find_font_dir())),
            "page_css": Markup(page_css(paper, edition, guideline.date)),
            "paper_stylesheet": PAPER_STYLESHEETS.get(paper, ""),
        },
    )
    return RenderedBook(
        html=str(document),
        chapters=chapters,
        reference_order=order,
        calculators=paper_calcs,
        missing_references=citer.missing,
    )
