"""Turn the validated corpus into Markdown pages through the Jinja templates.

Python decides what goes on which page and computes everything; templates only lay it out.
Pages are planned in navigation order, so citation numbers follow the reading order.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import operator
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup, escape

from build_tools import prose, schema
from build_tools.citations import (
    Numbering,
    author_year,
    csl_item,
    format_references,
    style_digest,
)
from build_tools.diagnostics import ContentError, Problems
from build_tools.loader import Corpus
from build_tools.rendercache import CachedPage, Recorder, RenderCache

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"

DOMAIN_ORDER = [d.value for d in schema.Domain]
LINE_ORDER = [line.value for line in schema.LineOfTherapy]
LINE_LABELS = {
    "general": "General measures",
    "first": "First line",
    "second": "Second line",
    "third": "Third line",
    "refractory": "Refractory disease",
    "rescue": "Rescue therapy",
    "adjunct": "Adjunctive therapy",
    "experimental": "Experimental",
    "not-applicable": "",
}


@dataclass
class Page:
    """A page to write: where, what, and which content files it depends on."""

    path: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    # A group within the section. The theme shows only the open group's pages in the
    # navigation (navigation.prune), which keeps every page's navigation short however
    # large the guideline grows.
    subsection: str = ""
    nav_title: str = ""  # a shorter label for the navigation (and its tab), when needed
    search_boost: float | None = None
    # Extra front matter for the theme (e.g. `calculator: id` makes main.html load the widget).
    meta: dict[str, Any] = field(default_factory=dict)
    in_nav: bool = True  # False: published and linked to, but not listed in the navigation


_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9-]{1,6}$")


def display_title(entry: schema.Entry) -> str:
    """A therapy's title with the abbreviation clinicians type: "Mycophenolate mofetil (MMF)".

    Titles weigh most in search and are what a reader scans in the navigation. Authors list
    that abbreviation as the first synonym.
    """
    first = entry.synonyms[0] if entry.synonyms else ""
    if (
        entry.kind == "therapy"
        and "(" not in entry.title
        and _ABBREVIATION.match(first)
        and sum(c.isupper() for c in first) >= 2
        and first.lower() not in entry.title.lower()
    ):
        return f"{entry.title} ({first})"
    return entry.title


@dataclass(frozen=True)
class EntrySummary:
    """What a listing, a link or the navigation shows of an entry, and where it is placed.

    Pages that list or link to an entry get this rather than the entry, so an edit to the
    entry's body leaves them as they are (build_tools.rendercache compares what pages used).
    Planning reads entries only through their summaries: an edit that leaves an entry's
    summary equal leaves every page but the entry's own where it was (render_site's quick
    path relies on this).
    """

    id: str
    kind: str
    title: str
    line_of_therapy: schema.LineOfTherapy
    first_regimen: str
    display_title: str
    order: int
    domains: tuple[schema.Domain, ...]


def summarize(entry: schema.Entry) -> EntrySummary:
    return EntrySummary(
        id=entry.id,
        kind=entry.kind,
        title=entry.title,
        line_of_therapy=entry.line_of_therapy,
        first_regimen=entry.regimens[0].label if entry.regimens else "",
        display_title=display_title(entry),
        order=entry.order,
        domains=tuple(entry.domains),
    )


def entry_summaries(corpus: Corpus, cache: RenderCache | None) -> dict[str, EntrySummary]:
    if cache is None:
        return {k: summarize(e) for k, e in corpus.entries.items()}
    return {k: cache.summary(e, summarize) for k, e in corpus.entries.items()}


def entry_path(entry: schema.Entry | EntrySummary) -> str:
    folder = "therapies" if entry.kind == "therapy" else "topics"
    return f"{folder}/{entry.id}.md"


def relative(from_page: str, to_page: str) -> str:
    """A Markdown link target from one page source to another; MkDocs resolves .md links."""
    target, _, anchor = to_page.partition("#")
    rel = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def cite_text(
    text: str,
    refs: Iterable[str],
    marks: Callable[[Iterable[str]], Markup],
    entry_link: prose.EntryLinks | None = None,
) -> str:
    """Content prose as Markdown: parsed (build_tools.prose), its text escaped, `marks` where
    it cites [@key], the item's other refs after its last word, and links to entries
    (entry:<id>) where `entry_link` places them.

    The site and the printed handbook share this; only how a citation mark and a link to an
    entry look differs. Content reaching here was validated, so the parse cannot fail on
    real content.
    """
    blocks = prose.parse(text)
    inline = set(prose.citations(blocks))
    trailing = [r for r in refs if r not in inline]
    if entry_link is None:
        return prose.to_markdown(blocks, lambda keys: str(marks(keys)), trailing)
    return prose.to_markdown(blocks, lambda keys: str(marks(keys)), trailing, entry_link)


def plain(value: object) -> Markup:
    """Plain content text (a title, a label) for a Markdown page: every character is text.

    Jinja's autoescape keeps HTML out; this also keeps Markdown out, so a title cannot
    become a link, an attribute list or a heading.
    """
    if isinstance(value, Markup):
        return value
    return Markup(prose.escape_text(str(value)))


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _finalize(value: object) -> object:
    """Every `{{ value }}` in a page template: strings are plain text (see `plain`).

    A bare identifier (a field name, `__unit`) is left as it is: templates write them into
    HTML attributes, and underscores alone can make emphasis at worst, never a link,
    an attribute or an element.
    """
    if isinstance(value, str) and not isinstance(value, Markup) and not _IDENTIFIER.match(value):
        return plain(value)
    return value


@jinja2.pass_eval_context
def _join(_ctx: object, items: Iterable[object], separator: str = "") -> Markup:
    """Jinja's join, with each item written as plain text."""
    return Markup(str(plain(separator)).join(str(plain(item)) for item in items))


