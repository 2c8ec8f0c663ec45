"""Typed building blocks for declaring a calculator once (no clinical content here).

A calculator's inputs, limits, outputs, references, caveats and worked
examples live in one ``Calculator`` object next to its formula. Validation
messages, the JSON description used by the browser form, the printed tables
and the tests are all derived from that object, so they cannot drift apart.
"""

from __future__ import annotations

import inspect
import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from calculators.errors import DeclarationError
from calculators.inputs import (
    DATE_MAX,
    DATE_MIN,
    BoolInput,
    ChoiceInput,
    DateInput,
    Input,
    NumberInput,
    NumberOrChoiceInput,
    SlipHint,
    UnitAlt,
)
from calculators.numeric import exact, fmt_short
from calculators.values import JSONValue, Notice

if TYPE_CHECKING:
    from calculators.inputs import ParsedValue
    from calculators.printed import Table

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "BoolInput",
    "ChoiceInput",
    "DateInput",
    "Input",
    "JSONValue",
    "Notice",
    "NumberInput",
    "NumberOrChoiceInput",
    "SlipHint",
    "UnitAlt",
]

type VerificationLabel = Literal["V1", "V2", "PC", "partial"]

VERIFICATION_LABELS: tuple[str, ...] = ("V1", "V2", "PC", "partial")
"""V1 primary source checked; V2 secondary reproduction only; PC project convention;
partial = part of the item verified (the rest is named in the caveats)."""

type Tier = Literal["review", "checked", "convention", "unverified"]

TIERS: tuple[Tier, ...] = ("review", "checked", "convention", "unverified")
"""Where a rule comes from, in the order a reader should trust it."""

SOURCE_REVIEWS: frozenset[str] = frozenset({"huang-pye-2024", "moghadam-kia-oddis-2023"})
"""The two reviews this guideline encodes (content/references/sources.yaml)."""

TIER_WORDS: Mapping[str, str] = {
    "review": "From the source review",
    "checked": "From another primary source, checked against it",
    "convention": "A convention of this guideline",
    "unverified": "Unverified: not applied",
}
"""The words every page, table and export uses for a tier (one place, so they agree)."""

TIER_MEANINGS: Mapping[str, str] = {
    "review": "the rule is printed in one of the two reviews this guideline encodes",
    "checked": "the rule is not in the reviews; it comes from the paper, label or guideline "
    "named, and was checked against it (what was checked is said)",
    "convention": "no source decides it; this guideline chose it so results are reproducible "
    "(rounding, tablet sizes, how a range is read, plausibility limits)",
    "unverified": "it could not be confirmed against its source; it is not applied and not "
    "published as guidance, only listed as left out",
}
"""One sentence per tier, for legends."""


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """Where one rule of a calculator (constant, threshold, cap, band) comes from.

    A reader must see, beside the number, whether it is the review's, another source's
    (checked against which paper, and how), this guideline's own convention, or unverified.
    ``covers`` names the outputs the rule decides, so a result can show its tiers.
    ``label`` keeps the specification's V1/V2/PC/partial: how far a check went.
    """

    tier: Tier
    what: str
    reference: str | None = None
    checked: str = ""
    label: VerificationLabel | None = None
    covers: tuple[str, ...] = ()

    def describe(self, item: str) -> dict[str, JSONValue]:
        """JSON form for pages, exports and the browser."""
        return {
            "item": item,
            "tier": self.tier,
            "tier_words": TIER_WORDS[self.tier],
            "what": self.what,
            "reference": self.reference,
            "checked": self.checked,
            "label": self.label,
            "covers": list(self.covers),
        }


def review(
    reference: str, what: str, *, covers: tuple[str, ...] = (), where: str = ""
) -> Provenance:
    """A rule printed in a source review; ``where`` names the section or sentence."""
    return Provenance(tier="review", what=what, reference=reference, checked=where, covers=covers)


def checked(
    reference: str,
    what: str,
    against: str,
    *,
    label: VerificationLabel = "V1",
    covers: tuple[str, ...] = (),
) -> Provenance:
    """A rule from another source, with what was checked against it (table, page, abstract)."""
    return Provenance(
        tier="checked",
        what=what,
        reference=reference,
        checked=against,
        label=label,
        covers=covers,
    )


def convention(what: str, *, covers: tuple[str, ...] = ()) -> Provenance:
    """A choice of this guideline where no source decides (rounding, bands, limits)."""
    return Provenance(tier="convention", what=what, label="PC", covers=covers)


def unverified(what: str, reference: str | None = None) -> Provenance:
    """Something that could not be confirmed: never applied, only listed as left out."""
    return Provenance(tier="unverified", what=what, reference=reference)


