"""The printed handbook: the validated corpus and the calculators as one PDF book.

The book is made from the same sources as the site, through the same two phases: the
corpus is loaded and checked, the whole book is rendered to one HTML document (Jinja print
templates in site_templates/print/, autoescaped, StrictUndefined), and only then does
WeasyPrint lay it out and the PDF replace the previous one in a single rename.

Paper has no JavaScript, so the calculators appear as formula, worked example and tables
computed at build time by the calculator code (build_tools.paper_calculators). Citations
are numbered in order of first citation in the book (the site's scheme, applied to the
book's reading order) and link to the reference list inside the PDF.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import markdown  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from build_tools import algorithms, generator, provenance, qrcodes, schema
from build_tools.citations import Numbering, format_references
from build_tools.context import CalculatorCatalog
from build_tools.loader import Corpus, load_content
from build_tools.paper_calculators import PaperCalculators
from build_tools.render import (
    DOMAIN_ORDER,
    LINE_LABELS,
    LINE_ORDER,
    TIER_NOTES,
    cite_text,
    format_quantity,
)

PRINT_TEMPLATES = generator.TEMPLATES / "print"

PAPER_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
"""Paper name on the command line → CSS page size. A4 is the default."""
DEFAULT_PAPER = "a4"
PAPER_ENV = "HANDBOOK_PAPER"
"""Environment variable choosing the paper when the CLI option is not given (`make site`)."""

FONT_DIR_ENV = "HANDBOOK_FONT_DIR"
FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian fonts-dejavu-core / -extra
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu"),
)
# (CSS family, weight, style, file). Embedded from local files so the PDF looks the same on
# every machine and nothing is fetched; DejaVu covers ≥, µ, γ, ² and the other symbols used.
FONT_FACES: tuple[tuple[str, str, str, str], ...] = (
    ("Handbook Serif", "normal", "normal", "DejaVuSerif.ttf"),
    ("Handbook Serif", "bold", "normal", "DejaVuSerif-Bold.ttf"),
    ("Handbook Serif", "normal", "italic", "DejaVuSerif-Italic.ttf"),
    ("Handbook Serif", "bold", "italic", "DejaVuSerif-BoldItalic.ttf"),
    ("Handbook Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("Handbook Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
    ("Handbook Sans", "normal", "italic", "DejaVuSans-Oblique.ttf"),
    ("Handbook Sans", "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    ("Handbook Condensed", "normal", "normal", "DejaVuSansCondensed.ttf"),
    ("Handbook Condensed", "bold", "normal", "DejaVuSansCondensed-Bold.ttf"),
    ("Handbook Condensed", "normal", "italic", "DejaVuSansCondensed-Oblique.ttf"),
    ("Handbook Condensed", "bold", "italic", "DejaVuSansCondensed-BoldOblique.ttf"),
    # The algorithm diagrams name "DejaVu Sans" (build_tools.algorithms): the same files.
    ("DejaVu Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("DejaVu Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
)

AUTHOR = "Guideline editors"
SUBJECT = (
    "Treatment of refractory idiopathic inflammatory myositis and myositis-associated "
    "interstitial lung disease: printed handbook with calculator tables"
)
DOMAIN_LABELS: dict[str, str] = {
    "general": "General",
    "muscle": "Muscle",
    "cutaneous": "Cutaneous",
    "ild": "ILD",
    "rp-ild": "Rapidly progressive ILD",
    "calcinosis": "Calcinosis",
    "dysphagia": "Dysphagia",
    "cardiac": "Cardiac",
    "arthritis": "Arthritis",
    "malignancy": "Malignancy",
}
"""Short names for schema.Domain values (abbreviations kept in capitals)."""
PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF with the PDF/UA-1 identification (WeasyPrint 70 turns pdf_tags on for it)."""
CACHE = generator.GENERATED / "handbook-cache"
CACHE_KEEP = 4
"""PDFs kept in the cache (one per paper size and a few recent editions)."""


