"""The site's render run: every planned page to Markdown, citations numbered, references listed.

Python decides what goes on which page and computes everything; templates only lay it out.
A page is rendered again only if what it used changed (build_tools.rendercache), and after
an edit to entries alone only those entries' pages are looked at (`_quick`); the result is
the same either way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from build_tools import outline, schema, study_site, templating
from build_tools.citations import CitationStyle, Numbering, csl_item, format_references
from build_tools.citer import Citer, number_marks, unknown_citation
from build_tools.context import BuildContext
from build_tools.exports.guideline_json import build_export
from build_tools.loader import Corpus
from build_tools.outline import entry_path, summarize
from build_tools.provenance import include_unverified
from build_tools.rendercache import (
    CachedPage,
    Held,
    HeldFormats,
    HeldNumbering,
    Recorder,
    RenderCache,
)
from build_tools.site_nav import build_abbreviations, build_nav
from build_tools.site_plan import Page, entry_page, entry_summaries, plan_pages
from build_tools.site_text import citation_title, end_blocks, front_matter, relative
from build_tools.site_views import PageViews


@dataclass
class Site:
    """The rendered result: page sources by path, the nav, and the machine-readable export."""

    pages: dict[str, str]
    nav: list[Any]
    export: list[bytes]  # guideline.json, in chunks to join
    abbreviations: str
    rendered: int = 0  # pages rendered this run; the others were reused unchanged
    quick: bool = False  # only edited entries' pages were looked at (site_render._quick)


@dataclass(frozen=True)
class RenderSettings:
    """What every page depends on besides the content: a change renders every page again."""

    edition: str
    calculator_titles: Mapping[str, str]
    templates: bytes  # digest of every page template
    show_unverified: bool


@dataclass
class _Job:
    """One call of render_site: what it renders, and with what."""

    corpus: Corpus
    extra_pages: list[Page]
    views: PageViews | None
    settings: RenderSettings
    cache: RenderCache
    env: jinja2.Environment
    style: CitationStyle


@dataclass
class _Run:
    """What the last render made, and from what: the quick path's starting point."""

    corpus: Corpus
    extra_pages: list[Page]
    settings: RenderSettings
    pages: list[Page]
    where: dict[str, int]  # page path → its place in `pages`
    tables: dict[str, Mapping[str, Any]]
    site: Site


def render_site(
    ctx: BuildContext,
    corpus: Corpus,
    extra_pages: list[Page] | None = None,
    views: PageViews | None = None,
) -> Site:
    """Render every planned page to Markdown, then number the citations and list them.

    With the context's memos from the previous run, a page is rendered again only if what
    it used changed (see build_tools.rendercache); the result is the same either way.
    """
    cache = ctx.memos.render
    cache.rendered = 0
    settings = RenderSettings(
        ctx.calculators.edition,
        dict(ctx.calculators.titles),
        _templates_digest(ctx.settings.templates),
        include_unverified(ctx.settings),
    )
    env = templating.environment(ctx, templating.SITE)
    style = citation_style(ctx)
    job = _Job(corpus, extra_pages or [], views, settings, cache, env, style)
    return _quick(job) or _render_all(job)


def _render_all(job: _Job) -> Site:
    """Plan every page and check each against what it used last time."""
    corpus, cache, env = job.corpus, job.cache, job.env
    pages = plan_pages(corpus, job.extra_pages, cache, job.views)
    formatted = _format(corpus, cache, job.style)
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
        _unchanged_but_entries(corpus, before)
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
        cache.summaries[id(entry)] = Held(entry, held)  # listings keep the summary they hold
        pages[last.where[entry_path(held)]] = entry_page(entry, held, job.views)

    # The study pages read every entry: planned again (cheap while the cards' counts stay).
    replanned = job.views.study_pages() if job.views is not None else []
    before = [page.path for page in last.pages if page.section == study_site.SECTION]
    if [page.path for page in replanned] != before:  # a deck gained or lost its page
        return None
    replanned = [page for page in replanned if pages[last.where[page.path]] is not page]
    for page in replanned:
        pages[last.where[page.path]] = page

    common, shared = _common(job)
    fresh: dict[str, CachedPage] = {}
    for page in [pages[last.where[entry_path(entry)]] for entry in edited] + replanned:
        item = _page_text(job, page, last.tables, common, shared)
        previous = cache.pages[page.path]
        cache.pages[page.path] = item  # what `_render_all` finds, should this stop here
        if item.sequence != previous.sequence:
            return None
        fresh[page.path] = item

    numbering = cache.numbering.numbering
    out = dict(last.site.pages)
    titles: dict[str, str] = {}
    for path, item in fresh.items():
        out[path] = _numbered(path, item, numbering, titles, corpus, cache)
        cache.numbering.sequences[path] = item.sequence
    _prune(corpus, cache)
    formatted = cache.formatted_for.formatted
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


