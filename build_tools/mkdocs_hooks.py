"""The only module that imports MkDocs: run the generator inside `mkdocs build` and `serve`.

Keeping MkDocs at arm's length means a theme or engine change touches this file alone.

Under `mkdocs serve --dirty` (what `make serve` runs) an edit rebuilds only the pages whose
generated Markdown changed, so it shows in the browser in under a second instead of after a
whole-site build. MkDocs' own dirty mode is not safe on its own (stale navigation, a search
index holding only the rebuilt pages, anchors it cannot check); this module makes it safe:
any change every page shows (navigation, glossary tooltips, theme, configuration) rebuilds
every page, and the search index and anchor checks are completed from the pages left as they
were. `tests/engine/test_serve.py` holds an incremental rebuild to a clean build, byte for
byte.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from watchdog.events import FileSystemEvent, FileSystemEventHandler

# MkDocs loads hooks by file path; make the project importable as a package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_tools import generator, siteurl
from build_tools.context import BuildContext
from build_tools.csp import apply_csp
from build_tools.diagnostics import ContentError
from build_tools.tablecards import label_tables

log = logging.getLogger("mkdocs.hooks.guideline")


@dataclass
class _Converted:
    """A page's Markdown → HTML conversion, and what MkDocs learnt from it."""

    key: bytes
    html: str
    toc: Any
    title: str | None
    anchors: set[str]
    links: dict[str, dict[str, str]]  # linked page source → {anchor: link as written}


@dataclass
class _Session:
    """What one `mkdocs serve` process remembers between rebuilds (module state survives them)."""

    serving: bool = False
    dirty: bool = False
    page_inputs: str = ""  # digest of what every page shows: nav, tooltips, theme, config
    full: bool = True  # this build renders every page
    built_urls: set[str] = field(default_factory=set)
    indexed_urls: set[str] = field(default_factory=set)  # pages the search plugin indexed
    converted: dict[str, _Converted] = field(default_factory=dict)  # source → last conversion
    reused: dict[str, _Converted] = field(default_factory=dict)  # conversions reused this build
    markdown_inputs: bytes = b""  # what a conversion depends on beyond the page itself
    search_paused: bool = False
    page_order: list[str] = field(default_factory=list)  # urls in MkDocs' build (index) order
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # url → index entries
    runtime: tuple[str, str] | None = None  # (digest of its inputs, digest installed)
    calculators: str = ""  # digest of calculators/ when serving started
    started: float = 0.0
    generator_s: float = 0.0
    quick: bool = False  # the generator looked at the edited entries alone
    frozen: bool = False  # the first build's generator state is out of garbage collection
    export: list[bytes] | None = None  # guideline.json's chunks, for _write_export
    export_writer: threading.Thread | None = None
    changes: _ContentChanges | None = None  # what the watcher saw change in content/
    context: BuildContext | None = None  # the build context, created once per process


class _ContentChanges(FileSystemEventHandler):
    """Content files the watcher saw change since the generator last ran.

    Scheduled on MkDocs' own observer, beside its handler for the same folder (the folder is
    polled once for both), so the generator is told which files an edit touched instead of
    looking at thousands of them. A change it cannot place (a folder created, moved or
    deleted) makes the next run look at everything.
    """

    def __init__(self, observer: Any) -> None:
        self.observer = observer
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._unknown = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        with self._lock:
            if event.is_directory:
                self._unknown |= event.event_type != "modified"  # its files have their own
                return
            for path in (event.src_path, event.dest_path):
                if path:
                    self._paths.add(os.fsdecode(path))

    def take(self) -> set[str] | None:
        """Every content file changed since the last call, or None when that is not known.

        MkDocs starts a rebuild from its own handler of the same events; waiting until the
        observer has handed every queued event to every handler makes sure this one has seen
        at least what MkDocs has.
        """
        queue = self.observer.event_queue
        with queue.all_tasks_done:
            drained = queue.all_tasks_done.wait_for(lambda: not queue.unfinished_tasks, 2.0)
        with self._lock:
            paths, self._paths = self._paths, set()
            unknown, self._unknown = self._unknown, False
        return None if unknown or not drained or not self.observer.is_alive() else paths


