"""Calculators on paper: what the handbook prints in place of each interactive calculator.

Paper has no JavaScript, so the book carries the formula, a worked example and the printed
tables. Every number comes from the calculator code itself: the worked example is run
through ``calculators.registry.run`` at build time and the tables are produced by
``calculators.tables`` (which also calls the registry). Nothing here re-derives a formula.

The calculators are another engineer's package and may be incomplete while they work, so
each piece degrades on its own: a missing registry gives no calculator chapter, a table or
example that fails is left out, and every omission is reported (``PaperCalculators.skipped``)
rather than hidden.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from build_tools import qrcodes, siteurl

# What the verification labels mean (calculators.declaration.VERIFICATION_LABELS).
VERIFICATION_MEANINGS: dict[str, str] = {
    "V1": "checked against the primary source",
    "V2": "secondary reproduction only",
    "PC": "project convention",
    "partial": "partly verified (see caveats)",
}


@dataclass(frozen=True)
class PrintedRule:
    """One rule of a calculator and where it comes from (calculators.declaration.Provenance)."""

    tier: str
    words: str
    what: str
    reference: str | None
    checked: str


@dataclass(frozen=True)
class PrintedInput:
    """One declared input: label, unit and the range the calculator accepts."""

    label: str
    unit: str
    accepted: str
    required: bool


@dataclass(frozen=True)
class WorkedExample:
    """A declared example run through the calculator at build time."""

    inputs: list[tuple[str, str]]
    outputs: list[tuple[str, str]]
    steps: list[str]
    notices: list[tuple[str, str | None]]
    source: str
    note: str
    link: str = ""
    """The live calculator with this example filled in (printed as a QR code and a link)."""


@dataclass(frozen=True)
class PrintedTable:
    """A table from ``calculators.tables``, cells already formatted by the calculators."""

    id: str
    title: str
    caption: str
    columns: list[tuple[str, str]]
    rows: list[list[str]]
    calculator_ids: tuple[str, ...]
    references: tuple[str, ...]
    rules: tuple[PrintedRule, ...] = ()


@dataclass
class PrintedCalculator:
    """Everything the handbook prints for one calculator."""

    id: str
    title: str
    version: str
    family: str
    purpose: str
    population: str
    formula: str
    inputs: list[PrintedInput]
    example: WorkedExample | None
    caveats: list[str]
    not_included: str
    rules: list[PrintedRule]
    left_out: list[PrintedRule]
    references: tuple[str, ...]
    tables: list[PrintedTable] = field(default_factory=list)


@dataclass
class PaperCalculators:
    """The calculator chapter's content, plus what had to be left out and why."""

    calculators: list[PrintedCalculator] = field(default_factory=list)
    orphan_tables: list[PrintedTable] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[PrintedTable]:
        """Every printed table, in book order."""
        return [t for c in self.calculators for t in c.tables] + self.orphan_tables


def _label(text: str) -> str:
    return text.replace("_", " ").capitalize()