# A citation as rendered, before numbering: \x02key\x1fanchor\x03. Numbers are site-wide and
# follow reading order, so they are known only once every page has been rendered; a page's
# text is kept with these marks and numbered last, which lets an unchanged page be reused
# even when an edit elsewhere renumbers the references. Content holds no control
# characters (the loader refuses them), so only the generator can write a mark, and a mark
# holds only a reference id and an anchor of the generator's making.
_MARK = re.compile("\x02([a-z0-9][a-z0-9-]*)\x1f(cite-[0-9]+)\x03")
_ANY_MARK = re.compile("[\x02\x03\x1f]")


class Citer:
    """Renders prose for one page and records, in order, what the page cites."""

    def __init__(self, page: Page, entries: Mapping[str, EntrySummary] | None = None) -> None:
        self.page = page
        self.sequence: list[tuple[str, str]] = []  # (reference key, anchor of the citation)
        # Where entries are, for prose that links to one (entry:<id>); the page's recorder
        # of the table, so the page is rendered again when a linked entry moves.
        self.entries = entries

    def entry_link(self, entry_id: str) -> str:
        if self.entries is None:
            raise ValueError(f"no entries to link entry:{entry_id} to")
        return relative(self.page.path, entry_path(self.entries[entry_id]))

    def marks(self, keys: Iterable[str]) -> Markup:
        """Citation marks, numbered and linked later by `number_marks`."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return Markup("")
        parts = []
        for key in unique:
            anchor = f"cite-{len(self.sequence) + 1}"  # anchors need only be unique on the page
            self.sequence.append((key, anchor))
            parts.append(f"\x02{key}\x1f{anchor}\x03")
        return Markup(f'<sup class="cite">{",".join(parts)}</sup>')

    def prose(self, text: str | None, refs: Iterable[str] = ()) -> Markup:
        """Escape content text, turn [@key] into citation marks, append the item's refs."""
        if not text:
            return Markup("")
        return Markup(cite_text(text, refs, self.marks, self.entry_link))

    def cited(self, item: schema.Cited | None) -> Markup:
        if item is None:
            return Markup("")
        shown = tiered(item, self.prose(item.text, item.refs))
        return shown + self.quote(item.source) if item.tier != "unverified" else shown

    def quote(self, locator: schema.SourceLocator | None) -> Markup:
        """The source sentence(s) a statement encodes, one tap away (a disclosure)."""
        return quote_disclosure(locator)

    def link(self, target_page: str, label: str) -> Markup:
        return Markup(f"[{plain(label)}]({relative(self.page.path, target_page)})")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")
TIER_NOTES = {
    "checked": "Not from the source review: from another source, checked against it",
    "convention": "Not from the source review: a convention of this guideline",
}


def _literal(text: str) -> str:
    """Text shown as is inside Markdown: HTML-escaped, Markdown's markup neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", str(escape(text)))


def quote_disclosure(locator: schema.SourceLocator | None) -> Markup:
    """A one-line <details> with the verbatim source text; '' when there is no quote."""
    if locator is None or not locator.quote:
        return Markup("")
    quoted = " … ".join(_literal(q) for q in locator.quote)
    where = _literal(locator.section)
    return Markup(
        f' <details class="quote"><summary>Source text</summary>“{quoted}” '
        f"<small>({where})</small></details>"
    )


def tiered(item: schema.Cited, shown: Markup) -> Markup:
    """A statement with its tier said when it is not the review's; unverified left out."""
    from build_tools.provenance import include_unverified

    if item.tier == "unverified":
        if not include_unverified():
            return Markup(f"*Left out because unverified: {_literal(item.label or '')}.*")
        return Markup("**UNVERIFIED, for review only, not guidance:** ") + shown
    note = TIER_NOTES.get(item.tier or "")
    if note:
        detail = f" ({_literal(item.checked)})" if item.checked else ""
        return shown + Markup(f' <span class="tier tier-{item.tier}">{note}{detail}</span>')
    return shown


def number_marks(text: str, page_path: str, numbers: dict[str, int], titles: dict[str, str]) -> str:
    """Replace the citation marks with numbered links; MkDocs resolves (and validates) them."""
    href = relative(page_path, "references.md")

    def link(match: re.Match[str]) -> str:
        key, anchor = match.group(1), match.group(2)
        if key not in numbers or key not in titles:
            raise _unknown_citation(page_path, key)
        return f'[{numbers[key]}]({href}#ref-{key} "{titles[key]}"){{#{anchor}}}'

    out = _MARK.sub(link, text)
    stray = _ANY_MARK.search(out)
    if stray:
        problems = Problems()
        problems.add(page_path, 1, 1, "", "a malformed citation mark reached the page")
        raise ContentError(problems)
    return out