class HandbookError(RuntimeError):
    """The handbook cannot be built; the message says what to install or fix."""


def paper_from_env(default: str = DEFAULT_PAPER) -> str:
    """The paper named by $HANDBOOK_PAPER, checked against PAPER_SIZES."""
    paper = os.environ.get(PAPER_ENV, default).strip().lower()
    if paper not in PAPER_SIZES:
        raise HandbookError(
            f"{PAPER_ENV}={paper!r}: expected one of {', '.join(sorted(PAPER_SIZES))}"
        )
    return paper


# --- fonts ---------------------------------------------------------------------------------


def find_font_dir() -> Path:
    """The folder holding every DejaVu file FONT_FACES names."""
    candidates = [Path(p) for p in [os.environ.get(FONT_DIR_ENV, "")] if p] + list(FONT_DIRS)
    needed = {face[3] for face in FONT_FACES}
    for folder in candidates:
        if all((folder / name).is_file() for name in needed):
            return folder
    raise HandbookError(
        "DejaVu fonts not found (looked in "
        + ", ".join(str(c) for c in candidates)
        + "): install the Debian packages fonts-dejavu-core and fonts-dejavu-extra "
        f"(`make setup` does), or set {FONT_DIR_ENV}"
    )


def font_face_css(folder: Path) -> str:
    """@font-face rules pointing at local files (file:// URLs: nothing is downloaded)."""
    rules = []
    for family, weight, style, name in FONT_FACES:
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{(folder / name).as_uri()}"); }}'
        )
    return "\n".join(rules)


def _css_string(text: str) -> str:
    """A CSS string literal: quotes and backslashes escaped, no markup-significant characters."""
    cleaned = re.sub(r"[\x00-\x1f<>]", " ", text)
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_css(paper: str, edition: str, date: str) -> str:
    """The page rules that depend on the build: paper size and the edition in the footer."""
    footer = _css_string(f"Edition {edition} · {date}")
    size = PAPER_SIZES[paper]
    return (
        f"@page {{ size: {size}; @bottom-left {{ content: {footer}; }} }}\n"
        f"@page landscape {{ size: {size} landscape; }}\n"
    )


# --- prose and citations -------------------------------------------------------------------


