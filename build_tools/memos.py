"""Render memos: what the publishers keep between runs of one context, as named fields.

Under `make serve` one context lives as long as the server, and each edit re-renders only
the pages it touches (build_tools.rendercache) and rewrites only files whose bytes changed.
Everything the publishers remember for that lives here, owned by the context, instead of in
module-level caches: a function's signature then says what it depends on, and two contexts
(two test builds in one process, say) never see each other's memos.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_tools.calculator_memo import CalculatorPagesMemo
from build_tools.rendercache import RenderCache
from build_tools.snapshot import EditionMemo
from build_tools.study_site import StudyMemo

if TYPE_CHECKING:
    import jinja2

    from build_tools.citations import CitationStyle


@dataclass(frozen=True)
class HeldOutline:
    """An algorithm's text outline, made from that very algorithm object."""

    algorithm: Any
    outline: Any


@dataclass(frozen=True)
class EncodedPage:
    """A page's text and its UTF-8 bytes: a page reused unchanged (the same text object)
    keeps its bytes, so write_tree recognises it by identity instead of comparing megabytes."""

    text: str
    data: bytes


@dataclass(frozen=True)
class WrittenFile:
    """A file as this process wrote it (or last found it): its bytes, size and mtime."""

    data: bytes
    size: int
    mtime_ns: int


@dataclass
class RenderMemos:
    """Memos of the publishers, owned by one BuildContext."""

    calculator_pages: CalculatorPagesMemo = field(default_factory=CalculatorPagesMemo)
    """The calculator pages as planned: the same Page objects while the calculators are
    unchanged."""
    render: RenderCache = field(default_factory=RenderCache)
    """The site renderer's pages, digests, numbering and formatted references."""
    svgs: dict[bytes, bytes] = field(default_factory=dict)
    """Graphviz output by digest of its input: Graphviz runs only for a changed diagram."""
    outlines: dict[str, HeldOutline] = field(default_factory=dict)
    """Algorithm id → its text outline, the same object while the algorithm is unchanged."""
    encoded: dict[str, EncodedPage] = field(default_factory=dict)
    """Page path → its text and bytes."""
    written: dict[str, dict[str, WrittenFile]] = field(default_factory=dict)
    """Folder → {path in it → the file as written or last found}."""
    environments: dict[str, jinja2.Environment] = field(default_factory=dict)
    """Output format → its Jinja environment: a template is compiled once per context."""
    citation_style: CitationStyle | None = None
    """The parsed CSL style (AMA), parsed on first use."""
    content_schemas: list[dict[str, Any]] | None = None
    edition: EditionMemo = field(default_factory=EditionMemo)
    """The kept edition this one is compared with, and the comparison's memo."""
    study: StudyMemo = field(default_factory=StudyMemo)
    """The study cards' source and pages, kept while the objects they read are the same."""
    """The JSON Schema of every content file kind (the authors' page): code, made once."""

    @classmethod
    def with_store(cls, store: Path) -> RenderMemos:
        """Memos that also keep what is worth keeping between processes in `store`."""
        return cls(render=RenderCache(store=store))