def _unchanged_but_entries(corpus: Corpus, before: Corpus) -> bool:
    """Every collection of every kind but the entries is the very same objects as before.

    Iterates the kinds (build_tools.outline.collections), so a kind added later is checked
    too: one left out would make `make serve` quietly serve stale pages.
    """
    now, then = outline.collections(corpus), outline.collections(before)
    if now.keys() != then.keys():
        return False
    for kind, held in now.items():
        if kind == "entries":
            continue
        other = then[kind]
        if isinstance(held, Mapping) and isinstance(other, Mapping):
            if not _same_table(held, other):
                return False
        elif not _same_items(list(outline.members(held)), list(outline.members(other))):
            return False
    return True


def _same_items(a: list[Any], b: list[Any]) -> bool:
    """The very same objects, in the same order (what the loader hands back unchanged)."""
    return a is b or (len(a) == len(b) and all(map(operator.is_, a, b)))


def _same_table(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
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
    citer = Citer(page, show_unverified=job.settings.show_unverified)
    context = {k: v for k, v in page.context.items() if k not in tables}
    own = cache.own_digest(
        page.path, shared, page.title, page.template, page.section,
        page.search_boost, page.meta, context,
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
    }
    text = front_matter(page) + end_blocks(job.env.get_template(page.template).render(ctx))
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
            raise unknown_citation(path, key)
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
    if held is not None and held.order == order and held.sequences.keys() == sequences.keys():
        before = held.sequences
        if all(seq is before[path] or seq == before[path] for path, seq in sequences.items()):
            cache.numbering = HeldNumbering(order, sequences, held.numbering)
            return held.numbering
    numbering = Numbering()
    for path, title in order:
        for key, anchor in sequences[path]:
            numbering.add(key, path, anchor, title)
    cache.numbering = HeldNumbering(order, sequences, numbering)
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
    text = front_matter(page) + end_blocks(
        env.get_template(page.template).render(
            {"rows": rows, "uncited": uncited, "formatted": formatted, "page": page}
        )
    )
    cache.references_page = text
    cache.rendered += 1
    return text


def citation_style(ctx: BuildContext) -> CitationStyle:
    """The context's citation style (its CSL file parsed once per context)."""
    if ctx.memos.citation_style is None:
        ctx.memos.citation_style = CitationStyle()
    return ctx.memos.citation_style


def _format(corpus: Corpus, cache: RenderCache, style: CitationStyle) -> dict[str, tuple[str, str]]:
    """AMA formatting of every reference, formatting only those not seen before.

    Formatting is the generator's costliest step (about 1 ms a reference), so results are
    also kept on disk, keyed by the reference's data and the style: a later build, or the
    `mkdocs build` that follows the generator in `make site`, formats only what is new.
    """
    references = list(corpus.references.items())
    if cache.formatted_for is not None and cache.formatted_for.references == references:
        return cache.formatted_for.formatted  # the same reference objects (by identity)
    memo = cache.formatted
    fresh = [r for r in corpus.references.values() if _held_source(memo.get(id(r))) is not r]
    stored = cache.stored_formats()
    keys = {r.id: _format_key(r, style) for r in fresh}
    missing = [r for r in fresh if not _two_strings(stored.get(keys[r.id]))]
    for key, value in format_references(missing, style).items():
        stored[keys[key]] = list(value)
    for ref in fresh:
        html_text, plain = stored[keys[ref.id]]
        memo[id(ref)] = Held(ref, (html_text, plain))
    if missing:
        cache.save_formats()
    alive = {id(r) for r in corpus.references.values()}
    cache.formatted = {k: v for k, v in memo.items() if k in alive}
    out = {k: cache.formatted[id(r)].value for k, r in corpus.references.items()}
    cache.formatted_for = HeldFormats(references, out)
    return out


def _held_source(held: Held[Any] | None) -> object:
    return None if held is None else held.source


def _two_strings(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _format_key(ref: schema.Reference, style: CitationStyle) -> str:
    data = json.dumps(csl_item(ref), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{style.digest()}\0{data}".encode()).hexdigest()


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
    cache.digests.forget_except(alive | {id(v.value) for v in cache.summaries.values()})


def _objects(corpus: Corpus) -> list[object]:
    return outline.objects(corpus)


def _alive(corpus: Corpus) -> set[int]:
    return {id(o) for o in _objects(corpus)}


def _templates_digest(templates: Path) -> bytes:
    """Every page template at once: a change to a shared macro can reach any page."""
    h = hashlib.sha256()
    for path in sorted((templates / "pages").rglob("*.j2")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


def _linker(page_path: str) -> Callable[[str], str]:
    return lambda target: relative(page_path, target)
