"""What the renderer remembers between runs, so an edit re-renders only the pages it touches.

Under `mkdocs serve` one process regenerates the site after every edit. A page is rendered
again only when something it used has changed. What it used is its own context (its entry,
domain, calculator, ...), the templates, and whatever it looked up in the site-wide tables
(the titles of the entries it links to, the sources it names): lookups are recorded while
the page renders and checked next time, the way build systems such as Shake verify traces.
Nothing here decides what a page shows; a wrong cache can only cost time if a context
value cannot be digested, because such a page is simply always rendered.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from build_tools.citations import Numbering

ALL = "\x00all"  # a trace key meaning "the page iterated the whole table"
ABSENT = object()  # what a lookup of a missing key finds
FORMATS = "references-formatted.json"


@dataclass(frozen=True)
class Held[T]:
    """What was made of an object, with the object itself: valid while `source` is the
    very object at hand (the loader hands back the same object for an unchanged file)."""

    source: Any
    value: T


@dataclass(frozen=True)
class Dumped:
    """An object's JSON for guideline.json, and the extra fields it was made with."""

    model: Any
    extra: tuple[object, ...]
    data: bytes


@dataclass
class HeldNumbering:
    """The last run's citation numbering and what it was made from."""

    order: list[tuple[str, str]]  # (page path, page title) in reading order
    sequences: dict[str, Any]  # page path → its citation sequence
    numbering: Numbering


@dataclass(frozen=True)
class HeldFormats:
    """The formatted references of the last run, and the reference objects they are of."""

    references: list[Any]
    formatted: dict[str, tuple[str, str]]  # key → (HTML, plain text)


class Uncacheable(TypeError):
    """A context value with no stable digest: the page is rendered every time."""


class Digests:
    """Digests of context values; content objects are memoised by identity.

    The loader hands back the very same object for an unchanged file, so a corpus of
    thousands of entries is digested once, and after an edit only the edited file's objects.
    """

    def __init__(self) -> None:
        self._models: dict[int, Held[bytes]] = {}
        self._frozen: dict[int, Held[bytes]] = {}  # frozen dataclasses, likewise

    def of(self, *values: Any) -> bytes:
        h = hashlib.sha256()
        for value in values:
            self._feed(h, value)
        return h.digest()

    def model(self, obj: BaseModel) -> bytes:
        memo = self._models.get(id(obj))
        if memo is not None and memo.source is obj:
            return memo.value
        digest = hashlib.sha256(
            type(obj).__name__.encode() + obj.model_dump_json(by_alias=True).encode()
        ).digest()
        self._models[id(obj)] = Held(obj, digest)
        return digest

    def size(self) -> int:
        return len(self._models) + len(self._frozen)

    def forget_except(self, alive: set[int]) -> None:
        """Drop memos of objects the current corpus no longer holds (edited or deleted)."""
        self._models = {k: v for k, v in self._models.items() if k in alive}
        self._frozen = {k: v for k, v in self._frozen.items() if k in alive}

    def _feed(self, h: Any, value: Any) -> None:
        if value is None or isinstance(value, bool | int | float):
            h.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, bytes):
            h.update(f"b{len(value)}:".encode() + value)
        elif isinstance(value, str):  # Markup included: its text is what is rendered
            data = value.encode()
            h.update(f"s{len(data)}:".encode() + data)
        elif isinstance(value, BaseModel):
            h.update(b"m" + self.model(value))
        elif isinstance(value, enum.Enum):
            self._feed(h, value.value)
        elif isinstance(value, Recorder):
            h.update(f"r:{value.name};".encode())  # its lookups are traced, not its contents
        elif isinstance(value, Mapping):
            h.update(f"d{len(value)}{{".encode())
            for k, v in value.items():
                self._feed(h, k)
                self._feed(h, v)
            h.update(b"}")
        elif isinstance(value, list | tuple):
            h.update(f"l{len(value)}[".encode())
            for item in value:
                self._feed(h, item)
            h.update(b"]")
        elif isinstance(value, set | frozenset):
            self._feed(h, sorted(value, key=repr))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            frozen = value.__dataclass_params__.frozen  # type: ignore[attr-defined]
            memo = self._frozen.get(id(value)) if frozen else None
            if memo is not None and memo.source is value:
                h.update(memo.value)
                return
            inner = hashlib.sha256(type(value).__name__.encode())
            for f in dataclasses.fields(value):
                self._feed(inner, getattr(value, f.name))
            digest = inner.digest()
            if frozen:
                self._frozen[id(value)] = Held(value, digest)
            h.update(digest)
        elif isinstance(value, Path):
            self._feed(h, str(value))
        else:
            raise Uncacheable(type(value).__name__)