_S = _Session()


def _context() -> BuildContext:
    """The build context of this process (a `mkdocs serve` session or one build)."""
    if _S.context is None:
        _S.context = BuildContext.create()
    return _S.context


class _DirtyNotice(logging.Filter):
    """Drop MkDocs' warning that dirty builds are inaccurate: this module makes them accurate,
    and under `strict` the warning would abort every build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_startup(command: str, dirty: bool) -> None:
    _S.serving = command == "serve"
    _S.dirty = _S.serving and dirty
    if _S.dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())


def on_config(config: Any) -> Any:
    """Generate pages before MkDocs collects files, and give it the nav derived from content."""
    _S.started = time.perf_counter()
    if _S.serving:
        _refuse_changed_calculators()
    changed = _S.changes.take() if _S.changes is not None else None
    try:
        result = generator.generate(_context(), changed=changed, defer_export=_S.serving)
    except ContentError as exc:
        for problem in exc.problems:
            log.error(str(problem))
        raise Abort(exc.problems.report().splitlines()[-1]) from None
    _S.generator_s = time.perf_counter() - _S.started
    _S.quick = result.quick
    if _S.serving and not _S.frozen:
        # The generator's corpus and caches live as long as the server: over a million
        # objects at a hundred times today's content, which every full garbage collection
        # would walk again (over a second, in the middle of an edit's rebuild). Frozen, they
        # are left out of collections; what an edit replaces is still freed as it goes.
        gc.freeze()
        _S.frozen = True
    config["nav"] = result.nav
    _S.export = result.export
    if not _S.serving and os.environ.get(siteurl.ENV):
        # A build for publishing: the public address (checked by `build_tools build`) for
        # canonical links, the sitemap and instant navigation. `serve` keeps its own address.
        config["site_url"] = siteurl.site_url()
    # The pages are wherever this process's generator wrote them (the settings' docs folder).
    config["docs_dir"] = str(_context().settings.docs)
    snippets = config["mdx_configs"].get("pymdownx.snippets")
    if snippets is not None:
        snippets["base_path"] = [str(_context().settings.snippets)]
    if result.written or result.removed:
        log.info(
            "guideline: %d file(s) written, %d removed in %.2f s (%d of %d pages regenerated)",
            len(result.written),
            len(result.removed),
            _S.generator_s,
            result.rendered,
            result.pages,
        )
    if _S.dirty:
        abbreviations = (_context().settings.snippets / "abbreviations.md").read_bytes()
        settings = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        _S.markdown_inputs = hashlib.sha256(abbreviations + b"\0" + settings).digest()
        inputs = _page_inputs(config, result.nav, _S.markdown_inputs)
        _S.full = inputs != _S.page_inputs
        _S.page_inputs = inputs
        _remove_pages(Path(config["site_dir"]), result.removed)
    return config


def _calculators_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((generator.ROOT / "calculators").rglob("*.py")):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _refuse_changed_calculators() -> None:
    """The pages' forms and tables come from the calculators this process imported; a changed
    calculator cannot be re-imported safely, and serving new code in the browser under old
    pages would pair a form with limits its code no longer has. Stop and say so instead."""
    now = _calculators_digest()
    if not _S.calculators:
        _S.calculators = now
    elif now != _S.calculators:
        raise Abort(
            "calculators/ changed while serving: restart `make serve` to rebuild the "
            "calculator pages and their runtime together (the site shown is the previous one)"
        )


def _page_inputs(config: Any, nav: Any, markdown_inputs: bytes) -> str:
    """A digest of everything that appears on every page, beyond the page's own Markdown:
    what every conversion depends on (tooltips, settings), the navigation, the theme."""
    digest = hashlib.sha256(markdown_inputs + json.dumps(nav).encode())
    for folder in config["theme"].dirs[:1]:  # custom_dir: the project's own overrides
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(path.as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def _remove_pages(site: Path, removed: list[str]) -> None:
    """A dirty build never cleans the site folder: drop what deleted content left behind."""
    for rel in removed:
        if rel.endswith(".md"):
            stem = rel[: -len(".md")]
            folder = site / (stem[: -len("index")] if stem.endswith("index") else stem)
            (folder / "index.html").unlink(missing_ok=True)


def on_files(files: Any, config: Any) -> Any:
    if _S.dirty and _S.full:
        for file in files.documentation_pages():
            file.is_modified = _always
    _S.built_urls = set()
    _S.indexed_urls = set()
    _S.reused = {}
    # As pages know their address: the home page is "" where its file says "./".
    _S.page_order = [
        "" if file.url in (".", "./") else file.url for file in files.documentation_pages()
    ]
    if _S.dirty:
        # A link's HTML depends on which files exist (and where they are published).
        listing = "\n".join(f"{f.src_uri}\t{f.url}" for f in files).encode()
        _S.markdown_inputs = hashlib.sha256(_S.markdown_inputs + listing).digest()
    return files


def _always() -> bool:
    return True


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Under dirty serving, a page whose Markdown is unchanged reuses its last conversion.

    A title edit changes every page's navigation, so every page is rebuilt; converting the
    Markdown is most of that cost, and for all but the edited pages it would give the same
    HTML. The page's Markdown is handed to MkDocs empty and its HTML restored afterwards.
    """
    if not _S.dirty:
        return markdown
    key = hashlib.sha256(
        _S.markdown_inputs + page.file.src_uri.encode() + b"\0" + markdown.encode()
    ).digest()
    last = _S.converted.get(page.file.src_uri)
    if last is not None and last.key == key:
        _S.reused[page.file.src_uri] = last
        return ""
    _S.converted.pop(page.file.src_uri, None)
    page.guideline_conversion_key = key
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if not _S.dirty:
        return label_tables(html)
    last = _S.reused.get(page.file.src_uri)
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
    _S.converted[page.file.src_uri] = _Converted(
        key=page.guideline_conversion_key,
        html=html,
        toc=page.toc,
        title=page._title_from_render,
        anchors=set(page.present_anchor_ids or ()),
        links={
            target.src_uri: dict(links) for target, links in (page.links_to_anchors or {}).items()
        },
    )
    return html


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Pages a dirty build skipped still have anchors: give MkDocs' link check those it saw."""
    if _S.dirty:
        for file in files.documentation_pages():
            if file.page is not None and file.page.present_anchor_ids is None:
                last = _S.converted.get(file.src_uri)
                file.page.present_anchor_ids = set(last.anchors) if last else None
    return env


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """A reused conversion has the search entries it had: spare the theme re-parsing it."""
    _S.built_urls.add(page.url)
    plugin = config.plugins.get("material/search")
    if (
        _S.dirty
        and plugin is not None
        and page.file.src_uri in _S.reused
        and page.url in _S.search
        and "data-search-" not in (page.content or "")
    ):
        plugin.config.enabled = False
        _S.search_paused = True
    else:
        _S.indexed_urls.add(page.url)
    return context


