"""Without a MkDocs, theme or watcher internal, the adapter takes the safe path and says so once.

Each reliance declared in build_tools.engine.internals is removed here from the real object
(MkDocs' configuration, files and pages, the theme's search plugin, the live-reload server and
its observer), and the adapter must then rebuild everything, read every content file, or keep
MkDocs' own behaviour, with exactly one log line naming what is missing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import get_navigation
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, get_files

from build_tools.context import BuildContext, CalculatorCatalog, Settings
from build_tools.engine import errors, fastpath, internals, watch
from build_tools.engine.session import Converted, Session
from tests.conftest import ROOT

LOGGER = "mkdocs.hooks.guideline"


def session(tmp_path: Path, **flags: bool) -> Session:
    settings = Settings(content=tmp_path / "content", templates=tmp_path / "templates")
    for folder in (settings.content, settings.templates):
        folder.mkdir(exist_ok=True)
    ctx = BuildContext.create(settings, CalculatorCatalog())
    return Session(ctx, serving=True, dirty=True, **flags)


def site(tmp_path: Path) -> tuple[MkDocsConfig, Files]:
    """A two-page MkDocs site with the theme and its search plugin, configured for real."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n[See B](b.md#part)\n")
    (docs / "b.md").write_text("# B\n\n## Part\n")
    path = tmp_path / "mkdocs.yml"
    path.write_text(
        "site_name: t\ntheme: {name: material}\nplugins: [search]\n"
        f"site_dir: {tmp_path / 'site'}\n"
    )
    config = load_config(str(path))
    config = config.plugins.on_config(config)
    files = get_files(config)
    get_navigation(files, config)  # the pages exist from here on (MkDocs' on_nav)
    return config, files


def missing_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "not available" in r.getMessage()]