OUTPUT_KINDS: tuple[str, ...] = (
    "number",
    "integer",
    "boolean",
    "text",
    "list",
    "mapping",
    "schedule",
    "split_schedule",
    "date_list",
    "range",
)


@dataclass(frozen=True, kw_only=True)
class Output:
    """One named result; ``precision`` is for display only (values keep full precision)."""

    name: str
    label: str
    unit: str = ""
    precision: int | None = None
    kind: str = "number"
    help: str = ""
    key_labels: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()

    def key_label(self, key: str) -> str:
        """The human label of one key of a mapping output, or of one machine value of a text
        output (the key itself is never shown)."""
        for name, label in self.key_labels:
            if name == key:
                return label
        raise KeyError(f"output {self.name!r} declares no label for key {key!r}")

    def describe(self) -> dict[str, JSONValue]:
        """JSON description for the renderer."""
        return {
            "name": self.name,
            "label": self.label,
            "unit": self.unit,
            "precision": self.precision,
            "kind": self.kind,
            "help": self.help,
            "key_labels": [{"key": key, "label": label} for key, label in self.key_labels],
            "columns": list(self.columns),
        }


# How a band is marked so that it reads without colour too: a word and a row of dots.
TONES: tuple[str, ...] = ("lower", "middle", "higher", "neutral")


@dataclass(frozen=True, kw_only=True)
class Presentation:
    """Which output is the answer, how it is phrased, and which outputs follow it.

    The primary output's unit and rounding are its own declared ``unit`` and ``precision``;
    outputs named in ``secondary`` are shown under it with their labels, every other output
    goes into a collapsed list of all figures.
    """

    primary: str
    phrase: str
    secondary: tuple[str, ...] = ()

    def describe(self) -> dict[str, JSONValue]:
        """JSON form for the page and the widget."""
        return {
            "primary": self.primary,
            "phrase": self.phrase,
            "secondary": list(self.secondary),
        }


@dataclass(frozen=True, kw_only=True)
class Band:
    """One result band: a closed range of a number output, or one value of a text output.

    ``meaning`` says what the band means, with the cited figure where the source gives one.
    ``rule`` names the calculator's provenance rule the band and its figure come from, so
    the band's tier and reference are declared once, with the rule, and never restated
    (a band cannot claim a tier its rule does not have).
    """

    label: str
    meaning: str
    tone: str
    rule: str
    low: float | None = None
    high: float | None = None
    equals: str | None = None

    def contains(self, value: JSONValue) -> bool:
        """True when an output value falls in this band (bounds inclusive)."""
        if self.equals is not None:
            return value == self.equals
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        above = self.low is None or exact(self.low) <= exact(value)
        below = self.high is None or exact(value) <= exact(self.high)
        return above and below

    def range_text(self) -> str:
        """The band's range for people ("10–13", "at least 6", or the matched value)."""
        if self.equals is not None:
            return self.label
        low = None if self.low is None else fmt_short(exact(self.low))
        high = None if self.high is None else fmt_short(exact(self.high))
        if low is not None and high is not None:
            return low if low == high else f"{low}–{high}"
        return f"at least {low}" if low is not None else f"at most {high}"

    def describe(self, provenance: Mapping[str, Provenance]) -> dict[str, JSONValue]:
        """JSON form for the page and the widget, with the tier of the band's rule."""
        return {
            "label": self.label,
            "meaning": self.meaning,
            "tone": self.tone,
            **_rule_fields(self.rule, provenance),
            "low": self.low,
            "high": self.high,
            "equals": self.equals,
            "range": self.range_text(),
        }


@dataclass(frozen=True, kw_only=True)
class NextStep:
    """An action a source gives for a result; ``bands`` limits it to those band labels.

    ``rule`` names the provenance rule the action comes from (its tier and reference).
    """

    text: str
    rule: str
    bands: tuple[str, ...] = ()

    def describe(self, provenance: Mapping[str, Provenance]) -> dict[str, JSONValue]:
        """JSON form for the page and the widget, with the tier of the step's rule."""
        return {
            "text": self.text,
            **_rule_fields(self.rule, provenance),
            "bands": list(self.bands),
        }


def _rule_fields(rule: str, provenance: Mapping[str, Provenance]) -> dict[str, JSONValue]:
    """The tier, words and reference a band or next step takes from its declared rule."""
    entry = provenance[rule]
    return {
        "rule": rule,
        "tier": entry.tier,
        "tier_words": TIER_WORDS[entry.tier],
        "reference": entry.reference,
        "label": entry.label,
    }