# Polling a folder costs about 8 µs a file (a stat and a comparison, holding the interpreter
# lock the build needs). Each folder is polled every tenth of a second, or less often when
# that would take more than about a tenth of the time: 3,900 files are polled every 0.3 s.
POLL_INTERVAL_S = 0.1
POLL_S_PER_FILE = 80e-6
POLL_INTERVAL_MAX_S = 0.5


def poll_interval(folder: Path) -> float:
    files = sum(len(names) for _, _, names in os.walk(folder))
    return min(POLL_INTERVAL_MAX_S, max(POLL_INTERVAL_S, files * POLL_S_PER_FILE))


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when content, calculators or templates change, not when the docs folder does.

    The docs folder is what the generator writes: watching it made every edit build twice
    (once for the edit, once more for the pages it wrote), and its files were polled too.
    MkDocs polls for changes every half second; the folders watched here are polled every
    tenth of a second, or less often when they hold thousands of files (poll_interval).
    """
    with contextlib.suppress(KeyError):  # MkDocs watches docs_dir before this hook runs
        server.unwatch(config["docs_dir"])
    observer: Any = getattr(server, "observer", None)
    tunable = isinstance(getattr(observer, "_timeout", None), float)
    content = _context().settings.content
    for folder in (content, generator.TEMPLATES, generator.ROOT / "calculators"):
        if tunable:  # the interval of the folders scheduled next
            observer._timeout = poll_interval(folder)
        server.watch(str(folder))
    if observer is not None and hasattr(observer, "event_queue"):
        _S.changes = _ContentChanges(observer)
        observer.schedule(_S.changes, os.path.abspath(_context().settings.content), recursive=True)
    return server


def on_post_page(output: str, page: Any, config: Any) -> str:
    if _S.search_paused:
        config.plugins["material/search"].config.enabled = True
        _S.search_paused = False
    return apply_csp(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Pages MkDocs renders from a template of their own (404.html) carry the policy too."""
    return apply_csp(output_content) if template_name.endswith(".html") else output_content


