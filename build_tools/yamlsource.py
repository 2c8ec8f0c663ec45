"""A strict YAML reader that remembers where every value came from.

PyYAML's safe loader still keeps the last of two duplicate keys, expands aliases (the
"billion laughs" shape), and forgets line numbers. Content is written by clinicians and
reviewed by others, so a duplicate key is a silent data loss and an error without a line is
a hunt. We compose the node graph ourselves and refuse what plain data never needs.
"""

from __future__ import annotations

import errno
import hashlib
import math
import os
import re
import stat as stat_module
import time
from collections.abc import MutableMapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.composer
import yaml.cyaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from build_tools import prose
from build_tools.diagnostics import Problems

Key = tuple[str | int, ...]

MAX_FILE_BYTES = 2_000_000  # the largest real content file is ~200 kB; 10x headroom
MAX_DEPTH = 40  # real content nests at most ~8 levels
# No clinical value, year or identifier written as a number needs more digits than this;
# a longer integer is a typo or an attack (Python refuses to read 4,300+ digits at all).
MAX_INT_DIGITS = 15
_INT_DIGITS = re.compile(r"[0-9a-fA-F]")
_PLAIN_TAGS: AbstractSet[str] = frozenset(
    {
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
    }
)


@dataclass
class Located:
    """Parsed data plus the (line, column) of every key path, both 1-based."""

    path: Path
    data: Any
    positions: dict[Key, tuple[int, int]] = field(default_factory=dict)

    def where(self, key: Key) -> tuple[int, int]:
        """Position of the deepest part of `key` that exists in the file."""
        for cut in range(len(key), -1, -1):
            pos = self.positions.get(tuple(key[:cut]))
            if pos is not None:
                return pos
        return (1, 1)


