"""Cards that recall a name, an association or a statement: autoantibodies (what each is
associated with; which antibody targets an antigen), glossary terms, key recommendations.

Like the figure cards, each is made only where the content says it unambiguously: an
antigen shared by two antibodies is not asked, a term defined twice differently is not
asked, and a recommendation's grading is the source's or an explicit "not graded".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from build_tools.study.model import BLANK, NOT_GRADED, Card, Skipped
from build_tools.study.text import (
    Item,
    anchor,
    listed,
    plain,
    quote_of,
    source_text,
    strings,
)

NO_STATEMENT: Final = "no statement"
NO_ASSOCIATION: Final = "no association stated"
SHARED_ANTIGEN: Final = "antigen shared with another antibody"
NO_DEFINITION: Final = "no definition"
SAME_TERM: Final = "term defined more than once, differently"


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
                source=source_text(rec),
                refs=strings(rec.get("refs")) or strings(_refs_of(rec.get("statement"))),
                url=str(rec.get("url") or f"recommendations/{rec_id}/"),
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
