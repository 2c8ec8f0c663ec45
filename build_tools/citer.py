"""The citer: content prose with its citations, for one output format.

The site and the printed handbook cite the same way: prose is parsed once
(build_tools.prose), each [@key] becomes a citation mark, an item's other references follow
its last word, and a statement's provenance tier is said where it is not the review's.
What differs is only how a mark looks and when it is numbered: the site writes placeholder
marks that are numbered once every page is rendered (numbers follow the site's reading
order, and an unchanged page is reused when an edit elsewhere renumbers), the book numbers
as it goes, in the book's reading order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import markdown  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from build_tools import prose, schema
from build_tools.citations import Numbering
from build_tools.diagnostics import ContentError, Problems
from build_tools.loader import Corpus
from build_tools.outline import EntrySummary, entry_anchor, entry_path
from build_tools.site_text import literal, plain, quote_disclosure, relative

if TYPE_CHECKING:
    from build_tools.site_plan import Page


def cite_text(
    text: str,
    refs: Iterable[str],
    marks: Callable[[Iterable[str]], Markup],
    entry_link: prose.EntryLinks | None = None,
) -> str:
    """Content prose as Markdown: parsed (build_tools.prose), its text escaped, `marks` where
    it cites [@key], the item's other refs after its last word, and links to entries
    (entry:<id>) where `entry_link` places them.

    The site and the printed handbook share this; only how a citation mark and a link to an
    entry look differs. Content reaching here was validated, so the parse cannot fail on
    real content.
    """
    blocks = prose.parse(text)
    inline = set(prose.citations(blocks))
    trailing = [r for r in refs if r not in inline]
    if entry_link is None:
        return prose.to_markdown(blocks, lambda keys: str(marks(keys)), trailing)
    return prose.to_markdown(blocks, lambda keys: str(marks(keys)), trailing, entry_link)


# --- provenance tiers --------------------------------------------------------------------------

TIER_NOTES: Mapping[str, str] = {
    "checked": "Not from the source review: from another source, checked against it",
    "convention": "Not from the source review: a convention of this guideline",
}


@dataclass(frozen=True)
class TierStyle:
    """How one output format says a statement's tier."""

    left_out: str  # {label}
    unverified: str
    note: str  # {tier}, {note}, {detail}
    text: Callable[[str], str]  # content text as this format shows it literally


MARKDOWN_TIERS = TierStyle(
    "*Left out because unverified: {label}.*",
    "**UNVERIFIED, for review only, not guidance:** ",
    ' <span class="tier tier-{tier}">{note}{detail}</span>',
    literal,
)
HTML_TIERS = TierStyle(
    "<i>Left out because unverified: {label}.</i>",
    "<b>UNVERIFIED, for review only, not guidance:</b> ",
    ' <span class="tier-mark">{note}{detail}</span>',
    lambda text: str(escape(text)),
)


def tiered(
    item: schema.Cited,
    shown: Markup | Callable[[], Markup],
    show_unverified: bool = False,
    style: TierStyle = MARKDOWN_TIERS,
) -> Markup:
    """A statement with its tier said when it is not the review's; unverified left out
    unless the build shows it for review (`show_unverified`, from the settings)."""
    if item.tier == "unverified":
        if not show_unverified:
            return Markup(style.left_out.format(label=style.text(item.label or "")))
        return Markup(style.unverified) + (shown if isinstance(shown, str) else shown())
    text = shown if isinstance(shown, str) else shown()
    note = TIER_NOTES.get(item.tier or "")
    if note:
        detail = f" ({style.text(item.checked)})" if item.checked else ""
        return text + Markup(style.note.format(tier=item.tier, note=note, detail=detail))
    return text


# --- the site's citer --------------------------------------------------------------------------

