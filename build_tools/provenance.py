"""Where each rule comes from, derived from the calculators' declarations, for every publisher.

A calculator declares the tier of each rule once (``calculators.declaration.Provenance``);
this module turns those declarations into what the pages say: the "Where each rule comes
from" table of a calculator page, the one-line note on a therapy page that links a
calculator applying rules the review does not state, the marks under the printed tables,
the site's statement about its own sources, and the Provenance page. Nothing here is
written by hand, so a changed tier changes every one of them.

Unverified rules are never applied by a calculator. By default they appear only in the
"left out" lists; a build run with ``--include-unverified`` (environment variable
``GUIDELINE_INCLUDE_UNVERIFIED=1``) shows them for review, marked on every occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from build_tools import context
from build_tools.context import Settings
from build_tools.site_plan import Page

INCLUDE_UNVERIFIED_ENV = context.INCLUDE_UNVERIFIED_ENV
PAGE_PATH = "provenance.md"
PAGE_TITLE = "Provenance"
TEMPLATE = "provenance.md.j2"

# The same words as calculators.declaration.TIER_WORDS; repeated only for a build without
# the calculators package (then there are no calculator rules to describe anyway).
_FALLBACK_WORDS: Mapping[str, str] = {
    "review": "From the source review",
    "checked": "From another primary source, checked against it",
    "convention": "A convention of this guideline",
    "unverified": "Unverified: not applied",
}
TIER_ORDER: tuple[str, ...] = ("review", "checked", "convention", "unverified")
# Short marks for narrow places (printed table captions, the calculator table's first column).
TIER_MARKS: Mapping[str, str] = {
    "review": "R",
    "checked": "S",
    "convention": "C",
    "unverified": "U",
}
LABEL_WORDS: Mapping[str, str] = {
    "V1": "checked against the primary source",
    "V2": "checked against a secondary reproduction only",
    "partial": "partly checked",
    "PC": "convention",
}


def include_unverified(settings: Settings) -> bool:
    """True when this build shows unverified material for review (never the default)."""
    return settings.include_unverified


def tier_words() -> Mapping[str, str]:
    """Tier → plain words; the one mapping every page and the browser widget can reuse."""
    try:
        from calculators.declaration import TIER_WORDS
    except ImportError:
        return _FALLBACK_WORDS
    return TIER_WORDS


def tier_meanings() -> Mapping[str, str]:
    """Tier → one sentence, for legends."""
    try:
        from calculators.declaration import TIER_MEANINGS
    except ImportError:
        return {}
    return TIER_MEANINGS


@dataclass(frozen=True)
class Rule:
    """One rule of one calculator, as a page shows it."""

    calculator: str
    calculator_title: str
    item: str
    tier: str
    words: str
    what: str
    reference: str | None
    checked: str
    label: str | None

    @property
    def how_far(self) -> str:
        """How far the check went, in words ('' when the tier says it all)."""
        if self.tier != "checked" or self.label is None:
            return ""
        return LABEL_WORDS.get(self.label, "")


@dataclass
class Statement:
    """What the site says about its own sources, computed from the declarations and content."""

    counts: dict[str, int] = field(default_factory=dict)
    content_statements: int = 0
    content_quoted: int = 0
    content_by_tier: dict[str, int] = field(default_factory=dict)
    outside: list[OutsideSource] = field(default_factory=list)
    calculators: int = 0
    unverified: list[Rule] = field(default_factory=list)
    secondary_only: int = 0

    def sentence(self) -> str:
        """The one-paragraph summary the About page, the Provenance page and the book print."""
        c = self.counts
        secondary = self.secondary_only
        return (
            f"The {self.calculators} calculators apply {sum(c.values()) - c.get('unverified', 0)} "
            f"rules: {c.get('review', 0)} from the source reviews; {c.get('checked', 0)} from "
            f"another primary source, checked against it ({secondary} of them only against a "
            f"secondary reproduction); {c.get('convention', 0)} conventions of this guideline. "
            f"{c.get('unverified', 0)} more are unverified: they are not applied and not "
            "published as guidance, only listed as left out. "
            f"{len(self.outside)} sources outside the two reviews are listed below with what "
            "each contributes and when it was checked."
        )

    def content_sentence(self) -> str:
        """What the guideline's text states: its numbers' tiers and how many quote the source."""
        words = tier_words()
        tiers = "; ".join(
            f"{n} {words[t].lower()}" for t, n in sorted(self.content_by_tier.items())
        )
        return (
            f"The guideline's text has {self.content_statements} statements that show a number "
            f"({tiers or 'none'}); {self.content_quoted} of them carry the source sentence they "
            "encode, one tap away."
        )


@dataclass(frozen=True)
class OutsideSource:
    """A reference that is not one of the reviews, and the rules it contributes."""

    key: str
    checked_on: str
    rules: tuple[Rule, ...]


def _registry() -> Any:
    from calculators import registry

    return registry


def rules(calculator_id: str) -> list[Rule]:
    """Every declared rule of one calculator, in declaration order."""
    calc = _registry().get(calculator_id)
    words = tier_words()
    return [
        Rule(
            calculator=calc.id,
            calculator_title=calc.title,
            item=item,
            tier=entry.tier,
            words=words[entry.tier],
            what=entry.what,
            reference=entry.reference,
            checked=entry.checked,
            label=entry.label,
        )
        for item, entry in calc.provenance.items()
    ]


def result_sources(calculator_id: str) -> list[tuple[str, list[Rule]]]:
    """Each output's label with the applied rules that decide it (from ``covers``)."""
    calc = _registry().get(calculator_id)
    by_item = {r.item: r for r in applied(calculator_id)}
    out = []
    for output in calc.outputs:
        found = [
            by_item[item]
            for item, entry in calc.provenance.items()
            if output.name in entry.covers and item in by_item
        ]
        out.append((output.label, found))
    return out


