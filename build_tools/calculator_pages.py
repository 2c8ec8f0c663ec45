"""One page per calculator, derived from its declaration, plus an index grouped by family.

The form, the limits shown beside each field, the formula, the caveats and the worked
example all come from `calculators.registry.describe(id)`, the same declaration that the
CPython API and the browser's Pyodide run, so the page cannot disagree with the code. The
worked example is computed here by CPython at build time; the template only lays it out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from build_tools import provenance
from build_tools.context import Settings
from build_tools.render import Page

SECTION = "Calculators"
INDEX_PATH = "calculators/index.md"
TEMPLATE = "calculator.md.j2"
INDEX_TEMPLATE = "calculator_index.md.j2"
# Families whose results are doses: their pages say plainly that a result is not an order.
DOSING_FAMILIES = frozenset({"dosing", "regimens"})
FAMILY_LABELS = {
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
TONE_MARKS = {"lower": "●○○", "middle": "●●○", "higher": "●●●", "neutral": "○"}
TONE_WORDS = {"lower": "lower", "middle": "middle", "higher": "higher", "neutral": "—"}


def band_tier(label: str, reference: str | None) -> str:
    """A band's or next step's provenance in the tier words every page uses.

    Bands declare the specification's label (V1, V2, PC) and their reference; the tier
    follows from both: a convention, the review's own figure, or another source's.
    """
    from calculators.declaration import SOURCE_REVIEWS

    words = provenance.tier_words()
    if label == "PC":
        return words["convention"]
    return words["review" if reference in SOURCE_REVIEWS else "checked"]
# A choice with this many options or fewer is shown as buttons (one tap on a phone).
MAX_RADIO_CHOICES = 4
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


def declared_names(described: Mapping[str, Any]) -> dict[str, str]:
    """Every input and output name of a calculator, with its label."""
    names = {item["name"]: item["label"] for item in described["inputs"]}
    names.update({out["name"]: out["label"] for out in described["outputs"]})
    return names


def md(text: object) -> Markup:
    """Text for a Markdown paragraph: HTML-escaped, and Markdown's own markup neutralised.

    Declarations name inputs like `height_cm`; without this, underscores and asterisks in
    such text could turn into emphasis.
    """
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(str(text)))))


@dataclass(frozen=True)
class Option:
    """One value of a choice, a unit toggle, or a yes/no question."""

    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class FormField:
    """Everything the template needs to lay out one input (no logic left for Jinja)."""

    name: str
    kind: str
    control: str  # "number" | "radio" | "select" | "date"
    label: str
    unit: str
    required: bool
    value: str
    hint: str
    help: str
    units: list[Option] = field(default_factory=list)
    unit_from: str = ""
    options: list[Option] = field(default_factory=list)
    special: list[Option] = field(default_factory=list)
    step: str = ""
    # The accepted range in each unit the field can be entered in: (unit, "Accepted: ...").
    unit_hints: list[tuple[str, str]] = field(default_factory=list)
    canonical_unit: str = ""


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


def _registry() -> Any:
    from calculators import registry

    return registry


def _number_text(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unit_label(unit: str) -> str:
    return unit.replace("m2", "m²") if unit.endswith("m2") else unit


def _unit_hints(calculator_id: str, name: str) -> list[tuple[str, str]]:
    """The accepted range in the canonical unit and in each alternative, as the
    declaration itself words it (`range_text`), so a user typing µmol/L reads µmol/L.
    The unit the form offers first comes first."""
    item = _registry().get(calculator_id).input(name)
    hints = [(item.unit, f"Accepted: {item.range_text()}")]
    hints += [(alt.unit, f"Accepted: {item.range_text(alt)}") for alt in item.unit_alternatives]
    hints.sort(key=lambda hint: hint[0] != item.form_unit)
    return hints if len(hints) > 1 else []


def form_fields(described: Mapping[str, Any]) -> list[FormField]:
    """The form, field by field, from `describe()`; hints quote the declared limits."""
    fields: list[FormField] = []
    for item in described["inputs"]:
        kind = item["kind"]
        name = item["name"]
        required = bool(item.get("required", True))
        help_text = item.get("help") or ""
        default = item.get("default")
        if kind in ("number", "number_or_choice"):
            hint = f"Accepted: {item['accepted_range']}"
            if item.get("soft_min") is not None or item.get("soft_max") is not None:
                hint += " (a warning outside the usual range)"
            units: list[Option] = []
            unit_from = item.get("unit_field") or ""
            form_unit = item.get("form_unit") or item["unit"]
            if item.get("unit_alternatives") and not unit_from:
                units = [Option(item["unit"], _unit_label(item["unit"]))]
                units += [Option(a["unit"], a["label"]) for a in item["unit_alternatives"]]
                units.sort(key=lambda o: o.value != form_unit)
                units = [Option(o.value, o.label, o.value == form_unit) for o in units]
            special = [Option(c["value"], c["label"]) for c in item.get("choices", [])]
            step = _number_text(item.get("step")) if item.get("step") else "any"
            allowed = item.get("allowed") or []
            if allowed and len(allowed) <= MAX_RADIO_CHOICES and not units and not special:
                # A few permitted values (tablet steps, rounding): one tap each.
                chosen = _number_text(default)
                unit = _unit_label(item["unit"])
                fields.append(
                    FormField(
                        name=name,
                        kind=kind,
                        control="radio",
                        label=item["label"],
                        unit=unit,
                        required=required,
                        value=chosen,
                        hint="",
                        help=help_text,
                        options=[
                            Option(
                                _number_text(v),
                                f"{_number_text(v)} {unit}".strip(),
                                _number_text(v) == chosen,
                            )
                            for v in allowed
                        ],
                    )
                )
                continue
            fields.append(
                FormField(
                    name=name,
                    kind=kind,
                    control="number",
                    label=item["label"],
                    unit=_unit_label(item["unit"]),
                    required=required,
                    value=_number_text(default),
                    hint=hint,
                    help=help_text,
                    units=units,
                    unit_from=unit_from,
                    special=special,
                    step=step,
                    unit_hints=_unit_hints(described["id"], name),
                    canonical_unit=item["unit"],
                )
            )
        elif kind in ("choice", "boolean"):
            if kind == "boolean":
                choices = [("true", "Yes"), ("false", "No")]
                chosen = "" if default is None else ("true" if default else "false")
            else:
                choices = [(c["value"], c["label"]) for c in item["choices"]]
                chosen = "" if default is None else str(default)
            options = [Option(v, label, v == chosen) for v, label in choices]
            control = "radio" if len(options) <= MAX_RADIO_CHOICES else "select"
            fields.append(
                FormField(
                    name=name,
                    kind=kind,
                    control=control,
                    label=item["label"],
                    unit="",
                    required=required,
                    value=chosen,
                    hint="",
                    help=help_text,
                    options=options,
                )
            )
        elif kind == "date":
            fields.append(
                FormField(
                    name=name,
                    kind=kind,
                    control="date",
                    label=item["label"],
                    unit="",
                    required=required,
                    value=str(default or ""),
                    hint="Date as YYYY-MM-DD",
                    help=help_text,
                )
            )
        else:
            raise CalculatorPageError(
                f"calculator {described['id']!r}: input {name!r} has kind {kind!r}, which the "
                "page cannot render (add it to build_tools/calculator_pages.py and the widget)"
            )
    return fields


def fragment_for(inputs: Mapping[str, Any], form_units: Mapping[str, Any] | None = None) -> str:
    """The URL fragment that makes the widget fill the form with `inputs` (no server sees it).

    ``form_units`` maps an input to the unit alternative its form shows first; a canonical
    value for it is written in that unit (a 0.2 fraction becomes 20 %).
    """
    parts: list[tuple[str, str]] = []
    for name, value in inputs.items():
        alt = (form_units or {}).get(name)
        if alt is not None and isinstance(value, int | float) and not isinstance(value, bool):
            shown = alt.from_canonical(Fraction(str(value)))
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


def _input_text(item: Mapping[str, Any], value: object) -> str:
    """An example's input value as a person would read it."""
    if isinstance(value, Mapping):
        unit = next(
            (a["label"] for a in item.get("unit_alternatives", []) if a["unit"] == value["unit"]),
            value.get("unit", ""),
        )
        return f"{_scalar_text(value.get('value'))} {unit}".strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    for choice in item.get("choices", []):
        if choice["value"] == value:
            return str(choice["label"])
    unit = _unit_label(item.get("unit", "")) if not item.get("unit_field") else ""
    return f"{_scalar_text(value)} {unit}".strip()


