"""The generator: content/ → validated corpus → Markdown pages and assets in a docs folder.

It knows nothing of MkDocs beyond writing a folder MkDocs can read and a nav it can use;
the engine adapter (`build_tools/engine/`) is the only bridge. Files are rewritten only when
their bytes change, so `mkdocs serve` reloads just what an edit touched and its watcher never
loops.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_tools import algorithms, calculator_pages, provenance, site_render
from build_tools.context import BuildContext, CalculatorCatalog
from build_tools.exports import page_references
from build_tools.loader import Corpus, load_content
from build_tools.memos import EncodedPage, RenderMemos, WrittenFile
from build_tools.site_plan import Page, keyword_names
from build_tools.site_render import Site
from build_tools.site_views import PageViews

ROOT = Path(__file__).resolve().parent.parent
"""The checkout (a constant: where this code is)."""
TEMPLATES = ROOT / "site_templates"
"""The checkout's templates (a constant)."""


def calculator_info() -> tuple[set[str] | None, dict[str, str]]:
    """Calculator ids (None without the calculators package) and titles: the catalog's."""
    catalog = CalculatorCatalog.from_registry()
    return (set(catalog.ids) if catalog.present else None), dict(catalog.titles)


def edition() -> str:
    """The guideline's edition (the calculators package's), or "draft" without it."""
    return CalculatorCatalog.from_registry().edition


@dataclass
class Generated:
    nav: list[Any]
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    corpus: Corpus | None = None
    rendered: int = 0  # pages rendered this run
    pages: int = 0  # pages in the site
    export: list[bytes] | None = None  # guideline.json's chunks, when left to the caller
    quick: bool = False  # only the edited entries' pages were looked at (site_render._quick)


def load(ctx: BuildContext, changed: Collection[str] | None = None) -> Corpus:
    """The context's corpus: loaded, validated and cross-checked (ContentError otherwise)."""
    return load_content(ctx.store, ctx.settings.content, ctx.calculators, changed)


def build_files(
    ctx: BuildContext, corpus: Corpus, join_export: bool = True
) -> tuple[dict[str, bytes], Site]:
    """Every generated file (path relative to docs/), and the rendered site it came from."""
    memos = ctx.memos
    files: dict[str, bytes] = {}
    views = PageViews(ctx, corpus)
    extra_pages = _with_views(
        calculator_pages.plan_calculator_pages(
            ctx.memos.calculator_pages, ctx.settings.include_unverified
        ),
        corpus,
        views,
    )
    for algo in corpus.algorithms.values():
        key = memos.render.digests.of(algo)
        if key not in memos.svgs:  # Graphviz runs as a subprocess: only for a changed algorithm
            memos.svgs[key] = algorithms.render_svg(algo)
        files[f"algorithms/{algo.id}.svg"] = memos.svgs[key]
    site = site_render.render_site(ctx, corpus, extra_pages, views)
    for path, text in site.pages.items():
        files[path] = _encoded(memos, path, text)
    held = memos.render.numbering  # what each page cites, as the render recorded it
    if held is not None:
        files |= page_references.made(corpus.references, held.sequences, held.numbering.numbers)
    if join_export:
        files["guideline.json"] = b"".join(site.export)
    assets = ctx.settings.templates / "assets"
    for asset in sorted(assets.rglob("*")):
        if asset.is_file():
            files[f"assets/{asset.relative_to(assets).as_posix()}"] = asset.read_bytes()
    return files, site


def _with_views(pages: list[Page], corpus: Corpus, views: PageViews) -> list[Page]:
    """The calculator planner's pages, completed from the corpus.

    A dosing calculator is found by the names of the drug whose regimen it computes: "MMF"
    or "CellCept" finds the mycophenolate calculator as well as the mycophenolate page. The
    Provenance page shows the statement of sources, as the About page does. A calculator
    changed in this edition carries its mark, leading to its change on the What's new page.

    The pages are the planner's own (kept while the calculators are unchanged, and compared
    by identity by the render cache): they are updated in place.
    """
    names: dict[str, list[str]] = {}
    for entry in corpus.entries.values():
        for regimen in entry.regimens:
            if regimen.calculator:
                held = names.setdefault(regimen.calculator, [])
                held += [n for n in keyword_names(entry.synonyms) if n not in held]
    for page in pages:
        tags = names.get(str(page.meta.get("calculator", "")))
        if tags and page.meta.get("tags") != tags:
            page.meta = {**page.meta, "tags": tags}
        if "calculator" in page.meta:  # its mark, when it changed in this edition
            mark = views.changes().mark_for("calculators", str(page.meta["calculator"]))
            if page.context.get("changed_mark", "") != mark:
                page.context = {**page.context, "changed_mark": mark}
        if page.path == provenance.PAGE_PATH:
            page.context = {**page.context, **views.about()}
    return pages


