"""The printed handbook: the validated corpus and the calculators as one PDF book.

The book is made from the same sources as the site, through the same two phases: the
corpus is loaded and checked, the whole book is rendered to one HTML document (Jinja print
templates in site_templates/print/, autoescaped, StrictUndefined), and only then does
WeasyPrint lay it out and the PDF replace the previous one in a single rename.

Paper has no JavaScript, so the calculators appear as formula, worked example and tables
computed at build time by the calculator code (build_tools.paper_calculators). Citations
are numbered in order of first citation in the book (the site's scheme, applied to the
book's reading order) and link to the reference list inside the PDF.

The job is split by part: build_tools.book_plan (chapters from the outline),
build_tools.book_render (the HTML document), build_tools.book_pdf (layout, cache, the
fetcher that reads only the book's own files), build_tools.book_fonts (paper and fonts).
This module builds the book from a build context and names the parts other code uses.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from build_tools import generator, siteurl, study_site, templating, whatsnew
from build_tools.book_fonts import (
    DEFAULT_PAPER,
    FONT_DIRS,
    FONT_FACES,
    PAPER_SIZES,
    HandbookError,
    checked_paper,
    find_font_dir,
    font_face_css,
    page_css,
    paper_from_env,
)
from build_tools.book_pdf import (
    CACHE_KEEP,
    PDF_VARIANT,
    FetchRefused,
    own_files_fetcher,
    write_pdf,
)
from build_tools.book_plan import BookSection, Chapter, plan_book
from build_tools.book_render import AUTHOR, SUBJECT, RenderedBook, render_book
from build_tools.citer import PrintCiter
from build_tools.context import FONT_DIR_ENV, PAPER_ENV, BuildContext
from build_tools.loader import Corpus
from build_tools.outline import DOMAIN_LABELS, entry_anchor
from build_tools.templating import PRINT_TEMPLATES, xref
from build_tools.templating import print_environment as make_environment

__all__ = [
    "AUTHOR",
    "CACHE_KEEP",
    "DEFAULT_PAPER",
    "DOMAIN_LABELS",
    "FONT_DIRS",
    "FONT_DIR_ENV",
    "FONT_FACES",
    "PAPER_ENV",
    "PAPER_SIZES",
    "PDF_VARIANT",
    "PRINT_TEMPLATES",
    "SUBJECT",
    "BookSection",
    "Chapter",
    "FetchRefused",
    "HandbookError",
    "PrintCiter",
    "RenderedBook",
    "entry_anchor",
    "escape",
    "find_font_dir",
    "font_face_css",
    "make_environment",
    "own_files_fetcher",
    "page_css",
    "paper_from_env",
    "plan_book",
    "render_book",
    "write_pdf",
    "xref",
]

CACHE_FOLDER = "handbook-cache"
"""The PDF cache's folder in the settings' cache store, which every build shares (a build's
own folder is removed when it ends, and the PDF is the slowest part of a build)."""


@dataclass
class HandbookReport:
    """What a build produced, for the log and the tests."""

    target: Path
    pages: int
    seconds: float
    skipped: list[str]
    reused: bool = False

    def summary(self) -> str:
        how = "unchanged, reused" if self.reused else f"{self.seconds:.1f} s"
        return f"handbook: {self.target.name}, {self.pages} pages ({how})"


def load_book_corpus(content: Path | None = None, ctx: BuildContext | None = None) -> Corpus:
    """The corpus the site is built from (calculators' references included)."""
    ctx = ctx if ctx is not None else BuildContext.create()
    if content is not None:
        ctx = BuildContext.create(ctx.settings.but(content=content), ctx.calculators)
    return generator.load(ctx)


def book_parts(ctx: BuildContext, corpus: Corpus) -> dict[str, Any]:
    """The parts of the book made from more than the corpus: this edition's changes against
    the kept edition, and the self-test appendix (render_book's `changes`, `self_test`)."""
    return {
        "changes": whatsnew.edition_changes(
            corpus, ctx.calculators.edition, ctx.settings.content, ctx.memos.edition
        ),
        "self_test": study_site.self_test(ctx, corpus),
    }


def build_handbook(
    target: Path,
    *,
    ctx: BuildContext | None = None,
    content: Path | None = None,
    paper: str | None = None,
    corpus: Corpus | None = None,
    cache: Path | bool | None = True,
) -> HandbookReport:
    """Load and check the content, collect the calculators, render, write the PDF.

    `cache`: True keeps PDFs in the settings' cache store, a folder keeps them there,
    None keeps none."""
    from build_tools.paper_calculators import collect_calculators

    started = time.perf_counter()
    ctx = ctx if ctx is not None else BuildContext.create()
    settings = ctx.settings
    paper = checked_paper(paper or settings.paper)
    font_dir = find_font_dir(settings.font_dir)  # fail before any work if the fonts are missing
    if corpus is None:
        corpus = load_book_corpus(content, ctx)
    site = siteurl.site_url(settings=settings)  # the address the printed links open
    book = render_book(
        corpus,
        collect_calculators(site),
        paper=paper,
        edition=ctx.calculators.edition,
        font_dir=font_dir,
        include_unverified=settings.include_unverified,
        env=templating.environment(ctx, templating.PRINT),
        site=site,
        **book_parts(ctx, corpus),
    )
    folder = settings.cache_store / CACHE_FOLDER if cache is True else cache or None
    pages, reused = write_pdf(book.html, target, folder, font_dir)
    skipped = list(book.calculators.skipped)
    for key, places in sorted(book.missing_references.items()):
        skipped.append(
            f"reference {key!r} (cited by {', '.join(sorted(places))}) is not in "
            "content/references/: printed as its key"
        )
    return HandbookReport(target, pages, time.perf_counter() - started, skipped, reused)
