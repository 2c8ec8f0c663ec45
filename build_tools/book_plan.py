"""The handbook's chapters, planned from the outline: which chapter, in what order, with what.

The outline (build_tools.outline) decides what exists, in what order and under which
labels, for the site and the book alike; this module says how each part becomes a chapter
of the printed book (a first-level heading that starts a page) and its sections.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from build_tools import algorithms, outline, provenance, schema
from build_tools.kinds.recommendation import naming as naming_recommendations
from build_tools.kinds.recommendation import ordered as ordered_recommendations
from build_tools.loader import Corpus
from build_tools.outline import entry_anchor
from build_tools.paper_calculators import PaperCalculators
from build_tools.site_plan import entry_summaries
from build_tools.whatsnew import EditionChanges


@dataclass
class BookSection:
    """A bookmarked second-level heading and what is printed under it."""

    anchor: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chapter:
    """A first-level heading: it starts a page and names the running header."""

    anchor: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    sections: list[BookSection] = field(default_factory=list)
    toc_sections: bool = True
    """List the sections in the table of contents (not for short, many-section chapters)."""


def plan_book(
    corpus: Corpus,
    paper_calcs: PaperCalculators,
    changes: EditionChanges | None = None,
    self_test: Mapping[str, Any] | None = None,
) -> list[Chapter]:
    """Every chapter in reading order (which is also the citation-numbering order);
    with `changes` of an edition against a kept one, a chapter listing them; `self_test`
    (build_tools.study_site.self_test) adds the self-test appendix, last."""
    plan = outline.make_outline(corpus, entry_summaries(corpus, None))
    recs = ordered_recommendations(corpus)
    named = naming_recommendations(recs, corpus)  # an antibody's, a calculator's

    def domain_recommendations(domain: schema.Domain) -> list[Any]:
        """The domain's key recommendations, its own first (as on the site)."""
        found = [r for r in recs if domain in r.population.domains]
        return sorted(found, key=lambda r: r.population.domains[0] != domain)

    by_id = corpus.entries
    therapies = [by_id[s.id] for s in plan.therapies]
    topics = [by_id[s.id] for s in plan.topics]
    chapters: list[Chapter] = []

    for d in plan.domains:
        domain = d.domain
        steps = [
            BookSection(
                f"domain-{domain.id.value}-step-{i}",
                f"{i}. {step.step.title}",
                "domain_step.html.j2",
                {"step": step.step, "entries": [by_id[s.id] for s in step.entries]},
            )
            for i, step in enumerate(d.steps, start=1)
        ]
        related = [by_id[s.id] for s in d.related]
        if related:
            steps.append(
                BookSection(
                    f"domain-{domain.id.value}-therapies",
                    "All therapies for this domain",
                    "domain_therapies.html.j2",
                    {"related": related},
                )
            )
        chapters.append(
            Chapter(
                f"domain-{domain.id.value}",
                domain.title,
                "domain.html.j2",
                {"domain": domain, "key_recommendations": domain_recommendations(domain.id)},
                steps,
                toc_sections=False,
            )
        )

    # Kinds that print a chapter (key recommendations) come right after the domains: what
    # the sources say to do, before the monographs that detail each therapy.
    chapters += [kind_chapter(kind) for kind in plan.kinds if kind.plan.print_template]

    def entry_sections(items: list[schema.Entry]) -> list[BookSection]:
        return [
            BookSection(
                entry_anchor(e.id),
                e.title,
                "entry.html.j2",
                {"entry": e, "key_recommendations": [r for r in recs if e.id in r.action.entries]},
            )
            for e in items
        ]

    if therapies:
        chapters.append(
            Chapter(
                "ch-therapies",
                outline.THERAPIES.full,
                "therapies.html.j2",
                {"therapies": therapies},
                entry_sections(therapies),
            )
        )
    if topics:
        chapters.append(
            Chapter("ch-topics", outline.TOPICS.full, "plain.html.j2", {}, entry_sections(topics))
        )
    if corpus.antibodies:
        chapters.append(
            Chapter(
                "ch-antibodies",
                outline.ANTIBODIES.full,
                "antibodies.html.j2",
                {},
                [
                    BookSection(
                        f"antibody-{a.id}",
                        a.name,
                        "antibody.html.j2",
                        {"antibody": a, "key_recommendations": named.get(f"antibody:{a.id}", [])},
                    )
                    for a in corpus.antibodies
                ],
                toc_sections=False,
            )
        )
    if corpus.algorithms:
        chapters.append(
            Chapter(
                "ch-algorithms",
                outline.ALGORITHMS.full,
                "plain.html.j2",
                {},
                [
                    BookSection(
                        f"algorithm-{a.id}",
                        a.title,
                        "algorithm.html.j2",
                        _algorithm_context(a),
                    )
                    for a in plan.algorithms
                ],
            )
        )
    if paper_calcs.calculators or paper_calcs.orphan_tables:
        sections = [
            BookSection(
                f"calc-{c.id}",
                c.title,
                "calculator.html.j2",
                {"calc": c, "key_recommendations": named.get(f"calculator:{c.id}", [])},
            )
            for c in paper_calcs.calculators
        ]
        if paper_calcs.orphan_tables:
            sections.append(
                BookSection(
                    "calc-other-tables",
                    "Other tables",
                    "calculator_tables.html.j2",
                    {"tables": paper_calcs.orphan_tables},
                )
            )
        chapters.append(
            Chapter(
                "ch-calculators",
                outline.CALCULATORS.full,
                "calculators.html.j2",
                {"skipped": paper_calcs.skipped},
                sections,
            )
        )
    if corpus.glossary:
        chapters.append(
            Chapter(
                "ch-glossary",
                outline.GLOSSARY.full,
                "glossary.html.j2",
                {"terms": list(plan.glossary)},
            )
        )
    if changes is not None and changes.change_set is not None:
        chapters.append(
            Chapter(
                "ch-changes",
                f"Changes in edition {changes.edition}",
                "plain.html.j2",
                {},
                [
                    BookSection(
                        "changes-all",
                        f"Since edition {changes.previous}",
                        "changes.html.j2",
                        {"changes": changes},
                    )
                ],
            )
        )
    about = [
        BookSection(f"about-{i}", s.title, "about_section.html.j2", {"section": s})
        for i, s in enumerate(corpus.guideline.about, start=1)
    ]
    if paper_calcs.calculators:
        about.append(
            BookSection(
                "about-provenance",
                "Where the numbers come from",
                "provenance.html.j2",
                {"statement": provenance.statement(corpus, with_content=True)},
            )
        )
    about.append(
        BookSection(
            "about-discrepancies",
            "Citation discrepancies resolved",
            "discrepancies.html.j2",
            {"discrepancies": corpus.discrepancies},
        )
    )
    chapters.append(
        Chapter(
            "ch-about",
            outline.ABOUT.full,
            "about.html.j2",
            {"sources": corpus.guideline.sources},
            about,
        )
    )
    if self_test is not None and self_test.get("total"):
        # Questions, then the answers as a chapter of their own: they start on a new page,
        # out of sight while a reader tests themselves.
        chapters += [
            Chapter(
                "ch-self-test",
                "Self-test",
                "self_test.html.j2",
                {**self_test, "part": "questions"},
            ),
            Chapter(
                "ch-self-test-answers",
                "Self-test: answers",
                "self_test.html.j2",
                {**self_test, "part": "answers"},
            ),
        ]
    return chapters


