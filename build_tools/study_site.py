"""Study mode in the publishers: the study package (build_tools.study) fed from the same
corpus as every other page, for the site's study pages, the study export and the
handbook's self-test.

The study package reads an export-shaped dict; here it gets the current corpus in
guideline.json's shape (`snapshot.snapshot`, the very dumps the What's new comparison makes)
with each reference's plain citation, and the items this edition changed
(`whatsnew.edition_changes`) for the "updated in" marks. Under `make serve` the cards are
made again only when an object they read is a different object (`StudyMemo`): an edit to a
page's layout, or a calculator, leaves them as they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from build_tools import changes, snapshot
from build_tools.study.cards import CardMemo

if TYPE_CHECKING:
    from build_tools import whatsnew
    from build_tools.context import BuildContext
    from build_tools.loader import Corpus
    from build_tools.site_plan import Page

SECTION: Final = "Study"
"""The navigation section of the study pages: a tab of its own, where a trainee looks."""


@dataclass(frozen=True)
class StudySource:
    """What the study package reads: the export-shaped corpus and the changed items."""

    export: Mapping[str, Any]
    changed: frozenset[tuple[str, str]]


@dataclass
class StudyMemo:
    """The study source and pages of one build context, kept while every object they were
    made from is the same object (the snapshot's dumps are kept per object)."""

    held: tuple[object, ...] = ()
    changed: frozenset[tuple[str, str]] = frozenset()
    source: StudySource | None = None
    pages: list[Page] = field(default_factory=list)
    planned_for: StudySource | None = None
    """The source `pages` were last checked against."""
    files: Mapping[str, bytes] = field(default_factory=dict)
    published_for: StudySource | None = None
    """The source `files` (cards.json and the decks) were made from."""
    cards: CardMemo = field(default_factory=dict)
    """Each evidence item's card, while its entry is the same object (study.cards)."""


def changed_items(edition_changes: whatsnew.EditionChanges) -> frozenset[tuple[str, str]]:
    """(collection, id) of every item new or changed in this edition, as the site marks
    them (guidance changes: a new quote locator alone does not send a trainee back)."""
    return frozenset(
        (c.collection, c.id) for c in edition_changes.guidance() if c.status != "withdrawn"
    )


def export_of(
    edition: str,
    corpus: Corpus,
    memo: changes.CompareMemo,
    citations: Mapping[str, str],
) -> dict[str, Any]:
    """The corpus as guideline.json holds it, for the study package: the snapshot, with
    the guideline as one object (not a list of one) and each reference's plain citation."""
    from build_tools import outline  # outline → loader → context → memos: imported late

    collections = {
        name: outline.members(items) for name, items in outline.collections(corpus).items()
    }
    data: dict[str, Any] = dict(snapshot.snapshot(edition, collections, memo))
    guideline = data.get("guideline")
    if isinstance(guideline, list):
        data["guideline"] = guideline[0] if guideline else {}
    references = data.get("references") or {}
    data["references"] = {
        key: {**ref, "citation": citations.get(key, key)} for key, ref in references.items()
    }
    return data


def _parts(export: Mapping[str, Any]) -> tuple[object, ...]:
    """The objects an export is made of (the snapshot's per-object dumps), for identity."""
    parts: list[object] = []
    for value in export.values():
        if isinstance(value, Sequence) and not isinstance(value, str):
            parts.extend(value)
        elif isinstance(value, Mapping):
            parts.extend(value.values())
        else:
            parts.append(value)
    return tuple(parts)


def source(
    ctx: BuildContext,
    corpus: Corpus,
    edition_changes: whatsnew.EditionChanges,
    citations: Mapping[str, str],
) -> StudySource:
    """The study package's input, the same object while nothing it holds changed."""
    memo = ctx.memos.study
    export = export_of(ctx.calculators.edition, corpus, ctx.memos.edition.compare, citations)
    # The references are rebuilt above (with their citation): compare their sources.
    raw = {k: v for k, v in export.items() if k != "references"}
    held = (*_parts(raw), *corpus.references.values(), *citations.values())
    changed = changed_items(edition_changes)
    same = len(held) == len(memo.held) and all(a is b for a, b in zip(held, memo.held, strict=True))
    if memo.source is None or not same or changed != memo.changed:
        memo.held, memo.changed = held, changed
        memo.source = StudySource(export, changed)
    return memo.source


def site_pages(src: StudySource, memo: StudyMemo) -> list[Page]:
    """The study pages (everything at study/, then one per deck), in a section of their
    own. The cards are made once for all of them (a deck's page differs only in the deck
    it preselects and its way back to the root); while every page's context is equal to
    the last one's, the same Page objects, so an edit that leaves the cards' counts alone
    renders none of them again."""
    from build_tools import study
    from build_tools.site_plan import Page
    from build_tools.study.publish import TEMPLATE

    if memo.pages and memo.planned_for is src:
        return memo.pages
    everything = study.page_context(src.export, src.changed, memo=memo.cards)
    planned = [("study.md", "Study", "All cards", everything)]
    for deck in everything["decks"]:
        title = f"Study: {deck['title']}"
        context = {**everything, "title": title, "domain": deck["id"], "root": "../../"}
        planned.append((f"study/{deck['id']}.md", title, deck["title"], context))
    contexts = [context for *_, context in planned]
    if [p.context for p in memo.pages] != contexts:
        memo.pages = [
            Page(
                folder_page(path),
                title,
                TEMPLATE,
                context=context,
                section=SECTION,
                nav_title=nav_title,
                # A trainee's page, reached from its section: its cards quote the guidance,
                # and in the search index they would only crowd out the pages they quote
                # (and make the index every page downloads larger).
                meta={"search": {"exclude": True}},
            )
            for path, title, nav_title, context in planned
        ]
    memo.planned_for = src
    return memo.pages


def published(ctx: BuildContext, src: StudySource) -> Mapping[str, bytes]:
    """The study files (`study/cards.json`, `study/<deck>.apkg`), made once per source:
    the practice cases drawn with the edition as their seed (the same cases on every build
    of one edition), the decks' links to the public address."""
    from build_tools import siteurl, study

    memo = ctx.memos.study
    if memo.published_for is not src:
        url = ctx.settings.site_url
        site = siteurl.normalise(url) if url else siteurl.LOCAL
        memo.files = study.publish(
            src.export, src.changed, seed=ctx.calculators.edition, site_url=site
        )
        memo.published_for = src
    return memo.files


def folder_page(path: str) -> str:
    """A study page as the index of its own folder ("study.md" → "study/index.md",
    "study/ild.md" → "study/ild/index.md"): its raw-HTML links (`root`: "../", "../../")
    then hold in the site (folder URLs) and in the offline copy (`page.html` URLs) alike,
    the page being as deep in both."""
    return path.removesuffix(".md") + "/index.md"


def plain_citations(formatted: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Reference id → its plain-text citation, from the formatted (html, plain) pairs."""
    return {key: plain for key, (_html, plain) in formatted.items()}


PRINT_LEFT_OUT: Final = ("glossary",)
"""Decks the printed self-test leaves out: the glossary's cards would double its length
with definitions the handbook's glossary chapter prints already."""


def self_test(
    ctx: BuildContext, corpus: Corpus, left_out: Sequence[str] = PRINT_LEFT_OUT
) -> dict[str, Any]:
    """The handbook's self-test appendix (print/self_test.html.j2): the same cards as the
    site's, from the same corpus and edition changes, without the decks `left_out`
    (named in the chapter's introduction)."""
    from build_tools import study, whatsnew
    from build_tools.citations import format_references
    from build_tools.study.model import domain_decks

    formatted = format_references(list(corpus.references.values()))
    export = export_of(
        ctx.calculators.edition, corpus, ctx.memos.edition.compare, plain_citations(formatted)
    )
    edition_changes = whatsnew.edition_changes(
        corpus, ctx.calculators.edition, ctx.settings.content, ctx.memos.edition
    )
    decks = domain_decks(export)
    chosen = [deck for deck in decks if deck not in left_out]
    context = study.self_test_context(export, changed_items(edition_changes), decks=chosen)
    return {**context, "left_out": [decks[d] for d in left_out if d in decks]}
