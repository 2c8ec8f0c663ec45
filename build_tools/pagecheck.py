"""Check every built page against the Markdown it came from and the template that laid it out.

A Markdown slip does not fail a build: a heading written on the line after a table becomes one
more table row, and its section silently drops out of the page and its table of contents. It
happened on 26 pages through a full, passing test suite. This reads each built page back and
holds it to three rules:

- its headings are the ones its Markdown writes, in order, at the same level, and each is
  one its template declares (the heading lines of the template, Jinja expressions standing
  for any text);
- no Markdown syntax survives as text (``##``, ``**``, ``[@``) outside code;
- its table of contents lists every section (every heading below the title).

`python -m build_tools build` runs it on every page and fails when a page breaks a rule.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from build_tools.render import TEMPLATES

# The front matter key naming the template a page was rendered from (render._front_matter).
TEMPLATE_KEY = "generated_from"

_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^(#{1,6}) +(.+?)\s*#*\s*$")
_RAW_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>")
_JINJA_EXPR = re.compile(r"\{\{.*?\}\}")
_JINJA_STMT = re.compile(r"\{%.*?%\}")
_ATTRS = re.compile(r"\s*\{\s*[#.][^}]*\}\s*$")  # a heading's attribute list: { #id }
_LEFTOVER = ("##", "**", "[@")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str = field(default="", compare=False)
    # Written as HTML in the Markdown: kept out of the table of contents on purpose (the
    # calculator pages do this so the theme never rewrites the URL fragment holding inputs).
    raw: bool = field(default=False, compare=False)


class _Page(HTMLParser):
    """The headings, the table of contents and the visible text of one built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[Heading] = []
        self.toc: set[str] = set()
        self.text: list[str] = []
        self._stack: list[str] = []
        self._article = 0  # depth inside the page's content (its <article>)
        self._toc = 0  # depth inside the table of contents
        self._code = 0
        self._skip = 0  # permalink anchors ("¶"), not part of a heading's text
        self._heading: tuple[int, str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        self._stack.append(tag)
        depth = len(self._stack)
        if tag == "article" and "md-content__inner" in classes and not self._article:
            self._article = depth
        if tag == "nav" and "md-nav--secondary" in classes and not self._toc:
            self._toc = depth
        if self._toc and tag == "a" and (a.get("href") or "").startswith("#"):
            self.toc.add((a.get("href") or "")[1:])
        if tag in ("code", "pre", "script", "style"):
            self._code += 1
        if tag == "a" and "headerlink" in classes:
            self._skip = depth
        if self._article and re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), a.get("id") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._stack:
            return
        while self._stack:
            depth = len(self._stack)
            open_tag = self._stack.pop()
            if open_tag in ("code", "pre", "script", "style"):
                self._code -= 1
            if depth == self._skip:
                self._skip = 0
            if depth == self._article:
                self._article = 0
            if depth == self._toc:
                self._toc = 0
            if re.fullmatch(r"h[1-6]", open_tag) and self._heading is not None:
                level, hid, parts = self._heading
                self.headings.append(Heading(level, _squash("".join(parts)), hid))
                self._heading = None
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if not self._article:
            return
        if self._heading is not None and not self._skip:
            self._heading[2].append(data)
        if not self._code:
            self.text.append(data)


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})  # fmt: skip


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def markdown_headings(markdown: str) -> list[Heading]:
    """The ATX headings a page's Markdown writes, outside fenced code and front matter."""
    body = _strip_front_matter(markdown)
    out: list[Heading] = []
    fenced = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        match = _MD_HEADING.match(line)
        if match:
            out.append(Heading(len(match.group(1)), _plain(match.group(2))))
        for raw in _RAW_HEADING.finditer(line):
            out.append(Heading(int(raw.group(1)), _plain(raw.group(2)), raw=True))
    return out


def _plain(markdown: str) -> str:
    """A heading's Markdown as the reader sees its text (links, emphasis and code unmarked)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\{\s*[#.][^}]*\}", "", text)
    text = text.replace("`", "").replace("**", "").replace("__", "")
    text = re.sub(r"<[^>]+>", "", text)
    return _squash(html.unescape(text))


def front_matter(markdown: str) -> dict[str, object]:
    """The page's front matter, one `key: JSON value` per line (render._front_matter)."""
    if not markdown.startswith("---\n"):
        return {}
    head, _, _ = markdown[4:].partition("\n---\n")
    meta: dict[str, object] = {}
    for line in head.split("\n"):
        key, sep, value = line.partition(":")
        if sep and not line.startswith(" "):
            try:
                meta[key.strip()] = json.loads(value) if value.strip() else None
            except json.JSONDecodeError:
                meta[key.strip()] = value.strip()
    return meta