def all_rules() -> list[Rule]:
    """Every rule of every calculator, in registry order (none without the calculators)."""
    try:
        registry = _registry()
    except ImportError:
        return []
    return [rule for cid in registry.CALCULATORS for rule in rules(cid)]


def applied(calculator_id: str) -> list[Rule]:
    """The rules the calculator applies (unverified ones never are)."""
    return [r for r in rules(calculator_id) if r.tier != "unverified"]


def left_out(calculator_id: str) -> list[Rule]:
    """The unverified rules: listed by name where they would have appeared."""
    return [r for r in rules(calculator_id) if r.tier == "unverified"]


def not_in_review(calculator_id: str) -> list[Rule]:
    """Rules the calculator applies from elsewhere: other sources and this guideline's own."""
    return [r for r in applied(calculator_id) if r.tier in ("checked", "convention")]


def short_reference(key: str | None, references: Mapping[str, Any]) -> str:
    """'Lifeblood 2026'-style words for a reference: first author or body, and year."""
    if key is None:
        return "this guideline"
    ref = references.get(key)
    if ref is None:
        return key
    first = ref.author[0] if getattr(ref, "author", None) else None
    who = (first.family or first.literal or "") if first else ""
    if not who:
        who = ref.title or key
    if first and len(ref.author) > 1 and not first.literal:
        who += " et al."
    year = ref.issued.date_parts[0][0] if getattr(ref, "issued", None) else ""
    return f"{who} {year}".strip()


@dataclass(frozen=True)
class TherapyNote:
    """What a therapy page says beside a link to a calculator: one line, and the rules."""

    line: str
    rules: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.line)

    def __str__(self) -> str:
        return f"{self.line} {'; '.join(self.rules)}." if self.rules else self.line


def therapy_note(calculator_id: str, references: Mapping[str, Any]) -> TherapyNote:
    """The note a therapy page prints beside a link to the calculator (empty if none).

    One line names the outside sources and counts this guideline's own conventions, so it
    can be read at a glance on a phone; every rule is listed with its source behind it.
    """
    outside = [r for r in applied(calculator_id) if r.tier == "checked"]
    conventions = [r for r in applied(calculator_id) if r.tier == "convention"]
    if not outside and not conventions:
        return TherapyNote("", ())
    sources = list(dict.fromkeys(short_reference(r.reference, references) for r in outside))
    parts = []
    if sources:
        parts.append("rules from " + _and(sources))
    if conventions:
        count = len(conventions)
        parts.append(f"{count} convention{'s' if count > 1 else ''} of this guideline")
    line = f"This calculator also applies {_and(parts)}: not in the source review."
    rules = tuple(
        f"{r.what} ({short_reference(r.reference, references)})" for r in outside
    ) + tuple(f"{r.what} (convention of this guideline)" for r in conventions)
    return TherapyNote(line, rules)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def accessed(ref: Any) -> str:
    """The date a reference was checked (CSL 'accessed'), as YYYY-MM-DD, or ''."""
    parts = getattr(ref, "accessed", None)
    if parts is None:
        return ""
    numbers = [int(n) for n in parts.date_parts[0][:3]]
    return "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(numbers))


