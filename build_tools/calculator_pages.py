"""One page per calculator, derived from its declaration, plus an index grouped by family.

The form, the limits shown beside each field, the formula, the caveats and the worked
example all come from the calculator's typed view (`build_tools.calculator_view`), built
from the same declaration that the CPython API and the browser's Pyodide run, so the page
cannot disagree with the code. Each input kind describes its own form control; the worked
example is computed by CPython at build time; the template only lays it out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup, escape

from build_tools import provenance
from build_tools.calculator_memo import CalculatorPagesMemo
from build_tools.render import Page

if TYPE_CHECKING:
    from build_tools.calculator_view import CalculatorView, OutputView
    from calculators.declaration import Provenance
    from calculators.inputs import UnitAlt, Widget

SECTION = "Calculators"
INDEX_PATH = "calculators/index.md"
TEMPLATE = "calculator.md.j2"
INDEX_TEMPLATE = "calculator_index.md.j2"
# Families whose results are doses: their pages say plainly that a result is not an order.
DOSING_FAMILIES = frozenset({"dosing", "regimens"})
FAMILY_LABELS: Mapping[str, str] = {
    "anthropometrics": "Body size and kidney function",
    "dosing": "Drug doses",
    "regimens": "Regimens and schedules",
    "ild": "Interstitial lung disease",
    "screening": "Cancer screening",
}
# Build shorthand in declaration text, as plain words for the page (and the widget, which
# receives the same table): spec labels and the specification's section numbers.
PLAIN_WORDS: tuple[tuple[str, str], ...] = (
    ("[PC]", "(a convention of this guideline)"),
    ("[V1]", "(checked against the source)"),
    ("[V2]", "(checked against a secondary source only)"),
)
_SPEC_PREFIX = re.compile(r"^Spec(?: [A-C]\d+)?(?: conventions| worked example)?:\s*")
TONE_MARKS: Mapping[str, str] = {
    "lower": "●○○",
    "middle": "●●○",
    "higher": "●●●",
    "neutral": "○",
}
TONE_WORDS: Mapping[str, str] = {
    "lower": "lower",
    "middle": "middle",
    "higher": "higher",
    "neutral": "—",
}


def rule_of(calc: CalculatorView, rule: str) -> Provenance:
    """The declared rule a band or next step names: its tier and reference are the rule's.

    The declaration checks at import that the rule exists and is not unverified, so a band
    never carries a tier of its own that could disagree with its rule.
    """
    return dict(calc.provenance)[rule]


# The fragment that carries a calculation's inputs: #calc?name=value&... (see the widget).
FRAGMENT_PREFIX = "calc?"
UNIT_SUFFIX = "__unit"
CHOICE_SUFFIX = "__choice"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


class CalculatorPageError(RuntimeError):
    """A declaration cannot be turned into a page (e.g. its worked example fails)."""


def plain_words(text: str, names: Mapping[str, str] | None = None) -> str:
    """Declaration text in a clinician's words: no spec labels, no field ids.

    ``names`` maps each declared input and output name to its label; a name such as
    ``dose_mg_per_m2`` in a formula or caveat is replaced by its label.
    """
    text = _SPEC_PREFIX.sub("", text)
    for code, words in PLAIN_WORDS:
        text = text.replace(code, words)
    for name, label in sorted((names or {}).items(), key=lambda item: -len(item[0])):
        if "_" in name:
            text = re.sub(rf"\b{re.escape(name)}\b", label.lower(), text)
    return text


def md(text: object) -> Markup:
    """Text for a Markdown paragraph: HTML-escaped, and Markdown's own markup neutralised.

    Declarations name inputs like `height_cm`; without this, underscores and asterisks in
    such text could turn into emphasis.
    """
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(str(text)))))


@dataclass(frozen=True)
class ExampleView:
    """A worked example: the inputs in words, the CPython result, the link that loads it."""

    inputs: list[tuple[str, str]]
    outputs: list[tuple[str, str]]
    caps: list[Markup]
    warnings: list[Markup]
    explanation: list[Markup]
    source: Markup
    note: Markup
    fragment: str
    source_ref: str = ""


def _number_text(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_fields(view: CalculatorView) -> list[Widget]:
    """The form, field by field, as each input kind describes its control, help in words."""
    names = view.names()
    return [replace(item.widget, help=plain_words(item.widget.help, names)) for item in view.inputs]


def fragment_for(inputs: Mapping[str, Any], form_units: Mapping[str, UnitAlt] | None = None) -> str:
    """The URL fragment that makes the widget fill the form with `inputs` (no server sees it).

    ``form_units`` maps an input to the unit alternative its form shows first; a canonical
    value for it is written in that unit (a 0.2 fraction becomes 20 %).
    """
    parts: list[tuple[str, str]] = []
    for name, value in inputs.items():
        alt = (form_units or {}).get(name)
        if alt is not None and isinstance(value, int | float) and not isinstance(value, bool):
            shown = alt.from_canonical(Fraction(str(value)))  # what `form_value` also gives
            parts.append((name, _number_text(float(shown))))
            continue
        if isinstance(value, Mapping):
            parts.append((name, _scalar_text(value.get("value"))))
            parts.append((name + UNIT_SUFFIX, _scalar_text(value.get("unit"))))
        else:
            parts.append((name, _scalar_text(value)))
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in parts)
    return FRAGMENT_PREFIX + query


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return _number_text(value) if isinstance(value, int | float) else str(value)


def worked_examples(view: CalculatorView) -> list[ExampleView]:
    """Every declared example, as CPython computed it for the view; one that the calculator
    rejects stops the build (a page never shows a broken example)."""
    names = view.names()
    views = []
    for example in view.examples:
        if example.problem:
            raise CalculatorPageError(
                f"calculator {view.id!r}: worked example {example.number} is rejected by the "
                f"calculator itself ({example.problem}); fix the example in calculators/"
            )
        source = example.source
        cited = source in view.references
        views.append(
            ExampleView(
                inputs=list(example.inputs),
                outputs=list(example.outputs),
                caps=[md(plain_words(c.message, names)) for c in example.caps],
                warnings=[md(plain_words(w.message, names)) for w in example.warnings],
                explanation=[md(plain_words(line, names)) for line in example.explanation],
                source=md(
                    ""
                    if cited
                    else "worked example of this guideline's calculator specification"
                    if source == "spec"
                    else plain_words(source, names)
                ),
                note=md(plain_words(example.note, names)),
                fragment=fragment_for(dict(example.form_values)),
                source_ref=source if cited else "",
            )
        )
    return views


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, family.replace("_", " ").capitalize())


def calculator_path(calculator_id: str) -> str:
    return f"calculators/{calculator_id}.md"


def plan_calculator_pages(
    memo: CalculatorPagesMemo | None = None, include_unverified: bool = False
) -> list[Page]:
    """The calculator index, then one page per calculator in registry order.

    With a ``memo`` (the build context's), the pages are planned once and the very same
    Page objects come back while the context lives; none without the calculators package.
    `include_unverified` is the build's setting (Settings.include_unverified): unverified
    rules shown for review, marked, instead of listed as left out.
    """
    if memo is not None and memo.pages is not None:
        return list(memo.pages)
    try:
        from build_tools.calculator_view import calculator_views
    except ImportError:  # a content-only checkout: no calculators, no calculator pages
        return []
    pages = _plan(calculator_views(), include_unverified)
    if memo is not None:
        memo.pages = tuple(pages)
    return pages


def _plan(views: tuple[CalculatorView, ...], include_unverified: bool) -> list[Page]:
    families: dict[str, list[CalculatorView]] = {}
    for view in views:
        families.setdefault(view.family, []).append(view)
    # Pages follow the navigation, where each family is a group (and reading order numbers
    # citations): the registry's order within a family, families as they first appear.
    ordered = [calc for members in families.values() for calc in members]
    by_id = {calc.id: calc for calc in ordered}
    groups = [
        {
            "label": family_label(family),
            "calculators": [
                {"title": c.title, "path": calculator_path(c.id), "purpose": md(c.purpose)}
                for c in members
            ],
        }
        for family, members in families.items()
    ]
    pages = [
        Page(
            INDEX_PATH,
            SECTION,
            INDEX_TEMPLATE,
            section=SECTION,
            context={"groups": groups},
        )
    ]
    for calc in ordered:
        siblings = [
            {"title": c.title, "path": calculator_path(c.id)}
            for c in families[calc.family]
            if c.id != calc.id and c.id not in calc.related_calculators
        ]
        related = [
            {"title": by_id[cid].title, "path": calculator_path(cid)}
            for cid in calc.related_calculators
            if cid in by_id
        ]
        pages.append(
            Page(
                calculator_path(calc.id),
                calc.title,
                TEMPLATE,
                section=SECTION,
                subsection=family_label(calc.family),
                context=_page_context(calc, siblings, related, include_unverified),
                # No table of contents (the page has none): its empty column is given to
                # the form and the result, side by side on a desktop.
                meta={"calculator": calc.id, "hide": ["toc"]},
                search_boost=1.5,
            )
        )
    # The Provenance page is derived from the same declarations, so it is planned with them.
    pages += provenance.plan_provenance_page(include_unverified)
    return pages


def _page_context(
    calc: CalculatorView,
    siblings: list[dict[str, str]],
    related: list[dict[str, str]],
    include_unverified: bool,
) -> dict[str, Any]:
    """What the calculator page template lays out, all of it from the view."""
    names = calc.names()
    rules = provenance.rules(calc.id)
    return {
        "calc": calc,
        "purpose": md(calc.purpose),
        "population": md(calc.population),
        "caveats": [md(plain_words(c, names)) for c in calc.caveats],
        "not_included": md(plain_words(calc.not_included, names)),
        "formula": plain_words(calc.formula, names),
        "fields": form_fields(calc),
        "outputs": calc.outputs,
        "result": result_view(calc),
        "reading": reading_view(calc, names),
        "widget_words": json.dumps(
            {"names": names, "codes": dict(PLAIN_WORDS)}, ensure_ascii=False
        ),
        "related": related,
        "output_help": [
            (out.label, md(plain_words(out.help, names))) for out in calc.outputs if out.help
        ],
        "examples": worked_examples(calc),
        "rules": [r for r in rules if r.tier != "unverified"],
        "answer_sources": answer_sources(rules),
        "left_out": [r for r in rules if r.tier == "unverified"],
        "result_sources": provenance.result_sources(calc.id),
        "include_unverified": include_unverified,
        "tier_words": provenance.tier_words(),
        "tier_meanings": provenance.tier_meanings(),
        "provenance_path": provenance.PAGE_PATH,
        "is_dosing": calc.family in DOSING_FAMILIES,
        "family": family_label(calc.family),
        "siblings": siblings,
        "index_path": INDEX_PATH,
        "unit_suffix": UNIT_SUFFIX,
        "choice_suffix": CHOICE_SUFFIX,
    }


@dataclass(frozen=True)
class AnswerSources:
    """The sources named under the answer, so a reader sees where it comes from at a glance
    (the rule-by-rule table, with citation numbers, stays further down the page)."""

    groups: list[tuple[str, list[str]]]  # (tier, reference keys), review before checked
    convention: bool


def answer_sources(rules: list[provenance.Rule]) -> AnswerSources:
    """Each cited reference once, under its tier, and whether a convention decides anything
    (unverified rules are never applied, so never named as a source)."""
    applied = [r for r in rules if r.tier != "unverified"]
    by_tier: dict[str, list[str]] = {"review": [], "checked": []}
    for rule in applied:
        refs = by_tier.get(rule.tier)
        if rule.reference and refs is not None and rule.reference not in refs:
            refs.append(rule.reference)
    return AnswerSources(
        groups=[(tier, refs) for tier, refs in by_tier.items() if refs],
        convention=any(r.tier == "convention" for r in applied),
    )


@dataclass(frozen=True)
class ResultSlot:
    """One output's place in the result area."""

    name: str
    label: str
    kind: str
    columns: list[str]


@dataclass(frozen=True)
class ResultView:
    """The result area, in the order the declaration gives: the answer, then the rest."""

    primary: ResultSlot
    phrase: str
    secondary: list[ResultSlot]
    details: list[ResultSlot]
    primary_json: str


def _slot(out: OutputView) -> ResultSlot:
    columns = list(out.columns)
    if not columns and out.kind == "list":
        columns = ["Month", out.label]
    elif not columns and out.kind in ("schedule", "split_schedule"):
        columns = ["Week", out.label]
    return ResultSlot(out.name, out.label, out.kind, columns)


def result_view(calc: CalculatorView) -> ResultView:
    """Primary output first (declared phrase), secondary outputs, then every other figure."""
    shown = calc.presentation
    named = [shown.primary, *shown.secondary]
    return ResultView(
        primary=_slot(calc.output(shown.primary)),
        phrase=shown.phrase,
        secondary=[_slot(calc.output(name)) for name in shown.secondary],
        details=[_slot(out) for out in calc.outputs if out.name not in named],
        primary_json=json.dumps(
            {"phrase": shown.phrase, "output": shown.primary}, ensure_ascii=False
        ),
    )


@dataclass(frozen=True)
class BandView:
    """One result band as the page shows it (the widget marks the one the result is in)."""

    label: str
    range: str
    tone: str
    marks: str
    meaning: Markup
    reference: str | None
    tier: str
    low: float | None
    high: float | None
    equals: str | None


@dataclass(frozen=True)
class ReadingView:
    """How to read the result: the bands, and next steps or plainly none."""

    output_label: str
    bands: list[BandView]
    next_steps: list[dict[str, Any]]
    no_action: str
    note: Markup
    bands_json: str


def reading_view(calc: CalculatorView, names: Mapping[str, str]) -> ReadingView | None:
    """The declared interpretation laid out for the page; None when none is declared."""
    reading = calc.interpretation
    if reading is None:
        return None
    bands = [
        BandView(
            label=b.label,
            range=b.range_text(),
            tone=b.tone,
            marks=TONE_MARKS[b.tone],
            meaning=md(plain_words(b.meaning, names)),
            reference=rule_of(calc, b.rule).reference,
            tier=provenance.tier_words()[rule_of(calc, b.rule).tier],
            low=b.low,
            high=b.high,
            equals=b.equals,
        )
        for b in reading.bands
    ]
    steps = [
        {
            "text": md(plain_words(step.text, names)),
            "reference": rule_of(calc, step.rule).reference,
            "tier": provenance.tier_words()[rule_of(calc, step.rule).tier],
            "bands": list(step.bands),
        }
        for step in reading.next_steps
    ]
    widget = {
        "output": reading.output,
        "bands": [
            {
                "label": view.label,
                "low": view.low,
                "high": view.high,
                "equals": view.equals,
                "marks": view.marks,
                "tone": view.tone,
                "meaning": plain_words(band.meaning, names),
                "tier": view.tier,
            }
            for view, band in zip(bands, reading.bands, strict=True)
        ],
        "steps": [
            {"text": plain_words(s.text, names), "bands": list(s.bands), "tier": v["tier"]}
            for s, v in zip(reading.next_steps, steps, strict=True)
        ],
        "no_action": reading.no_action,
    }
    return ReadingView(
        output_label=calc.output(reading.output).label,
        bands=bands,
        next_steps=steps,
        no_action=reading.no_action,
        note=md(plain_words(reading.note, names)),
        bands_json=json.dumps(widget, ensure_ascii=False),
    )