def _input_value(item: Any, value: object, format_value: Callable[..., str]) -> str:
    """An input value as a reader would write it: choice labels, not machine names."""
    choices = dict(getattr(item, "choices", ()) or ())
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "yes" if value else "no"
    unit = getattr(item, "unit", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_value(value, None, unit)
    return format_value(value, None, "")


def _printed_input(item: Any) -> PrintedInput:
    kind = getattr(item, "kind", "")
    if kind in ("number", "number_or_choice"):
        accepted = item.range_text()
        extra = [label for _, label in getattr(item, "choices", ())]
        if extra:
            accepted += "; or " + ", ".join(extra)
    elif kind == "choice":
        accepted = "; ".join(label for _, label in item.choices)
    elif kind == "boolean":
        accepted = "yes / no"
    elif kind == "date":
        accepted = f"date (YYYY-MM-DD), {item.min_date.isoformat()} to {item.max_date.isoformat()}"
    else:
        accepted = ""
    return PrintedInput(
        label=item.label,
        unit=getattr(item, "unit", "") or "",
        accepted=accepted,
        required=bool(item.required),
    )


def _worked_example(calc: Any, registry: Any, format_value: Callable[..., str]) -> WorkedExample:
    example = calc.examples[0]
    result = registry.run(calc.id, dict(example.inputs))
    declared = {item.name: item for item in calc.inputs}
    inputs = [
        (declared[name].label, _input_value(declared[name], value, format_value))
        for name, value in result.inputs.items()
        if value is not None and name in declared
    ]
    outputs = [(out.label, result.display[out.name]) for out in calc.outputs]
    notices = [(n.message, n.reference) for n in (*result.caps_applied, *result.warnings)]
    return WorkedExample(
        inputs=inputs,
        outputs=outputs,
        steps=list(result.explanation),
        notices=notices,
        source=example.source,
        note=example.note,
        link=qrcodes.calculator_url(siteurl.site_url(), calc.id, dict(example.inputs)),
    )


def _rules(calc: Any) -> list[PrintedRule]:
    from calculators.declaration import TIER_WORDS

    return [
        PrintedRule(
            tier=entry.tier,
            words=TIER_WORDS[entry.tier],
            what=entry.what,
            reference=entry.reference,
            checked=entry.checked,
        )
        for entry in calc.provenance.values()
    ]


def _printed_table(table: Any, registry: Any = None) -> PrintedTable:
    """A table, with the applied rules of the calculators behind it: the marks it prints."""
    keys = [column.key for column in table.columns]
    rules: list[PrintedRule] = []
    if registry is not None:
        for cid in table.calculator_ids:
            if cid in registry.CALCULATORS:
                rules += [
                    r
                    for r in _rules(registry.CALCULATORS[cid])
                    if r.tier != "unverified" and r not in rules
                ]
    return PrintedTable(
        id=table.id,
        title=table.title,
        caption=table.caption,
        columns=[(column.label, column.unit) for column in table.columns],
        rows=[[row[key] for key in keys] for row in table.rows],
        calculator_ids=tuple(table.calculator_ids),
        references=tuple(table.references),
        rules=tuple(rules),
    )


def _build_tables(skipped: list[str]) -> list[Any]:
    """All tables from calculators.tables; if the whole set fails, each builder on its own."""
    try:
        tables = importlib.import_module("calculators.tables")
    except Exception as exc:  # an incomplete package must not stop the book
        skipped.append(f"no printed tables: calculators.tables cannot be imported ({exc!r})")
        return []
    try:
        return list(tables.build_tables())
    except Exception as exc:
        skipped.append(
            f"calculators.tables.build_tables() failed ({exc!r}); tables built one by one"
        )
    built = []
    for name in sorted(dir(tables)):
        builder = getattr(tables, name)
        if not (name.endswith("_table") and callable(builder)):
            continue
        try:
            built.append(builder())
        except Exception as exc:
            skipped.append(f"table {name} left out: {exc!r}")
    return built


def collect_calculators() -> PaperCalculators:
    """Read the calculators registry and tables; never raises for an incomplete package."""
    book = PaperCalculators()
    try:
        registry = importlib.import_module("calculators.registry")
        result_module = importlib.import_module("calculators.result")
    except Exception as exc:
        book.skipped.append(f"no calculator chapter: calculators cannot be imported ({exc!r})")
        return book
    format_value = result_module.format_value
    calculators: Mapping[str, Any] = registry.CALCULATORS
    for calc in calculators.values():
        example = None
        if calc.examples:
            try:
                example = _worked_example(calc, registry, format_value)
            except Exception as exc:
                book.skipped.append(f"{calc.id}: worked example left out ({exc!r})")
        else:
            book.skipped.append(f"{calc.id}: declares no worked example")
        book.calculators.append(
            PrintedCalculator(
                id=calc.id,
                title=calc.title,
                version=calc.version,
                family=calc.family,
                purpose=calc.purpose,
                population=calc.population,
                formula=calc.formula,
                inputs=[_printed_input(item) for item in calc.inputs],
                example=example,
                caveats=list(calc.caveats),
                not_included=calc.not_included,
                rules=[r for r in _rules(calc) if r.tier != "unverified"],
                left_out=[r for r in _rules(calc) if r.tier == "unverified"],
                references=tuple(calc.references),
            )
        )
    by_id = {c.id: c for c in book.calculators}
    for table in _build_tables(book.skipped):
        printed = _printed_table(table, registry)
        home = next((by_id[i] for i in printed.calculator_ids if i in by_id), None)
        if home is None:
            book.orphan_tables.append(printed)
        else:
            home.tables.append(printed)
    return book