# A citation as rendered, before numbering: \x02key\x1fanchor\x03. Numbers are site-wide and
# follow reading order, so they are known only once every page has been rendered; a page's
# text is kept with these marks and numbered last, which lets an unchanged page be reused
# even when an edit elsewhere renumbers the references. Content holds no control
# characters (the loader refuses them), so only the generator can write a mark, and a mark
# holds only a reference id and an anchor of the generator's making.
_MARK = re.compile("\x02([a-z0-9][a-z0-9-]*)\x1f(cite-[0-9]+)\x03")
_ANY_MARK = re.compile("[\x02\x03\x1f]")


class ProseCiter:
    """What the site's and the book's citers share: content prose parsed once, each [@key]
    a citation mark, an item's other references after its last word, links to entries, and
    a statement's tier said (unverified left out unless the settings show it for review).
    A citer for an output format says only how a mark and a link to an entry look."""

    tiers: TierStyle = MARKDOWN_TIERS
    show_unverified: bool = False

    def marks(self, keys: Iterable[str]) -> Markup:
        raise NotImplementedError

    def entry_link(self, entry_id: str) -> str:
        raise NotImplementedError

    def with_marks(self, text: str, refs: Iterable[str]) -> str:
        """Content prose as Markdown with this format's citation marks and entry links."""
        return cite_text(text, refs, self.marks, self.entry_link)

    def tiered(self, item: schema.Cited, shown: Markup | Callable[[], Markup]) -> Markup:
        return tiered(item, shown, self.show_unverified, self.tiers)


class Citer(ProseCiter):
    """Renders prose for one site page and records, in order, what the page cites."""

    def __init__(
        self,
        page: Page,
        entries: Mapping[str, EntrySummary] | None = None,
        show_unverified: bool = False,
    ) -> None:
        self.page = page
        self.sequence: list[tuple[str, str]] = []  # (reference key, anchor of the citation)
        # Where entries are, for prose that links to one (entry:<id>); the page's recorder
        # of the table, so the page is rendered again when a linked entry moves.
        self.entries = entries
        self.show_unverified = show_unverified

    def entry_link(self, entry_id: str) -> str:
        if self.entries is None:
            raise ValueError(f"no entries to link entry:{entry_id} to")
        return relative(self.page.path, entry_path(self.entries[entry_id]))

    def marks(self, keys: Iterable[str]) -> Markup:
        """Citation marks, numbered and linked later by `number_marks`."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return Markup("")
        parts = []
        for key in unique:
            anchor = f"cite-{len(self.sequence) + 1}"  # anchors need only be unique on the page
            self.sequence.append((key, anchor))
            parts.append(f"\x02{key}\x1f{anchor}\x03")
        return Markup(f'<sup class="cite">{",".join(parts)}</sup>')

    def prose(self, text: str | None, refs: Iterable[str] = ()) -> Markup:
        """Escape content text, turn [@key] into citation marks, append the item's refs."""
        if not text:
            return Markup("")
        return Markup(self.with_marks(text, refs))

    def cited(self, item: schema.Cited | None) -> Markup:
        if item is None:
            return Markup("")
        shown = self.tiered(item, self.prose(item.text, item.refs))
        return shown + self.quote(item.source) if item.tier != "unverified" else shown

    def quote(self, locator: schema.SourceLocator | None) -> Markup:
        """The source sentence(s) a statement encodes, one tap away (a disclosure)."""
        return quote_disclosure(locator)

    def downloads(self) -> dict[str, Any] | None:
        """The page's references for reference managers (build_tools.exports.page_references):
        how many references the page has cited so far and a link per format, or None while
        it cites nothing. Templates call it last, once everything the page cites is cited;
        the files hold the same keys, taken from this sequence after the render."""
        from build_tools.exports.page_references import downloads

        count = len(dict.fromkeys(key for key, _anchor in self.sequence))
        if not count:
            return None
        links = [
            (d.label, Markup(relative(self.page.path, d.path)), Markup(d.filename))
            for d in downloads(self.page.path)
        ]
        return {"count": count, "links": links}

    def link(self, target_page: str, label: str) -> Markup:
        return Markup(f"[{plain(label)}]({relative(self.page.path, target_page)})")


