"""Self-check cards generated from the guideline's export, never written by hand.

Each maker reads one kind of item and returns its cards and, for an item it could not turn
into a faithful card, the reason. A card asks only for what its source sentence states:
an evidence card blanks the study's figures where the quote writes them, once each; a
regimen card is made only when the quote states its dose. What a card cannot ask without
guessing is left out and reported, so the counts always add up to the content.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import Final

from build_tools.study.model import BLANK, NOT_GRADED, Card, CardSet, Skipped, entry_url
from build_tools.study.text import (
    Item,
    Token,
    anchor,
    blank,
    listed,
    number_text,
    numbers_in,
    plain,
    quantity,
    quantity_numbers,
    quote_of,
    strings,
    tokens,
)

NO_NUMBERS: Final = "no figures to ask for"
NO_QUOTE: Final = "no source sentence to check the figures against"
NUMBERS_MISSING: Final = "figures not written in the source sentence"
AMBIGUOUS: Final = "figures written more than once in the source sentence"
NO_DOSE: Final = "no dose stated"
DOSE_MISSING: Final = "dose not written in the source sentence"
NO_STATEMENT: Final = "no statement"
NO_ASSOCIATION: Final = "no association stated"
SHARED_ANTIGEN: Final = "antigen shared with another antibody"
NO_DEFINITION: Final = "no definition"
SAME_TERM: Final = "term defined more than once, differently"
SAME_QUESTION: Final = "same question as another card, with a different answer"

REPEAT: Final = "same question and answer as another card"

QUESTION_REGIMEN: Final = "what dose, how often and by which route?"


def evidence_cards(export: Item) -> tuple[list[Card], list[Skipped], list[Skipped]]:
    """One cloze card per evidence item whose figures its source sentence states once."""
    cards: list[Card] = []
    skipped: list[Skipped] = []
    partial: list[Skipped] = []
    for entry in listed(export.get("entries")):
        for item in listed(entry.get("evidence")):
            made = _evidence_card(entry, item)
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
        source=_source(item),
        refs=strings(item.get("refs")),
        url=f"{entry_url(entry)}#{item_id}",
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


def _source(item: Item) -> str:
    source = item.get("source")
    if not isinstance(source, Mapping):
        return ""
    return ", ".join(str(source[k]) for k in ("document", "section") if source.get(k))


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
                    source=_source(regimen),
                    refs=strings(regimen.get("refs")),
                    url=f"{entry_url(entry)}#{regimen_id}",
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


def recommendation_cards(export: Item) -> tuple[list[Card], list[Skipped]]:
    """One card per key recommendation: the action it names blanked where the statement
    names it (a cloze), else the statement recalled from its context; the grading as the
    source gives it, or that it gives none."""
    names = _entry_names(export)
    cards: list[Card] = []
    skipped: list[Skipped] = []
    for rec in listed(export.get("recommendations")):
        rec_id = str(rec.get("id"))
        statement = plain(rec.get("statement"))
        if not statement:
            skipped.append(Skipped("recommendation", rec_id, NO_STATEMENT))
            continue
        action = rec["action"] if isinstance(rec.get("action"), Mapping) else {}
        targets = [
            name
            for entry_id in (*strings(action.get("entries")), *strings(rec.get("entries")))
            for name in names.get(entry_id, ())
        ]
        prompt, answers = _cloze_names(statement, targets)
        context = plain(rec.get("population")) or plain(rec.get("title"))
        if not answers:
            about = f" ({context})" if context else ""
            prompt = f"What does key recommendation {rec_id} say{about}?"
        cards.append(
            Card(
                id=f"recommendation/{rec_id}",
                kind="recommendation",
                item=("recommendations", rec_id),
                domains=_rec_domains(rec),
                topic=f"Key recommendation {rec_id}",
                prompt=prompt,
                answer="; ".join(answers) if answers else statement,
                answers=answers,
                detail=(f"Recommendation: {statement}", f"Grading: {_grading(rec)}"),
                quote=tuple(quote_of(rec)),
                source=_source(rec),
                refs=strings(rec.get("refs")) or strings(_refs_of(rec.get("statement"))),
                url=f"recommendations/#{rec_id}",
            )
        )
    return cards, skipped


def _refs_of(value: object) -> object:
    return value.get("refs") if isinstance(value, Mapping) else ()


def _rec_domains(rec: Item) -> tuple[str, ...]:
    for holder in (rec, rec.get("context"), rec.get("population")):
        if isinstance(holder, Mapping):
            found = strings(holder.get("domains")) or strings(holder.get("domain"))
            if found:
                return found
    return ()


def _grading(rec: Item) -> str:
    grades = [
        f"{label}: {plain(rec[key])}"
        for key, label in (("strength", "strength"), ("certainty", "certainty"))
        if rec.get(key) and "not graded" not in plain(rec[key]).lower()
    ]
    return "; ".join(grades) if grades else NOT_GRADED


def _entry_names(export: Item) -> dict[str, tuple[str, ...]]:
    """Entry id → the names a statement may use for it (title and synonyms), longest first."""
    return {
        str(e.get("id")): tuple(
            sorted({str(e.get("title")), *strings(e.get("synonyms"))}, key=len, reverse=True)
        )
        for e in listed(export.get("entries"))
    }


def _cloze_names(statement: str, names: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """The statement with each named action blanked (first mention, whole words)."""
    spans: list[tuple[int, int]] = []
    for name in names:
        match = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", statement, re.IGNORECASE)
        if match and not any(s < match.end() and match.start() < e for s, e in spans):
            spans.append(match.span())
    spans.sort()
    answers = tuple(statement[s:e] for s, e in spans)
    for s, e in reversed(spans):
        statement = statement[:s] + BLANK + statement[e:]
    return statement, answers


def antibody_cards(export: Item) -> tuple[list[Card], list[Skipped]]:
    """Per antibody: what it is associated with (phenotype and lung); and, where its antigen
    is its own, which antibody targets that antigen."""
    antibodies = listed(export.get("antibodies"))
    antigens: dict[str, int] = {}
    for ab in antibodies:
        if ab.get("antigen"):
            antigens[str(ab["antigen"]).lower()] = antigens.get(str(ab["antigen"]).lower(), 0) + 1
    cards: list[Card] = []
    skipped: list[Skipped] = []
    for ab in antibodies:
        ab_id, name = str(ab.get("id")), str(ab.get("name"))
        phenotype, lung = plain(ab.get("phenotype")), plain(ab.get("ild"))
        common = {
            "item": ("antibodies", ab_id),
            "domains": ("antibodies",),
            "topic": f"Autoantibodies · {name}",
            "quote": tuple(q for part in ("phenotype", "ild") for q in _part_quote(ab, part)),
            "refs": tuple(
                dict.fromkeys(r for p in ("phenotype", "ild") for r in _part_refs(ab, p))
            ),
            "url": f"antibodies/#{ab_id}",
        }
        if not (phenotype or lung):
            skipped.append(Skipped("antibody", ab_id, NO_ASSOCIATION))
        else:
            target = f" (target: {ab['antigen']})" if ab.get("antigen") else ""
            detail = tuple(
                line
                for line in (
                    f"Phenotype: {phenotype}" if phenotype else "",
                    f"Lung: {lung}" if lung else "",
                )
                if line
            )
            cards.append(
                Card(
                    id=f"antibody/{ab_id}",
                    kind="antibody",
                    prompt=f"{name}{target}: what is it associated with, in the muscle, "
                    "skin and lung?",
                    answer=" ".join(detail),
                    detail=detail,
                    **common,  # type: ignore[arg-type]
                )
            )
        antigen = str(ab.get("antigen") or "")
        if antigen and antigens[antigen.lower()] == 1:
            cards.append(
                Card(
                    id=f"antigen/{ab_id}",
                    kind="antigen",
                    prompt=f"Which myositis autoantibody targets {antigen}?",
                    answer=name,
                    answers=(name,),
                    detail=(f"{name}: {ab.get('group')} antibody" if ab.get("group") else name,),
                    **common,  # type: ignore[arg-type]
                )
            )
        elif antigen:
            skipped.append(Skipped("antigen", ab_id, SHARED_ANTIGEN))
    return cards, skipped


def _part_quote(item: Item, part: str) -> list[str]:
    value = item.get(part)
    return quote_of(value) if isinstance(value, Mapping) else []


def _part_refs(item: Item, part: str) -> tuple[str, ...]:
    value = item.get(part)
    return strings(value.get("refs")) if isinstance(value, Mapping) else ()


def glossary_cards(export: Item) -> tuple[list[Card], list[Skipped]]:
    """Term → definition; a term defined twice differently is not asked."""
    terms = listed(export.get("glossary"))
    definitions: dict[str, set[str]] = {}
    for term in terms:
        definitions.setdefault(str(term.get("term")), set()).add(plain(term.get("definition")))
    cards: list[Card] = []
    skipped: list[Skipped] = []
    for term in terms:
        name, definition = str(term.get("term")), plain(term.get("definition"))
        if not definition:
            skipped.append(Skipped("glossary", name, NO_DEFINITION))
        elif len(definitions[name]) > 1:
            skipped.append(Skipped("glossary", name, SAME_TERM))
        elif any(c.item == ("glossary", name) for c in cards):
            continue
        else:
            cards.append(
                Card(
                    id=f"glossary/{anchor(name) or name}",
                    kind="glossary",
                    item=("glossary", name),
                    domains=("glossary",),
                    topic="Glossary",
                    prompt=f"What does “{name}” mean?",
                    answer=definition,
                    answers=(definition,),
                    refs=strings(term.get("refs")),
                    url=f"glossary/#{anchor(name)}",
                )
            )
    return cards, skipped


def build_cards(export: Item, changed: Collection[tuple[str, str]] = ()) -> CardSet:
    """Every card the export yields, in a stable order, with the skip report.

    `changed` holds (collection, id) pairs of items changed in this edition
    (`ChangeSet.changes` → `(c.collection, c.id)`); their cards carry `updated_in`.
    """
    edition = str(export.get("edition") or "")
    evidence, skipped, partial = evidence_cards(export)
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