NO_ACTION = "The source gives no action for this result."


@dataclass(frozen=True, kw_only=True)
class Interpretation:
    """What a result means: bands of one output, and next steps only where a source gives them.

    ``no_action`` is said plainly when no next step applies to the result.
    """

    output: str
    bands: tuple[Band, ...]
    next_steps: tuple[NextStep, ...] = ()
    no_action: str = NO_ACTION
    note: str = ""

    def band_for(self, value: JSONValue) -> Band | None:
        """The band a value falls in, if any."""
        return next((band for band in self.bands if band.contains(value)), None)

    def describe(self, provenance: Mapping[str, Provenance]) -> dict[str, JSONValue]:
        """JSON form for the page and the widget; tiers come from the calculator's rules."""
        return {
            "output": self.output,
            "bands": [band.describe(provenance) for band in self.bands],
            "next_steps": [step.describe(provenance) for step in self.next_steps],
            "no_action": self.no_action,
            "note": self.note,
        }


@dataclass(frozen=True, kw_only=True)
class Example:
    """A worked example from the specification or a source; it runs as a test.

    Floats in ``expected`` are compared with an absolute ``tolerance``; other
    values must match exactly. ``expected_caps``/``expected_warnings`` list
    notice ids that must appear.
    """

    inputs: Mapping[str, JSONValue]
    expected: Mapping[str, JSONValue]
    source: str
    note: str = ""
    tolerance: float = 0.005
    expected_caps: tuple[str, ...] = ()
    expected_warnings: tuple[str, ...] = ()

    def describe(self) -> dict[str, JSONValue]:
        """JSON form, so the page can show the worked example."""
        return {
            "inputs": dict(self.inputs),
            "expected": dict(self.expected),
            "source": self.source,
            "note": self.note,
            "tolerance": self.tolerance,
            "expected_caps": list(self.expected_caps),
            "expected_warnings": list(self.expected_warnings),
        }


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What a compute function returns: outputs plus the caps, warnings and worked steps."""

    outputs: Mapping[str, JSONValue]
    caps: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = ()
    explanation: tuple[str, ...] = ()


class Trace:
    """Collects explanation lines, caps and warnings while one computation runs.

    A fresh Trace is created inside each compute call, so nothing global changes.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._caps: list[Notice] = []
        self._warnings: list[Notice] = []

    def explain(self, line: str) -> None:
        """Add one worked step with the numbers substituted."""
        self._lines.append(line)

    def cap(self, notice_id: str, message: str, reference: str | None = None) -> None:
        """Record a cap or limit that changed the result."""
        self._caps.append(Notice(id=notice_id, message=message, reference=reference))

    def warn(self, notice_id: str, message: str, reference: str | None = None) -> None:
        """Record a warning the user must see beside the result."""
        self._warnings.append(Notice(id=notice_id, message=message, reference=reference))

    def finish(self, outputs: Mapping[str, JSONValue]) -> Outcome:
        """Freeze everything collected into an Outcome."""
        return Outcome(
            outputs=outputs,
            caps=tuple(self._caps),
            warnings=tuple(self._warnings),
            explanation=tuple(self._lines),
        )


