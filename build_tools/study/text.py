"""Reading the export's text for study cards: citations, numbers and quantities.

A card is only as trustworthy as its match with the source sentence, so the numbers a card
asks for are found in the quote as tokens (digits, or number words such as "Eleven" or
"Twenty-eight"), never by substring: "5" is not found inside "anti-MDA5" or "2.5".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

type Item = Mapping[str, Any]
"""One object of the export (an entry, an evidence item, a regimen...): JSON data."""

CITATION: Final = re.compile(r"\s*\[@[^\]]*\]")
"""A Pandoc-style citation group in the export's prose ("[@huang-pye-2024; @x]")."""

_NUMBER: Final = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w]|\.\d)")
_UNITS: Final[Mapping[str, int]] = MappingProxyType({
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
})  # fmt: skip
_TENS: Final[Mapping[str, int]] = MappingProxyType({
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
})  # fmt: skip
_WORD: Final = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:-(?P<unit>" + "|".join(list(_UNITS)[1:10]) + r"))?"
    r"|(?P<small>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Token:
    """One number written in a sentence: where it is, how it is written, what it is worth."""

    sentence: int
    start: int
    end: int
    text: str
    value: float


def plain(text: object) -> str:
    """Prose without its citation markers (the card lists its references itself)."""
    if isinstance(text, Mapping):
        text = text.get("text", "")
    return re.sub(r"\s+([.,;:])", r"\1", CITATION.sub("", str(text or ""))).strip()


def number_text(value: float) -> str:
    """A number as the guideline writes it: 50, 2.5, 1800 (never 50.0)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def numbers_in(value: object) -> tuple[float, ...]:
    """The numbers a figure's value holds: 25 → (25,); "11 of 17" → (11, 17); "30 (88%)"."""
    if isinstance(value, bool):
        return ()
    if isinstance(value, int | float):
        return (float(value),)
    return tuple(_worth(m.group()) for m in _NUMBER.finditer(str(value)))


def _worth(written: str) -> float:
    return float(written.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", written)
                 else written.replace(",", "."))  # fmt: skip


def tokens(sentences: Sequence[str]) -> list[Token]:
    """Every number in the sentences, in reading order, digits and number words alike."""
    found: list[Token] = []
    for index, sentence in enumerate(sentences):
        spans = [
            Token(index, m.start(), m.end(), m.group(), _worth(m.group()))
            for m in _NUMBER.finditer(sentence)
        ]
        for m in _WORD.finditer(sentence):
            if m.group("small"):
                worth = _UNITS[m.group("small").lower()]
            else:
                worth = _TENS[m.group("tens").lower()] + (
                    _UNITS[m.group("unit").lower()] if m.group("unit") else 0
                )
            spans.append(Token(index, m.start(), m.end(), m.group(), float(worth)))
        found.extend(sorted(spans, key=lambda t: t.start))
    return found


def blank(sentences: Sequence[str], hidden: Iterable[Token], mark: str) -> list[str]:
    """The sentences with each hidden token replaced by `mark`."""
    by_sentence: dict[int, list[Token]] = {}
    for token in hidden:
        by_sentence.setdefault(token.sentence, []).append(token)
    out: list[str] = []
    for index, sentence in enumerate(sentences):
        text = sentence
        for token in sorted(by_sentence.get(index, []), key=lambda t: -t.start):
            text = text[: token.start] + mark + text[token.end :]
        out.append(text)
    return out


def quantity(q: object) -> str:
    """A dose as the pages write it: "50 mg/day", "300–800 mg/m² per month"."""
    if not isinstance(q, Mapping):
        return ""
    unit = str(q.get("unit", "")).replace("m2", "m²")
    if q.get("value") is not None:
        amount = number_text(float(q["value"]))
    elif q.get("min") is not None and q.get("max") is not None:
        amount = f"{number_text(float(q['min']))}–{number_text(float(q['max']))}"
    else:
        return ""
    per = f" per {q['per']}" if q.get("per") else ""
    return f"{amount} {unit}{per}".strip()


def quantity_numbers(q: object) -> tuple[float, ...]:
    """The numbers a dose states (its value, or its low and high ends)."""
    if not isinstance(q, Mapping):
        return ()
    keys = ("value",) if q.get("value") is not None else ("min", "max")
    return tuple(float(q[k]) for k in keys if q.get(k) is not None)


def anchor(value: str) -> str:
    """The id the site gives a heading or a glossary term ("Anti-Jo-1" → "anti-jo-1")."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def quote_of(item: Item) -> list[str]:
    """The source sentences an item quotes (its `source.quote`), if any."""
    source = item.get("source")
    if not isinstance(source, Mapping):
        return []
    return [str(s) for s in source.get("quote") or () if str(s).strip()]


def source_text(item: Item) -> str:
    """Where an item was read: "document, section" (its `source`)."""
    source = item.get("source")
    if not isinstance(source, Mapping):
        return ""
    return ", ".join(str(source[k]) for k in ("document", "section") if source.get(k))


def listed(value: object) -> list[Item]:
    """The mappings of a JSON list (anything else gives nothing)."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def strings(value: object) -> tuple[str, ...]:
    """The strings of a JSON list, or a single string as one."""
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, Sequence):
        return tuple(str(v) for v in value if v)
    return ()
