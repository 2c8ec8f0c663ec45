"""Study mode's outputs from one export: the browser's data, the decks, the page's and the
printed self-test's template contexts.

`publish` is the export plug-in: given the guideline's export (the dict written as
`guideline.json`) it returns the files to add to the site, by path. The page template
(`pages/study.md.j2`) and the handbook appendix (`print/self_test.html.j2`) read the
contexts below; nothing here reads files, the clock or the environment.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

from build_tools.study.anki import package
from build_tools.study.cards import CardMemo, build_cards
from build_tools.study.model import CardSet, domain_decks
from build_tools.study.practice import CASES, practice_cases

FORMAT: Final = "myositis-guideline-study/1"
"""The format of study/cards.json; the page's script checks it."""

FOLDER: Final = "study"
"""Where the study files are published, relative to the site root."""

SCRIPT: Final = "assets/js/study.js"
"""The page's script, relative to the site root."""

type Changed = Collection[tuple[str, str]]


def study_data(
    export: Mapping[str, Any],
    changed: Changed = (),
    *,
    seed: str = "study",
    cases_per_calculator: int = CASES,
) -> dict[str, Any]:
    """Everything the study page needs, as JSON data: decks, cards, practice cases and the
    report of what was not turned into a card."""
    cardset = build_cards(export, changed)
    references = export.get("references") or {}
    decks = _decks(export, cardset)
    return {
        "format": FORMAT,
        "edition": cardset.edition,
        "decks": decks,
        "cards": [card.to_json(references) for card in cardset.cards],
        "practice": practice_cases(seed, cases_per_calculator),
        "report": report(cardset),
    }


def _decks(export: Mapping[str, Any], cardset: CardSet) -> list[dict[str, Any]]:
    """The decks that have cards, in the guideline's domain order, with their files."""
    return [
        {
            "id": deck,
            "title": title,
            "count": len(cardset.by_domain(deck)),
            "apkg": f"{FOLDER}/{deck}.apkg",
        }
        for deck, title in domain_decks(export).items()
        if cardset.by_domain(deck)
    ]


def report(cardset: CardSet) -> dict[str, Any]:
    """How many cards of each kind were made, and what was skipped and why."""
    kinds: dict[str, int] = {}
    for card in cardset.cards:
        kinds[card.kind] = kinds.get(card.kind, 0) + 1
    return {
        "cards": len(cardset.cards),
        "by_kind": kinds,
        "skipped": len(cardset.skipped),
        "reasons": cardset.reasons(),
        "skipped_items": [s.to_json() for s in cardset.skipped],
        "figures_left_out": [s.to_json() for s in cardset.partial],
    }


def publish(
    export: Mapping[str, Any],
    changed: Changed = (),
    *,
    seed: str = "study",
    cases_per_calculator: int = CASES,
    site_url: str = "",
) -> dict[str, bytes]:
    """The study files to add to the site, by path: `study/cards.json` and one Anki
    package per deck (`study/<deck>.apkg`). Same export, same bytes."""
    data = study_data(export, changed, seed=seed, cases_per_calculator=cases_per_calculator)
    files = {f"{FOLDER}/cards.json": _json(data)}
    when = str((export.get("guideline") or {}).get("date") or "")
    for deck in data["decks"]:
        cards = [c for c in data["cards"] if deck["id"] in c["domains"]]
        files[deck["apkg"]] = package(
            deck["title"],
            deck["id"],
            cards,
            when=when,
            description=f"Self-check cards of the guideline, edition {data['edition']}: "
            f"{deck['title']}. Generated from the guideline's content; each card names "
            "its source sentence and reference.",
            site_url=site_url,
        )
    return files


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


TEMPLATE: Final = "study.md.j2"
"""The study page's template, under site_templates/pages/."""


@dataclass(frozen=True)
class StudyPage:
    """One study page for the planner: where it goes, its template and its context."""

    path: str
    """The Markdown page, relative to the docs folder ("study.md", "study/ild.md")."""
    title: str
    template: str
    context: Mapping[str, Any]


def study_pages(
    export: Mapping[str, Any], changed: Changed = (), *, per_domain: bool = True
) -> list[StudyPage]:
    """The study page for everything (`study.md`, served at study/) and, with `per_domain`,
    one per deck (`study/<deck>.md`, served at study/<deck>/), each with the way back to
    the site root its links need."""
    everything = page_context(export, changed)
    pages = [StudyPage("study.md", "Study", TEMPLATE, everything)]
    if per_domain:
        for deck in everything["decks"]:
            title = f"Study: {deck['title']}"
            context = page_context(export, changed, domain=deck["id"], root="../../")
            pages.append(
                StudyPage(f"study/{deck['id']}.md", title, TEMPLATE, {**context, "title": title})
            )
    return pages


def page_context(
    export: Mapping[str, Any],
    changed: Changed = (),
    *,
    domain: str | None = None,
    root: str = "../",
    memo: CardMemo | None = None,
) -> dict[str, Any]:
    """The study page's template context (`pages/study.md.j2`); `domain` preselects one
    deck, for a page per domain planned from the same template; `root` is the way from
    the page to the site root ("../" for study/)."""
    cardset = build_cards(export, changed, memo)
    decks = _decks(export, cardset)
    return {
        "title": "Study",
        "root": root,
        "edition": cardset.edition,
        "decks": decks,
        "domain": domain if domain in {d["id"] for d in decks} else "",
        "cards_json": f"{FOLDER}/cards.json",
        "script": SCRIPT,
        "report": report(cardset),
        "updated": sum(1 for c in cardset.cards if c.updated_in),
    }


def self_test_context(
    export: Mapping[str, Any],
    changed: Changed = (),
    *,
    per_deck: int | None = None,
    decks: Collection[str] | None = None,
) -> dict[str, Any]:
    """The printed self-test appendix (`print/self_test.html.j2`): numbered questions by
    deck, then the answers under the same numbers. `per_deck` limits a deck's questions
    (the first ones, in content order) and `decks` chooses the decks (e.g. without the
    glossary); None prints them all. A card in two decks is printed once, in the first."""
    cardset = build_cards(export, changed)
    references = export.get("references") or {}
    sections: list[dict[str, Any]] = []
    number = 0
    for deck, title in domain_decks(export).items():
        if decks is not None and deck not in decks:
            continue
        cards = cardset.by_domain(deck)
        taken = [c for c in cards if c.id not in {q["id"] for s in sections for q in s["items"]}]
        if per_deck is not None:
            taken = taken[:per_deck]
        if not taken:
            continue
        items = []
        for card in taken:
            number += 1
            items.append({"number": number, **card.to_json(references)})
        sections.append({"id": deck, "title": title, "items": items})
    return {"edition": cardset.edition, "sections": sections, "total": number}