@dataclass(frozen=True, kw_only=True, eq=False)
class Calculator:
    """The single declaration of one calculator.

    ``provenance`` maps each rule (formula, thresholds, caps, rounding, bands...) to
    its tier and reference, so every page can say where each number comes from;
    every output must be covered by at least one applied rule.
    ``not_included`` says what was deliberately left out and why.
    """

    id: str
    title: str
    version: str
    family: str
    purpose: str
    population: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    formula: str
    references: tuple[str, ...]
    caveats: tuple[str, ...]
    provenance: Mapping[str, Provenance]
    not_included: str
    examples: tuple[Example, ...]
    compute: Callable[..., Outcome]
    presentation: Presentation
    interpretation: Interpretation | None = None
    related_entries: tuple[str, ...] = ()
    related_calculators: tuple[str, ...] = ()
    printed_tables: tuple[Callable[[], Table], ...] = ()
    """The handbook's ready-reckoner tables of this calculator, declared beside it; each
    computes its rows through `evaluate`."""

    def __post_init__(self) -> None:
        check_declaration(self)

    def evaluate(self, **values: ParsedValue) -> Outcome:
        """Compute from typed values given by trusted code (a printed table), not a user.

        Omitted optional inputs take their declared default; each value is converted to the
        type compute receives by its own input kind. A value the declaration does not accept
        is a mistake in the calling code, so it raises DeclarationError rather than
        producing a message for a user.
        """
        unknown = sorted(set(values) - set(self.input_names))
        if unknown:
            raise DeclarationError(f"calculator {self.id!r} has no inputs {unknown}")
        arguments: dict[str, ParsedValue] = {}
        for item in self.inputs:
            given = values.get(item.name)
            if given is not None:
                arguments[item.name] = item.coerce(given)
            elif item.required:
                raise DeclarationError(f"calculator {self.id!r}: {item.name!r} is required")
            else:
                arguments[item.name] = item.default_value()
        return self.compute(**arguments)

    @property
    def input_names(self) -> tuple[str, ...]:
        """Declared input names in order."""
        return tuple(item.name for item in self.inputs)

    @property
    def output_names(self) -> tuple[str, ...]:
        """Declared output names in order."""
        return tuple(item.name for item in self.outputs)

    def input(self, name: str) -> Input:
        """The declaration of one input (KeyError if undeclared)."""
        for item in self.inputs:
            if item.name == name:
                return item
        raise KeyError(name)

    def output(self, name: str) -> Output:
        """The declaration of one output (KeyError if undeclared)."""
        for item in self.outputs:
            if item.name == name:
                return item
        raise KeyError(name)

    def describe(self) -> dict[str, JSONValue]:
        """Everything except the function, as JSON data (the browser form reads this)."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "family": self.family,
            "purpose": self.purpose,
            "population": self.population,
            "inputs": [item.describe() for item in self.inputs],
            "outputs": [item.describe() for item in self.outputs],
            "formula": self.formula,
            "references": list(self.references),
            "caveats": list(self.caveats),
            "provenance": [entry.describe(item) for item, entry in self.provenance.items()],
            "not_included": self.not_included,
            "examples": [example.describe() for example in self.examples],
            "related_entries": list(self.related_entries),
            "related_calculators": list(self.related_calculators),
            "presentation": self.presentation.describe(),
            "interpretation": (
                None
                if self.interpretation is None
                else self.interpretation.describe(self.provenance)
            ),
        }


def check_declaration(calc: Calculator) -> None:
    """Fail at import when a declaration contradicts its own compute function.

    The compute function must take exactly the declared inputs as keyword-only
    parameters, so the form, the validator and the formula share one list.
    """
    where = f"calculator {calc.id!r}"
    names = calc.input_names
    if len(set(names)) != len(names):
        raise DeclarationError(f"{where}: duplicate input names in {names}")
    if len(set(calc.output_names)) != len(calc.output_names):
        raise DeclarationError(f"{where}: duplicate output names in {calc.output_names}")
    signature = inspect.signature(calc.compute)
    positional = [
        p.name
        for p in signature.parameters.values()
        if p.kind is not inspect.Parameter.KEYWORD_ONLY
    ]
    if positional:
        raise DeclarationError(
            f"{where}: compute parameters must be keyword-only, got {positional}"
        )
    params = tuple(signature.parameters)
    if set(params) != set(names):
        missing = sorted(set(names) - set(params))
        extra = sorted(set(params) - set(names))
        raise DeclarationError(
            f"{where}: compute parameters do not match declared inputs (declared but not accepted: "
            f"{missing}; accepted but not declared: {extra})"
        )
    _check_provenance(calc, where)
    for item in calc.inputs:
        _check_input(where, item, names)
    for out in calc.outputs:
        if out.kind not in OUTPUT_KINDS:
            raise DeclarationError(f"{where}: output {out.name!r} has unknown kind {out.kind!r}")
        if out.kind == "mapping" and not out.key_labels:
            raise DeclarationError(
                f"{where}: mapping output {out.name!r} must label its keys (key_labels), so no "
                "internal name reaches the page"
            )
    _check_presentation(where, calc)
    if calc.interpretation is not None:
        _check_interpretation(where, calc, calc.interpretation)
    for number, example in enumerate(calc.examples, start=1):
        unknown_in = sorted(set(example.inputs) - set(names))
        unknown_out = sorted(set(example.expected) - set(calc.output_names))
        if unknown_in or unknown_out:
            raise DeclarationError(
                f"{where}: example {number} names undeclared inputs {unknown_in} or outputs "
                f"{unknown_out}"
            )


def _check_provenance(calc: Calculator, where: str) -> None:
    """Every rule has a tier; the tier agrees with its reference; every output is covered."""
    if not calc.provenance:
        raise DeclarationError(f"{where}: no provenance declared (every rule needs a tier)")
    covered: set[str] = set()
    for item, entry in calc.provenance.items():
        at = f"{where}: rule {item!r}"
        if not isinstance(entry, Provenance):
            raise DeclarationError(
                f"{at} has no tier (got {entry!r}); declare it with review(), checked(), "
                "convention() or unverified()"
            )
        if entry.tier not in TIERS:
            raise DeclarationError(f"{at}: unknown tier {entry.tier!r}")
        if entry.label is not None and entry.label not in VERIFICATION_LABELS:
            raise DeclarationError(f"{at}: unknown verification label {entry.label!r}")
        if not entry.what.strip():
            raise DeclarationError(f"{at}: say in words what the rule is")
        if entry.reference is not None and entry.reference not in calc.references:
            raise DeclarationError(
                f"{at}: reference {entry.reference!r} is not among the calculator's references"
            )
        if entry.tier == "review" and entry.reference not in SOURCE_REVIEWS:
            raise DeclarationError(f"{at}: tier 'review' needs one of {sorted(SOURCE_REVIEWS)}")
        if entry.tier == "checked":
            if entry.reference is None or entry.reference in SOURCE_REVIEWS:
                raise DeclarationError(
                    f"{at}: tier 'checked' needs the outside source it was checked against"
                )
            if not entry.checked.strip():
                raise DeclarationError(f"{at}: tier 'checked' must say what was checked")
        unknown = sorted(set(entry.covers) - set(calc.output_names))
        if unknown:
            raise DeclarationError(f"{at} covers undeclared outputs {unknown}")
        if entry.tier == "unverified" and entry.covers:
            raise DeclarationError(f"{at}: an unverified rule is not applied, so covers nothing")
        covered.update(entry.covers)
    uncovered = [name for name in calc.output_names if name not in covered]
    if uncovered:
        raise DeclarationError(f"{where}: outputs with no tier (no rule covers them): {uncovered}")


def _check_input(where: str, item: Input, names: tuple[str, ...]) -> None:
    if item.required and item.default is not None:
        raise DeclarationError(f"{where}: required input {item.name!r} must not have a default")
    item.check(where, names)


def _check_presentation(where: str, calc: Calculator) -> None:
    shown = (calc.presentation.primary, *calc.presentation.secondary)
    unknown = sorted(set(shown) - set(calc.output_names))
    if unknown:
        raise DeclarationError(f"{where}: presentation names undeclared outputs {unknown}")
    if len(set(shown)) != len(shown):
        raise DeclarationError(f"{where}: presentation names an output twice in {shown}")
    if not calc.presentation.phrase.strip():
        raise DeclarationError(f"{where}: the primary result needs a phrase")


def _check_interpretation(where: str, calc: Calculator, reading: Interpretation) -> None:
    if reading.output not in calc.output_names:
        raise DeclarationError(
            f"{where}: interpretation reads undeclared output {reading.output!r}"
        )
    labels = [band.label for band in reading.bands]
    if len(set(labels)) != len(labels):
        raise DeclarationError(f"{where}: duplicate band labels in {labels}")
    named = (
        *((f"band {band.label!r}", band.rule) for band in reading.bands),
        *((f"next step {step.text[:30]!r}", step.rule) for step in reading.next_steps),
    )
    for what, rule in named:
        entry = calc.provenance.get(rule)
        if entry is None:
            raise DeclarationError(
                f"{where}: {what} names rule {rule!r}, which the calculator does not declare "
                "in its provenance (a band's tier and reference come from its rule)"
            )
        if entry.tier == "unverified":
            raise DeclarationError(
                f"{where}: {what} rests on the unverified rule {rule!r}; unverified material "
                "is not published as guidance"
            )
    for band in reading.bands:
        if band.tone not in TONES:
            raise DeclarationError(f"{where}: band {band.label!r} has unknown tone {band.tone!r}")
        numeric = band.low is not None or band.high is not None
        if numeric == (band.equals is not None):
            raise DeclarationError(
                f"{where}: band {band.label!r} needs either a range (low/high) or one value "
                "(equals)"
            )
        if band.low is not None and band.high is not None and band.low > band.high:
            raise DeclarationError(f"{where}: band {band.label!r} has low above high")
    numeric_bands = sorted(
        (b for b in reading.bands if b.equals is None),
        key=lambda b: -math.inf if b.low is None else b.low,
    )
    for first, second in itertools.pairwise(numeric_bands):
        if first.high is None or second.low is None or first.high >= second.low:
            raise DeclarationError(f"{where}: bands {first.label!r} and {second.label!r} overlap")
    for step in reading.next_steps:
        unknown = sorted(set(step.bands) - set(labels))
        if unknown:
            raise DeclarationError(f"{where}: next step names unknown bands {unknown}")