def kind_chapter(kind: outline.KindPages) -> Chapter:
    """The chapter of a kind that declares a print template (build_tools.kinds): the
    kind's listing context, rendered once by its print template, under the kind's section
    label."""
    return Chapter(
        f"ch-{kind.kind}",
        kind.plan.section,
        "plain.html.j2",
        {},
        [
            BookSection(
                f"{kind.kind}-all",
                kind.plan.index_title,
                kind.plan.print_template or "",
                {**kind.index_context, "items": list(kind.items)},
            )
        ],
    )


def _svg_data_uri(svg: bytes) -> str:
    """The Graphviz SVG as an image source: WeasyPrint draws it as vectors."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


PORTRAIT_TEXT_WIDTH_PT = 480
"""About the width of the text block on A4 and Letter (pt) at the stylesheet's margins."""
_SVG_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def _algorithm_context(algo: schema.Algorithm) -> dict[str, Any]:
    """The diagram, and whether it needs a landscape page to stay legible.

    A diagram wider than tall and wider than the portrait text block would be shrunk to
    unreadable type; turned sideways its text comes out about half as large again.
    """
    svg = algorithms.render_svg(algo)
    size = _SVG_SIZE.search(svg)
    width, height = (float(size.group(1)), float(size.group(2))) if size else (0.0, 0.0)
    return {
        "algorithm": algo,
        "svg_uri": _svg_data_uri(svg),
        "outline": algorithms.outline(algo),
        "landscape": width > PORTRAIT_TEXT_WIDTH_PT and width > height,
    }