@event_priority(50)  # before the search plugin writes its index
def on_post_build(config: Any) -> None:
    """Under `mkdocs serve`, complete the search index and add the calculator runtime.

    `python -m build_tools build` runs the full post-build (runtime, handbook, bundle) on its
    own temporary folder instead, so this runs only when serving.
    """
    if not _S.serving:
        return
    if _S.export is not None:
        _write_export(Path(config["site_dir"]) / "guideline.json", _S.export)
        _S.export = None
    if _S.dirty:
        _complete_search_index(config)
    from build_tools import postbuild

    site = Path(config["site_dir"])
    inputs = postbuild.runtime_inputs_digest()
    if _S.runtime is None or _S.runtime[0] != inputs or not postbuild.has_runtime(site):
        _S.runtime = (inputs, postbuild.install_runtime(site))
    postbuild.install_service_worker(site, _S.runtime[1])
    # The printed editions come from `make site` (run by `make serve` first): serve those.
    for name in ("handbook.pdf", "handbook-offline.zip"):
        built = generator.ROOT / "site" / name
        target = site / name
        fresh = target.is_file() and target.stat().st_mtime >= built.stat().st_mtime
        if built.is_file() and not fresh:
            shutil.copyfile(built, target)
    total = time.perf_counter() - _S.started
    log.info(
        "guideline: %s rebuild of %d page(s) (%d converted) in %.2f s; generator %.3f s "
        "(share %.2f; %s)",
        "full" if _S.full else "incremental",
        len(_S.built_urls),
        len(_S.built_urls) - len(_S.reused),
        total,
        _S.generator_s,
        _S.generator_s / total if total else 0.0,
        "edited entries only" if _S.quick else "every page checked",
    )


def _write_export(target: Path, chunks: list[bytes]) -> None:
    """Write guideline.json into the served site on a thread of its own.

    At a hundred times today's content it is tens of megabytes: written in line, through
    the docs folder and copied by MkDocs, it cost more than regenerating the edited page.
    The writing runs beside the rest of the build (the file system needs no interpreter
    lock); writes follow one another in order, each replacing the file whole.
    """
    previous = _S.export_writer
    if previous is not None:
        previous.join()
    _S.export_writer = threading.Thread(
        target=_export_or_log, args=(target, chunks), name="guideline-export"
    )
    _S.export_writer.start()


def _export_or_log(target: Path, chunks: list[bytes]) -> None:
    try:
        generator.write_file(target, b"".join(chunks))
    except OSError as exc:  # said where the author reads, not as a thread's traceback
        log.error("guideline: could not write %s: %s", target, exc)


def _complete_search_index(config: Any) -> None:
    """The theme's search index after a dirty build holds only rebuilt pages: add the rest.

    Entries are kept in the order a clean build writes them, so the index is identical.
    """
    plugin = config.plugins.get("material/search")
    if plugin is None or not getattr(plugin.config, "enabled", True):
        return
    index = plugin.search_index
    fresh: dict[str, list[dict[str, Any]]] = {url: [] for url in _S.indexed_urls}
    for entry in index.entries:
        fresh.setdefault(entry["location"].partition("#")[0], []).append(entry)
    _S.search.update(fresh)
    order = _S.page_order
    _S.search = {url: _S.search.get(url, []) for url in order}
    index.entries = [entry for url in order for entry in _S.search[url]]
    plugin.search_index_prev = None