class _Markdown:
    """Content Markdown → HTML. Content is validated to hold no raw HTML (schema)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists"], output_format="html")

    def block(self, text: str) -> str:
        self._md.reset()
        return str(self._md.convert(text))

    def inline(self, text: str) -> str:
        html = self.block(text).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html


@dataclass
class PrintCiter:
    """Numbered citations for the book: superscript numbers linking to the reference list.

    One instance renders the whole book, so numbers follow the order of first citation in
    the book, exactly as Numbering does for the site's reading order.
    """

    corpus: Corpus
    numbering: Numbering = field(default_factory=Numbering)
    place: tuple[str, str] = ("", "")
    missing: dict[str, set[str]] = field(default_factory=dict)
    _md: _Markdown = field(default_factory=_Markdown)

    def at(self, anchor: str, title: str) -> str:
        """Set where following citations are made (for the numbering's list of sites)."""
        self.place = (anchor, title)
        return ""

    def marks(self, keys: Iterable[str]) -> Markup:
        """Superscript [n, m] links; a key missing from the corpus is printed as text."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return Markup("")
        numbered: list[tuple[int, str]] = []
        missing: list[str] = []
        for key in unique:
            if key not in self.corpus.references:
                self.missing.setdefault(key, set()).add(self.place[1])
                missing.append(f'<span class="ref-missing">{escape(key)}</span>')
                continue
            n, anchor = self.numbering.cite(key, *self.place)
            numbered.append((n, f'<a href="#ref-{escape(key)}" id="{anchor}">{n}</a>'))
        parts = [link for _, link in sorted(numbered)] + missing  # [3,4], never [4,3]
        # A zero-width space after each comma lets a long group wrap in a narrow table cell.
        return Markup(f'<sup class="cite">[{",\u200b".join(parts)}]</sup>')

    def _with_marks(self, text: str, refs: Iterable[str]) -> str:
        return cite_text(text, refs, self.marks, lambda entry_id: f"#{entry_anchor(entry_id)}")

    def prose(self, text: str | None, refs: Iterable[str] = ()) -> Markup:
        """Block prose (paragraphs, lists) with [@key] citations as numbered links."""
        if not text:
            return Markup("")
        return Markup(self._md.block(self._with_marks(text, refs)))

    def inline(self, text: str | None, refs: Iterable[str] = ()) -> Markup:
        """As prose, for a table cell or a list item: no paragraph wrapper."""
        if not text:
            return Markup("")
        return Markup(self._md.inline(self._with_marks(text, refs)))

    def cited(self, item: schema.Cited | None) -> Markup:
        return Markup("") if item is None else self._tiered(item, self.prose)

    def cited_inline(self, item: schema.Cited | None) -> Markup:
        return Markup("") if item is None else self._tiered(item, self.inline)

    def _tiered(self, item: schema.Cited, how: Callable[[str, list[str]], Markup]) -> Markup:
        """As the site does (render.tiered): unverified left out unless shown for review."""
        if item.tier == "unverified":
            if not provenance.include_unverified():
                return Markup(f"<i>Left out because unverified: {escape(item.label or '')}.</i>")
            marked = "<b>UNVERIFIED, for review only, not guidance:</b> "
            return Markup(marked + str(how(item.text, item.refs)))
        shown = how(item.text, item.refs)
        note = TIER_NOTES.get(item.tier or "")
        if note:
            detail = f" ({escape(item.checked)})" if item.checked else ""
            return Markup(f'{shown} <span class="tier-mark">{note}{detail}</span>')
        return shown


def xref(anchor: str, label: str) -> Markup:
    """A link to another place in the book; the stylesheet appends its page number."""
    return Markup(f'<a class="xref" href="#{escape(anchor)}">{escape(label)}</a>')


# --- the plan --------------------------------------------------------------------------------


@dataclass
class BookSection:
    """A bookmarked second-level heading and what is printed under it."""

    anchor: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chapter:
    """A first-level heading: it starts a page and names the running header."""

    anchor: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    sections: list[BookSection] = field(default_factory=list)
    toc_sections: bool = True
    """List the sections in the table of contents (not for short, many-section chapters)."""


def entry_anchor(entry_id: str) -> str:
    return f"entry-{entry_id}"


def plan_book(corpus: Corpus, paper_calcs: PaperCalculators) -> list[Chapter]:
    """Every chapter in reading order (which is also the citation-numbering order)."""
    entries = list(corpus.entries.values())
    by_id = {e.id: e for e in entries}
    therapies = sorted(
        (e for e in entries if e.kind == "therapy"),
        key=lambda e: (LINE_ORDER.index(e.line_of_therapy.value), e.order, e.title.lower()),
    )
    topics = sorted((e for e in entries if e.kind == "topic"), key=lambda e: (e.order, e.title))
    chapters: list[Chapter] = []

    for domain in sorted(corpus.domains, key=lambda d: DOMAIN_ORDER.index(d.id.value)):
        steps = [
            BookSection(
                f"domain-{domain.id.value}-step-{i}",
                f"{i}. {step.title}",
                "domain_step.html.j2",
                {"step": step, "entries": [by_id[x] for x in step.entries]},
            )
            for i, step in enumerate(domain.steps, start=1)
        ]
        related = [e for e in therapies if domain.id in e.domains]
        if related:
            steps.append(
                BookSection(
                    f"domain-{domain.id.value}-therapies",
                    "All therapies for this domain",
                    "domain_therapies.html.j2",
                    {"related": related},
                )
            )
        chapters.append(
            Chapter(
                f"domain-{domain.id.value}",
                domain.title,
                "domain.html.j2",
                {"domain": domain},
                steps,
                toc_sections=False,
            )
        )

    def entry_sections(items: list[schema.Entry]) -> list[BookSection]:
        return [
            BookSection(entry_anchor(e.id), e.title, "entry.html.j2", {"entry": e}) for e in items
        ]

    if therapies:
        chapters.append(
            Chapter(
                "ch-therapies",
                "Therapy monographs",
                "therapies.html.j2",
                {"therapies": therapies},
                entry_sections(therapies),
            )
        )
    if topics:
        chapters.append(
            Chapter("ch-topics", "Clinical topics", "plain.html.j2", {}, entry_sections(topics))
        )
    if corpus.antibodies:
        chapters.append(
            Chapter(
                "ch-antibodies",
                "Autoantibodies",
                "antibodies.html.j2",
                {},
                [
                    BookSection(f"antibody-{a.id}", a.name, "antibody.html.j2", {"antibody": a})
                    for a in corpus.antibodies
                ],
                toc_sections=False,
            )
        )
    if corpus.algorithms:
        chapters.append(
            Chapter(
                "ch-algorithms",
                "Treatment algorithms",
                "plain.html.j2",
                {},
                [
                    BookSection(
                        f"algorithm-{a.id}",
                        a.title,
                        "algorithm.html.j2",
                        _algorithm_context(a),
                    )
                    for a in corpus.algorithms.values()
                ],
            )
        )
    if paper_calcs.calculators or paper_calcs.orphan_tables:
        sections = [
            BookSection(f"calc-{c.id}", c.title, "calculator.html.j2", {"calc": c})
            for c in paper_calcs.calculators
        ]
        if paper_calcs.orphan_tables:
            sections.append(
                BookSection(
                    "calc-other-tables",
                    "Other tables",
                    "calculator_tables.html.j2",
                    {"tables": paper_calcs.orphan_tables},
                )
            )
        chapters.append(
            Chapter(
                "ch-calculators",
                "Calculators on paper",
                "calculators.html.j2",
                {"skipped": paper_calcs.skipped},
                sections,
            )
        )
    if corpus.glossary:
        chapters.append(
            Chapter(
                "ch-glossary",
                "Glossary",
                "glossary.html.j2",
                {"terms": sorted(corpus.glossary, key=lambda t: t.term.lower())},
            )
        )
    about = [
        BookSection(f"about-{i}", s.title, "about_section.html.j2", {"section": s})
        for i, s in enumerate(corpus.guideline.about, start=1)
    ]
    if paper_calcs.calculators:
        about.append(
            BookSection(
                "about-provenance",
                "Where the numbers come from",
                "provenance.html.j2",
                {"statement": provenance.statement(corpus, with_content=True)},
            )
        )
    about.append(
        BookSection(
            "about-discrepancies",
            "Citation discrepancies resolved",
            "discrepancies.html.j2",
            {"discrepancies": corpus.discrepancies},
        )
    )
    chapters.append(
        Chapter(
            "ch-about",
            "About this guideline",
            "about.html.j2",
            {"sources": corpus.guideline.sources},
            about,
        )
    )
    return chapters


def _svg_data_uri(svg: bytes) -> str:
    """The Graphviz SVG as an image source: WeasyPrint draws it as vectors."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


PORTRAIT_TEXT_WIDTH_PT = 480
"""About the width of the text block on A4 and Letter (pt) at the stylesheet's margins."""
_SVG_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def _algorithm_context(algo: schema.Algorithm) -> dict[str, Any]:
    """The diagram, and whether it needs a landscape page to stay legible.

    A diagram wider than tall and wider than the portrait text block would be shrunk to
    unreadable type; turned sideways its text comes out about half as large again.
    """
    svg = algorithms.render_svg(algo)
    size = _SVG_SIZE.search(svg)
    width, height = (float(size.group(1)), float(size.group(2))) if size else (0.0, 0.0)
    return {
        "algorithm": algo,
        "svg_uri": _svg_data_uri(svg),
        "outline": algorithms.outline(algo),
        "landscape": width > PORTRAIT_TEXT_WIDTH_PT and width > height,
    }


# --- rendering -----------------------------------------------------------------------------


def make_environment(templates: Path = PRINT_TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["quantity"] = format_quantity
    env.filters["label"] = lambda v: str(v).replace("-", " ").capitalize()
    env.filters["numeric"] = _is_numeric
    env.globals["xref"] = xref
    env.filters["qr"] = qrcodes.qr_svg
    env.globals["entry_anchor"] = entry_anchor
    env.globals["STUDY_TYPE_LABELS"] = {k.value: v for k, v in schema.STUDY_TYPE_LABELS.items()}
    env.globals["LINE_LABELS"] = LINE_LABELS
    env.globals["DOMAIN_LABELS"] = DOMAIN_LABELS
    env.globals["tier_words"] = provenance.tier_words()
    env.globals["tier_meanings"] = provenance.tier_meanings()
    env.globals["tier_marks"] = provenance.TIER_MARKS
    env.globals["include_unverified"] = provenance.include_unverified()
    return env


_NUMERIC = re.compile(r"^[\s\d.,–\-—≤≥<>%]+$")


def _is_numeric(cell: str) -> bool:
    """Right-align columns of numbers so digits line up (a layout decision, not arithmetic)."""
    return bool(_NUMERIC.match(cell))


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
) -> RenderedBook:
    """Render the book to one HTML document, piece by piece in reading order.

    Citation numbers are handed out as the pieces render, so the cover and every chapter
    render first, the reference list after them, and the outer document (head, table of
    contents: no citations) last.
    """
    env = make_environment()
    citer = PrintCiter(corpus)
    chapters = plan_book(corpus, paper_calcs)
    formatted = format_references(list(corpus.references.values()))
    guideline = corpus.guideline
    common: dict[str, Any] = {
        "guideline": guideline,
        "edition": edition,
        "cite": citer,
        "calculator_anchors": {c.id: f"calc-{c.id}" for c in paper_calcs.calculators},
        "calculator_titles": {c.id: c.title for c in paper_calcs.calculators},
        "entries_by_id": {e.id: e for e in corpus.entries.values()},
        "antibody_ids": {a.id for a in corpus.antibodies},
        "domain_ids": {d.id.value for d in corpus.domains},
        "source_citations": {k: v[1] for k, v in formatted.items()},
        "calculator_count": len(paper_calcs.calculators),
        "table_count": len(paper_calcs.tables),
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
        },
    )
    return RenderedBook(
        html=str(document),
        chapters=chapters,
        reference_order=order,
        calculators=paper_calcs,
        missing_references=citer.missing,
    )