def _unknown_citation(page_path: str, key: str) -> ContentError:
    """A page cites a key the references do not hold: said where, never a KeyError."""
    problems = Problems()
    problems.add(
        page_path, 1, 1, "", f"cites unknown reference key {key!r} (not in content/references/)"
    )
    return ContentError(problems)


def citation_title(ref: schema.Reference) -> str:
    """The short citation shown when hovering a citation number (a Markdown link title)."""
    title = _short_citation(ref).replace('"', "'")
    return str(escape(title)).replace("[", "(").replace("]", ")")


def _short_citation(ref: schema.Reference) -> str:
    first = ref.author[0] if ref.author else None
    who = (first.family or first.literal or "") if first else (ref.container_title or "")
    if first and len(ref.author) > 1:
        who += " et al."
    year = ref.issued.date_parts[0][0] if ref.issued else ""
    return f"{who} {year}. {ref.title or ''}".strip()


_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^#{1,6} ")


def end_blocks(markdown: str) -> str:
    """Put a blank line wherever a table or a paragraph must end: before every heading, and
    after a table's last row, whatever follows it.

    Templates lay pages out with Jinja blocks that swallow their own line ends, so a table
    built in a loop and the heading of the next, optional, section met on adjacent lines:
    Markdown then read the heading as one more table row, and the section dropped out of
    the page and its table of contents. Ending blocks here, once for every page, keeps that
    from depending on how each template spaces its blocks. Fenced code is left as written.
    """
    out: list[str] = []
    fenced = False
    previous = ""
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.strip() and previous.strip():
            after_table = previous.startswith("|") and not line.startswith("|")
            if after_table or _HEADING.match(line):
                out.append("")
        out.append(line)
        previous = line if not fenced else ""
    return "\n".join(out)