def _flatten(values: Any, flat: list[Any] | None = None) -> list[Any]:
    """A page's inputs as a flat list of leaves and shape markers, for comparison."""
    flat = [] if flat is None else flat
    for value in values:
        if type(value) is dict:
            flat += ("{", len(value))
            flat.extend(value)
            _flatten(value.values(), flat)
        elif type(value) in (list, tuple):
            flat += ("[", len(value))
            _flatten(value, flat)
        else:
            flat.append(value)
    return flat


def _same(a: object, b: object) -> bool:
    """The same object, or equal text or digest (which is all a digest of either says)."""
    return a is b or (type(a) in (str, bytes, int, bool) and type(b) is type(a) and a == b)


def _immutable(value: object) -> bool:
    """Whether a value cannot change while its identity stays the same."""
    if value is None or isinstance(value, str | bytes | int | float | enum.Enum):
        return True
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return bool(value.__dataclass_params__.frozen) and all(  # type: ignore[attr-defined]
            _immutable(getattr(value, f.name)) for f in dataclasses.fields(value)
        )
    return isinstance(value, tuple) and all(_immutable(v) for v in value)


class Recorder(Mapping[str, Any]):
    """A site-wide table as a page sees it, noting every key the page looked up."""

    def __init__(self, name: str, data: Mapping[str, Any]) -> None:
        self.name = name
        self.data = data
        self.seen: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return self.data[key]

    def __contains__(self, key: object) -> bool:
        self.seen.add(str(key))
        return key in self.data

    def __iter__(self) -> Iterator[str]:
        self.seen.add(ALL)
        return iter(self.data)

    def __len__(self) -> int:
        self.seen.add(ALL)
        return len(self.data)


@dataclass
class CachedPage:
    own: bytes  # digest of the page's own inputs
    # (table, key) looked up → what it found (when immutable) and that value's digest
    trace: dict[tuple[str, str], tuple[object, bytes]]
    text: str  # the rendered Markdown, citation marks not yet numbered
    sequence: list[tuple[str, str]]  # (reference key, anchor) in order of citation
    stamp: tuple[tuple[str, int, str], ...] = ()  # (key, number, title) the final text used
    final: str = ""


