"""Calculators on paper: what the handbook prints in place of each interactive calculator.

Paper has no JavaScript, so the book carries the formula, a worked example and the printed
tables. Every number comes from the calculator code itself: the book reads the same typed
calculator view as the web page (``build_tools.calculator_view``: inputs with what each
accepts, the worked example run at build time, the rules and their sources), and the
tables are the ones each calculator declares beside itself (collected by
``calculators.tables``). Nothing here re-derives a formula or dispatches on input kinds.

The calculators are another engineer's package and may be incomplete while they work, so
each piece degrades on its own: a missing registry gives no calculator chapter, a table or
example that fails is left out, and every omission is reported (``PaperCalculators.skipped``)
rather than hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from build_tools import qrcodes, siteurl

if TYPE_CHECKING:
    from build_tools.calculator_view import CalculatorView
    from calculators.printed import Table

# What the verification labels mean (calculators.declaration.VERIFICATION_LABELS).
VERIFICATION_MEANINGS: Mapping[str, str] = {
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
    """A table a calculator declares (cells already formatted by it), with the applied rules
    of the calculators behind it: the marks it prints. Read through, not copied."""

    table: Table
    rules: tuple[PrintedRule, ...] = ()

    @property
    def id(self) -> str:
        return self.table.id

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def caption(self) -> str:
        return self.table.caption

    @property
    def calculator_ids(self) -> tuple[str, ...]:
        return self.table.calculator_ids

    @property
    def references(self) -> tuple[str, ...]:
        return self.table.references

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(label, unit) of each column."""
        return list(self.table.header())

    @property
    def rows(self) -> list[list[str]]:
        """Each row's cells in column order."""
        return [list(cells) for cells in self.table.cells()]


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


def _rules(view: CalculatorView) -> list[PrintedRule]:
    from calculators.declaration import TIER_WORDS

    return [
        PrintedRule(
            tier=entry.tier,
            words=TIER_WORDS[entry.tier],
            what=entry.what,
            reference=entry.reference,
            checked=entry.checked,
        )
        for _, entry in view.provenance
    ]


def _worked_example(view: CalculatorView, site: str) -> WorkedExample:
    """The first declared example as the view ran it; a failure leaves it out, said why.

    Its link carries the example as the form shows it (each input in the unit its form
    shows first: a 0.2 fraction a month is 20 % a month), as the page's own shared links
    and "Load example" do; the canonical value would be read in the form's unit."""
    example = view.examples[0]
    if example.failure:
        raise RuntimeError(example.failure)
    return WorkedExample(
        inputs=list(example.printed_inputs),
        outputs=list(example.outputs),
        steps=list(example.explanation),
        notices=[(n.message, n.reference) for n in (*example.caps, *example.warnings)],
        source=example.source,
        note=example.note,
        link=qrcodes.calculator_url(site, view.id, dict(example.form_values)),
    )


def _printed_table(table: Table, views: Mapping[str, CalculatorView]) -> PrintedTable:
    """A table, with the applied rules of the calculators behind it: the marks it prints."""
    rules: list[PrintedRule] = []
    for cid in table.calculator_ids:
        if cid in views:
            rules += [r for r in _rules(views[cid]) if r.tier != "unverified" and r not in rules]
    return PrintedTable(table=table, rules=tuple(rules))


def _build_tables(skipped: list[str]) -> list[Table]:
    """All declared tables; if the whole set fails, each named builder on its own."""
    try:
        # `import a.b` (not `from a import b`) consults sys.modules, so a package whose
        # tables module cannot be imported is seen as such even after an earlier import.
        import calculators.tables
    except Exception as exc:  # an incomplete package must not stop the book
        skipped.append(f"no printed tables: calculators.tables cannot be imported ({exc!r})")
        return []
    try:
        return list(calculators.tables.build_tables())
    except Exception as exc:
        skipped.append(
            f"calculators.tables.build_tables() failed ({exc!r}); tables built one by one"
        )
    built = []
    for name in sorted(dir(calculators.tables)):
        builder = getattr(calculators.tables, name)
        if not (name.endswith("_table") and callable(builder)):
            continue
        try:
            built.append(builder())
        except Exception as exc:
            skipped.append(f"table {name} left out: {exc!r}")
    return built


def collect_calculators(site: str | None = None) -> PaperCalculators:
    """Read the calculators' views and tables; never raises for an incomplete package.

    `site`: the address the printed links open (build_tools.siteurl; by default the
    environment's, else the local server's)."""
    site = site if site is not None else siteurl.site_url()
    book = PaperCalculators()
    try:
        import calculators.registry
        from build_tools.calculator_view import calculator_view
    except Exception as exc:
        book.skipped.append(f"no calculator chapter: calculators cannot be imported ({exc!r})")
        return book
    calcs = calculators.registry.CALCULATORS
    views = {cid: calculator_view(calc) for cid, calc in calcs.items()}
    for view in views.values():
        example = None
        if view.examples:
            try:
                example = _worked_example(view, site)
            except Exception as exc:
                book.skipped.append(f"{view.id}: worked example left out ({exc!r})")
        else:
            book.skipped.append(f"{view.id}: declares no worked example")
        rules = _rules(view)
        book.calculators.append(
            PrintedCalculator(
                id=view.id,
                title=view.title,
                version=view.version,
                family=view.family,
                purpose=view.purpose,
                population=view.population,
                formula=view.formula,
                inputs=[
                    PrintedInput(
                        label=item.label,
                        unit=item.unit,
                        accepted=item.accepted,
                        required=item.required,
                    )
                    for item in view.inputs
                ],
                example=example,
                caveats=list(view.caveats),
                not_included=view.not_included,
                rules=[r for r in rules if r.tier != "unverified"],
                left_out=[r for r in rules if r.tier == "unverified"],
                references=view.references,
            )
        )
    by_id = {c.id: c for c in book.calculators}
    for table in _build_tables(book.skipped):
        printed = _printed_table(table, views)
        home = next((by_id[i] for i in printed.calculator_ids if i in by_id), None)
        if home is None:
            book.orphan_tables.append(printed)
        else:
            home.tables.append(printed)
    return book