def make_environment(
    templates: Path = TEMPLATES, bytecode: Path | None = None
) -> jinja2.Environment:
    """`bytecode`: a folder where Jinja keeps compiled templates between processes."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates / "pages"),
        # Compiled code depends on `finalize` and the filters, which the cache does not key
        # on: the name keeps templates compiled by other versions of this function apart.
        bytecode_cache=(
            jinja2.FileSystemBytecodeCache(str(bytecode), "__jinja2_plain_%s.cache")
            if bytecode
            else None
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["join"] = _join
    env.filters["label"] = lambda v: str(v).replace("-", " ").capitalize()
    env.filters["quantity"] = format_quantity
    # For a fenced code block, which shows its text as is (Markdown escapes it there).
    env.filters["tojson_pretty"] = lambda v: Markup(json.dumps(v, indent=2, ensure_ascii=False))
    env.filters["cell"] = table_cell
    env.filters["anchor"] = anchor
    env.filters["author_year"] = author_year
    env.globals["STUDY_TYPE_LABELS"] = {k.value: v for k, v in schema.STUDY_TYPE_LABELS.items()}
    env.globals["LINE_LABELS"] = LINE_LABELS
    env.globals["DOMAIN_LABELS"] = {k.value: v for k, v in schema.DOMAIN_LABELS.items()}
    return env


def table_cell(value: object) -> Markup:
    """One Markdown table cell: a single line, with pipes escaped."""
    text = plain(value)
    return Markup(re.sub(r"\s*\n\s*", " ", str(text)).replace("|", "\\|"))


def anchor(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def format_number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def format_quantity(q: schema.Quantity | None) -> str:
    if q is None:
        return ""
    unit = q.unit.replace("m2", "m²")
    amount = (
        format_number(q.value)
        if q.value is not None
        else (f"{format_number(q.min or 0)}–{format_number(q.max or 0)}")
    )
    per = f" per {q.per}" if q.per else ""
    return f"{amount} {unit}{per}"


@dataclass
class Site:
    """The rendered result: page sources by path, the nav, and the machine-readable export."""

    pages: dict[str, str]
    nav: list[Any]
    export: list[bytes]  # guideline.json, in chunks to join
    abbreviations: str
    rendered: int = 0  # pages rendered this run; the others were reused unchanged
    quick: bool = False  # only edited entries' pages were looked at (render._quick)


def plan_pages(
    corpus: Corpus, extra: list[Page] | None = None, cache: RenderCache | None = None
) -> list[Page]:
    """Every page in reading order (which is also citation-numbering order).

    Entries are placed by their summaries; only an entry's own page holds the entry itself.
    """
    pages: list[Page] = []
    by_id = entry_summaries(corpus, cache)
    therapies = sorted(
        (s for s in by_id.values() if s.kind == "therapy"),
        key=lambda s: (LINE_ORDER.index(s.line_of_therapy.value), s.order, s.title.lower()),
    )
    topics = sorted(
        (s for s in by_id.values() if s.kind == "topic"), key=lambda s: (s.order, s.title)
    )

    domains = sorted(corpus.domains, key=lambda d: DOMAIN_ORDER.index(d.id.value))
    pages.append(
        Page(
            "index.md",
            corpus.guideline.title,
            "home.md.j2",
            section="",
            nav_title="Home",
            context={"domains": domains},
        )
    )
    if domains:
        pages.append(
            Page(
                "domains/index.md",
                "Disease domains",
                "domains_index.md.j2",
                section="Disease domains",
                nav_title="All domains",
                context={"domains": domains},
            )
        )
    for domain in domains:
        steps = [{"step": s, "entries": [by_id[i] for i in s.entries]} for s in domain.steps]
        related = [t for t in therapies if domain.id in t.domains]
        pages.append(
            Page(
                f"domains/{domain.id.value}.md",
                domain.title,
                "domain.md.j2",
                section="Disease domains",
                context={"domain": domain, "steps": steps, "related": related},
                search_boost=2,
            )
        )
    pages += [entry_page(corpus.entries[topic.id], topic) for topic in topics]
    if corpus.antibodies:
        pages.append(
            Page(
                "antibodies.md",
                "Autoantibodies",
                "antibodies.md.j2",
                section="Clinical framework",
                context={"antibodies": corpus.antibodies},
                search_boost=1.5,
            )
        )
    if therapies:
        lines: dict[str, list[EntrySummary]] = {}
        for therapy in therapies:
            lines.setdefault(LINE_LABELS[therapy.line_of_therapy.value] or "Other", []).append(
                therapy
            )
        pages.append(
            Page(
                "therapies/index.md",
                "Therapies",
                "therapies_index.md.j2",
                section="Therapies",
                nav_title="All therapies",
                context={"lines": list(lines.items())},
            )
        )
    pages += [entry_page(corpus.entries[therapy.id], therapy) for therapy in therapies]
    for algo in corpus.algorithms.values():
        pages.append(
            Page(
                f"algorithms/{algo.id}.md",
                algo.title,
                "algorithm.md.j2",
                section="Algorithms",
                context={"algorithm": algo},
            )
        )
    pages.extend(extra or [])
    pages.append(
        Page(
            "glossary.md",
            "Glossary",
            "glossary.md.j2",
            section="Reference",
            context={"terms": sorted(corpus.glossary, key=lambda t: t.term.lower())},
        )
    )
    pages.append(
        Page(
            "about.md",
            "About this guideline",
            "about.md.j2",
            section="Reference",
            context={"guideline": corpus.guideline, "discrepancies": corpus.discrepancies},
        )
    )
    # Searched last: it names every title and drug once more in its reference titles, and
    # would otherwise come before the pages a clinician wants (its back-links are left out
    # of the index altogether: references.md.j2).
    pages.append(
        Page(
            "references.md", "References", "references.md.j2", section="Reference", search_boost=0.1
        )
    )
    # For authors, not clinicians: outside the navigation (mkdocs.yml `not_in_nav`), linked
    # from the About page, and searched last.
    pages.append(
        Page(
            "content-format.md",
            "Content format (for authors)",
            "format.md.j2",
            section="Reference",
            context={"schemas": content_schemas()},
            search_boost=0.1,
            in_nav=False,
        )
    )
    return pages


def search_keywords(entry: schema.Entry) -> dict[str, Any]:
    """The names a clinician types for an entry (its synonyms: abbreviations, brand names).

    The theme indexes front matter `tags` as the heaviest search field without showing them
    (no tags plugin): a page is found first by what it is called, however the text puts it.
    """
    names = keyword_names(entry.synonyms)
    return {"tags": names} if names else {}


_ONE_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def keyword_names(synonyms: Iterable[str]) -> list[str]:
    """The one-word names among synonyms (MMF, CellCept, IVIg). A name of several words or
    parts ("anti-CD20") would be indexed by its parts, and "anti" would then lift every
    such page above the pages a query like "anti-MDA5 ILD" is about."""
    return [name for name in synonyms if _ONE_WORD.match(name)]


def entry_page(entry: schema.Entry, summary: EntrySummary) -> Page:
    """An entry's own page, placed by its summary."""
    if summary.kind == "therapy":
        return Page(
            entry_path(summary),
            summary.display_title,
            "entry.md.j2",
            section="Therapies",
            subsection=LINE_LABELS[summary.line_of_therapy.value] or "Other therapies",
            context={"entry": entry},
            # Above the calculators (1.5): a dose typed into search ("2 g/kg") finds the
            # regimen, with its source, before the calculator that computes it.
            search_boost=3,
            meta=search_keywords(entry),
        )
    return Page(
        entry_path(summary),
        summary.display_title,
        "entry.md.j2",
        section="Clinical framework",
        context={"entry": entry},
        meta=search_keywords(entry),
    )


@functools.cache  # the schema is code: it cannot change while a process runs
def content_schemas() -> list[dict[str, Any]]:
    """The JSON Schema of every content file kind, for the authors' page."""
    out = []
    for pattern, (model, is_list) in schema.CONTENT_FILES.items():
        out.append(
            {
                "pattern": Markup(f"content/{pattern}"),  # code, shown in a code span
                "model": model.__name__,
                "is_list": is_list,
                "doc": (model.__doc__ or "").strip(),
                "schema": model.model_json_schema(by_alias=True),
            }
        )
    return out


