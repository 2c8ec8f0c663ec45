"""Self-check cards generated from the guideline's export, never written by hand.

Each maker reads one kind of item and returns its cards and, for an item it could not turn
into a faithful card, the reason. A card asks only for what its source sentence states:
an evidence card blanks the study's figures where the quote writes them, once each; a
regimen card is made only when the quote states its dose. What a card cannot ask without
guessing is left out and reported, so the counts always add up to the content.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Final

from build_tools.study.model import BLANK, Card, CardSet, Skipped, entry_url
from build_tools.study.recall import (
    antibody_cards,
    glossary_cards,
    recommendation_cards,
)
from build_tools.study.text import (
    Item,
    Token,
    blank,
    listed,
    number_text,
    numbers_in,
    plain,
    quantity,
    quantity_numbers,
    quote_of,
    source_text,
    strings,
    tokens,
)

NO_NUMBERS: Final = "no figures to ask for"
NO_QUOTE: Final = "no source sentence to check the figures against"
NUMBERS_MISSING: Final = "figures not written in the source sentence"
AMBIGUOUS: Final = "figures written more than once in the source sentence"
NO_DOSE: Final = "no dose stated"
DOSE_MISSING: Final = "dose not written in the source sentence"
SAME_QUESTION: Final = "same question as another card, with a different answer"

REPEAT: Final = "same question and answer as another card"

QUESTION_REGIMEN: Final = "what dose, how often and by which route?"


type CardMemo = dict[int, tuple[Item, Item, tuple[Card, list[Skipped]] | Skipped]]
"""Evidence item (by identity) → (its entry, the item, its card or why it has none)."""


def evidence_cards(
    export: Item, memo: CardMemo | None = None
) -> tuple[list[Card], list[Skipped], list[Skipped]]:
    """One cloze card per evidence item whose figures its source sentence states once.

    With a `memo` (a build context's), an item whose entry and item are the very objects of
    the last call keeps its card: under `make serve` the export's item dicts stay the same
    objects while their entries are unchanged, so an edit makes one entry's cards again."""
    cards: list[Card] = []
    skipped: list[Skipped] = []
    partial: list[Skipped] = []
    for entry in listed(export.get("entries")):
        for item in listed(entry.get("evidence")):
            held = memo.get(id(item)) if memo is not None else None
            if held is not None and held[0] is entry and held[1] is item:
                made = held[2]
            else:
                made = _evidence_card(entry, item)
                if memo is not None:
                    memo[id(item)] = (entry, item, made)
            if isinstance(made, Skipped):
                skipped.append(made)
            else:
                cards.append(made[0])
                partial.extend(made[1])
    return cards, skipped, partial


def _figures(item: Item) -> list[tuple[str, object, str]]:
    figures = [
        (str(f.get("label", "")), f.get("value"), str(f.get("unit") or ""))
        for f in listed(item.get("figures"))
    ]
    if item.get("n") is not None:
        figures.insert(0, ("patients in the study (n)", item["n"], ""))
    return figures


def _evidence_card(entry: Item, item: Item) -> tuple[Card, list[Skipped]] | Skipped:
    item_id = str(item.get("id"))
    figures = _figures(item)
    if not figures:
        return Skipped("evidence", item_id, NO_NUMBERS)
    quote = quote_of(item)
    if not quote:
        return Skipped("evidence", item_id, NO_QUOTE)
    written = tokens(quote)
    hidden: dict[tuple[int, int], Token] = {}
    lines: list[str] = []
    left_out: list[Skipped] = []
    for label, value, unit in figures:
        wanted = numbers_in(value)
        found = [[t for t in written if t.value == number] for number in wanted]
        shown = f"{label}: {_figure_text(value, unit)}"
        if not wanted or any(not f for f in found):
            left_out.append(Skipped("evidence", item_id, f"{shown}: {NUMBERS_MISSING}"))
        elif len(set(wanted)) != len(wanted) or any(len(f) > 1 for f in found):
            left_out.append(Skipped("evidence", item_id, f"{shown}: {AMBIGUOUS}"))
        else:
            hidden.update({(f[0].sentence, f[0].start): f[0] for f in found})
            lines.append(shown)
    if not hidden:
        reasons = {s.reason.rsplit(": ", 1)[-1] for s in left_out}
        return Skipped("evidence", item_id, AMBIGUOUS if AMBIGUOUS in reasons else NUMBERS_MISSING)
    in_order = sorted(hidden.values(), key=lambda t: (t.sentence, t.start))
    answers = tuple(t.text for t in in_order)
    card = Card(
        id=f"evidence/{item_id}",
        kind="evidence",
        item=("evidence", item_id),
        domains=strings(item.get("domains")) or strings(entry.get("domains")),
        topic=f"{entry.get('title')} · {_study_type(item)}",
        prompt=" ".join(blank(quote, in_order, BLANK)),
        answer="; ".join(answers),
        answers=answers,
        detail=(*lines, f"In this guideline's words: {plain(item.get('claim'))}"),
        quote=tuple(quote),
        source=source_text(item),
        refs=strings(item.get("refs")),
        url=f"{entry_url(entry)}#evidence-{item_id}",
    )
    return card, left_out


def _figure_text(value: object, unit: str) -> str:
    shown = number_text(float(value)) if isinstance(value, int | float) else str(value)
    if not unit:
        return shown
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}"


