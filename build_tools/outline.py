"""The outline: what the guideline publishes, in what order, under which labels.

One publisher-neutral plan, made from the validated corpus, that the site renderer
(build_tools.site_plan), the printed handbook (build_tools.book_plan) and the exports
consume. Each publisher decides only how a part looks (a page, a chapter, a JSON array);
which parts exist, their order (which is also the order citations are numbered in) and
their labels are decided here once, so the site and the book cannot drift apart.

Entries are placed by their summaries (EntrySummary): an edit that leaves an entry's
summary equal leaves the outline as it was, which the site's quick path relies on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from build_tools import kinds, schema
from build_tools.kinds import PagePlan
from build_tools.loader import Corpus

# --- the one label vocabulary --------------------------------------------------------------

DOMAIN_ORDER: Final = tuple(d.value for d in schema.Domain)
LINE_ORDER: Final = tuple(line.value for line in schema.LineOfTherapy)

LINE_LABELS: Final[Mapping[str, str]] = {
    "general": "General measures",
    "first": "First line",
    "second": "Second line",
    "third": "Third line",
    "refractory": "Refractory disease",
    "rescue": "Rescue therapy",
    "adjunct": "Adjunctive therapy",
    "experimental": "Experimental",
    "not-applicable": "",
}
"""Line of therapy → its label (a listing's group, a page's "Line:")."""

DOMAIN_LABELS: Final[Mapping[str, str]] = {
    "general": "General",
    "muscle": "Muscle",
    "cutaneous": "Cutaneous",
    "ild": "ILD",
    "rp-ild": "Rapidly progressive ILD",
    "calcinosis": "Calcinosis",
    "dysphagia": "Dysphagia",
    "cardiac": "Cardiac",
    "arthritis": "Arthritis",
    "malignancy": "Malignancy",
}
"""Domain → the name a page or the book gives it where an entry lists its domains.

Abbreviations stay in capitals where every reader knows them (ILD); the full form where
one is less familiar (rapidly progressive ILD): these labels stand in running text and
metadata lines, where width does not demand the short form."""

STUDY_TYPE_LABELS: Final[Mapping[str, str]] = {
    k.value: v for k, v in schema.STUDY_TYPE_LABELS.items()
}
"""Study type → its name in evidence tables."""


@dataclass(frozen=True)
class Part:
    """A part of the guideline: its short name (navigation, where width demands it) and
    its full name (headings, the printed book)."""

    short: str
    full: str


DOMAINS: Final = Part("Disease domains", "Disease domains")
FRAMEWORK: Final = Part("Clinical framework", "Clinical framework")
TOPICS: Final = Part("Clinical topics", "Clinical topics")
THERAPIES: Final = Part("Therapies", "Therapy monographs")
ANTIBODIES: Final = Part("Autoantibodies", "Autoantibodies")
ALGORITHMS: Final = Part("Algorithms", "Treatment algorithms")
CALCULATORS: Final = Part("Calculators", "Calculators on paper")
GLOSSARY: Final = Part("Glossary", "Glossary")
ABOUT: Final = Part("About this guideline", "About this guideline")
REFERENCE: Final = Part("Reference", "Reference")
REFERENCES: Final = Part("References", "References")

# --- entries as listings see them ------------------------------------------------------------

_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9-]{1,6}$")


def display_title(entry: schema.Entry) -> str:
    """A therapy's title with the abbreviation clinicians type: "Mycophenolate mofetil (MMF)".

    Titles weigh most in search and are what a reader scans in the navigation. Authors list
    that abbreviation as the first synonym.
    """
    first = entry.synonyms[0] if entry.synonyms else ""
    if (
        entry.kind == "therapy"
        and "(" not in entry.title
        and _ABBREVIATION.match(first)
        and sum(c.isupper() for c in first) >= 2
        and first.lower() not in entry.title.lower()
    ):
        return f"{entry.title} ({first})"
    return entry.title


@dataclass(frozen=True)
class EntrySummary:
    """What a listing, a link or the navigation shows of an entry, and where it is placed.

    Pages that list or link to an entry get this rather than the entry, so an edit to the
    entry's body leaves them as they are (build_tools.rendercache compares what pages used).
    Planning reads entries only through their summaries: an edit that leaves an entry's
    summary equal leaves every page but the entry's own where it was (the site's quick
    path relies on this).
    """

    id: str
    kind: str
    title: str
    line_of_therapy: schema.LineOfTherapy
    first_regimen: str
    display_title: str
    order: int
    domains: tuple[schema.Domain, ...]


def summarize(entry: schema.Entry) -> EntrySummary:
    return EntrySummary(
        id=entry.id,
        kind=entry.kind,
        title=entry.title,
        line_of_therapy=entry.line_of_therapy,
        first_regimen=entry.regimens[0].label if entry.regimens else "",
        display_title=display_title(entry),
        order=entry.order,
        domains=tuple(entry.domains),
    )


def entry_path(entry: schema.Entry | EntrySummary) -> str:
    """Where an entry is published (the site's page; the book's anchor is derived from its id)."""
    folder = "therapies" if entry.kind == "therapy" else "topics"
    return f"{folder}/{entry.id}.md"


# --- the corpus by kind ----------------------------------------------------------------------

Collection = Mapping[str, Any] | Sequence[Any]


def collections(corpus: Corpus) -> Mapping[str, Collection]:
    """Every collection of validated objects, keyed by kind, in the kind registry's order:
    the one place the publishers learn which kinds there are (build_tools.kinds)."""
    return corpus.collections()


def members(collection: Collection) -> Sequence[Any]:
    """A collection's objects, in order."""
    if isinstance(collection, Mapping):
        return list(collection.values())
    return collection