@dataclass
class RenderCache:
    """Everything remembered from the previous run of one process; empty means render all."""

    digests: Digests = field(default_factory=Digests)
    pages: dict[str, CachedPage] = field(default_factory=dict)
    formatted: dict[int, Held[tuple[str, str]]] = field(default_factory=dict)  # reference → AMA
    dumped: dict[int, Dumped] = field(default_factory=dict)  # object → its JSON
    titles: dict[int, Held[str]] = field(default_factory=dict)  # reference → its hover title
    summaries: dict[int, Held[Any]] = field(default_factory=dict)  # entry → its summary

    references_page: str | None = None  # made from `listing`
    listing: Any = None  # what the last run's numbering and reference list were made from
    numbering: HeldNumbering | None = None
    formatted_for: HeldFormats | None = None  # see site_render._format
    export_references: bytes | None = None  # guideline.json's references, made from `listing`
    export_calculators: bytes | None = None  # guideline.json's calculators (unchanged in a run)
    rendered: int = 0  # pages rendered in the last run (the rest were reused)
    last_run: Any = None  # site_render._Run: the last render, for its quick path
    store: Path | None = None  # a folder for what is worth keeping between processes
    _formats: dict[str, list[str]] | None = None
    _whole: dict[str, Held[bytes]] = field(default_factory=dict)  # ALL digests
    _own: dict[str, Held[bytes]] = field(default_factory=dict)  # own_digest memos (flat inputs)

    def summary(self, entry: BaseModel, make: Any) -> Any:
        """One summary object per entry object, so its digest is computed once."""
        held = self.summaries.get(id(entry))
        if held is None or held.source is not entry:
            held = Held(entry, make(entry))
            self.summaries[id(entry)] = held
        return held.value

    def own_digest(self, path: str, *inputs: Any) -> bytes | None:
        """The digest of a page's own inputs (None: they cannot be digested).

        Inputs that are the very objects of the last run (an unchanged entry, say), or equal
        text, have the same digest: thousands of pages are then checked without hashing.
        """
        flat = _flatten(inputs)
        held = self._own.get(path)
        if (
            held is not None
            and len(held.source) == len(flat)
            and all(map(_same, held.source, flat))
        ):
            return held.value
        try:
            digest = self.digests.of(path, *inputs)
        except Uncacheable:
            return None
        self._own[path] = Held(flat, digest)
        return digest

    def title(self, ref: BaseModel, make: Any) -> str:
        """A reference's hover title, made once per reference object."""
        held = self.titles.get(id(ref))
        if held is None or held.source is not ref:
            held = Held(ref, str(make(ref)))
            self.titles[id(ref)] = held
        return held.value

    def stored_formats(self) -> dict[str, list[str]]:
        """Formatted references by digest of (style, reference data), from `store`."""
        if self._formats is None:
            self._formats = {}
            if self.store is not None:
                try:
                    self._formats = json.loads((self.store / FORMATS).read_text("utf-8"))
                except (OSError, ValueError):
                    self._formats = {}  # absent or damaged: it is only a cache
        return self._formats

    def save_formats(self) -> None:
        if self.store is None or self._formats is None:
            return
        self.store.mkdir(parents=True, exist_ok=True)
        tmp = self.store / f"{FORMATS}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(self._formats, ensure_ascii=False), "utf-8")
        tmp.replace(self.store / FORMATS)

    def lookup(self, tables: Mapping[str, Mapping[str, Any]], name: str, key: str) -> bytes:
        """The digest of what a traced lookup finds now (or of its absence)."""
        table = tables[name]
        if key == ALL:
            whole = self._whole.get(name)
            if whole is None or whole.source is not table:  # once per table and run
                whole = Held(table, self.digests.of(list(table.keys()), list(table.values())))
                self._whole[name] = whole
            return whole.value
        if key not in table:
            return b"absent"
        return self.digests.of(table[key])

    def traced(
        self, tables: Mapping[str, Mapping[str, Any]], name: str, key: str
    ) -> tuple[object, bytes]:
        """A trace item: the value found, when it cannot change in place, and its digest.

        Next run the same object found under the same key proves the lookup unchanged
        without digesting it again; an unchanged entry keeps its summary object.
        """
        found = tables[name].get(key, ABSENT) if key != ALL else None
        immutable = found is ABSENT or _immutable(found)
        return (found if immutable else None, self.lookup(tables, name, key))

    def still_valid(
        self, cached: CachedPage, own: bytes, tables: Mapping[str, Mapping[str, Any]]
    ) -> bool:
        if cached.own != own:
            return False
        for (name, key), (held, digest) in cached.trace.items():
            if held is not None and tables[name].get(key, ABSENT) is held:
                continue
            if self.lookup(tables, name, key) != digest:
                return False
        return True
