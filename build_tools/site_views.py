"""What a site page shows beside its content object, made when the page is planned.

A page's template context is complete when the planner hands the page over: an algorithm
page carries its diagram and outline, an entry page the notes of the calculators it links
and how sure its citations are, the About and Provenance pages the statement of sources.
Each is a typed view, made from the corpus and the build context, instead of a callback
the renderer would consult by template name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from build_tools import algorithms, outline, provenance, schema, study_site, whatsnew
from build_tools.context import BuildContext
from build_tools.loader import Corpus
from build_tools.memos import HeldOutline
from build_tools.outline import entry_path
from build_tools.site_text import relative

if TYPE_CHECKING:
    from build_tools.site_plan import Page


def _as_context(view: object) -> dict[str, Any]:
    """A view's fields as template variables (shallow: the objects themselves)."""
    return {f.name: getattr(view, f.name) for f in fields(view)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class AlgorithmView:
    """An algorithm page: the diagram linking to each therapy's page, and its text outline."""

    svg_name: str
    outline: list[algorithms.OutlineStep]
    diagram: Markup


@dataclass(frozen=True)
class EntryView:
    """An entry page: notes of the calculators it links, and how sure its citations are."""

    calculator_notes: dict[str, provenance.TherapyNote]
    confidence: dict[str, str]
    changed: dict[str, str]
    """`entry`, `regimen:<id>`, `evidence:<id>` → its change's anchor on the What's new page."""
    key_recommendations: list[Any]
    """The key recommendations whose action names this entry, in the handbook's order."""
    withdrawn: list[Any]
    """Regimens and evidence items withdrawn from this page: a tombstone line at each one's
    old anchor (build_tools.withdrawals)."""


@dataclass(frozen=True)
class AboutView:
    """The About and Provenance pages: the statement of where the numbers come from."""

    statement: provenance.Statement
    tier_words: Any
    tier_meanings: Any
    provenance_path: str


class PageViews:
    """Makes the views of one corpus's pages, with the context's memos (diagrams, outlines)."""

    def __init__(self, ctx: BuildContext, corpus: Corpus) -> None:
        self.ctx = ctx
        self.corpus = corpus
        self._changes: whatsnew.EditionChanges | None = None
        self._ordered: list[Any] | None = None

    def entry(self, entry: schema.Entry) -> dict[str, Any]:
        titles = self.ctx.calculators.titles
        linked = [r.calculator for r in entry.regimens if r.calculator] + entry.calculators
        notes = {
            cid: provenance.therapy_note(cid, self.corpus.references)
            for cid in dict.fromkeys(linked)
            if cid in titles
        }
        confidence = provenance.citation_confidence(entry, self.corpus.discrepancies)
        changes = self.changes()
        marks = changes.marks_for_entry(entry.id)
        recs = [r for r in self._recommendations() if entry.id in r.action.entries]
        withdrawn = changes.withdrawn_from(entry_path(entry))
        return _as_context(EntryView(notes, confidence, marks, recs, withdrawn))

    def domain(self, domain: schema.DomainPage) -> dict[str, Any]:
        """A domain page: the key recommendations for that domain."""
        recs = [r for r in self._recommendations() if domain.id in r.population.domains]
        # This domain's own recommendations first, then those it shares with another domain.
        recs.sort(key=lambda r: r.population.domains[0] != domain.id)
        return {"key_recommendations": recs}

    def _recommendations(self) -> list[Any]:
        if self._ordered is None:
            from build_tools.kinds.recommendation import ordered

            self._ordered = ordered(self.corpus)
        return self._ordered

    def changes(self) -> whatsnew.EditionChanges:
        """This edition's changes against the latest kept edition (once per run)."""
        if self._changes is None:
            self._changes = whatsnew.edition_changes(
                self.corpus,
                self.ctx.calculators.edition,
                self.ctx.settings.content,
                self.ctx.memos.edition,
            )
        return self._changes

    def tombstone_pages(self) -> list[Page]:
        """A page at the old address of each withdrawn item that had one, saying when and
        why, with the items that went with it at their old anchors; out of the search
        index, listed under Reference › Withdrawn."""
        from build_tools.site_plan import Page
        from build_tools.withdrawals import TOMBSTONE_TEMPLATE

        stones = self.changes().tombstones
        pages = []
        for stone in self.changes().tombstone_pages():
            held = [t for t in stones if t.anchor and t.parent == stone.id and t.path == stone.path]
            pages.append(
                Page(
                    stone.path,
                    f"{stone.title} (withdrawn)",
                    TOMBSTONE_TEMPLATE,
                    section=outline.REFERENCE.short,
                    subsection="Withdrawn",
                    context={"tombstone": stone, "held": held},
                    meta={"search": {"exclude": True}},
                )
            )
        return pages

    def whats_new(self) -> dict[str, Any]:
        changes = self.changes()
        return {"changes": changes, "anchor": whatsnew.anchor}

    def study(self) -> study_site.StudySource:
        """What the study cards are made from: this corpus, this edition's changes."""
        from build_tools.site_render import _format, citation_style  # the render's own

        formatted = _format(self.corpus, self.ctx.memos.render, citation_style(self.ctx))
        citations = study_site.plain_citations(formatted)
        return study_site.source(self.ctx, self.corpus, self.changes(), citations)

    def study_pages(self) -> list[Page]:
        """The study pages: all the cards, then a page per deck (a Study section)."""
        return study_site.site_pages(self.study(), self.ctx.memos.study)

    def recommendation_mark(self, rec_id: str) -> str:
        return self.changes().mark_for("recommendations", rec_id)

    def algorithm(self, algo: schema.Algorithm, page_path: str) -> dict[str, Any]:
        held = self.ctx.memos.outlines.get(algo.id)
        if held is None or held.algorithm is not algo:  # the same outline while unchanged
            held = self.ctx.memos.outlines[algo.id] = HeldOutline(algo, algorithms.outline(algo))
        view = AlgorithmView(f"{algo.id}.svg", held.outline, self._linked_diagram(algo, page_path))
        return _as_context(view)

    def about(self) -> dict[str, Any]:
        view = AboutView(
            statement=provenance.statement(self.corpus),
            tier_words=provenance.tier_words(),
            tier_meanings=provenance.tier_meanings(),
            provenance_path=provenance.PAGE_PATH if self.ctx.calculators.titles else "",
        )
        return _as_context(view)

    def _linked_diagram(self, algo: schema.Algorithm, page_path: str) -> Markup:
        """The site's diagram: one column, each therapy or test linking to its page."""
        links: dict[str, list[algorithms.Link]] = {}
        for node in algo.nodes:
            for entry_id in node.entries:
                entry = self.corpus.entries[entry_id]
                target = entry_path(entry)[: -len(".md")]
                # Pages are published as folders (use_directory_urls): the diagram's page is
                # one level deeper than its Markdown file.
                href = "../" + relative(page_path, target) + "/"
                links.setdefault(node.id, []).append(algorithms.Link(entry.title, href))
        memos = self.ctx.memos
        key = (
            memos.render.digests.of(algo)
            + json.dumps({k: [(t.title, t.href) for t in v] for k, v in links.items()}).encode()
        )
        if key not in memos.svgs:
            memos.svgs[key] = algorithms.render_svg(algo, links, vertical=True)
        label = f"{algo.title}: flow diagram; the same steps are listed below it as text."
        return Markup(algorithms.inline_svg(memos.svgs[key], label))