def form_units(calculator_id: str) -> dict[str, Any]:
    """Inputs whose form shows an alternative unit first, with that unit's declaration."""
    calc = _registry().get(calculator_id)
    units: dict[str, Any] = {}
    for item in calc.inputs:
        form_unit = getattr(item, "form_unit", "")
        for alt in getattr(item, "unit_alternatives", ()):
            if alt.unit == form_unit:
                units[item.name] = alt
    return units


def worked_examples(described: Mapping[str, Any]) -> list[ExampleView]:
    """Every declared example, computed now by CPython (`registry.run_json`)."""
    registry = _registry()
    by_name = {item["name"]: item for item in described["inputs"]}
    outputs = {out["name"]: out for out in described["outputs"]}
    names = declared_names(described)
    shown_units = form_units(described["id"])
    views = []
    for number, example in enumerate(described["examples"], start=1):
        result = json.loads(registry.run_json(described["id"], json.dumps(example["inputs"])))
        if "errors" in result:
            messages = "; ".join(e["message"] for e in result["errors"])
            raise CalculatorPageError(
                f"calculator {described['id']!r}: worked example {number} is rejected by the "
                f"calculator itself ({messages}); fix the example in calculators/"
            )
        source = str(example.get("source") or "")
        cited = source in described["references"]
        views.append(
            ExampleView(
                inputs=[
                    (by_name[name]["label"], _input_text(by_name[name], value))
                    for name, value in example["inputs"].items()
                ],
                outputs=[(outputs[n]["label"], text) for n, text in result["display"].items()],
                caps=[md(plain_words(c["message"], names)) for c in result["caps_applied"]],
                warnings=[md(plain_words(w["message"], names)) for w in result["warnings"]],
                explanation=[md(plain_words(line, names)) for line in result["explanation"]],
                source=md(
                    ""
                    if cited
                    else "worked example of this guideline's calculator specification"
                    if source == "spec"
                    else plain_words(source, names)
                ),
                note=md(plain_words(str(example.get("note") or ""), names)),
                fragment=fragment_for(example["inputs"], shown_units),
                source_ref=source if cited else "",
            )
        )
    return views


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, family.replace("_", " ").capitalize())