def objects(corpus: Corpus) -> list[object]:
    """Every validated object of the corpus (for identity checks and pruning memos)."""
    return list(corpus.objects())


# --- kinds that publish pages ------------------------------------------------------------------


@dataclass(frozen=True)
class KindPages:
    """A kind that declares its pages (`Kind.pages`), with its objects in order and what
    its templates show besides each object, computed from the corpus by the kind."""

    kind: str
    plan: PagePlan
    items: tuple[Any, ...]
    contexts: tuple[Mapping[str, Any], ...]
    index_context: Mapping[str, Any]

    def path(self, item: Any) -> str:
        return str(self.plan.path_of(item))


def kind_pages(corpus: Corpus) -> tuple[KindPages, ...]:
    """Every registered kind that declares `pages`, planned generically (no hand list)."""
    found = collections(corpus)
    out = []
    for kind in kinds.KINDS:
        plan = kind.pages
        if plan is not None and kind.name in found:
            items = tuple(members(found[kind.name]))
            out.append(
                KindPages(
                    kind.name,
                    plan,
                    items,
                    tuple(plan.context(item, corpus) for item in items),
                    plan.index_context(corpus),
                )
            )
    return tuple(out)


# --- the outline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepPlan:
    """A step of a domain's approach and the entries it names."""

    step: schema.DomainStep
    entries: tuple[EntrySummary, ...]


@dataclass(frozen=True)
class DomainPlan:
    """A disease domain: its steps, and every therapy that names the domain."""

    domain: schema.DomainPage
    steps: tuple[StepPlan, ...]
    related: tuple[EntrySummary, ...]


@dataclass(frozen=True)
class Outline:
    """The guideline's parts in reading order (which is also citation-numbering order)."""

    domains: tuple[DomainPlan, ...]
    topics: tuple[EntrySummary, ...]
    therapies: tuple[EntrySummary, ...]
    antibodies: tuple[schema.Antibody, ...]
    algorithms: tuple[schema.Algorithm, ...]
    kinds: tuple[KindPages, ...]
    glossary: tuple[schema.GlossaryTerm, ...]

    def therapy_lines(self) -> list[tuple[str, list[EntrySummary]]]:
        """Therapies grouped under their line-of-therapy label, in order."""
        lines: dict[str, list[EntrySummary]] = {}
        for therapy in self.therapies:
            lines.setdefault(line_label(therapy.line_of_therapy, "Other"), []).append(therapy)
        return list(lines.items())


def line_label(line: schema.LineOfTherapy, otherwise: str) -> str:
    return LINE_LABELS[line.value] or otherwise


def therapy_order(s: EntrySummary) -> tuple[int, int, str]:
    return (LINE_ORDER.index(s.line_of_therapy.value), s.order, s.title.lower())


def make_outline(corpus: Corpus, summaries: Mapping[str, EntrySummary]) -> Outline:
    """The outline of `corpus`, its entries seen through `summaries` (one per entry)."""
    therapies = tuple(
        sorted((s for s in summaries.values() if s.kind == "therapy"), key=therapy_order)
    )
    topics = tuple(
        sorted(
            (s for s in summaries.values() if s.kind == "topic"), key=lambda s: (s.order, s.title)
        )
    )
    domains = tuple(
        DomainPlan(
            domain,
            tuple(StepPlan(s, tuple(summaries[i] for i in s.entries)) for s in domain.steps),
            tuple(t for t in therapies if domain.id in t.domains),
        )
        for domain in sorted(corpus.domains, key=lambda d: DOMAIN_ORDER.index(d.id.value))
    )
    return Outline(
        domains=domains,
        topics=topics,
        therapies=therapies,
        antibodies=tuple(corpus.antibodies),
        algorithms=tuple(corpus.algorithms.values()),
        kinds=kind_pages(corpus),
        glossary=tuple(sorted(corpus.glossary, key=lambda t: t.term.lower())),
    )


def entry_anchor(entry_id: str) -> str:
    """Where an entry is inside one document (the printed book)."""
    return f"entry-{entry_id}"
