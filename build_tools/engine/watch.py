"""What `make serve` watches, how often, and which content files an edit touched."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from build_tools.engine import internals
from build_tools.engine.internals import ObserverLike
from build_tools.engine.session import Session

# Polling a folder costs about 8 µs a file (a stat and a comparison, holding the interpreter
# lock the build needs). Each folder is polled every tenth of a second, or less often when
# that would take more than about a tenth of the time: 3,900 files are polled every 0.3 s.
POLL_INTERVAL_S = 0.1
POLL_S_PER_FILE = 80e-6
POLL_INTERVAL_MAX_S = 0.5


def poll_interval(folder: Path) -> float:
    files = sum(len(names) for _, _, names in os.walk(folder))
    return min(POLL_INTERVAL_MAX_S, max(POLL_INTERVAL_S, files * POLL_S_PER_FILE))


class ContentChanges(FileSystemEventHandler):
    """Content files the watcher saw change since the generator last ran.

    Scheduled on MkDocs' own observer, beside its handler for the same folder (the folder is
    polled once for both), so the generator is told which files an edit touched instead of
    looking at thousands of them. A change it cannot place (a folder created, moved or
    deleted) makes the next run look at everything.
    """

    def __init__(self, observer: ObserverLike) -> None:
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


def watch(session: Session, server: LiveReloadServer, config: MkDocsConfig) -> None:
    """Rebuild when content, calculators or templates change, not when the docs folder does.

    The docs folder is what the generator writes: watching it made every edit build twice
    (once for the edit, once more for the pages it wrote), and its files were polled too.
    MkDocs polls for changes every half second; the folders watched here are polled every
    tenth of a second, or less often when they hold thousands of files (poll_interval).
    """
    settings = session.ctx.settings
    with contextlib.suppress(KeyError):  # MkDocs watches docs_dir before this hook runs
        server.unwatch(config.docs_dir)
    observer: object = getattr(server, "observer", None)
    tunable = internals.poll_interval(observer)
    if not tunable:
        session.fallbacks.missing(internals.POLL_INTERVAL)
    for folder in (settings.content, settings.templates, settings.root / "calculators"):
        if tunable:  # the interval of the folders scheduled next
            setattr(observer, "_timeout", poll_interval(folder))  # noqa: B010 - an internal
        server.watch(str(folder))
    queued = internals.event_queue(observer)
    if queued is None:
        session.fallbacks.missing(internals.EVENT_QUEUE)
        return
    session.changes = ContentChanges(queued)
    queued.schedule(session.changes, os.path.abspath(settings.content), recursive=True)