class _StrictComposer(yaml.composer.Composer):
    """Refuses aliases: content never needs them and they allow exponential expansion.
    Refuses nesting deeper than MAX_DEPTH while composing, before Python's recursion limit
    could turn a deeply nested file into a traceback."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self._depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                "while reading content",
                None,
                f"nested deeper than {MAX_DEPTH} levels",
                self.peek_event().start_mark,  # type: ignore[attr-defined]
            )
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            event = self.peek_event()  # type: ignore[attr-defined]
            raise yaml.MarkedYAMLError(
                "while reading content",
                None,
                "aliases (*name) are not allowed in content; repeat the value",
                event.start_mark,
            )
        if self.check_event(yaml.events.NodeEvent):  # type: ignore[attr-defined]
            event = self.peek_event()  # type: ignore[attr-defined]
            if getattr(event, "anchor", None):
                raise yaml.MarkedYAMLError(
                    "while reading content",
                    None,
                    "anchors (&name) are not allowed in content",
                    event.start_mark,
                )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


if yaml.__with_libyaml__:
    # libyaml parses (about 6x faster); composing stays in Python so the checks above apply.
    class _StrictLoader(_StrictComposer, yaml.cyaml.CParser, SafeConstructor, Resolver):  # type: ignore[misc,name-defined]
        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)  # type: ignore[attr-defined]
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            _StrictComposer.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class _StrictLoader(_StrictComposer, yaml.SafeLoader):  # type: ignore[no-redef]
        pass


def _key_name(key: Key) -> str:
    parts: list[str] = []
    for k in key:
        if isinstance(k, int):
            parts.append(f"[{k}]")
        else:
            parts.append(("." if parts else "") + k)
    return "".join(parts)


def key_name(key: Key) -> str:
    """Render a key path as authors write it: `regimens[0].dose.unit`."""
    return _key_name(key)


# A parsed file, kept while unchanged (in a ContentStore, build_tools.store): under
# `mkdocs serve` the process lives on, and an edit should cost the parsing of that one file,
# not the reading of the whole corpus.
# (stat signature, when it was read, digest of its bytes, the parse).
Parsed = tuple[tuple[int, int, int, int], int, bytes, Located]
# A file modified this close to when it was read may change again within the same clock
# tick and keep its signature (git's "racily clean" case): such a file is read and compared.
RACY_NS = 2_000_000_000


def read_yaml(
    path: Path,
    problems: Problems,
    display: str | None = None,
    memo: MutableMapping[str, Parsed] | None = None,
) -> Located | None:
    """Parse one file; on any problem, record it and return None (the caller skips the file).

    With `memo` (a ContentStore's `parsed`), an unchanged file (same size, times and inode,
    last written well before it was read) returns its earlier parse without being read; any
    other file is read, and a parse is reused only when its bytes are the same. Without it,
    the file is read and parsed.
    """
    shown = display or str(path)
    memo_key = f"{path}\0{shown}"
    parsed: MutableMapping[str, Parsed] = {} if memo is None else memo
    cached = parsed.get(memo_key)
    read_at = time.time_ns()
    try:
        stat = os.lstat(path)
        signature = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        if (
            cached is not None
            and cached[0] == signature
            and max(signature[1], signature[2]) < cached[1] - RACY_NS
        ):
            return cached[3]
        raw = _read_regular(path)
    except NotRegular as exc:
        problems.add(shown, 1, 1, "", str(exc))
        return None
    except OSError as exc:  # gone since it was listed, unreadable: said, not a traceback
        problems.add(shown, 1, 1, "", f"cannot be read ({exc.strerror or exc})")
        return None
    stamp = hashlib.sha256(raw).digest()
    if cached is not None and cached[2] == stamp:
        parsed[memo_key] = (signature, read_at, stamp, cached[3])
        return cached[3]
    located = _parse(path, raw, problems, shown)
    if located is not None:
        parsed[memo_key] = (signature, read_at, stamp, located)
    return located


class NotRegular(OSError):
    """A content path that is not a regular file: a link, a folder, a FIFO, a device."""


def _kind(mode: int) -> str:
    if stat_module.S_ISLNK(mode):
        return "a symbolic link"
    if stat_module.S_ISDIR(mode):
        return "a folder"
    if stat_module.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat_module.S_ISSOCK(mode):
        return "a socket"
    return "a device or other special file"


def not_regular_message(mode: int) -> str:
    return (
        f"is {_kind(mode)}; content files must be regular files inside content/ "
        "(links are not followed)"
    )


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file, never of what a link points at.

    Opened without following a link and without blocking on a FIFO, then checked on the
    open descriptor, so a file swapped for a link after it was listed is still refused:
    nothing outside content/ is read, so no error can print it.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegular(not_regular_message(stat_module.S_IFLNK)) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat_module.S_ISREG(info.st_mode):
            raise NotRegular(not_regular_message(info.st_mode))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _parse(path: Path, raw: bytes, problems: Problems, shown: str) -> Located | None:
    if len(raw) > MAX_FILE_BYTES:
        problems.add(
            shown,
            1,
            1,
            "",
            f"file is {len(raw):,} bytes; content files are limited to "
            f"{MAX_FILE_BYTES:,} bytes (split it)",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            shown,
            line,
            col,
            "",
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        problems.add(
            shown,
            line,
            col,
            "",
            f"character U+{exc.character:04X} is not allowed "
            "in YAML (control characters); remove it",
        )
        return None
    try:
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:  # libyaml reads as it parses: found here
        line, col = _position(text, exc.position)
        problems.add(
            shown,
            line,
            col,
            "",
            f"character U+{exc.character:04X} is not allowed "
            "in YAML (control characters); remove it",
        )
        return None
    except RecursionError:  # a shape the depth limit above did not foresee
        problems.add(shown, 1, 1, "", f"nested deeper than {MAX_DEPTH} levels")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(shown, line, col, "", f"YAML syntax: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.add(shown, 1, 1, "", f"YAML syntax: {exc}")
        return None
    finally:
        loader.dispose()
    located = Located(path=Path(shown), data=None)
    if node is None:
        problems.add(shown, 1, 1, "", "file is empty")
        return None
    before = len(problems)
    located.data = _build(node, (), located, loader, problems, shown, 0)
    if len(problems) > before:
        return None
    return located


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _build(
    node: Node,
    key: Key,
    located: Located,
    loader: yaml.SafeLoader,
    problems: Problems,
    shown: str,
    depth: int,
) -> Any:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    located.positions.setdefault(key, (line, col))
    if depth > MAX_DEPTH:
        problems.add(shown, line, col, _key_name(key), f"nested deeper than {MAX_DEPTH} levels")
        return None
    if node.tag not in _PLAIN_TAGS:
        problems.add(
            shown,
            line,
            col,
            _key_name(key),
            f"YAML tag {node.tag!r} is not allowed; content is plain data "
            "(strings, numbers, booleans, lists, mappings)",
        )
        return None
    if isinstance(node, ScalarNode):
        if node.tag == "tag:yaml.org,2002:str":
            bad = prose.control_character(node.value)
            if bad is not None:
                problems.add(
                    shown,
                    line,
                    col,
                    _key_name(key),
                    f"control character {prose.describe(node.value[bad])} is not allowed "
                    f"in content (character {bad + 1} of the text)",
                )
                return None
            return node.value
        if (
            node.tag == "tag:yaml.org,2002:int"
            and len(_INT_DIGITS.findall(node.value)) > MAX_INT_DIGITS
        ):
            problems.add(
                shown,
                line,
                col,
                _key_name(key),
                f"a number with more than {MAX_INT_DIGITS} digits is not a value content needs",
            )
            return None
        try:
            value = loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            problems.add(shown, line, col, _key_name(key), f"bad value: {exc}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            problems.add(
                shown,
                line,
                col,
                _key_name(key),
                f"{node.value!r} is not a finite number; write the value as printed",
            )
            return None
        return value
    if isinstance(node, SequenceNode):
        return [
            _build(child, (*key, i), located, loader, problems, shown, depth + 1)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode) or knode.tag == "tag:yaml.org,2002:merge":
                problems.add(
                    shown,
                    knode.start_mark.line + 1,
                    knode.start_mark.column + 1,
                    _key_name(key),
                    "keys must be plain strings (no merge keys)",
                )
                continue
            name = str(knode.value)
            child_key = (*key, name)
            kline, kcol = knode.start_mark.line + 1, knode.start_mark.column + 1
            if name in result:
                first = located.positions.get(child_key, (0, 0))[0]
                problems.add(
                    shown,
                    kline,
                    kcol,
                    _key_name(child_key),
                    f"duplicate key (first defined on line {first})",
                )
                continue
            located.positions[child_key] = (kline, kcol)
            result[name] = _build(vnode, child_key, located, loader, problems, shown, depth + 1)
        return result
    problems.add(shown, line, col, _key_name(key), "unsupported YAML node")
    return None