def _encoded(memos: RenderMemos, path: str, text: str) -> bytes:
    """The UTF-8 bytes of a page; a page reused unchanged (the same object) keeps its bytes,
    so write_tree can recognise it by identity instead of comparing megabytes."""
    held = memos.encoded.get(path)
    if held is not None and held.text is text:
        return held.data
    data = text.encode("utf-8")
    memos.encoded[path] = EncodedPage(text, data)
    return data


def write_tree(
    memos: RenderMemos, files: dict[str, bytes], target: Path, trust: bool = False
) -> tuple[list[str], list[str]]:
    """Make `target` hold exactly `files`, touching only what differs.

    A file this process wrote and nobody has touched since (same size and mtime) is known
    without reading it back; string paths, as pathlib costs more than the check at scale.
    With `trust`, a file whose bytes are the very object last written there is taken as
    written without looking at the disk: for a folder no other process writes (the one
    `mkdocs serve` reads), where thousands of checks would cost more than the edit.
    """
    target.mkdir(parents=True, exist_ok=True)
    root = str(target)
    held = memos.written.setdefault(root, {})
    written: list[str] = []
    removed: list[str] = []
    for rel, data in files.items():
        memo = held.get(rel)
        if trust and memo is not None and memo.data is data:
            continue
        path = os.path.join(root, rel)
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if (
            memo is not None
            and stat is not None
            and (stat.st_size, stat.st_mtime_ns) == (memo.size, memo.mtime_ns)
        ):
            if memo.data is data or memo.data == data:
                held[rel] = WrittenFile(data, memo.size, memo.mtime_ns)
                continue  # as this process last wrote it
        elif stat is not None and stat.st_size == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    held[rel] = WrittenFile(data, stat.st_size, stat.st_mtime_ns)
                    continue
        write_file(path, data)
        stat = os.stat(path)
        held[rel] = WrittenFile(data, stat.st_size, stat.st_mtime_ns)
        written.append(rel)
    if trust and held.keys() == files.keys():
        return written, removed  # the same files as last time, none of them removed
    for folder, _subfolders, names in os.walk(root, topdown=False):
        base = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in names:
            rel = name if base == "." else f"{base}/{name}"
            if rel not in files:
                os.unlink(os.path.join(folder, name))
                held.pop(rel, None)
                removed.append(rel)
        if base != "." and not os.listdir(folder):
            os.rmdir(folder)
    removed.sort(reverse=True)
    return written, removed


def generate(
    ctx: BuildContext,
    changed: Collection[str] | None = None,
    defer_export: bool = False,
) -> Generated:
    """Load and check everything first (ContentError aborts before any write), then write
    the pages into the context's docs folder (`ctx.settings.docs`).

    With `defer_export`, guideline.json is not written to the docs but handed back in
    chunks: `mkdocs serve` writes it to the site itself, off the main thread. `changed`
    names every content file that may have changed since the last run of this context
    (`mkdocs serve` knows from its watcher): an edit to an entry is then read, checked,
    rendered and written alone, and the docs folder is taken to be this context's own.
    """
    with _collection_paused():
        corpus = load(ctx, changed)
        files, site = build_files(ctx, corpus, join_export=not defer_export)
    trust = changed is not None
    written, removed = write_tree(ctx.memos, files, ctx.settings.docs, trust)
    abbreviations = {"abbreviations.md": site.abbreviations.encode("utf-8")}
    write_tree(ctx.memos, abbreviations, ctx.settings.snippets, trust)
    return Generated(
        nav=site.nav,
        written=written,
        removed=removed,
        corpus=corpus,
        rendered=site.rendered,
        pages=len(site.pages),
        export=site.export if defer_export else None,
        quick=site.quick,
    )


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """No automatic garbage collection while the corpus is loaded and rendered.

    A first run creates a million long-lived objects at a hundred times today's content,
    and every full collection on the way walks all of them again: almost half of that
    run's time. Its garbage is freed by reference counting as it goes; the collector
    resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_file(path: str | Path, data: bytes) -> None:
    """Replace a file atomically: a reader sees the old bytes or the new, never a part."""
    folder, name = os.path.split(path)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def clean(docs: Path) -> None:
    shutil.rmtree(docs, ignore_errors=True)
