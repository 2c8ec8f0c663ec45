"""The handbook's subject index: drugs, antibodies, calculators and glossary terms, with the
pages each is discussed on.

Paper has no search box. The index lists what a reader looks a subject up by, each name
declared once in the content and read from it here, never typed again: a therapy's title,
its synonyms and the medicines it names (MMF, CellCept → Mycophenolate mofetil); an
antibody's name and synonyms; each printed calculator's title; each glossary abbreviation
and the expansion its definition gives.

A term's places are its own section (where it is discussed) and the places in the text
that link to it (`xref`): the first link in each other chapter. Chapters start a page, so
no page number is listed twice. The numbers are WeasyPrint's: each place carries an anchor
and the index prints `target-counter(…, page)` of it (handbook.css), so they are right for
every paper size without a second layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from build_tools.book_plan import Chapter
from build_tools.loader import Corpus
from build_tools.outline import entry_anchor
from build_tools.paper_calculators import PaperCalculators

INDEX_ANCHOR = "ch-index"


def glossary_anchor(term: str) -> str:
    """The glossary row of an abbreviation ("CAR-T" → "glossary-car-t")."""
    return "glossary-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


@dataclass(frozen=True)
class Subject:
    """One thing the index lists: its name, its own place, and the other names it goes by."""

    name: str
    home: str
    """The anchor of the section (or glossary row) that discusses it."""
    kind: str
    other_names: tuple[str, ...] = ()


def subjects(corpus: Corpus, calculators: PaperCalculators) -> list[Subject]:
    """Every subject of the index, from the content (declared once there)."""
    found = [
        Subject(e.title, entry_anchor(e.id), "drug", (*e.synonyms, *e.medicines))
        for e in corpus.entries.values()
        if e.kind == "therapy"
    ]
    found += [
        Subject(a.name, f"antibody-{a.id}", "antibody", tuple(a.synonyms))
        for a in corpus.antibodies
    ]
    found += [Subject(c.title, f"calc-{c.id}", "calculator") for c in calculators.calculators]
    found += [
        Subject(t.term, glossary_anchor(t.term), "glossary", _expansion(t.definition))
        for t in corpus.glossary
    ]
    return found


def _expansion(definition: str) -> tuple[str, ...]:
    """An abbreviation's expansion, as a name to look it up by ("creatine kinase (a muscle
    enzyme…)" → "creatine kinase"); none when the definition is more than a name."""
    name = re.sub(r"\s*\(.*\)\s*$", "", definition).strip()
    return (name,) if name and len(name) <= 60 and "." not in name else ()


class Mentions:
    """The `xref` of the book's templates, which also marks where the text links to a
    subject: the first link in each chapter other than the subject's own gets an anchor
    the index points at."""

    def __init__(self, homes: Mapping[str, str], order: Sequence[str] = ()) -> None:
        self._homes = homes  # subject anchor → the chapter that discusses it
        self._order = {anchor: i for i, anchor in enumerate(order)}  # chapters, in reading order
        self._chapter = ""
        self._seen: set[tuple[str, str]] = set()
        self.places: dict[str, list[str]] = {}
        self._chapter_of: dict[str, str] = {}  # place → its chapter

    def in_order(self, home: str) -> list[tuple[str, bool]]:
        """The places of the subject at `home` in reading order: (anchor, is its own)."""
        chapters = {home: self._homes.get(home, "")}
        chapters |= {p: self._chapter_of[p] for p in self.places.get(home, [])}
        places = [(p, p == home) for p in chapters]
        return sorted(places, key=lambda place: self._order.get(chapters[place[0]], -1))

    def at(self, chapter: str) -> None:
        """The chapter being rendered from now on."""
        self._chapter = chapter

    def __call__(self, anchor: str, label: str) -> Markup:
        """A link that prints the page it points to (as build_tools.templating.xref)."""
        marked = ""
        home = self._homes.get(anchor)
        if home is not None and home != self._chapter and (anchor, self._chapter) not in self._seen:
            self._seen.add((anchor, self._chapter))
            places = self.places.setdefault(anchor, [])
            place = f"ix-{anchor}-{len(places) + 1}"
            places.append(place)
            self._chapter_of[place] = self._chapter
            marked = f' id="{escape(place)}"'
        return Markup(f'<a class="xref"{marked} href="#{escape(anchor)}">{escape(label)}</a>')


def mentions_for(chapters: Sequence[Chapter], subjects_: Iterable[Subject]) -> Mentions:
    """A Mentions for the book's chapters: each subject's home chapter found from its anchor
    (a chapter, or one of its sections; a glossary row is in the glossary chapter)."""
    chapter_of = {c.anchor: c.anchor for c in chapters}
    chapter_of |= {s.anchor: c.anchor for c in chapters for s in c.sections}
    glossary = next((c.anchor for c in chapters if c.anchor == "ch-glossary"), "")
    homes = {
        s.home: chapter_of.get(s.home, glossary if s.kind == "glossary" else "") for s in subjects_
    }
    return Mentions(homes, [c.anchor for c in chapters])


@dataclass
class IndexLine:
    """One headword of the index: the places it is discussed and the names it points to."""

    name: str
    places: list[tuple[str, bool]] = field(default_factory=list)
    """Anchors in reading order, each with whether it is a subject's own place."""
    see: list[str] = field(default_factory=list)


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.casefold()) or name.casefold()


def index_lines(subjects_: Iterable[Subject], mentions: Mentions) -> list[IndexLine]:
    """The index in alphabetical order: one line per name; a name several subjects go by
    (or a subject's own name that is another's synonym) points to each of them."""
    lines: dict[str, IndexLine] = {}

    def line(name: str) -> IndexLine:
        return lines.setdefault(name.casefold(), IndexLine(name))

    for subject in subjects_:
        own = line(subject.name)
        own.places += mentions.in_order(subject.home)
        for other in subject.other_names:
            if other.casefold() != subject.name.casefold():
                see = line(other).see
                if subject.name not in see:
                    see.append(subject.name)
    return sorted(lines.values(), key=lambda x: (_key(x.name), x.name))


def letter_groups(lines: Sequence[IndexLine]) -> list[tuple[str, list[IndexLine]]]:
    """The lines under their initial letter (digits and symbols under "#")."""
    groups: dict[str, list[IndexLine]] = {}
    for item in lines:
        initial = _key(item.name)[:1].upper()
        groups.setdefault(initial if initial.isalpha() else "#", []).append(item)
    return list(groups.items())