class _Settings(NamedTuple):
    """What every page depends on besides the content: a change renders every page again."""

    edition: str
    calculator_titles: dict[str, str]
    templates: bytes  # digest of every page template


@dataclass
class _Job:
    """One call of render_site: what it renders, and with what."""

    corpus: Corpus
    extra_pages: list[Page]
    extra_context: Callable[[Page, Citer], dict[str, Any]] | None
    settings: _Settings
    cache: RenderCache
    env: jinja2.Environment


@dataclass
class _Run:
    """What the last render made, and from what: the quick path's starting point."""

    corpus: Corpus
    extra_pages: list[Page]
    settings: _Settings
    pages: list[Page]
    where: dict[str, int]  # page path → its place in `pages`
    tables: dict[str, Mapping[str, Any]]
    site: Site


def render_site(
    corpus: Corpus,
    extra_pages: list[Page] | None = None,
    extra_context: Callable[[Page, Citer], dict[str, Any]] | None = None,
    edition: str = "",
    calculator_titles: dict[str, str] | None = None,
    cache: RenderCache | None = None,
) -> Site:
    """Render every planned page to Markdown, then number the citations and list them.

    With a `cache` from the previous run, a page is rendered again only if what it used
    changed (see build_tools.rendercache); the result is the same either way.
    """
    cache = cache if cache is not None else RenderCache()
    cache.rendered = 0
    job = _Job(
        corpus,
        extra_pages or [],
        extra_context,
        _Settings(edition, calculator_titles or {}, _templates_digest()),
        cache,
        _environment(cache.store),
    )
    return _quick(job) or _render_all(job)


def _render_all(job: _Job) -> Site:
    """Plan every page and check each against what it used last time."""
    corpus, cache, env = job.corpus, job.cache, job.env
    pages = plan_pages(corpus, job.extra_pages, cache)
    formatted = _format(corpus, cache)
    tables: dict[str, Mapping[str, Any]] = {
        "entries_by_id": entry_summaries(corpus, cache),
        "source_citations": {k: v[1] for k, v in formatted.items()},
    }
    common, shared = _common(job)
    texts: dict[str, CachedPage] = {}
    for page in pages:
        if page.path != "references.md":
            texts[page.path] = _page_text(job, page, tables, common, shared)

    numbering = _numbering(pages, texts, cache)
    out: dict[str, str] = {}
    titles: dict[str, str] = {}
    # Same numbers and the same reference objects as last time: a reused page's numbered
    # text is still right, and checking each of its citations can be skipped.
    listing = (
        numbering.order,
        [numbering.sites[k] for k in numbering.order],
        list(corpus.references.values()),  # unchanged objects compare by identity, at once
        job.settings.templates,
    )
    unchanged = listing == cache.listing
    cache.listing = listing
    for path, item in texts.items():
        if unchanged and item.final and cache.pages.get(path) is item:
            out[path] = item.final
        else:
            out[path] = _numbered(path, item, numbering, titles, corpus, cache)
    cache.pages = texts

    ref_page = next(p for p in pages if p.path == "references.md")
    if unchanged and cache.references_page is not None:
        out["references.md"] = cache.references_page
    else:
        out["references.md"] = _references_page(ref_page, corpus, numbering, formatted, env, cache)
    _prune(corpus, cache)
    site = Site(
        pages=out,
        nav=build_nav(pages),
        export=build_export(corpus, numbering, formatted, job.settings.edition, cache, unchanged),
        abbreviations=build_abbreviations(corpus),
        rendered=cache.rendered,
    )
    where = {page.path: i for i, page in enumerate(pages)}
    cache.last_run = _Run(corpus, job.extra_pages, job.settings, pages, where, tables, site)
    return site