def number_marks(text: str, page_path: str, numbers: dict[str, int], titles: dict[str, str]) -> str:
    """Replace the citation marks with numbered links; MkDocs resolves (and validates) them."""
    href = relative(page_path, "references.md")

    def link(match: re.Match[str]) -> str:
        key, anchor = match.group(1), match.group(2)
        if key not in numbers or key not in titles:
            raise unknown_citation(page_path, key)
        return f'[{numbers[key]}]({href}#ref-{key} "{titles[key]}"){{#{anchor}}}'

    out = _MARK.sub(link, text)
    stray = _ANY_MARK.search(out)
    if stray:
        problems = Problems()
        problems.add(page_path, 1, 1, "", "a malformed citation mark reached the page")
        raise ContentError(problems)
    return out


def unknown_citation(page_path: str, key: str) -> ContentError:
    """A page cites a key the references do not hold: said where, never a KeyError."""
    problems = Problems()
    problems.add(
        page_path, 1, 1, "", f"cites unknown reference key {key!r} (not in content/references/)"
    )
    return ContentError(problems)


# --- the book's citer --------------------------------------------------------------------------


class _Markdown:
    """Content Markdown → HTML. Content is validated to hold no raw HTML (schema)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists"], output_format="html")

    def block(self, text: str) -> str:
        self._md.reset()
        return str(self._md.convert(text))

    def inline(self, text: str) -> str:
        html = self.block(text).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html


@dataclass
class PrintCiter(ProseCiter):
    """Numbered citations for the book: superscript numbers linking to the reference list.

    One instance renders the whole book, so numbers follow the order of first citation in
    the book, exactly as Numbering does for the site's reading order.
    """

    corpus: Corpus
    numbering: Numbering = field(default_factory=Numbering)
    place: tuple[str, str] = ("", "")
    missing: dict[str, set[str]] = field(default_factory=dict)
    show_unverified: bool = False
    _md: _Markdown = field(default_factory=_Markdown)

    def at(self, anchor: str, title: str) -> str:
        """Set where following citations are made (for the numbering's list of sites)."""
        self.place = (anchor, title)
        return ""

    def marks(self, keys: Iterable[str]) -> Markup:
        """Superscript [n, m] links; a key missing from the corpus is printed as text."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return Markup("")
        numbered: list[tuple[int, str]] = []
        missing: list[str] = []
        for key in unique:
            if key not in self.corpus.references:
                self.missing.setdefault(key, set()).add(self.place[1])
                missing.append(f'<span class="ref-missing">{escape(key)}</span>')
                continue
            n, anchor = self.numbering.cite(key, *self.place)
            numbered.append((n, f'<a href="#ref-{escape(key)}" id="{anchor}">{n}</a>'))
        parts = [link for _, link in sorted(numbered)] + missing  # [3,4], never [4,3]
        # A zero-width space after each comma lets a long group wrap in a narrow table cell.
        return Markup(f'<sup class="cite">[{",\u200b".join(parts)}]</sup>')

    tiers = HTML_TIERS

    def entry_link(self, entry_id: str) -> str:
        return f"#{entry_anchor(entry_id)}"

    def prose(self, text: str | None, refs: Iterable[str] = ()) -> Markup:
        """Block prose (paragraphs, lists) with [@key] citations as numbered links."""
        if not text:
            return Markup("")
        return Markup(self._md.block(self.with_marks(text, refs)))

    def inline(self, text: str | None, refs: Iterable[str] = ()) -> Markup:
        """As prose, for a table cell or a list item: no paragraph wrapper."""
        if not text:
            return Markup("")
        return Markup(self._md.inline(self.with_marks(text, refs)))

    def cited(self, item: schema.Cited | None) -> Markup:
        return Markup("") if item is None else self._tiered(item, self.prose)

    def cited_inline(self, item: schema.Cited | None) -> Markup:
        return Markup("") if item is None else self._tiered(item, self.inline)

    def _tiered(self, item: schema.Cited, how: Callable[[str, list[str]], Markup]) -> Markup:
        """As the site does: unverified left out unless shown for review."""
        return self.tiered(item, lambda: how(item.text, item.refs))
