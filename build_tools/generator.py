"""The generator: content/ → validated corpus → Markdown pages and assets in a docs folder.

It knows nothing of MkDocs beyond writing a folder MkDocs can read and a nav it can use;
`build_tools.mkdocs_hooks` is the only bridge. Files are rewritten only when their bytes
change, so `mkdocs serve` reloads just what an edit touched and its watcher never loops.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from build_tools import algorithms, calculator_pages, provenance, render
from build_tools.context import BuildContext
from build_tools.loader import Corpus, load_content
from build_tools.render import Citer, Page
from build_tools.rendercache import RenderCache

ROOT = Path(__file__).resolve().parent.parent
# GUIDELINE_CONTENT lets tests build a site from a fixture corpus through the same path.
CONTENT = Path(os.environ.get("GUIDELINE_CONTENT", ROOT / "content")).resolve()
TEMPLATES = ROOT / "site_templates"
# Where generated pages go. `python -m build_tools build` gives each build its own folder
# (through GUIDELINE_BUILD, which its `mkdocs build` inherits), so a build or a test never
# writes into the folder a running `make serve` reads, nor the other way round.
GENERATED = Path(os.environ.get("GUIDELINE_BUILD", ROOT / "build")).resolve()
DOCS = GENERATED / "docs"
# Formatted references and compiled templates, keyed by content: shared by every build.
CACHE_STORE = ROOT / "build" / "cache"


@dataclass
class Generated:
    nav: list[Any]
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    corpus: Corpus | None = None
    rendered: int = 0  # pages rendered this run
    pages: int = 0  # pages in the site
    export: list[bytes] | None = None  # guideline.json's chunks, when left to the caller
    quick: bool = False  # only the edited entries' pages were looked at (render._quick)


# Kept for the life of the process: under `mkdocs serve` each edit re-renders only the pages
# it touches (build_tools.rendercache) and rewrites only files whose bytes changed.
_CACHE = RenderCache(store=CACHE_STORE)
_SVGS: dict[bytes, bytes] = {}
_OUTLINES: dict[str, tuple[Any, Any]] = {}  # algorithm id → (algorithm, its text outline)
# folder → {path in it → (bytes, size, mtime) as written or last found}
_WRITTEN: dict[str, dict[str, tuple[bytes, int, int]]] = {}


def calculator_info() -> tuple[set[str] | None, dict[str, str]]:
    """Calculator ids and titles, when the calculators package is present."""
    try:
        from calculators import registry
    except ImportError:
        return None, {}
    return set(registry.CALCULATORS), {k: c.title for k, c in registry.CALCULATORS.items()}


def edition() -> str:
    try:
        from calculators.edition import GUIDELINE_EDITION
    except ImportError:
        return "draft"
    return GUIDELINE_EDITION


def build_files(
    corpus: Corpus, cache: RenderCache | None = None, join_export: bool = True
) -> tuple[dict[str, bytes], render.Site]:
    """Every generated file (path relative to docs/), and the rendered site it came from."""
    _, calc_titles = calculator_info()
    files: dict[str, bytes] = {}
    extra_pages: list[Page] = _with_keywords(calculator_pages.plan_calculator_pages(), corpus)
    svgs: dict[str, bytes] = {}
    for algo in corpus.algorithms.values():
        key = (cache or _CACHE).digests.of(algo)
        if key not in _SVGS:  # Graphviz runs as a subprocess: only for a changed algorithm
            _SVGS[key] = algorithms.render_svg(algo)
        svgs[algo.id] = _SVGS[key]
        files[f"algorithms/{algo.id}.svg"] = svgs[algo.id]

    def extra_context(page: Page, citer: Citer) -> dict[str, Any]:
        if page.template == "algorithm.md.j2":
            algo = page.context["algorithm"]
            held = _OUTLINES.get(algo.id)
            if held is None or held[0] is not algo:  # the same outline object while unchanged
                held = _OUTLINES[algo.id] = (algo, algorithms.outline(algo))
            return {
                "svg_name": f"{algo.id}.svg",
                "outline": held[1],
                "diagram": Markup(_linked_diagram(corpus, algo, page.path, cache or _CACHE)),
            }
        if page.template == "entry.md.j2":
            entry = page.context["entry"]
            linked = [r.calculator for r in entry.regimens if r.calculator] + entry.calculators
            notes = {
                cid: provenance.therapy_note(cid, corpus.references)
                for cid in dict.fromkeys(linked)
                if cid in calc_titles
            }
            return {
                "calculator_notes": notes,
                "confidence": provenance.citation_confidence(entry, corpus.discrepancies),
            }
        if page.template in ("about.md.j2", provenance.TEMPLATE):
            return {
                "statement": provenance.statement(corpus),
                "tier_words": provenance.tier_words(),
                "tier_meanings": provenance.tier_meanings(),
                "provenance_path": provenance.PAGE_PATH if calc_titles else "",
            }
        return {}

    site = render.render_site(
        corpus,
        extra_pages,
        extra_context,
        edition=edition(),
        calculator_titles=calc_titles,
        cache=cache,
    )
    for path, text in site.pages.items():
        files[path] = _encoded(path, text)
    if join_export:
        files["guideline.json"] = b"".join(site.export)
    for asset in sorted((TEMPLATES / "assets").rglob("*")):
        if asset.is_file():
            files[f"assets/{asset.relative_to(TEMPLATES / 'assets').as_posix()}"] = (
                asset.read_bytes()
            )
    return files, site


def _with_keywords(pages: list[Page], corpus: Corpus) -> list[Page]:
    """A dosing calculator is found by the names of the drug whose regimen it computes: "MMF"
    or "CellCept" finds the mycophenolate calculator as well as the mycophenolate page.

    The pages are the planner's own (kept while the calculators are unchanged, and compared
    by identity by the render cache): their front matter is updated in place.
    """
    names: dict[str, list[str]] = {}
    for entry in corpus.entries.values():
        for regimen in entry.regimens:
            if regimen.calculator:
                held = names.setdefault(regimen.calculator, [])
                held += [n for n in render.keyword_names(entry.synonyms) if n not in held]
    for page in pages:
        tags = names.get(str(page.meta.get("calculator", "")))
        if tags and page.meta.get("tags") != tags:
            page.meta = {**page.meta, "tags": tags}
    return pages


def _linked_diagram(corpus: Corpus, algo: Any, page_path: str, cache: RenderCache) -> str:
    """The site's diagram: one column, each therapy or test linking to its page."""
    links: dict[str, list[algorithms.Link]] = {}
    for node in algo.nodes:
        for entry_id in node.entries:
            entry = corpus.entries[entry_id]
            target = render.entry_path(entry)[: -len(".md")]
            # Pages are published as folders (use_directory_urls): the diagram's page is one
            # level deeper than its Markdown file.
            href = "../" + render.relative(page_path, target) + "/"
            links.setdefault(node.id, []).append(algorithms.Link(entry.title, href))
    key = (
        cache.digests.of(algo)
        + json.dumps({k: [(t.title, t.href) for t in v] for k, v in links.items()}).encode()
    )
    if key not in _SVGS:
        _SVGS[key] = algorithms.render_svg(algo, links, vertical=True)
    label = f"{algo.title}: flow diagram; the same steps are listed below it as text."
    return algorithms.inline_svg(_SVGS[key], label)