def _study_type(item: Item) -> str:
    kind = str(item.get("study_type") or "study").replace("-", " ")
    return {"rct": "randomised controlled trial", "rct post hoc": "RCT, post hoc analysis"}.get(
        kind, kind
    )


def regimen_cards(export: Item) -> tuple[list[Card], list[Skipped]]:
    """One card per regimen with a dose its source sentence states: drug → dose, how
    often, route. A label that names the dose has it blanked, so the prompt does not
    give the answer away."""
    cards: list[Card] = []
    skipped: list[Skipped] = []
    for entry in listed(export.get("entries")):
        for regimen in listed(entry.get("regimens")):
            regimen_id = str(regimen.get("id"))
            dose = regimen.get("dose")
            numbers = quantity_numbers(dose)
            if not numbers:
                skipped.append(Skipped("regimen", regimen_id, NO_DOSE))
                continue
            quote = quote_of(regimen)
            if not quote:
                skipped.append(Skipped("regimen", regimen_id, NO_QUOTE))
                continue
            written = {t.value for t in tokens(quote)}
            if not set(numbers) <= written:
                skipped.append(Skipped("regimen", regimen_id, DOSE_MISSING))
                continue
            label = str(regimen.get("label") or regimen.get("drug"))
            in_label = [t for t in tokens([label]) if t.value in numbers]
            label = blank([label], in_label, BLANK)[0]
            drug = str(regimen.get("drug") or "")
            if drug and drug.lower() not in label.lower():
                label = f"{drug}: {label}"
            frequency = str(regimen.get("frequency") or "not stated in the source")
            cards.append(
                Card(
                    id=f"regimen/{regimen_id}",
                    kind="regimen",
                    item=("regimens", regimen_id),
                    domains=strings(entry.get("domains")),
                    topic=f"{entry.get('title')} · regimen",
                    prompt=f"{label}: {QUESTION_REGIMEN}",
                    answer=f"{quantity(dose)}; {frequency}; {regimen.get('route')}",
                    answers=(quantity(dose), frequency, str(regimen.get("route"))),
                    detail=_regimen_detail(regimen),
                    quote=tuple(quote),
                    source=source_text(regimen),
                    refs=strings(regimen.get("refs")),
                    url=f"{entry_url(entry)}#regimen-{regimen_id}",
                )
            )
    return cards, skipped


def _regimen_detail(regimen: Item) -> tuple[str, ...]:
    lines = [
        f"Dose: {quantity(regimen.get('dose'))}",
        f"How often: {regimen.get('frequency') or 'not stated in the source'}",
        f"Route: {regimen.get('route')}",
    ]
    for key, label in (("duration", "Duration"), ("titration", "Titration")):
        if regimen.get(key):
            lines.append(f"{label}: {plain(regimen[key])}")
    for key, label in (("target", "Target"), ("maximum", "Maximum")):
        if quantity(regimen.get(key)):
            lines.append(f"{label}: {quantity(regimen[key])}")
    return tuple(lines)


def build_cards(
    export: Item, changed: Collection[tuple[str, str]] = (), memo: CardMemo | None = None
) -> CardSet:
    """Every card the export yields, in a stable order, with the skip report.

    `changed` holds (collection, id) pairs of items changed in this edition
    (`ChangeSet.changes` → `(c.collection, c.id)`); their cards carry `updated_in`.
    """
    edition = str(export.get("edition") or "")
    evidence, skipped, partial = evidence_cards(export, memo)
    cards = list(evidence)
    for maker in (regimen_cards, recommendation_cards, antibody_cards, glossary_cards):
        made, left = maker(export)
        cards.extend(made)
        skipped.extend(left)
    cards, clashes = _without_clashes(cards)
    skipped.extend(clashes)
    marked = {tuple(pair) for pair in changed}
    cards = [replace(c, updated_in=edition) if c.item in marked else c for c in cards]
    return CardSet(edition, tuple(cards), tuple(skipped), tuple(partial))


def _without_clashes(cards: list[Card]) -> tuple[list[Card], list[Skipped]]:
    """Cards asking the same question with different answers are ambiguous: none is kept.
    A card asking what an earlier card asks, with its answer (two entries quoting the same
    sentence), is a repeat: the first is kept."""
    answers: dict[str, set[str]] = {}
    for card in cards:
        answers.setdefault(card.prompt, set()).add(card.answer)
    first: dict[str, Card] = {}
    dropped: list[Skipped] = []
    for card in cards:
        if len(answers[card.prompt]) > 1:
            dropped.append(Skipped(card.kind, card.item[1], SAME_QUESTION))
        elif card.prompt in first:
            kept = first[card.prompt]
            dropped.append(Skipped(card.kind, card.item[1], REPEAT, note=kept.id))
            domains = tuple(dict.fromkeys((*kept.domains, *card.domains)))
            first[card.prompt] = replace(kept, domains=domains)
        else:
            first[card.prompt] = card
    return list(first.values()), dropped
