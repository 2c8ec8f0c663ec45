"""The fast `serve` path: under `mkdocs serve --dirty`, rebuild only what an edit touched.

MkDocs' own dirty mode is not safe on its own (stale navigation, a search index holding only
the rebuilt pages, anchors it cannot check); this module makes it safe: any change every page
shows (navigation, glossary tooltips, theme, configuration) rebuilds every page, and the
search index and anchor checks are completed from the pages left as they were. Each MkDocs
internal it uses is checked first (build_tools.engine.internals); without one, every page is
rebuilt. `tests/engine/test_serve.py` holds an incremental rebuild to a clean build, byte
for byte.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from build_tools.engine import internals
from build_tools.engine.session import Converted, Session
from build_tools.tablecards import label_tables


def page_inputs(config: MkDocsConfig, nav: Any, markdown_inputs: bytes) -> str:
    """A digest of everything that appears on every page, beyond the page's own Markdown:
    what every conversion depends on (tooltips, settings), the navigation, the theme."""
    digest = hashlib.sha256(markdown_inputs + json.dumps(nav).encode())
    for folder in config.theme.dirs[:1]:  # custom_dir: the project's own overrides
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(path.as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def remove_pages(site: Path, removed: list[str]) -> None:
    """A dirty build never cleans the site folder: drop what deleted content left behind."""
    for rel in removed:
        if rel.endswith(".md"):
            stem = rel[: -len(".md")]
            folder = site / (stem[: -len("index")] if stem.endswith("index") else stem)
            (folder / "index.html").unlink(missing_ok=True)


def on_files(session: Session, files: Files) -> None:
    session.built_urls = set()
    session.indexed_urls = set()
    session.reused = {}
    # As pages know their address: the home page is "" where its file says "./".
    session.page_order = [
        "" if file.url in (".", "./") else file.url for file in files.documentation_pages()
    ]
    if session.dirty:
        # A link's HTML depends on which files exist (and where they are published).
        listing = "\n".join(f"{f.src_uri}\t{f.url}" for f in files).encode()
        session.markdown_inputs = hashlib.sha256(session.markdown_inputs + listing).digest()


def on_nav(session: Session, config: MkDocsConfig, files: Files) -> None:
    """Decide, once the pages exist, whether this dirty build may skip any of them.

    Every internal the incremental path needs is checked here; if one is missing, this
    build (and every later one) rebuilds every page.
    """
    if not session.dirty:
        return
    pages = files.documentation_pages()
    sample = next((f.page for f in pages if f.page is not None), None)
    if sample is not None and not internals.page_conversion(sample):
        session.fallbacks.missing(internals.PAGE_CONVERSION)
        session.full = True
    if internals.has_search_plugin(config.plugins) and (
        internals.search_plugin(config.plugins) is None
    ):
        session.fallbacks.missing(internals.SEARCH_INDEX)
        session.full = True
    if not session.full:
        return
    if all(internals.file_modified(f) for f in pages):
        for file in pages:
            file.is_modified = _always  # type: ignore[method-assign]
        return
    session.fallbacks.missing(internals.FILE_MODIFIED)
    for file in pages:  # MkDocs rebuilds a page whose output is missing
        Path(file.abs_dest_path).unlink(missing_ok=True)


def _always() -> bool:
    return True


def reusable(session: Session) -> bool:
    """Conversions are reused only where every page internal they restore is present."""
    return session.dirty and "page conversion" not in session.fallbacks.reported


def on_page_markdown(session: Session, markdown: str, page: Page) -> str:
    """Under dirty serving, a page whose Markdown is unchanged reuses its last conversion.

    A title edit changes every page's navigation, so every page is rebuilt; converting the
    Markdown is most of that cost, and for all but the edited pages it would give the same
    HTML. The page's Markdown is handed to MkDocs empty and its HTML restored afterwards.
    """
    if not reusable(session):
        return markdown
    key = hashlib.sha256(
        session.markdown_inputs + page.file.src_uri.encode() + b"\0" + markdown.encode()
    ).digest()
    last = session.converted.get(page.file.src_uri)
    if last is not None and last.key == key:
        session.reused[page.file.src_uri] = last
        return ""
    session.converted.pop(page.file.src_uri, None)
    page.guideline_conversion_key = key  # type: ignore[attr-defined]
    return markdown


def on_page_content(session: Session, html: str, page: Page, files: Files) -> str:
    if not reusable(session):
        return label_tables(html)
    last = session.reused.get(page.file.src_uri)
    if last is not None:
        page.toc = last.toc
        page._title_from_render = last.title
        page.present_anchor_ids = set(last.anchors)
        page.links_to_anchors = {
            target: dict(links)
            for source, links in last.links.items()
            if (target := files.get_file_from_path(source)) is not None
        }
        return last.html
    html = label_tables(html)
    links: dict[File, dict[str, str]] = page.links_to_anchors or {}
    session.converted[page.file.src_uri] = Converted(
        key=page.guideline_conversion_key,  # type: ignore[attr-defined]
        html=html,
        toc=page.toc,
        title=page._title_from_render,
        anchors=set(page.present_anchor_ids or ()),
        links={target.src_uri: dict(anchors) for target, anchors in links.items()},
    )
    return html


def on_env(session: Session, files: Files) -> None:
    """Pages a dirty build skipped still have anchors: give MkDocs' link check those it saw."""
    if not reusable(session):
        return
    for file in files.documentation_pages():
        if file.page is not None and file.page.present_anchor_ids is None:
            last = session.converted.get(file.src_uri)
            file.page.present_anchor_ids = set(last.anchors) if last else None


def on_page_context(session: Session, page: Page, config: MkDocsConfig) -> None:
    """A reused conversion has the search entries it had: spare the theme re-parsing it."""
    session.built_urls.add(page.url)
    plugin = internals.search_plugin(config.plugins) if session.dirty else None
    if (
        plugin is not None
        and page.file.src_uri in session.reused
        and page.url in session.search
        and "data-search-" not in (page.content or "")
    ):
        plugin.config.enabled = False
        session.search_paused = True
    else:
        session.indexed_urls.add(page.url)


def on_post_page(session: Session, page: Page, config: MkDocsConfig) -> None:
    if session.search_paused:
        plugin = internals.search_plugin(config.plugins)
        if plugin is not None:
            plugin.config.enabled = True
        session.search_paused = False
    session.written.append(page.file.abs_dest_path)


def complete_search_index(session: Session, config: MkDocsConfig) -> None:
    """The theme's search index after a dirty build holds only rebuilt pages: add the rest.

    Entries are kept in the order a clean build writes them, so the index is identical.
    """
    plugin = internals.search_plugin(config.plugins)
    if plugin is None or not plugin.config.enabled:
        return
    index = plugin.search_index
    fresh: dict[str, list[dict[str, Any]]] = {url: [] for url in session.indexed_urls}
    for entry in index.entries:
        fresh.setdefault(entry["location"].partition("#")[0], []).append(entry)
    session.search.update(fresh)
    order = session.page_order
    session.search = {url: session.search.get(url, []) for url in order}
    index.entries = [entry for url in order for entry in session.search[url]]
    plugin.search_index_prev = None
