"""Printed tables: the shape every calculator's ready-reckoner table takes, and its cells.

A table is declared beside its calculator (``Calculator.printed_tables``) and computes its
rows by calling that calculator's typed ``evaluate`` (never by re-deriving a formula, and
never by sending it raw input meant for a user). Cells are already formatted strings (the
declared precision, units in the column header), so templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from calculators.declaration import Calculator, JSONValue
from calculators.edition import GUIDELINE_EDITION
from calculators.result import format_value

type Row = Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class Column:
    """One table column; the unit belongs in the header, not in every cell."""

    key: str
    label: str
    unit: str = ""

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON data."""
        return {"key": self.key, "label": self.label, "unit": self.unit}


@dataclass(frozen=True, kw_only=True)
class Table:
    """A printable table and the calculators and references behind it."""

    id: str
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    calculator_ids: tuple[str, ...]
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON data with a fixed key order; rows follow the column order."""
        keys = [column.key for column in self.columns]
        return {
            "id": self.id,
            "title": self.title,
            "caption": self.caption,
            "guideline_edition": GUIDELINE_EDITION,
            "columns": [column.to_dict() for column in self.columns],
            "rows": [{key: row[key] for key in keys} for row in self.rows],
            "calculator_ids": list(self.calculator_ids),
            "references": list(self.references),
        }

    def header(self) -> tuple[tuple[str, str], ...]:
        """(label, unit) of each column, in order: what a printed header shows."""
        return tuple((column.label, column.unit) for column in self.columns)

    def cells(self) -> tuple[tuple[str, ...], ...]:
        """Each row's cells in column order: what a printed body shows."""
        keys = [column.key for column in self.columns]
        return tuple(tuple(row[key] for key in keys) for row in self.rows)


def cell(calc: Calculator, output: str, value: JSONValue) -> str:
    """A value formatted as the calculator declares the output (precision, no unit)."""
    return format_value(value, calc.output(output).precision, "")


def references(*calcs: Calculator) -> tuple[str, ...]:
    """The references of the calculators behind a table, each once, in order."""
    seen: dict[str, None] = {}
    for calc in calcs:
        for ref in calc.references:
            seen[ref] = None
    return tuple(seen)


def decimal_range(start: str, stop: str, step: str) -> list[Decimal]:
    """Exact decimal steps from start to stop inclusive (BSA 1.4, 1.5, ... 2.4)."""
    values, current = [], Decimal(start)
    while current <= Decimal(stop):
        values.append(current)
        current += Decimal(step)
    return values