def statement(corpus: Any, *, with_content: bool = False) -> Statement:
    """Counts per tier, the outside sources and what each contributes, from the data.

    The content counts read every statement of the text, so only the handbook (built whole)
    prints them: on the site an edit to one entry must not change another page
    (render._quick), and the About page therefore shows the calculators' counts alone.
    """
    every = all_rules()
    counts = {t: sum(1 for r in every if r.tier == t) for t in TIER_ORDER}
    refs = getattr(corpus, "references", {})
    outside: dict[str, list[Rule]] = {}
    for rule in every:
        if rule.tier in ("checked", "unverified") and rule.reference is not None:
            outside.setdefault(rule.reference, []).append(rule)
    content_by_tier: dict[str, int] = {}
    numbered = [st for st in _content_statements(corpus) if st.numbers] if with_content else []
    for st in numbered:
        tier = st.tier
        content_by_tier[tier] = content_by_tier.get(tier, 0) + 1
    try:
        calculators = len(_registry().CALCULATORS)
    except ImportError:
        calculators = 0
    return Statement(
        counts=counts,
        content_statements=len(numbered),
        content_quoted=sum(1 for st in numbered if st.quote),
        content_by_tier=content_by_tier,
        outside=[
            OutsideSource(key=key, checked_on=accessed(refs.get(key)), rules=tuple(found))
            for key, found in outside.items()
        ],
        calculators=calculators,
        unverified=[r for r in every if r.tier == "unverified"],
        secondary_only=sum(1 for r in every if r.tier == "checked" and r.label == "V2"),
    )


def _content_statements(corpus: Any) -> list[Any]:
    """The guideline text's statements (none for a corpus without content, as in tests)."""
    if not hasattr(corpus, "entries"):
        return []
    from build_tools import quotes

    return list(quotes.statements(corpus))


def plan_provenance_page(include_unverified: bool = False) -> list[Page]:
    """The Provenance page: every rule not from the source reviews, by calculator.

    `include_unverified` is the build's setting (Settings.include_unverified).
    """
    every = all_rules()
    if not every:
        return []
    by_calc: dict[str, list[Rule]] = {}
    for rule in every:
        if rule.tier != "review":
            by_calc.setdefault(rule.calculator, []).append(rule)
    return [
        Page(
            PAGE_PATH,
            PAGE_TITLE,
            TEMPLATE,
            section="Reference",
            context={
                "by_calculator": [
                    {"id": cid, "title": found[0].calculator_title, "rules": found}
                    for cid, found in by_calc.items()
                ],
                "include_unverified": include_unverified,
                "tier_marks": dict(TIER_MARKS),
            },
        )
    ]


_LEVELS = ("low", "medium")


def citation_confidence(entry: Any, discrepancies: Iterable[Any]) -> dict[str, str]:
    """How sure each of an entry's citations is, where a source's printed number was unclear.

    A statement is matched to a resolved citation discrepancy by the source and section it
    was read from and a reference it cites; the lowest confidence (low, then medium) is
    shown beside the citation, as the About page's table shows it. Keys: "summary",
    "para:<section>:<paragraph>", "evidence:<id>", "regimen:<id>" (0-based positions).
    """
    from build_tools.loader import citation_keys

    index: dict[tuple[str, str, str], str] = {}
    for d in discrepancies:
        if d.confidence in _LEVELS:
            for key in d.resolved_to:
                held = index.get((d.source, d.section, key))
                if held is None or _LEVELS.index(d.confidence) < _LEVELS.index(held):
                    index[(d.source, d.section, key)] = d.confidence

    def level(source: Any, text: str, refs: Iterable[str]) -> str | None:
        if source is None:
            return None
        found = [
            index[(source.document, source.section, k)]
            for k in dict.fromkeys([*refs, *citation_keys(text)])
            if (source.document, source.section, k) in index
        ]
        return min(found, key=_LEVELS.index) if found else None

    out: dict[str, str | None] = {
        "summary": level(
            entry.summary.source or entry.source, entry.summary.text, entry.summary.refs
        )
    }
    for si, section in enumerate(entry.sections):
        for pi, p in enumerate(section.paragraphs):
            out[f"para:{si}:{pi}"] = level(p.source or entry.source, p.text, p.refs)
    for ev in entry.evidence:
        out[f"evidence:{ev.id}"] = level(ev.source, ev.claim, ev.refs)
    for r in entry.regimens:
        out[f"regimen:{r.id}"] = level(r.source, r.notes or "", r.refs)
    return {k: v for k, v in out.items() if v is not None}