def _quick(job: _Job) -> Site | None:
    """The last render with only edited entries' own pages rendered again, or None.

    This is what keeps an edit's cost independent of the size of the guideline: no page is
    planned or checked beyond the edited ones. It applies when everything but some entries
    is the very same objects as last time (the loader hands back unchanged objects), the
    templates and settings are unchanged, each edited entry's summary is equal (so its
    place, title and every listing are as they were: see EntrySummary), and its page cites
    the same references in the same order (so no number changes). Anything else is left to
    `_render_all`, which reuses what this rendered.
    """
    corpus, cache = job.corpus, job.cache
    last = cache.last_run
    if (
        last is None
        or last.settings != job.settings
        or not _same_items(job.extra_pages, last.extra_pages)
    ):
        return None
    before = last.corpus
    if not (
        corpus.guideline is before.guideline
        and _same_items(corpus.domains, before.domains)
        and _same_items(corpus.antibodies, before.antibodies)
        and _same_items(corpus.glossary, before.glossary)
        and _same_items(corpus.discrepancies, before.discrepancies)
        and _same_items(corpus.citation_map, before.citation_map)
        and _same_table(corpus.algorithms, before.algorithms)
        and _same_table(corpus.references, before.references)
        and list(corpus.entries) == list(before.entries)
        and cache.numbering is not None
        and cache.formatted_for is not None
    ):
        return None
    edited = [e for k, e in corpus.entries.items() if before.entries[k] is not e]
    summaries = last.tables["entries_by_id"]
    pages = list(last.pages)
    for entry in edited:
        held = summaries[entry.id]
        if summarize(entry) != held:
            return None
        cache.summaries[id(entry)] = (entry, held)  # listings keep the summary they hold
        pages[last.where[entry_path(held)]] = entry_page(entry, held)

    common, shared = _common(job)
    fresh: dict[str, CachedPage] = {}
    for entry in edited:
        page = pages[last.where[entry_path(entry)]]
        item = _page_text(job, page, last.tables, common, shared)
        previous = cache.pages[page.path]
        cache.pages[page.path] = item  # what `_render_all` finds, should this stop here
        if item.sequence != previous.sequence:
            return None
        fresh[page.path] = item

    numbering = cache.numbering[2]
    out = dict(last.site.pages)
    titles: dict[str, str] = {}
    for path, item in fresh.items():
        out[path] = _numbered(path, item, numbering, titles, corpus, cache)
        cache.numbering[1][path] = item.sequence
    _prune(corpus, cache)
    formatted = cache.formatted_for[1]
    site = Site(
        pages=out,
        nav=last.site.nav,
        export=build_export(corpus, numbering, formatted, job.settings.edition, cache, True),
        abbreviations=last.site.abbreviations,
        rendered=cache.rendered,
        quick=True,
    )
    cache.last_run = dataclasses.replace(last, corpus=corpus, pages=pages, site=site)
    return site


def _same_items(a: list[Any], b: list[Any]) -> bool:
    """The very same objects, in the same order (what the loader hands back unchanged)."""
    return a is b or (len(a) == len(b) and all(map(operator.is_, a, b)))