def calculator_path(calculator_id: str) -> str:
    return f"calculators/{calculator_id}.md"


# The pages planned from the registry module they came from: calculators are code, which a
# running process does not reload (`make serve` stops when they change), so planning them
# (and running every worked example) once per process is enough, and identical pages let
# the render cache recognise them without digesting their forms again.
_PLANNED: list[tuple[Any, list[Page]]] = []


def plan_calculator_pages() -> list[Page]:
    """The calculator index, then one page per calculator in registry order."""
    try:
        registry = _registry()
    except ImportError:
        return []
    if not _PLANNED or _PLANNED[0][0] is not registry:
        _PLANNED[:] = [(registry, _plan(registry))]
    return list(_PLANNED[0][1])


def _plan(registry: Any) -> list[Page]:
    described = [registry.describe(cid) for cid in registry.CALCULATORS]
    families: dict[str, list[dict[str, Any]]] = {}
    for calc in described:
        families.setdefault(calc["family"], []).append(calc)
    # Pages follow the navigation, where each family is a group (and reading order numbers
    # citations): the registry's order within a family, families as they first appear.
    described = [calc for members in families.values() for calc in members]
    groups = [
        {
            "label": family_label(family),
            "calculators": [
                {"title": c["title"], "path": calculator_path(c["id"]), "purpose": md(c["purpose"])}
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
    for calc in described:
        siblings = [
            {"title": c["title"], "path": calculator_path(c["id"])}
            for c in families[calc["family"]]
            if c["id"] != calc["id"] and c["id"] not in calc["related_calculators"]
        ]
        names = declared_names(calc)
        by_id = {c["id"]: c for c in described}
        related = [
            {"title": by_id[cid]["title"], "path": calculator_path(cid)}
            for cid in calc["related_calculators"]
            if cid in by_id
        ]
        rules = provenance.rules(calc["id"])
        pages.append(
            Page(
                calculator_path(calc["id"]),
                calc["title"],
                TEMPLATE,
                section=SECTION,
                subsection=family_label(calc["family"]),
                context={
                    "calc": calc,
                    "purpose": md(calc["purpose"]),
                    "population": md(calc["population"]),
                    "caveats": [md(plain_words(c, names)) for c in calc["caveats"]],
                    "not_included": md(plain_words(calc["not_included"], names)),
                    "formula": plain_words(calc["formula"], names),
                    "fields": [_plain_field(f, names) for f in form_fields(calc)],
                    "outputs": calc["outputs"],
                    "result": result_view(calc),
                    "reading": reading_view(calc, names),
                    "widget_words": json.dumps(
                        {"names": names, "codes": dict(PLAIN_WORDS)}, ensure_ascii=False
                    ),
                    "related": related,
                    "output_help": [
                        (out["label"], md(plain_words(out["help"], names)))
                        for out in calc["outputs"]
                        if out["help"]
                    ],
                    "examples": worked_examples(calc),
                    "rules": [r for r in rules if r.tier != "unverified"],
                    "left_out": [r for r in rules if r.tier == "unverified"],
                    "result_sources": provenance.result_sources(calc["id"]),
                    "include_unverified": provenance.include_unverified(
                        Settings.from_environment()
                    ),
                    "tier_words": provenance.tier_words(),
                    "tier_meanings": provenance.tier_meanings(),
                    "provenance_path": provenance.PAGE_PATH,
                    "is_dosing": calc["family"] in DOSING_FAMILIES,
                    "family": family_label(calc["family"]),
                    "siblings": siblings,
                    "index_path": INDEX_PATH,
                    "unit_suffix": UNIT_SUFFIX,
                    "choice_suffix": CHOICE_SUFFIX,
                },
                meta={"calculator": calc["id"]},
                search_boost=1.5,
            )
        )
    # The Provenance page is derived from the same declarations, so it is planned with them.
    pages += provenance.plan_provenance_page()
    return pages


def _plain_field(item: FormField, names: Mapping[str, str]) -> FormField:
    """A form field whose help text is in a clinician's words."""
    return replace(item, help=plain_words(item.help, names))


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


def _slot(out: Mapping[str, Any]) -> ResultSlot:
    columns = list(out.get("columns") or [])
    if not columns and out["kind"] == "list":
        columns = ["Month", out["label"]]
    elif not columns and out["kind"] in ("schedule", "split_schedule"):
        columns = ["Week", out["label"]]
    return ResultSlot(out["name"], out["label"], out["kind"], columns)


def result_view(described: Mapping[str, Any]) -> ResultView:
    """Primary output first (declared phrase), secondary outputs, then every other figure."""
    outputs = {out["name"]: out for out in described["outputs"]}
    shown = described["presentation"]
    primary = outputs[shown["primary"]]
    named = [shown["primary"], *shown["secondary"]]
    return ResultView(
        primary=_slot(primary),
        phrase=shown["phrase"],
        secondary=[_slot(outputs[name]) for name in shown["secondary"]],
        details=[_slot(out) for name, out in outputs.items() if name not in named],
        primary_json=json.dumps(
            {"phrase": shown["phrase"], "output": shown["primary"]}, ensure_ascii=False
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


def reading_view(described: Mapping[str, Any], names: Mapping[str, str]) -> ReadingView | None:
    """The declared interpretation laid out for the page; None when none is declared."""
    reading = described.get("interpretation")
    if not reading:
        return None
    label = next(o["label"] for o in described["outputs"] if o["name"] == reading["output"])
    bands = [
        BandView(
            label=b["label"],
            range=b["range"],
            tone=b["tone"],
            marks=TONE_MARKS[b["tone"]],
            meaning=md(plain_words(b["meaning"], names)),
            reference=b["reference"],
            tier=band_tier(b["verification"], b["reference"]),
            low=b["low"],
            high=b["high"],
            equals=b["equals"],
        )
        for b in reading["bands"]
    ]
    steps = [
        {
            "text": md(plain_words(step["text"], names)),
            "reference": step["reference"],
            "tier": band_tier(step["verification"], step["reference"]),
            "bands": step["bands"],
        }
        for step in reading["next_steps"]
    ]
    widget = {
        "output": reading["output"],
        "bands": [
            {
                "label": b.label,
                "low": b.low,
                "high": b.high,
                "equals": b.equals,
                "marks": b.marks,
                "tone": b.tone,
                "meaning": plain_words(
                    next(x["meaning"] for x in reading["bands"] if x["label"] == b.label), names
                ),
                "tier": b.tier,
            }
            for b in bands
        ],
        "steps": [
            {"text": plain_words(s["text"], names), "bands": s["bands"], "tier": s["tier"]}
            for s in steps
        ],
        "no_action": reading["no_action"],
    }
    return ReadingView(
        output_label=label,
        bands=bands,
        next_steps=steps,
        no_action=reading["no_action"],
        note=md(plain_words(reading["note"], names)),
        bands_json=json.dumps(widget, ensure_ascii=False),
    )