def test_with_every_internal_present_an_edit_rebuilds_incrementally(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config, files = site(tmp_path)
    s = session(tmp_path, full=False)
    with caplog.at_level(logging.INFO, LOGGER):
        fastpath.on_nav(s, config, files)
    assert not s.full
    assert missing_lines(caplog) == []
    assert internals.search_plugin(config.plugins) is not None


def test_without_the_search_plugins_internals_every_page_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = site(tmp_path)
    plugin = config.plugins["material/search"]
    monkeypatch.delattr(plugin, "search_index_prev")
    s = session(tmp_path, full=False)
    with caplog.at_level(logging.INFO, LOGGER):
        fastpath.on_nav(s, config, files)
        s.full = False  # the next edit: only its page would change
        fastpath.on_nav(s, config, files)
    assert s.full
    assert all(f.is_modified() for f in files.documentation_pages())
    assert missing_lines(caplog) == [
        "guideline: search index not available (the mkdocs-material search plugin's "
        "config.enabled, search_index.entries and search_index_prev): every page is rebuilt "
        "and indexed on every change (full rebuild)"
    ]
    fastpath.complete_search_index(s, config)  # leaves the theme's index alone


def test_without_the_page_internals_no_conversion_is_reused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = site(tmp_path)
    for file in files.documentation_pages():
        assert file.page is not None
        monkeypatch.delattr(file.page, "_title_from_render")
    s = session(tmp_path, full=False)
    page = files.documentation_pages()[0].page
    assert page is not None
    with caplog.at_level(logging.INFO, LOGGER):
        fastpath.on_nav(s, config, files)
    assert s.full
    assert missing_lines(caplog) == [
        "guideline: page conversion not available (MkDocs Page.toc, Page._title_from_render, "
        "Page.present_anchor_ids and Page.links_to_anchors): every page's Markdown is "
        "converted again on every change (full rebuild)"
    ]
    # A conversion held from an earlier build is not handed back: the Markdown is converted.
    s.converted[page.file.src_uri] = Converted(b"", "<p>old</p>", None, "Old", set(), {})
    assert fastpath.on_page_markdown(s, "# Home\n", page) == "# Home\n"
    assert fastpath.on_page_content(s, "<p>new</p>", page, files) == "<p>new</p>"


def test_without_file_is_modified_a_full_rebuild_removes_the_built_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = site(tmp_path)
    built = [Path(f.abs_dest_path) for f in files.documentation_pages()]
    for path in built:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("stale")
    monkeypatch.delattr(File, "is_modified")
    s = session(tmp_path, full=True)
    with caplog.at_level(logging.INFO, LOGGER):
        fastpath.on_nav(s, config, files)
    assert not any(path.exists() for path in built)  # MkDocs writes every one of them again
    assert missing_lines(caplog) == [
        "guideline: File.is_modified not available (MkDocs File.is_modified, replaced on the "
        "files a full rebuild must write): the built pages are removed before each full "
        "rebuild, so MkDocs writes them all"
    ]


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveReloadServer]:
    """MkDocs' live-reload server, as `mkdocs serve` makes it (never started here)."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    yield server
    server.server_close()


def test_without_the_observers_queue_every_content_file_is_read(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    live: LiveReloadServer,
) -> None:
    config, _ = site(tmp_path)
    # The queue's task accounting is what a rebuild waits on (ContentChanges.take).
    monkeypatch.delattr(live.observer.event_queue, "all_tasks_done")
    s = session(tmp_path)
    with caplog.at_level(logging.INFO, LOGGER):
        watch.watch(s, live, config)
    assert s.changes is None  # the generator is told nothing: it looks at every file
    assert missing_lines(caplog) == [
        "guideline: watcher queue not available (the serve observer's event_queue "
        "(all_tasks_done, unfinished_tasks) and schedule()): every rebuild reads and checks "
        "every content file"
    ]


def test_without_the_poll_interval_folders_are_polled_at_mkdocs_default(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    live: LiveReloadServer,
) -> None:
    config, _ = site(tmp_path)
    # Not the float interval it is in watchdog 7 (watchdog itself still reads it).
    monkeypatch.setattr(live.observer, "_timeout", 1)
    s = session(tmp_path)
    with caplog.at_level(logging.INFO, LOGGER):
        watch.watch(s, live, config)
    assert s.changes is not None  # the rest of the watcher still works
    assert missing_lines(caplog) == [
        "guideline: poll interval not available (watchdog PollingObserver._timeout (MkDocs' "
        "observer)): content and templates are polled at MkDocs' default interval"
    ]


def test_without_the_servers_builder_a_failed_rebuild_keeps_mkdocs_behaviour(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    live: LiveReloadServer,
) -> None:
    app = live.get_app()
    monkeypatch.delattr(live, "builder")
    s = session(tmp_path)
    with caplog.at_level(logging.INFO, LOGGER):
        errors.guard(s, live)
    assert live.get_app() is app
    assert missing_lines(caplog) == [
        "guideline: server builder not available (LiveReloadServer.builder and its WSGI "
        "application (get_app/set_app)): a content error holds every request until it is "
        "fixed (MkDocs' own behaviour)"
    ]


def test_a_changed_reload_script_leaves_pages_as_mkdocs_serves_them(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    live: LiveReloadServer,
) -> None:
    from mkdocs import livereload as mkdocs_livereload

    monkeypatch.setattr(mkdocs_livereload, "_SCRIPT_TEMPLATE_STR", "reload(${epoch});")
    page = b"<html><body><script>var livereload = function(epoch, requestId) {};"
    page += b"livereload(1, 2);</script></body></html>"

    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html")])
        return [page]

    live.set_app(app)
    s = session(tmp_path)
    with caplog.at_level(logging.INFO, LOGGER):
        errors.guard(s, live)
    answers: list[str] = []
    served = live.get_app()(
        {"PATH_INFO": "/index.html"}, lambda status, headers, *rest: answers.append(status)
    )
    assert b"".join(served) == page
    assert answers == ["200 OK"]
    assert missing_lines(caplog) == [
        "guideline: live-reload script not available (the inline script MkDocs' server writes "
        "into each page (mkdocs.livereload._SCRIPT_TEMPLATE_STR), moved to a same-origin file "
        "the page's policy allows): pages are served as MkDocs serves them, and the policy "
        "keeps them from reloading"
    ]


def test_a_reworded_dirty_notice_is_still_dropped_and_said_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from build_tools.engine import hooks

    assert internals.dirty_notice_worded_as_known()  # MkDocs 1.6 as installed
    monkeypatch.setattr(internals, "DIRTY_NOTICE_TEXT", "A reworded notice")
    assert not internals.dirty_notice_worded_as_known()
    for name, value in (("fallbacks", internals.Fallbacks()), ("serving", False), ("dirty", False)):
        monkeypatch.setattr(hooks.SESSION, name, value)
    build_log = logging.getLogger("mkdocs.commands.build")
    before = list(build_log.filters)
    try:
        with caplog.at_level(logging.INFO, LOGGER):
            hooks.on_startup("serve", dirty=True)
            hooks.on_startup("serve", dirty=True)
        notice = build_log.makeRecord(
            build_log.name, logging.WARNING, __file__, 1, "A dirty build: inaccurate", (), None
        )
        other = build_log.makeRecord(
            build_log.name, logging.WARNING, __file__, 1, "Another warning", (), None
        )
        assert not build_log.filter(notice)
        assert build_log.filter(other)
    finally:
        build_log.filters[:] = before
    assert len(missing_lines(caplog)) == 1
    assert missing_lines(caplog)[0].startswith("guideline: dirty-build notice not available")


# A theme whose search plugin keeps its previous index under another name: what the adapter
# relies on is gone, the plugin itself still works.
RENAMED_SEARCH_INTERNAL = '''
import os
from mkdocs import utils
from material.plugins.search import plugin

_init = plugin.SearchPlugin.__init__


def __init__(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.previous_index = self.__dict__.pop("search_index_prev")


def on_post_build(self, *, config):
    if not self.config.enabled:
        return
    path = os.path.join(config.site_dir, "search", "search_index.json")
    data = self.search_index.generate_search_index(self.previous_index)
    utils.write_file(data.encode("utf-8"), path)
    if self.is_dirty:
        self.previous_index = self.search_index


plugin.SearchPlugin.__init__ = __init__
plugin.SearchPlugin.on_post_build = on_post_build
'''


def test_a_served_site_without_an_internal_is_rebuilt_whole_and_equals_a_clean_build(
    content: Path, tmp_path: Path
) -> None:
    """The real `make serve` under a theme without the search internal: every edit rebuilds
    every page, the log says why once, and what is served is what a clean build writes."""
    from tests.engine.test_serve import (
        CONFIGURED_URL,
        LIVERELOAD,
        SERVE,
        clean_site,
        edit,
        fetch,
        free_port,
        wait_for,
        wait_for_rebuilds,
    )

    patch = tmp_path / "theme-patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(RENAMED_SEARCH_INTERNAL)
    env = {
        **os.environ,
        "GUIDELINE_CONTENT": str(content),
        "GUIDELINE_BUILD": str(tmp_path / "build"),
        "NO_MKDOCS_2_WARNING": "1",
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", *SERVE, "-a", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**env, "PYTHONPATH": str(patch)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            ivig = base + "therapies/ivig/"
            wait_for(ivig, "Intravenous immunoglobulin")
            edit(content / "entries/ivig.yaml", "was higher with IVIg", "was higher (edit 1) with")
            wait_for(ivig, "edit 1")
            rebuilds = wait_for_rebuilds(log_path, 2)
            assert [kind for kind, _ in rebuilds] == ["full", "full"]
            clean = clean_site(tmp_path / "clean", env)
            for rel in [*sorted(clean.rglob("index.html")), clean / "search/search_index.json"]:
                rel = rel.relative_to(clean)
                url = base + rel.as_posix().removesuffix("index.html")
                served = LIVERELOAD.sub("", fetch(url)).replace(base, CONFIGURED_URL)
                assert served == (clean / rel).read_text(), f"{rel} differs from a clean build"
        finally:
            server.terminate()
            server.wait(timeout=60)
    said = [line for line in log_path.read_text().splitlines() if "not available" in line]
    assert len(said) == 1
    assert "guideline: search index not available" in said[0]