def _cache_key(html: str) -> str:
    """Everything that decides the PDF's bytes: the document, stylesheet, fonts, engine."""
    import weasyprint

    digest = hashlib.sha256()
    for part in (PDF_VARIANT, weasyprint.__version__, html):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update((PRINT_TEMPLATES / "handbook.css").read_bytes())
    for font in sorted(set(re.findall(r'url\("file://([^"]+)"\)', html))):
        digest.update(Path(font).read_bytes())
    return digest.hexdigest()


def write_pdf(html: str, target: Path, cache: Path | None = None) -> tuple[int, bool]:
    """Lay out with WeasyPrint and replace `target` atomically.

    Layout is the slow part of every `make site` (seconds per dozen pages), and most builds
    change nothing the book prints, so a PDF is kept in `cache` under the hash of all its
    inputs and reused when they are unchanged. Returns (page count, whether it was reused).
    """
    key = _cache_key(html) if cache is not None else ""
    cached = cache / f"{key}.pdf" if cache is not None else None
    target.parent.mkdir(parents=True, exist_ok=True)
    if cached is not None and cached.is_file():
        _replace(target, cached.read_bytes())
        return _page_count(cached), True
    import weasyprint  # imported here: loading it costs ~0.5 s and only this step needs it

    fetcher = own_files_fetcher(_asset_folders())
    try:
        document = weasyprint.HTML(
            string=html, base_url=str(PRINT_TEMPLATES) + "/", url_fetcher=fetcher
        ).render(pdf_variant=PDF_VARIANT)
        data = document.write_pdf(pdf_variant=PDF_VARIANT)
    except FetchRefused as exc:
        raise HandbookError(
            f"the handbook refers to {exc.url!r}; it may use only its own files "
            "(the print templates and the fonts), nothing from elsewhere"
        ) from None
    _replace(target, data)
    if cached is not None and cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        for old in sorted(cache.glob("*.pdf"), key=lambda p: p.stat().st_mtime)[:-CACHE_KEEP]:
            old.unlink(missing_ok=True)
        _replace(cached, data)
    return len(document.pages), False


