"""Every number a statement shows, and the source sentence it encodes.

A statement (a paragraph, a regimen, an evidence item, an algorithm step) that carries a
number also carries, beside its ``source:``, the verbatim sentence(s) of the source review
it encodes (``source.quote``). This module lists the statements with their numbers and
quotes and normalises text so that "1000 mg", "1,000 mg", "20–25%" and "20-25 %", or
"p less than 0.0001" and "p < 0.0001", compare equal. tests/content/test_quotes.py checks
that every number of a statement occurs in its quote, and that every quote occurs in the
source document itself when the source texts are present.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from build_tools import schema
from build_tools.loader import Corpus

# The source documents of each review, by reference key (file names as in ../shared/sources/).
SOURCE_FILES: dict[str, tuple[str, ...]] = {
    "huang-pye-2024": ("000_27fb046898e6bdd0.txt", "002_766f942a23d50dad.txt"),
    "moghadam-kia-oddis-2023": ("004_b5a5446b04bd0147.txt",),
}

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212]")
_SUPERSCRIPT = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079\u207a-\u207f]+")
_SUP_TAG = re.compile(r"<sup>[^<]*</sup>|\^\{[^}]*\}", re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_WORDS = (
    (re.compile(r"\bless than or equal to\b", re.I), "≤"),
    (re.compile(r"\bgreater than or equal to\b", re.I), "≥"),
    (re.compile(r"\bless than\b", re.I), "<"),
    (re.compile(r"\bgreater than\b", re.I), ">"),
    (re.compile(r"\bmore than\b", re.I), ">"),
)
_CITED = re.compile(r"\[@[^\]]*\]")
_UNITS: Sequence[str] = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS: Sequence[str] = (
    *("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
)
_NUMBER_WORD = re.compile(
    r"\b(?:("
    + "|".join(_TENS)
    + r")(?:-("
    + "|".join(_UNITS[1:10])
    + r"))?|("
    + "|".join(_UNITS)
    + r"))\b",
    re.I,
)


def _digits(match: re.Match[str]) -> str:
    if match.group(3):
        return str(_UNITS.index(match.group(3).lower()))
    tens = 20 + 10 * _TENS.index(match.group(1).lower())
    return str(tens + (_UNITS.index(match.group(2).lower()) if match.group(2) else 0))


def words_to_digits(text: str) -> str:
    """'Eleven of the 17', 'Twenty-eight patients' → '11 of the 17', '28 patients'.

    A quote says what the source says; a statement may write the same number in digits.
    """
    return _NUMBER_WORD.sub(_digits, text)


def normalise(text: str) -> str:
    """Text as compared: no markup or citation numbers, one kind of dash, quote and space."""
    text = text.replace("m<sup>2</sup>", "m2").replace("m\u00b2", "m2")  # a unit, not a citation
    text = _SUP_TAG.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _SUPERSCRIPT.sub(" ", text)
    text = _CITED.sub(" ", text)
    text = (
        text.replace("**", "")
        .replace("*", "")  # emphasis in the source texts (journal names), never a quote's own
        .replace("$", "")
        .replace("\\pm", "±")
        .replace("\\geq", "≥")
        .replace("\\%", "%")
    )
    text = text.replace("\\leq", "≤").replace("\\", "")
    text = _DASHES.sub("-", text)
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u00a0", " ").replace("\u2009", " ")
    for pattern, symbol in _WORDS:
        text = pattern.sub(symbol, text)
    text = _THOUSANDS.sub("", text)
    text = re.sub(r"\s*-\s*", "-", text)  # "20 - 25" and "20-25" alike
    text = re.sub(r"([<>≤≥])\s+", r"\1", text)  # "≥ 10%" and "≥10%" alike
    text = re.sub(r"\s+([%,.;:)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def numbers(text: str) -> list[str]:
    """The numbers a reader sees in ``text`` (schema.NUMBER), thousands separators removed."""
    return schema.numbers_in(_THOUSANDS.sub("", text))


def _quantity(q: schema.Quantity | None) -> str:
    if q is None:
        return ""
    values = [q.value] if q.value is not None else [q.min, q.max]
    return " ".join(f"{v:g}" for v in values if v is not None)


@dataclass(frozen=True)
class Statement:
    """One statement of the content: where it is, what it shows, and what it quotes."""

    id: str
    shown: str
    locator: schema.SourceLocator | None

    @property
    def numbers(self) -> list[str]:
        return list(dict.fromkeys(numbers(self.shown)))

    tier_declared: str | None = None

    @property
    def quote(self) -> list[str]:
        return list(self.locator.quote) if self.locator is not None else []

    @property
    def tier(self) -> str:
        """The statement's tier: the source review's unless it says otherwise."""
        return self.tier_declared or "review"


def statements(corpus: Corpus) -> Iterator[Statement]:
    """Every statement of entries, domains, antibodies, recommendations and algorithms, in
    file order."""
    for entry in corpus.entries.values():
        at = f"entries/{entry.id}.yaml"
        yield Statement(
            f"{at}:summary", entry.summary.text, entry.summary.source, entry.summary.tier
        )
        for si, section in enumerate(entry.sections):
            for pi, p in enumerate(section.paragraphs):
                yield Statement(f"{at}:sections[{si}].paragraphs[{pi}]", p.text, p.source, p.tier)
        for r in entry.regimens:
            shown = " ".join(
                part or ""
                for part in (
                    _quantity(r.dose),
                    r.frequency,
                    r.duration,
                    r.titration,
                    _quantity(r.maximum),
                    _quantity(r.target),
                    r.renal_adjustment,
                    r.notes,
                )
            )
            yield Statement(f"{at}:regimens[{r.id}]", shown, r.source)
        for ev in entry.evidence:
            figures = " ".join(f"{f.value} {f.ci or ''} {f.p or ''}" for f in ev.figures)
            shown = f"{ev.claim} {ev.n or ''} {figures}"
            yield Statement(f"{at}:evidence[{ev.id}]", shown, ev.source)
        for kind, items in (("monitoring", entry.monitoring), ("cautions", entry.cautions)):
            for i, c in enumerate(items):
                yield Statement(f"{at}:{kind}[{i}]", c.text, c.source, c.tier)
    for domain in corpus.domains:
        at = f"domains.yaml:[{domain.id.value}]"
        yield Statement(
            f"{at}.summary", domain.summary.text, domain.summary.source, domain.summary.tier
        )
        for i, step in enumerate(domain.steps):
            if step.text is not None:
                yield Statement(
                    f"{at}.steps[{i}]", step.text.text, step.text.source, step.text.tier
                )
    for ab in corpus.antibodies:
        at = f"antibodies.yaml:[{ab.id}]"
        for name in ("phenotype", "ild", "cancer"):
            c = getattr(ab, name)
            if c is not None:
                yield Statement(f"{at}.{name}", c.text, c.source, c.tier)
        for i, c in enumerate(ab.notes):
            yield Statement(f"{at}.notes[{i}]", c.text, c.source, c.tier)
    for rec in corpus.recommendations.values():
        yield Statement(f"recommendations/{rec.id}.yaml:statement", rec.statement, rec.source)
    for algo in corpus.algorithms.values():
        at = f"algorithms/{algo.id}.yaml"
        for node in algo.nodes:
            yield Statement(f"{at}:nodes[{node.id}]", node.label, node.source)
        for edge in algo.edges:
            if edge.condition:
                yield Statement(
                    f"{at}:edges[{edge.source}->{edge.target}]", edge.condition, edge.read_at
                )


def missing_numbers(statement: Statement) -> list[str]:
    """The statement's numbers that its quote does not contain."""
    quoted = set(numbers(words_to_digits(normalise(" ".join(statement.quote)))))
    return [n for n in statement.numbers if n not in quoted]


def source_texts(folder: Path) -> dict[str, str] | None:
    """Each review's normalised source text, or None when the folder is absent."""
    if not folder.is_dir():
        return None
    texts: dict[str, str] = {}
    for key, names in SOURCE_FILES.items():
        found = [folder / name for name in names if (folder / name).is_file()]
        if not found:
            return None
        texts[key] = " ".join(normalise(p.read_text(encoding="utf-8")) for p in found)
    return texts
