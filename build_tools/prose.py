"""Content prose: a small language, parsed into a structure, never passed through as markup.

Authors write paragraphs, bullet lists ("- " at the start of a line), *emphasis*,
**strong emphasis**, citations ([@key] or [@a; @b]) and links to an allowed scheme
([label](https://...)). Nothing else is markup: every other character is text, and the
generator writes it so that neither Markdown nor HTML can read it as anything but text.
Constructs a Markdown author might reach for that this language does not have (images,
attribute lists, raw HTML, links elsewhere) are errors at their line and column, so a
typo is said rather than published, and a hostile string is refused rather than filtered.

Both publishers render from the parsed structure through `to_markdown`: the site feeds it
to MkDocs, the handbook to Python-Markdown, and neither sees a character of content that
it could take for syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import escape

# --- the structure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]
    strong: bool


@dataclass(frozen=True)
class Citation:
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    target: str
    children: tuple[Inline, ...]


Inline = Text | Emphasis | Citation | Link


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Inline, ...], ...]


Block = Paragraph | BulletList

# Link schemes a reader may follow from content; everything else (javascript:, data:,
# file:, vbscript:, relative paths) is refused. Citations link to the reference list, which
# the generator builds itself.
LINK_SCHEMES = ("https", "http", "mailto")
# A link to another page of the guideline names the entry: [IVIg](entry:ivig). Each
# publisher turns it into its own kind of link (a page of the site, a page of the book).
ENTRY_SCHEME = "entry"
_ENTRY_TARGET = re.compile(r"^entry:([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)$")
# What a link target may hold: RFC 3986 characters less those Markdown or HTML would read
# as syntax around a link ( ( ) [ ] < > " ' ` * and whitespace).
_URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#@!$&+,;=%]+$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_KEY = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_CITATION = re.compile(rf"\[@({_KEY}(?:\s*;\s*@{_KEY})*)\]")
_CITATION_KEYS = re.compile(rf"@({_KEY})")
_RAW_HTML = re.compile(r"<\s*[/!?A-Za-z]")
_BLANK_LINE = re.compile(r"\n[ ]*\n")


class ProseError(ValueError):
    """A problem at an offset in the text; `line` and `column` are 1-based within it."""

    def __init__(self, text: str, offset: int, message: str) -> None:
        self.offset = offset
        self.line = text.count("\n", 0, offset) + 1
        self.column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        self.reason = message
        super().__init__(f"{message} (line {self.line}, column {self.column} of the text)")


def control_character(text: str) -> int | None:
    """Offset of the first character content never needs: C0/C1 controls (a line break
    aside), and the format characters that reorder or hide text (bidi overrides, BOM)."""
    for i, ch in enumerate(text):
        if ch == "\n":
            continue
        category = unicodedata.category(ch)
        if category == "Cc" or (category == "Cf" and ch not in "\u00ad\u200b\u200c\u200d"):
            return i
        if category in ("Zl", "Zp"):
            return i
    return None


def describe(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (f" ({unicodedata.name(ch)})" if unicodedata.name(ch, "") else "")


# --- parsing ---------------------------------------------------------------------------------


def parse(text: str) -> tuple[Block, ...]:
    """The blocks of a piece of prose; raises ProseError at the first thing it cannot be."""
    bad = control_character(text)
    if bad is not None:
        raise ProseError(
            text, bad, f"control character {describe(text[bad])} is not allowed in content"
        )
    closing = _matching_brackets(text)
    blocks: list[Block] = []
    start = 0
    for sep in [*_BLANK_LINE.finditer(text), None]:
        end = sep.start() if sep else len(text)
        chunk = text[start:end]
        if chunk.strip():
            blocks.append(_block(text, start, end, closing))
        start = sep.end() if sep else end
    return tuple(blocks)


def _matching_brackets(text: str) -> dict[int, int]:
    """The offset of the ']' that closes each '[' (once, for the whole text: looking for it
    from every '[' would take time growing with the square of the text)."""
    closing: dict[int, int] = {}
    open_at: list[int] = []
    for i, ch in enumerate(text):
        if ch == "[":
            open_at.append(i)
        elif ch == "]" and open_at:
            closing[open_at.pop()] = i
    return closing


def _block(text: str, start: int, end: int, closing: dict[int, int]) -> Block:
    lines: list[tuple[int, int]] = []  # (start, end) offsets of each line
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        lines.append((pos, stop))
        pos = stop + 1
    first = text[lines[0][0] : lines[0][1]].lstrip(" ")
    if not first.startswith("- "):
        return Paragraph(_inlines(text, start, end, closing))
    items: list[tuple[int, int]] = []
    for line_start, line_end in lines:
        stripped = text[line_start:line_end].lstrip(" ")
        if stripped.startswith("- "):
            body = line_end - len(stripped) + 2
            items.append((body, line_end))
        else:  # a continuation of the item above
            items[-1] = (items[-1][0], line_end)
    return BulletList(tuple(_inlines(text, a, b, closing) for a, b in items))


def _inlines(
    text: str, start: int, end: int, closing: dict[int, int], in_link: bool = False
) -> tuple[Inline, ...]:
    out, pos = _inline_run(text, start, end, closing, closer=None, in_link=in_link)
    assert pos == end
    return out


def _can_open(text: str, pos: int, marker: str, end: int) -> bool:
    after = pos + len(marker)
    return after < end and not text[after].isspace()


# Emphasis nests once at most (**strong with *emphasis* inside**): deeper openers are text,
# so no input can nest the parser deeper than this.
MAX_EMPHASIS_DEPTH = 2


def _inline_run(
    text: str,
    pos: int,
    end: int,
    closing: dict[int, int],
    closer: str | None,
    in_link: bool,
    depth: int = 0,
) -> tuple[tuple[Inline, ...], int]:
    """Inlines from `pos` up to `end` or to the emphasis `closer`; returns them and where
    the run ended (just after the closer)."""
    out: list[Inline] = []
    buf: list[str] = []
    opened_at = pos - len(closer) if closer else pos

    def flush() -> None:
        if buf:
            out.append(Text("".join(buf)))
            buf.clear()

    while pos < end:
        ch = text[pos]
        if closer and text.startswith(closer, pos) and pos > 0 and not text[pos - 1].isspace():
            if closer == "*" and text.startswith("**", pos) and not text.startswith("***", pos):
                pass  # a strong marker inside emphasis: handled below
            else:
                flush()
                return tuple(out), pos + len(closer)
        if ch == "*":
            marker = "**" if text.startswith("**", pos) else "*"
            if (
                _can_open(text, pos, marker, end)
                and marker != closer
                and depth < MAX_EMPHASIS_DEPTH
            ):
                flush()
                children, pos = _inline_run(
                    text, pos + len(marker), end, closing, marker, in_link, depth + 1
                )
                if not children:
                    raise ProseError(text, pos - len(marker), "empty emphasis")
                out.append(Emphasis(children, strong=marker == "**"))
                continue
            buf.append(marker)
            pos += len(marker)
            continue
        if ch == "[":
            citation = _CITATION.match(text, pos, end)
            if citation:
                if in_link:
                    raise ProseError(text, pos, "a citation cannot be inside a link's label")
                flush()
                out.append(Citation(tuple(_CITATION_KEYS.findall("@" + citation.group(1)))))
                pos = citation.end()
                continue
            if text.startswith("[@", pos):
                raise ProseError(text, pos, "malformed citation: write [@key] or [@key1; @key2]")
            link = _link(text, pos, end, closing, in_link)
            if link is not None:
                flush()
                out.append(link[0])
                pos = link[1]
                continue
        elif ch == "!" and text.startswith("![", pos):
            raise ProseError(text, pos, "images are not allowed in content")
        elif ch in "{}":
            raise ProseError(
                text,
                pos,
                "braces are not part of content prose (attribute lists are not allowed)",
            )
        elif ch == "<" and _RAW_HTML.match(text, pos):
            raise ProseError(text, pos, "raw HTML is not allowed in content; write plain text")
        buf.append(ch)
        pos += 1
    if closer is not None:
        raise ProseError(text, opened_at, f"emphasis opened with {closer!r} is never closed")
    flush()
    return tuple(out), pos


def _link(
    text: str, pos: int, end: int, closing: dict[int, int], in_link: bool
) -> tuple[Link, int] | None:
    """[label](target) at `pos`, or None when the bracket is plain text."""
    label_end = closing.get(pos, end)
    if label_end >= end or not text.startswith("(", label_end + 1):
        return None
    if in_link:
        raise ProseError(text, pos, "a link cannot be inside a link's label")
    close = text.find(")", label_end + 2, end)
    if close == -1:
        raise ProseError(text, label_end + 1, "link target is never closed with ')'")
    target = text[label_end + 2 : close]
    problem = link_target_problem(target)
    if problem:
        raise ProseError(text, label_end + 2, problem)
    if label_end == pos + 1:
        raise ProseError(text, pos, "a link needs a label: [label](target)")
    children = _inlines(text, pos + 1, label_end, closing, in_link=True)
    return Link(target, children), close + 1


def link_target_problem(target: str) -> str | None:
    """Why a link target is refused, or None: an allowed scheme, a host, nothing that
    could be read as syntax."""
    scheme = _SCHEME.match(target)
    if scheme is not None and scheme.group(1) == ENTRY_SCHEME:
        if _ENTRY_TARGET.match(target):
            return None
        return f"link target {target!r}: write entry:<id> with the id of an entry"
    if scheme is None or scheme.group(1).lower() not in LINK_SCHEMES:
        return (
            f"link target {target!r} is not allowed; links go to "
            + ", ".join(f"{s}:" for s in LINK_SCHEMES)
            + " addresses, or to an entry as entry:<id>"
        )
    if not _URL_CHARS.match(target):
        return (
            f"link target {target!r} holds characters a link cannot have "
            "(spaces, line breaks, quotes, brackets)"
        )
    if scheme.group(1).lower() in ("http", "https") and not urlsplit(target).netloc:
        return f"link target {target!r} has no host"
    return None


# --- reading back ----------------------------------------------------------------------------


def _nodes(blocks: Iterable[Block]) -> Iterable[Inline]:
    def walk(inlines: Iterable[Inline]) -> Iterable[Inline]:
        for node in inlines:
            yield node
            if isinstance(node, Emphasis | Link):
                yield from walk(node.children)

    for block in blocks:
        for inlines in block.items if isinstance(block, BulletList) else (block.inlines,):
            yield from walk(inlines)


def citations(blocks: Iterable[Block]) -> list[str]:
    """Every key cited inline, in order."""
    return [key for node in _nodes(blocks) if isinstance(node, Citation) for key in node.keys]


def linked_entries(blocks: Iterable[Block]) -> list[str]:
    """The ids of the entries the prose links to (entry:<id>), in order."""
    return [
        match.group(1)
        for node in _nodes(blocks)
        if isinstance(node, Link) and (match := _ENTRY_TARGET.match(node.target))
    ]


# --- rendering -------------------------------------------------------------------------------

# Characters Markdown (with the site's extensions) reads as syntax anywhere in a line, and
# those it reads as syntax at the start of one (headings, lists, quotes, fences, admonitions,
# tables, snippets). Written as character references they are only ever text.
# Underscores inside a word (height_cm, cm__unit) cannot open or close emphasis in
# Python-Markdown; a run of them at either edge of a word can.
_INLINE_SPECIAL = re.compile(r"[\\`*\[\]{}|]|(?<![A-Za-z0-9_])_+|_+(?![A-Za-z0-9_])")
_LINE_START_SPECIAL = "#>+-=!?:|~`*_"
_NUMBERED = re.compile(r"^(\d+)([.)])")


def _ref(ch: str) -> str:
    return f"&#{ord(ch)};"


def escape_text(value: str, line_start: bool = False) -> str:
    """Plain text as Markdown that renders to exactly that text (HTML-escaped too).

    `line_start`: the text begins a line of the page (a paragraph, a list item), where a
    leading #, - or 1. would make a heading or a list.
    """
    out = []
    for i, line in enumerate(str(escape(value)).split("\n")):
        line = _INLINE_SPECIAL.sub(lambda m: "".join(map(_ref, m.group(0))), line)
        if i > 0 or line_start:
            line = line.lstrip(" ")  # an indented line would be a code block
            if line[:1] and line[0] in _LINE_START_SPECIAL:
                line = _ref(line[0]) + line[1:]
            line = _NUMBERED.sub(lambda m: m.group(1) + _ref(m.group(2)), line)
        out.append(line)
    return "\n".join(out)


Marks = Callable[[Sequence[str]], str]
# Where a link to an entry goes, in the publisher at hand: entry id -> link target.
EntryLinks = Callable[[str], str]


def _no_entry_links(entry_id: str) -> str:
    raise ValueError(f"a link to entry:{entry_id} needs a publisher that places entries")


def to_markdown(
    blocks: Sequence[Block],
    marks: Marks,
    trailing: Sequence[str] = (),
    entry_link: EntryLinks = _no_entry_links,
) -> str:
    """Markdown for the parsed prose; `marks` renders a citation of keys (the generator's
    own markup), `trailing` are keys cited after the last word, `entry_link` places the
    entries the prose links to."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(_render_inlines(block.inlines, marks, True, entry_link))
        else:
            items = [
                "- " + _render_inlines(item, marks, True, entry_link).replace("\n", "\n  ")
                for item in block.items
            ]
            parts.append("\n".join(items))
    return "\n\n".join(parts).rstrip() + (marks(trailing) if trailing else "")


def _render_inlines(
    inlines: Sequence[Inline], marks: Marks, line_start: bool, entry_link: EntryLinks
) -> str:
    out: list[str] = []
    for i, node in enumerate(inlines):
        first = line_start and i == 0
        if isinstance(node, Text):
            text = escape_text(node.value, first)
            if i + 1 < len(inlines) and isinstance(inlines[i + 1], Citation):
                text = text.rstrip()
            out.append(text)
        elif isinstance(node, Emphasis):
            marker = "**" if node.strong else "*"
            out.append(marker + _render_inlines(node.children, marks, False, entry_link) + marker)
        elif isinstance(node, Citation):
            out.append(marks(node.keys))
        else:
            entry = _ENTRY_TARGET.match(node.target)
            target = entry_link(entry.group(1)) if entry else node.target
            label = _render_inlines(node.children, marks, False, entry_link)
            out.append(f"[{label}]({target})")
    return "".join(out)
