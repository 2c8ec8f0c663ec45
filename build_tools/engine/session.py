"""What one MkDocs process (a `serve` session or one build) remembers between rebuilds.

One object, owned by the hooks module (MkDocs calls module functions, so the hooks module
holds the one reference to it) and owning the process's BuildContext: nothing else in the
adapter keeps state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from build_tools.context import BuildContext
from build_tools.engine.internals import Fallbacks

if TYPE_CHECKING:
    from build_tools.diagnostics import Problem
    from build_tools.engine.watch import ContentChanges


@dataclass
class Converted:
    """A page's Markdown → HTML conversion, and what MkDocs learnt from it."""

    key: bytes
    html: str
    toc: Any
    title: str | None
    anchors: set[str]
    links: dict[str, dict[str, str]]  # linked page source → {anchor: link as written}


@dataclass
class BuildStatus:
    """Whether the served site is current, being rebuilt, or failed (and why).

    Shared between MkDocs' build loop and the server's request threads: a request waits
    while a rebuild runs, then gets the site or, after a failure, the page of problems.
    """

    generation: int = 0  # one more each time a rebuild ends
    building: bool = False
    problems: list[Problem] = field(default_factory=list)
    failure: str = ""  # what failed, when no content problem explains it
    cond: threading.Condition = field(default_factory=threading.Condition)

    @property
    def failed(self) -> bool:
        return bool(self.problems or self.failure)

    def begin(self) -> None:
        with self.cond:
            self.building = True

    def end(self, problems: list[Problem] | None = None, failure: str = "") -> None:
        with self.cond:
            self.building = False
            self.problems = list(problems or [])
            self.failure = failure
            self.generation += 1
            self.cond.notify_all()

    def settled(self, timeout: float) -> bool:
        """Wait while a rebuild runs (at most `timeout`); True when none is running."""
        with self.cond:
            return self.cond.wait_for(lambda: not self.building, timeout)


@dataclass
class Session:
    """The adapter's state for one MkDocs process."""

    ctx: BuildContext
    serving: bool = False
    dirty: bool = False
    page_inputs: str = ""  # digest of what every page shows: nav, tooltips, theme, config
    full: bool = True  # this build renders every page
    built_urls: set[str] = field(default_factory=set)
    indexed_urls: set[str] = field(default_factory=set)  # pages the search plugin indexed
    converted: dict[str, Converted] = field(default_factory=dict)  # source → last conversion
    reused: dict[str, Converted] = field(default_factory=dict)  # conversions reused this build
    markdown_inputs: bytes = b""  # what a conversion depends on beyond the page itself
    search_paused: bool = False
    page_order: list[str] = field(default_factory=list)  # urls in MkDocs' build (index) order
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # url → entries
    runtime: tuple[str, str] | None = None  # (digest of its inputs, digest installed)
    calculators: str = ""  # digest of calculators/ when serving started
    started: float = 0.0
    generator_s: float = 0.0
    quick: bool = False  # the generator looked at the edited entries alone
    frozen: bool = False  # the first build's generator state is out of garbage collection
    export: list[bytes] | None = None  # guideline.json's chunks, for the export writer
    export_writer: threading.Thread | None = None
    changes: ContentChanges | None = None  # what the watcher saw change in content/
    written: list[str] = field(default_factory=list)  # HTML files written this build
    fallbacks: Fallbacks = field(default_factory=Fallbacks)
    status: BuildStatus = field(default_factory=BuildStatus)
    problems: list[Problem] = field(default_factory=list)  # this build's content problems