def _same_table(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a is b or (_same_items(list(a.values()), list(b.values())) and list(a) == list(b))


def _common(job: _Job) -> tuple[dict[str, Any], bytes]:
    """What every page's template sees, and its digest (with the templates')."""
    common = {
        "guideline": job.corpus.guideline,
        "edition": job.settings.edition,
        "calculator_titles": job.settings.calculator_titles,
        "domain_ids": sorted(d.id.value for d in job.corpus.domains),
        "antibody_names": {a.id: a.name for a in job.corpus.antibodies},
    }
    return common, job.cache.digests.of(job.settings.templates, common)


def _page_text(
    job: _Job,
    page: Page,
    tables: dict[str, Mapping[str, Any]],
    common: dict[str, Any],
    shared: bytes,
) -> CachedPage:
    """A page's Markdown with its citations not yet numbered: last run's, if still valid."""
    cache = job.cache
    citer = Citer(page)
    extra = job.extra_context(page, citer) if job.extra_context else {}
    context = {k: v for k, v in page.context.items() if k not in tables}
    own = cache.own_digest(
        page.path, shared, page.title, page.template, page.section,
        page.search_boost, page.meta, context, extra,
    )  # fmt: skip
    cached = cache.pages.get(page.path)
    if own is not None and cached is not None and cache.still_valid(cached, own, tables):
        return cached
    recorders = {name: Recorder(name, table) for name, table in tables.items()}
    citer.entries = recorders.get("entries_by_id")
    ctx = {
        **common,
        **recorders,
        **context,
        "page": page,
        "cite": citer,
        "entry_path": entry_path,
        "link_path": _linker(page.path),
        **extra,
    }
    text = _front_matter(page) + end_blocks(job.env.get_template(page.template).render(ctx))
    trace = {
        (name, key): cache.traced(tables, name, key)
        for name, recorder in recorders.items()
        for key in sorted(recorder.seen)
    }
    cache.rendered += 1
    return CachedPage(own or b"", trace, text, citer.sequence)


def _numbered(
    path: str,
    item: CachedPage,
    numbering: Numbering,
    titles: dict[str, str],
    corpus: Corpus,
    cache: RenderCache,
) -> str:
    """A page's text with its citation marks numbered, renumbered only if a number changed."""
    keys = dict.fromkeys(key for key, _ in item.sequence)
    for key in keys:
        if key not in corpus.references:
            raise _unknown_citation(path, key)
        if key not in titles:
            titles[key] = cache.title(corpus.references[key], citation_title)
    stamp = tuple((key, numbering.numbers[key], titles[key]) for key in keys)
    if stamp != item.stamp or not item.final:
        item.stamp = stamp
        item.final = number_marks(item.text, path, numbering.numbers, titles)
    return item.final


def _numbering(pages: list[Page], texts: dict[str, CachedPage], cache: RenderCache) -> Numbering:
    """Citation numbers, in page order; the last run's when no page's citations changed.

    Only a different order, page title or sequence of citations renumbers the site (tens of
    thousands of citations at scale); a page reused from the cache cites what it did before.
    """
    order = [(p.path, p.title) for p in pages if p.path in texts]
    sequences = {path: item.sequence for path, item in texts.items()}
    held = cache.numbering
    if held is not None and held[0] == order and held[1].keys() == sequences.keys():
        before = held[1]
        if all(seq is before[path] or seq == before[path] for path, seq in sequences.items()):
            cache.numbering = (order, sequences, held[2])
            return held[2]
    numbering = Numbering()
    for path, title in order:
        for key, anchor in sequences[path]:
            numbering.add(key, path, anchor, title)
    cache.numbering = (order, sequences, numbering)
    return numbering


def _references_page(
    page: Page,
    corpus: Corpus,
    numbering: Numbering,
    formatted: dict[str, tuple[str, str]],
    env: jinja2.Environment,
    cache: RenderCache,
) -> str:
    """The numbered list, each reference linking back to every place it is cited."""
    uncited = [r for k, r in corpus.references.items() if k not in numbering.sites]
    rows = []
    for ref_key in numbering.order:
        grouped: dict[str, tuple[str, list[str]]] = {}
        for path, anchor, title in numbering.sites[ref_key]:
            grouped.setdefault(path, (title, []))[1].append(
                relative("references.md", f"{path}#{anchor}")
            )
        sites = [(title, hrefs) for title, hrefs in grouped.values()]
        rows.append(
            {
                "n": numbering.numbers[ref_key],
                "ref": corpus.references[ref_key],
                "html": Markup(formatted[ref_key][0]),
                "sites": sites,
            }
        )
    text = _front_matter(page) + end_blocks(
        env.get_template(page.template).render(
            {"rows": rows, "uncited": uncited, "formatted": formatted, "page": page}
        )
    )
    cache.references_page = text
    cache.rendered += 1
    return text


def _format(corpus: Corpus, cache: RenderCache) -> dict[str, tuple[str, str]]:
    """AMA formatting of every reference, formatting only those not seen before.

    Formatting is the generator's costliest step (about 1 ms a reference), so results are
    also kept on disk, keyed by the reference's data and the style: a later build, or the
    `mkdocs build` that follows the generator in `make site`, formats only what is new.
    """
    references = list(corpus.references.items())
    if cache.formatted_for is not None and cache.formatted_for[0] == references:
        return cache.formatted_for[1]  # the same reference objects (compared by identity)
    memo = cache.formatted
    fresh = [r for r in corpus.references.values() if memo.get(id(r), (None,))[0] is not r]
    stored = cache.stored_formats()
    keys = {r.id: _format_key(r) for r in fresh}
    missing = [r for r in fresh if not _two_strings(stored.get(keys[r.id]))]
    for key, value in format_references(missing).items():
        stored[keys[key]] = list(value)
    for ref in fresh:
        html_text, plain = stored[keys[ref.id]]
        memo[id(ref)] = (ref, (html_text, plain))
    if missing:
        cache.save_formats()
    alive = {id(r) for r in corpus.references.values()}
    cache.formatted = {k: v for k, v in memo.items() if k in alive}
    out = {k: cache.formatted[id(r)][1] for k, r in corpus.references.items()}
    cache.formatted_for = (references, out)
    return out


def _two_strings(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _format_key(ref: schema.Reference) -> str:
    data = json.dumps(csl_item(ref), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{style_digest()}\0{data}".encode()).hexdigest()


# Memos of replaced objects are dropped once they number this many more than the corpus's
# objects: walking every memo after every edit would cost more than the memory they hold.
PRUNE_SLACK = 256


def _prune(corpus: Corpus, cache: RenderCache) -> None:
    """Forget what was made of objects the corpus no longer holds (edited or deleted)."""
    count = len(_objects(corpus))
    held = max(len(cache.dumped), len(cache.titles), len(cache.summaries), cache.digests.size())
    if held <= 2 * count + PRUNE_SLACK:
        return
    alive = _alive(corpus)
    cache.dumped = {k: v for k, v in cache.dumped.items() if k in alive}
    cache.titles = {k: v for k, v in cache.titles.items() if k in alive}
    cache.summaries = {k: v for k, v in cache.summaries.items() if k in alive}
    cache.digests.forget_except(alive | {id(v[1]) for v in cache.summaries.values()})


def _objects(corpus: Corpus) -> list[object]:
    objs: list[object] = [corpus.guideline, *corpus.domains, *corpus.entries.values()]
    objs += [*corpus.antibodies, *corpus.algorithms.values(), *corpus.glossary]
    objs += [*corpus.references.values(), *corpus.discrepancies, *corpus.citation_map]
    return objs


def _alive(corpus: Corpus) -> set[int]:
    return {id(o) for o in _objects(corpus)}


_ENV: jinja2.Environment | None = None


def _environment(store: Path | None) -> jinja2.Environment:
    """One environment per process: Jinja recompiles a template only when its file changes."""
    global _ENV  # noqa: PLW0603 - a process-wide compiled-template cache
    if _ENV is None:
        bytecode = None
        if store is not None:
            bytecode = store / "jinja"
            bytecode.mkdir(parents=True, exist_ok=True)
        _ENV = make_environment(bytecode=bytecode)
    return _ENV


def _templates_digest(templates: Path = TEMPLATES) -> bytes:
    """Every page template at once: a change to a shared macro can reach any page."""
    h = hashlib.sha256()
    for path in sorted((templates / "pages").rglob("*.j2")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


def _linker(page_path: str) -> Callable[[str], str]:
    return lambda target: relative(page_path, target)


def _front_matter(page: Page) -> str:
    lines = ["---", f"title: {json.dumps(page.title, ensure_ascii=False)}"]
    # The template a page came from: build_tools.pagecheck holds the built page's headings
    # to the ones that template declares.
    lines.append(f"generated_from: {json.dumps(page.template)}")
    if page.search_boost:
        lines += ["search:", f"  boost: {page.search_boost}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in page.meta.items()]
    lines.append("---\n\n")
    return "\n".join(lines)


# The most pages one navigation group lists. The theme writes the open group's pages into
# every page of it, so an unbounded group makes pages, and the build, grow with the square
# of the content; a larger group is split into runs of at most this many, in order.
NAV_GROUP_LIMIT = 40


def build_nav(pages: list[Page], limit: int = NAV_GROUP_LIMIT) -> list[Any]:
    """Sections, and groups within them, in the order pages are planned."""
    nav: list[Any] = []
    groups: dict[tuple[str, ...], list[Any]] = {}
    for page in pages:
        if not page.in_nav:
            continue
        target = nav
        path: tuple[str, ...] = ()
        for label in (page.section, page.subsection):
            if not label:
                break
            path = (*path, label)
            if path not in groups:
                groups[path] = []
                target.append({label: groups[path]})
            target = groups[path]
        target.append({page.nav_title or page.title: page.path})
    for items in groups.values():
        if len(items) > limit:
            items[:] = _runs(items, limit)
    return nav


def _runs(items: list[Any], limit: int) -> list[Any]:
    """A long group as runs named by their first and last page ("Abatacept … Dapsone")."""
    runs = []
    for start in range(0, len(items), limit):
        run = items[start : start + limit]
        first, last = (_short(next(iter(item))) for item in (run[0], run[-1]))
        runs.append({f"{first} … {last}": run})
    return runs


def _short(title: str, width: int = 24) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


_ABBR_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/+.]*$")


def build_abbreviations(corpus: Corpus) -> str:
    """Glossary terms as Markdown abbreviations: the theme shows them as tooltips everywhere."""
    lines = []
    for term in corpus.glossary:
        if _ABBR_SAFE.match(term.term):
            definition = " ".join(term.definition.split())
            lines.append(f"*[{term.term}]: {definition}")
    return "\n".join(lines) + "\n"


def build_export(
    corpus: Corpus,
    numbering: Numbering,
    formatted: dict[str, tuple[str, str]],
    edition: str,
    cache: RenderCache | None = None,
    references_unchanged: bool = False,
) -> list[bytes]:
    """guideline.json, in chunks: the whole guideline with references resolved, for other tools.

    Assembled from each object's own JSON, kept while the object is unchanged: at a hundred
    times today's content the file is tens of megabytes, and an edit changes one object.
    The references, most of it, are kept whole while their list and numbers are unchanged;
    the chunks are joined by whoever writes the file (under `mkdocs serve`, off the main
    thread).
    """
    memo = cache.dumped if cache is not None else {}

    def fragment(model: Any, *extra: object) -> bytes:
        held = memo.get(id(model))
        if held is not None and held[0] is model and held[1] == extra:
            return held[2]
        text: str = model.model_dump_json(by_alias=True, exclude_none=True)
        if extra:  # a reference: its number and citation, then its CSL data
            key, number, citation = extra
            head = {"id": key, "number": number, "citation": citation}
            head |= {"DOI": model.DOI, "PMID": model.PMID, "URL": model.URL}
            text = json.dumps(head, ensure_ascii=False)[:-1] + f', "csl": {text}}}'
        data = text.encode()
        memo[id(model)] = (model, extra, data)
        return data

    chunks = [f'{{"format": "myositis-guideline/1", "edition": {json.dumps(edition)}, '.encode()]
    chunks += [b'"guideline": ', fragment(corpus.guideline), b", "]

    def array(name: str, models: Iterable[Any]) -> None:
        chunks.append(f'"{name}": ['.encode())
        for i, model in enumerate(models):
            if i:
                chunks.append(b", ")
            chunks.append(fragment(model))
        chunks.append(b"], ")

    array("domains", corpus.domains)
    array("entries", corpus.entries.values())
    array("antibodies", corpus.antibodies)
    array("algorithms", corpus.algorithms.values())
    array("glossary", corpus.glossary)
    array("citation_discrepancies", corpus.discrepancies)
    references = cache.export_references if cache is not None and references_unchanged else None
    if references is None:
        references = b", ".join(
            json.dumps(key).encode()
            + b": "
            + fragment(ref, key, numbering.numbers.get(key), formatted[key][1])
            for key, ref in corpus.references.items()
        )
        if cache is not None:
            cache.export_references = references
    chunks += [b'"references": {', references, b"}}\n"]
    return chunks
