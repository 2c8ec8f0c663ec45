"""Parse raw inputs (JSON values or form strings) against a declaration; never eval.

Every field is checked and every problem collected before anything is
computed, so a form can mark all bad fields at once. Each input parses itself
(``calculators.inputs``): messages are built from its declaration (names, units,
limits), never typed by hand per calculator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from calculators.declaration import Calculator, Input, JSONValue, Notice
from calculators.errors import CalculatorInputError, FieldError
from calculators.inputs import InputProblem, ParsedValue, show

__all__ = ["ParsedInputs", "ParsedValue", "parse_inputs", "show"]


@dataclass(frozen=True, kw_only=True)
class ParsedInputs:
    """Validated inputs: typed values for compute, JSON values for the result, soft warnings."""

    values: dict[str, ParsedValue]
    normalized: dict[str, JSONValue]
    warnings: tuple[Notice, ...]
    notes: tuple[str, ...]


def parse_inputs(calc: Calculator, raw: object) -> ParsedInputs:
    """Validate ``raw`` for ``calc``; raise CalculatorInputError listing every problem."""
    if not isinstance(raw, Mapping):
        raise CalculatorInputError(
            [
                FieldError(
                    field="input",
                    message=f"input: expected an object of named fields, got {show(raw)}",
                )
            ]
        )
    unknown: list[FieldError] = []
    field_errors: dict[str, FieldError] = {}
    warnings: list[Notice] = []
    notes: list[str] = []
    values: dict[str, ParsedValue] = {}
    declared = calc.input_names
    for key in raw:
        if not isinstance(key, str) or key not in declared:
            unknown.append(
                FieldError(
                    field=str(key),
                    message=f"{key}: unknown field; accepted fields are {', '.join(declared)}",
                )
            )
    # Fields whose unit is chosen by another field are parsed after that field.
    ordered = [item for item in calc.inputs if not _has_unit_field(item)]
    ordered += [item for item in calc.inputs if _has_unit_field(item)]
    for item in ordered:
        present = item.name in raw and raw[item.name] is not None
        if not present:
            if item.required:
                hint = f"; {item.missing_hint}" if item.missing_hint else ""
                message = f"{item.name}: required field is missing{hint}"
                field_errors[item.name] = item.field_error(message)
            else:
                values[item.name] = item.default_value()
            continue
        try:
            field = item.parse(raw[item.name], values)
        except InputProblem as problem:
            field_errors[item.name] = problem.error
            continue
        values[item.name] = field.value
        warnings.extend(field.warnings)
        notes.extend(field.notes)
    if unknown or field_errors:
        ordered_errors = [field_errors[name] for name in declared if name in field_errors]
        raise CalculatorInputError(unknown + ordered_errors)
    ordered_values = {name: values[name] for name in declared}
    normalized = {name: _to_json(value) for name, value in ordered_values.items()}
    return ParsedInputs(
        values=ordered_values, normalized=normalized, warnings=tuple(warnings), notes=tuple(notes)
    )


def _has_unit_field(item: Input) -> bool:
    return item.unit_field is not None


def _to_json(value: ParsedValue) -> JSONValue:
    if isinstance(value, date):
        return value.isoformat()
    return value
