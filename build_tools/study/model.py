"""What a study card is, why one was not made, and where a card's item lives on the site."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from build_tools.citations import author_year
from build_tools.study.text import Item, listed

BLANK: Final = "__"
"""The gap a cloze card leaves where a number or a name was."""

NOT_GRADED: Final = "Not graded by the source (narrative review)"
"""What a recommendation card says when the source gives no strength or certainty."""

EXTRA_DECKS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "antibodies": "Autoantibodies",
        "glossary": "Glossary",
    }
)
"""Decks beside the guideline's domains, for items that belong to no domain."""


@dataclass(frozen=True, kw_only=True)
class Card:
    """One self-check: a prompt, its answer, and where both come from.

    ``item`` is the export collection and id the card was made from, so an edition's
    changes (build_tools/changes.py) can mark the card; ``answers`` are the blanks of a
    cloze prompt in reading order.
    """

    id: str
    kind: str
    item: tuple[str, str]
    domains: tuple[str, ...]
    topic: str
    prompt: str
    answer: str
    answers: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()
    quote: tuple[str, ...] = ()
    source: str = ""
    refs: tuple[str, ...] = ()
    url: str = ""
    updated_in: str | None = None

    def to_json(self, references: Mapping[str, Any]) -> dict[str, Any]:
        """Plain data for the browser, the deck and the printed self-test."""
        return {
            "id": self.id,
            "kind": self.kind,
            "item": {"collection": self.item[0], "id": self.item[1]},
            "domains": list(self.domains),
            "topic": self.topic,
            "prompt": self.prompt,
            "answer": self.answer,
            "answers": list(self.answers),
            "detail": list(self.detail),
            "quote": list(self.quote),
            "source": source_words(self.source, references),
            "refs": [cited(references, ref) for ref in self.refs],
            "url": self.url,
            "updated_in": self.updated_in,
        }


@dataclass(frozen=True)
class Skipped:
    """An item that got no card (or a figure left out of one), and why."""

    kind: str
    item: str
    reason: str
    note: str = ""
    """What the reason refers to (the card an item repeats), where it refers to something."""

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "item": self.item, "reason": self.reason, "note": self.note}


@dataclass(frozen=True)
class CardSet:
    """The cards made from one export, and the report of what was left out."""

    edition: str
    cards: tuple[Card, ...]
    skipped: tuple[Skipped, ...] = ()
    partial: tuple[Skipped, ...] = field(default=())
    """Figures left out of a card that was made (the rest of the item was usable)."""

    def by_domain(self, domain: str) -> tuple[Card, ...]:
        return tuple(card for card in self.cards if domain in card.domains)

    def reasons(self) -> list[dict[str, Any]]:
        """How many items of each kind were skipped for each reason, most frequent first."""
        counts: dict[tuple[str, str], int] = {}
        for skip in self.skipped:
            counts[skip.kind, skip.reason] = counts.get((skip.kind, skip.reason), 0) + 1
        return [
            {"kind": kind, "reason": reason, "count": count}
            for (kind, reason), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]


def source_words(source: str, references: Mapping[str, Any]) -> str:
    """Where a card was read, as a reader names it: "Moghadam-Kia & Oddis 2023, section".

    An item's `source` names its document by reference key; a card never shows a key.
    """
    document, comma, section = source.partition(", ")
    found = references.get(document)
    if isinstance(found, Mapping) and found.get("citation"):
        document = author_year(str(found["citation"]))
    return f"{document}{comma}{section}"


def cited(references: Mapping[str, Any], ref: str) -> dict[str, Any]:
    """A reference as a card shows it: its id, the citation and its number in the list."""
    found = references.get(ref)
    if not isinstance(found, Mapping):
        return {"id": ref, "citation": ref, "number": None}
    return {"id": ref, "citation": str(found.get("citation") or ref), "number": found.get("number")}


def entry_url(entry: Item) -> str:
    """An entry's page, relative to the site root (therapies/<id>/ or topics/<id>/)."""
    folder = "therapies" if entry.get("kind") == "therapy" else "topics"
    return f"{folder}/{entry.get('id')}/"


def domain_decks(export: Item) -> dict[str, str]:
    """Deck id → title: the export's domains in their order, then the extra decks."""
    decks = {
        str(d.get("id")): str(d.get("title") or d.get("id")) for d in listed(export.get("domains"))
    }
    return {**decks, **EXTRA_DECKS}