_ENCODED: dict[str, tuple[str, bytes]] = {}  # path → (its text, that text's bytes)


def _encoded(path: str, text: str) -> bytes:
    """The UTF-8 bytes of a page; a page reused unchanged (the same object) keeps its bytes,
    so write_tree can recognise it by identity instead of comparing megabytes."""
    held = _ENCODED.get(path)
    if held is not None and held[0] is text:
        return held[1]
    data = text.encode("utf-8")
    _ENCODED[path] = (text, data)
    return data


def write_tree(
    files: dict[str, bytes], target: Path, trust: bool = False
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
    held = _WRITTEN.setdefault(root, {})
    written: list[str] = []
    removed: list[str] = []
    for rel, data in files.items():
        memo = held.get(rel)
        if trust and memo is not None and memo[0] is data:
            continue
        path = os.path.join(root, rel)
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if memo is not None and stat is not None and (stat.st_size, stat.st_mtime_ns) == memo[1:]:
            if memo[0] is data or memo[0] == data:
                held[rel] = (data, *memo[1:])
                continue  # as this process last wrote it
        elif stat is not None and stat.st_size == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    held[rel] = (data, stat.st_size, stat.st_mtime_ns)
                    continue
        write_file(path, data)
        stat = os.stat(path)
        held[rel] = (data, stat.st_size, stat.st_mtime_ns)
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
    content: Path | BuildContext = CONTENT,
    docs: Path = DOCS,
    defer_export: bool = False,
    changed: Collection[str] | None = None,
) -> Generated:
    """Load and check everything first (ContentError aborts before any write), then write.

    With `defer_export`, guideline.json is not written to `docs` but handed back in chunks:
    `mkdocs serve` writes it to the site itself, off the main thread
    (mkdocs_hooks._write_export). `changed` names every content file that may have changed
    since the last run (`mkdocs serve` knows from its watcher): an edit to an entry is then
    read, checked, rendered and written alone, and `docs` is taken to be this process's own.
    """
    if isinstance(content, BuildContext):  # the context-taking signature (issue 13)
        settings = content.settings
        content, docs = settings.content, settings.docs
    calc_ids, _ = calculator_info()
    with _collection_paused():
        corpus = load_content(content, calc_ids, changed)
        files, site = build_files(corpus, _CACHE, join_export=not defer_export)
    trust = changed is not None
    written, removed = write_tree(files, docs, trust)
    snippets = docs.parent / "snippets"
    write_tree({"abbreviations.md": site.abbreviations.encode("utf-8")}, snippets, trust)
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


def clean(docs: Path = DOCS) -> None:
    shutil.rmtree(docs, ignore_errors=True)
