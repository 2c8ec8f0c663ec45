"""Every reliance of the adapter on an internal of MkDocs, its theme or the file watcher.

MkDocs 1.6 gets no releases, mkdocs-material is in maintenance, and a fork (ProperDocs) may
take their place (build_tools/DECISIONS.md). The fast `serve` path leans on attributes no
public API promises; each is declared here once, with what it is used for and what the
adapter does without it, and checked on the live object before it is used. A missing one is
reported in one log line (once per process, `Fallbacks`), and the adapter takes the safe
path: a full rebuild, every page converted again, every content file read, MkDocs' own
behaviour. It never fails and never serves a stale page for want of an internal.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, cast

log = logging.getLogger("mkdocs.hooks.guideline")


@dataclass(frozen=True)
class Reliance:
    """One internal the adapter uses, and the safe path taken when it is missing."""

    name: str
    internal: str
    fallback: str


SEARCH_INDEX: Final = Reliance(
    "search index",
    "the mkdocs-material search plugin's config.enabled, search_index.entries and "
    "search_index_prev",
    "every page is rebuilt and indexed on every change (full rebuild)",
)
PAGE_CONVERSION: Final = Reliance(
    "page conversion",
    "MkDocs Page.toc, Page._title_from_render, Page.present_anchor_ids and Page.links_to_anchors",
    "every page's Markdown is converted again on every change (full rebuild)",
)
FILE_MODIFIED: Final = Reliance(
    "File.is_modified",
    "MkDocs File.is_modified, replaced on the files a full rebuild must write",
    "the built pages are removed before each full rebuild, so MkDocs writes them all",
)
POLL_INTERVAL: Final = Reliance(
    "poll interval",
    "watchdog PollingObserver._timeout (MkDocs' observer)",
    "content and templates are polled at MkDocs' default interval",
)
EVENT_QUEUE: Final = Reliance(
    "watcher queue",
    "the serve observer's event_queue (all_tasks_done, unfinished_tasks) and schedule()",
    "every rebuild reads and checks every content file",
)
DIRTY_NOTICE: Final = Reliance(
    "dirty-build notice",
    "the wording of MkDocs' warning that a dirty build is inaccurate (dropped by a log "
    "filter: under strict it would abort every dirty build)",
    "any warning of MkDocs' build module that mentions a dirty build is dropped",
)
SERVER_BUILDER: Final = Reliance(
    "server builder",
    "LiveReloadServer.builder and its WSGI application (get_app/set_app)",
    "a content error holds every request until it is fixed (MkDocs' own behaviour)",
)

LIVERELOAD_SCRIPT: Final = Reliance(
    "live-reload script",
    "the inline script MkDocs' server writes into each page (mkdocs.livereload."
    "_SCRIPT_TEMPLATE_STR), moved to a same-origin file the page's policy allows",
    "pages are served as MkDocs serves them, and the policy keeps them from reloading",
)

RELIANCES: Final = (
    SEARCH_INDEX,
    PAGE_CONVERSION,
    FILE_MODIFIED,
    POLL_INTERVAL,
    EVENT_QUEUE,
    DIRTY_NOTICE,
    SERVER_BUILDER,
    LIVERELOAD_SCRIPT,
)

SEARCH_PLUGIN: Final = "material/search"
DIRTY_NOTICE_TEXT: Final = "A 'dirty' build is being performed"
"""How MkDocs 1.6 words the warning (mkdocs/commands/build.py)."""


@dataclass
class Fallbacks:
    """The reliances found missing in this process, each reported once."""

    reported: set[str] = field(default_factory=set)

    def missing(self, reliance: Reliance) -> None:
        if reliance.name in self.reported:
            return
        self.reported.add(reliance.name)
        # INFO, not WARNING: under strict a warning would abort the very build it rescues.
        log.info(
            "guideline: %s not available (%s): %s",
            reliance.name,
            reliance.internal,
            reliance.fallback,
        )


# -- the internals, as Protocols: what is used of each, once detected --------------------------


class SearchIndexLike(Protocol):
    entries: list[dict[str, Any]]


class SearchConfigLike(Protocol):
    enabled: bool


class SearchPluginLike(Protocol):
    config: SearchConfigLike
    search_index: SearchIndexLike
    search_index_prev: object


class EventQueueLike(Protocol):
    all_tasks_done: Any  # threading.Condition
    unfinished_tasks: int


class ObserverLike(Protocol):
    event_queue: EventQueueLike

    def is_alive(self) -> bool: ...

    def schedule(self, event_handler: Any, path: str, recursive: bool = ...) -> Any: ...


class WsgiServerLike(Protocol):
    builder: Callable[..., None]

    def get_app(self) -> Any: ...

    def set_app(self, application: Any) -> None: ...


# -- detection ---------------------------------------------------------------------------------


def search_plugin(plugins: Any) -> SearchPluginLike | None:
    """The theme's search plugin, if its index can be completed after a dirty build."""
    plugin = plugins.get(SEARCH_PLUGIN) if hasattr(plugins, "get") else None
    if plugin is None:
        return None
    config = getattr(plugin, "config", None)
    index = getattr(plugin, "search_index", None)
    if (
        isinstance(getattr(config, "enabled", None), bool)
        and isinstance(getattr(index, "entries", None), list)
        and hasattr(plugin, "search_index_prev")
    ):
        return cast("SearchPluginLike", plugin)
    return None


def has_search_plugin(plugins: Any) -> bool:
    return hasattr(plugins, "get") and plugins.get(SEARCH_PLUGIN) is not None


PAGE_ATTRIBUTES: Final = ("toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


def page_conversion(page: object) -> bool:
    """Whether a page exposes what a reused conversion must restore."""
    return all(hasattr(page, name) for name in PAGE_ATTRIBUTES)


def file_modified(file: object) -> bool:
    """Whether MkDocs asks each file `is_modified()`, and the answer can be replaced."""
    return callable(getattr(file, "is_modified", None)) and hasattr(file, "__dict__")


def poll_interval(observer: object) -> bool:
    return isinstance(getattr(observer, "_timeout", None), float)


def event_queue(observer: object) -> ObserverLike | None:
    queue = getattr(observer, "event_queue", None)
    if (
        hasattr(getattr(queue, "all_tasks_done", None), "wait_for")
        and isinstance(getattr(queue, "unfinished_tasks", None), int)
        and callable(getattr(observer, "schedule", None))
        and callable(getattr(observer, "is_alive", None))
    ):
        return cast("ObserverLike", observer)
    return None


def dirty_notice_worded_as_known() -> bool:
    """Whether MkDocs still words its dirty-build warning as the log filter expects."""
    try:
        from mkdocs.commands import build

        return DIRTY_NOTICE_TEXT in inspect.getsource(build)
    except (ImportError, OSError, TypeError):
        return False


def server_builder(server: object) -> WsgiServerLike | None:
    if (
        callable(getattr(server, "builder", None))
        and callable(getattr(server, "get_app", None))
        and callable(getattr(server, "set_app", None))
    ):
        return cast("WsgiServerLike", server)
    return None


def livereload_script() -> bool:
    """Whether MkDocs still writes the reload script build_tools.engine.livereload moves."""
    try:
        from mkdocs import livereload
    except ImportError:
        return False
    template = str(getattr(livereload, "_SCRIPT_TEMPLATE_STR", ""))
    return (
        "var livereload = function(epoch, requestId) {" in template
        and "livereload(${epoch}, ${request_id});" in template
    )