class FetchRefused(BaseException):
    """A URL the handbook may not fetch. WeasyPrint swallows Exceptions from its fetcher
    (and would lay out without the resource); a BaseException stops the build (see
    weasyprint.urls.FatalURLFetchingError, which this mirrors)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _asset_folders() -> tuple[Path, ...]:
    """The only folders the handbook reads from while it is laid out."""
    try:
        return (PRINT_TEMPLATES, find_font_dir())
    except HandbookError:
        return (PRINT_TEMPLATES,)


def own_files_fetcher(folders: Iterable[Path]) -> Any:
    """A WeasyPrint URL fetcher serving data: URIs and regular files inside `folders`, and
    refusing everything else (http, https, ftp, file:// elsewhere, symlinks out).

    The handbook is laid out from content; nothing in it may make the build request a URL
    or embed a file from the machine that builds it.
    """
    from urllib.parse import unquote, urlsplit

    import weasyprint

    roots = tuple(folder.resolve() for folder in folders)

    class OwnFiles(weasyprint.URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.partition(":")[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parts = urlsplit(url)
                path = Path(unquote(parts.path)).resolve()
                if (
                    parts.netloc in ("", "localhost")
                    and path.is_file()
                    and any(path.is_relative_to(root) for root in roots)
                ):
                    return super().fetch(path.as_uri(), headers)
            raise FetchRefused(url)

    return OwnFiles()


def _replace(target: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, then rename over `target`."""
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        tmp.chmod(0o644)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def _page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


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


def load_book_corpus(content: Path | None = None) -> Corpus:
    """The corpus the site is built from (calculators' references included)."""
    catalog = CalculatorCatalog.from_registry()
    return load_content(generator._STORE, content or generator.CONTENT, catalog)


def build_handbook(
    target: Path,
    *,
    content: Path | None = None,
    paper: str | None = None,
    corpus: Corpus | None = None,
    cache: Path | None = CACHE,
) -> HandbookReport:
    """Load and check the content, collect the calculators, render, write the PDF."""
    from build_tools.paper_calculators import collect_calculators

    started = time.perf_counter()
    paper = paper or paper_from_env()
    if paper not in PAPER_SIZES:
        raise HandbookError(f"paper {paper!r}: expected one of {', '.join(sorted(PAPER_SIZES))}")
    font_dir = find_font_dir()  # fail before any work if the fonts are missing
    if corpus is None:
        corpus = load_book_corpus(content)
    book = render_book(
        corpus, collect_calculators(), paper=paper, edition=generator.edition(), font_dir=font_dir
    )
    pages, reused = write_pdf(book.html, target, cache)
    skipped = list(book.calculators.skipped)
    for key, places in sorted(book.missing_references.items()):
        skipped.append(
            f"reference {key!r} (cited by {', '.join(sorted(places))}) is not in "
            "content/references/: printed as its key"
        )
    return HandbookReport(target, pages, time.perf_counter() - started, skipped, reused)