def _strip_front_matter(markdown: str) -> str:
    if markdown.startswith("---\n"):
        _, _, rest = markdown[4:].partition("\n---\n")
        return rest
    return markdown


def declared_headings(template: str) -> list[tuple[int, re.Pattern[str]]]:
    """The heading lines of a template, as patterns: a Jinja expression stands for any text."""
    out = []
    for line in template.split("\n"):
        line = _JINJA_EXPR.sub("\0", _JINJA_STMT.sub("", line))
        match = _MD_HEADING.match(_ATTRS.sub("", line))
        if not match:
            continue
        parts = _plain(match.group(2)).split("\0")
        pattern = ".+".join(re.escape(part.strip()) for part in parts)
        out.append((len(match.group(1)), re.compile(rf"\s*{pattern}\s*")))
    return out


def check_page(
    name: str,
    markdown: str,
    built: str,
    declared: list[tuple[int, re.Pattern[str]]] | None,
) -> list[str]:
    """Every way the built page `built` departs from its Markdown and template (none: [])."""
    page = _Page()
    page.feed(built)
    page.close()
    problems: list[str] = []
    written = markdown_headings(markdown)
    got = [Heading(h.level, h.text) for h in page.headings]
    if written != got:
        missing = [h for h in written if h not in got]
        extra = [h for h in got if h not in written]
        detail = (
            "; ".join(
                [f"missing {'#' * h.level} {h.text}" for h in missing]
                + [f"unexpected {'#' * h.level} {h.text}" for h in extra]
            )
            or "in a different order"
        )
        problems.append(f"{name}: its headings are not the ones its Markdown writes ({detail})")
    raw = {h.text for h in written if h.raw}
    if declared is not None:
        for h in page.headings:
            if h.text in raw:
                continue
            if not any(lvl == h.level and p.fullmatch(h.text) for lvl, p in declared):
                problems.append(
                    f"{name}: heading {'#' * h.level} {h.text!r} is not one its template declares"
                )
    visible = " ".join(page.text)
    for mark in _LEFTOVER:
        at = visible.find(mark)
        if at >= 0:
            context = _squash(visible[max(0, at - 30) : at + 40])
            problems.append(f"{name}: Markdown {mark!r} shown as text: …{context}…")
    for h in page.headings:
        if h.level > 1 and h.id and h.id not in page.toc and h.text not in raw:
            problems.append(f"{name}: table of contents does not list {h.text!r} (#{h.id})")
    return problems


def built_path(site: Path, source: str) -> Path:
    """Where MkDocs (use_directory_urls) writes the page of a Markdown source."""
    stem = source[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return site / stem[: -len("index")] / "index.html"
    return site / stem / "index.html"


_INCLUDE = re.compile(r"""\{%-?\s*include\s+["']([^"']+)["']""")


def _with_includes(folder: Path, name: str) -> str:
    """A template's text with the templates it includes (their headings are its own)."""
    text = (folder / name).read_text(encoding="utf-8")
    return text + "".join("\n" + _with_includes(folder, n) for n in _INCLUDE.findall(text))


def check_site(docs: Path, site: Path, templates: Path = TEMPLATES) -> list[str]:
    """Every problem of every page built from `docs` into `site`."""
    problems: list[str] = []
    declared: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
    for source in sorted(docs.rglob("*.md")):
        rel = source.relative_to(docs).as_posix()
        target = built_path(site, rel)
        if not target.is_file():
            problems.append(f"{rel}: no built page at {target.relative_to(site)}")
            continue
        markdown = source.read_text(encoding="utf-8")
        name = front_matter(markdown).get(TEMPLATE_KEY)
        patterns = None
        if isinstance(name, str):
            if name not in declared:
                declared[name] = declared_headings(_with_includes(templates / "pages", name))
            patterns = declared[name]
        problems += check_page(rel, markdown, target.read_text(encoding="utf-8"), patterns)
    return problems
