"""Parse raw inputs (JSON values or form strings) against a declaration; never eval.

Every field is checked and every problem collected before anything is
computed, so a form can mark all bad fields at once. Messages are built from
the declaration (names, units, limits), never typed by hand per calculator.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from calculators.declaration import (
    BoolInput,
    Calculator,
    ChoiceInput,
    DateInput,
    Input,
    JSONValue,
    Notice,
    NumberInput,
    NumberOrChoiceInput,
    UnitAlt,
)
from calculators.errors import CalculatorInputError, FieldError
from calculators.numeric import exact, fmt, fmt_short, is_multiple

type ParsedValue = float | int | str | bool | date | None

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA_RE = re.compile(r"[+-]?\d+,\d+")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE_STRINGS = ("true",)
_FALSE_STRINGS = ("false",)


@dataclass(frozen=True, kw_only=True)
class ParsedInputs:
    """Validated inputs: typed values for compute, JSON values for the result, soft warnings."""

    values: dict[str, ParsedValue]
    normalized: dict[str, JSONValue]
    warnings: tuple[Notice, ...]
    notes: tuple[str, ...]


class _Bad(Exception):
    """Internal: one field failed; carries the finished FieldError."""

    def __init__(self, error: FieldError) -> None:
        super().__init__(error.message)
        self.error = error


def show(raw: object) -> str:
    """Render a rejected raw value the way the user sent it (JSON spelling)."""
    if isinstance(raw, float) and not math.isfinite(raw):
        return "NaN" if math.isnan(raw) else ("Infinity" if raw > 0 else "-Infinity")
    try:
        text = json.dumps(raw, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(raw).__name__
    return text if len(text) <= 60 else text[:57] + "..."


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
                field_errors[item.name] = _field_error(item, message)
            else:
                values[item.name] = _default_value(item)
            continue
        if isinstance(item, NumberInput) and item.unit_field and item.unit_field not in values:
            # Its unit is unknown (that field failed), so only check that it is a number.
            try:
                _coerce_scalar(item, raw[item.name], item.unit)
            except _Bad as bad:
                field_errors[item.name] = bad.error
            continue
        try:
            value, field_warnings, field_notes = _parse_one(item, raw[item.name], values)
        except _Bad as bad:
            field_errors[item.name] = bad.error
            continue
        values[item.name] = value
        warnings.extend(field_warnings)
        notes.extend(field_notes)
    if unknown or field_errors:
        ordered_errors = [field_errors[name] for name in declared if name in field_errors]
        raise CalculatorInputError(unknown + ordered_errors)
    ordered_values = {name: values[name] for name in declared}
    normalized = {name: _to_json(value) for name, value in ordered_values.items()}
    return ParsedInputs(
        values=ordered_values, normalized=normalized, warnings=tuple(warnings), notes=tuple(notes)
    )


def _has_unit_field(item: Input) -> bool:
    return isinstance(item, NumberInput) and item.unit_field is not None


def _default_value(item: Input) -> ParsedValue:
    """Defaults take the type a supplied value would (int for whole-number inputs, else float)."""
    if isinstance(item, DateInput) and item.default is not None:
        return date.fromisoformat(item.default)
    if isinstance(item, NumberInput) and item.default is not None:
        return int(item.default) if item.integer else float(item.default)
    return item.default


def _to_json(value: ParsedValue) -> JSONValue:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _field_error(item: Input, message: str) -> FieldError:
    """A FieldError carrying the structured limits, so a form can show the accepted values."""
    if isinstance(item, NumberInput):
        choices = (
            tuple(value for value, _ in item.choices)
            if isinstance(item, NumberOrChoiceInput)
            else None
        )
        return FieldError(
            field=item.name,
            message=message,
            unit=item.unit,
            accepted_min=float(item.hard_min),
            accepted_max=float(item.hard_max),
            choices=choices,
        )
    if isinstance(item, ChoiceInput):
        return FieldError(field=item.name, message=message, choices=item.values)
    if isinstance(item, BoolInput):
        return FieldError(field=item.name, message=message, choices=("true", "false"))
    return FieldError(field=item.name, message=message)


def _fail(item: Input, message: str) -> _Bad:
    return _Bad(_field_error(item, f"{item.name}: {message}"))


def _parse_one(
    item: Input, raw: object, parsed: Mapping[str, ParsedValue]
) -> tuple[ParsedValue, list[Notice], list[str]]:
    if isinstance(item, NumberInput):
        return _parse_number_input(item, raw, parsed)
    if isinstance(item, ChoiceInput):
        return _parse_choice(item, raw), [], []
    if isinstance(item, BoolInput):
        return _parse_bool(item, raw), [], []
    return _parse_date(item, raw), [], []


def _parse_choice(item: ChoiceInput, raw: object) -> str:
    accepted = ", ".join(item.values)
    if not isinstance(raw, str):
        raise _fail(item, f"expected one of {accepted}, got {show(raw)}")
    if raw.strip() == "":
        raise _fail(item, f"empty value; choose one of {accepted}")
    if raw not in item.values:
        raise _fail(item, f"{show(raw)} is not one of the accepted values: {accepted}")
    return raw


def _parse_bool(item: BoolInput, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE_STRINGS:
        return True
    if isinstance(raw, str) and raw.strip().lower() in _FALSE_STRINGS:
        return False
    if isinstance(raw, str) and raw.strip() == "":
        raise _fail(item, "empty value; enter true or false")
    raise _fail(item, f"expected true or false, got {show(raw)}")


def _parse_date(item: DateInput, raw: object) -> date:
    if not isinstance(raw, str) or not _DATE_RE.fullmatch(raw.strip()):
        raise _fail(item, f"expected a date as YYYY-MM-DD, got {show(raw)}")
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise _fail(item, f"{show(raw)} is not a real calendar date (YYYY-MM-DD)") from None
    if not item.min_date <= value <= item.max_date:
        raise _fail(
            item,
            f"{value.isoformat()} is outside the accepted dates {item.min_date.isoformat()} to "
            f"{item.max_date.isoformat()}",
        )
    return value


def _coerce_scalar(item: NumberInput, raw: object, unit_label: str) -> Fraction:
    """Turn a JSON number or numeric string into an exact value, or explain why not."""
    what = f"a number in {unit_label}"
    if isinstance(item, NumberOrChoiceInput):
        what += "".join(f" or {value}" for value, _ in item.choices)
    if isinstance(raw, bool):
        raise _fail(item, f"expected {what}, got {show(raw)} (a boolean)")
    if isinstance(raw, int):
        return Fraction(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _fail(item, f"expected a finite number in {unit_label}, got {show(raw)}")
        return exact(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if text == "":
            raise _fail(item, f"empty value; enter {what}")
        if _NUMBER_RE.fullmatch(text):
            if not math.isfinite(float(text)):
                raise _fail(item, f"expected a finite number in {unit_label}, got {show(raw)}")
            return Fraction(text)
        if _DECIMAL_COMMA_RE.fullmatch(text):
            raise _fail(item, f"expected {what}, got {show(raw)}; use a decimal point")
    raise _fail(item, f"expected {what}, got {show(raw)}")


def _parse_number_input(
    item: NumberInput, raw: object, parsed: Mapping[str, ParsedValue]
) -> tuple[ParsedValue, list[Notice], list[str]]:
    if (
        isinstance(item, NumberOrChoiceInput)
        and isinstance(raw, str)
        and raw.strip() in {value for value, _ in item.choices}
    ):
        return raw.strip(), [], []
    alt = _unit_from_field(item, parsed)
    notes: list[str] = []
    if isinstance(raw, Mapping) and item.unit_field is None:
        value, alt = _coerce_with_unit(item, raw)
    else:
        if isinstance(raw, Mapping):
            raise _fail(item, f"give the number only; its unit is chosen by {item.unit_field}")
        value = _coerce_scalar(item, raw, (alt.label or alt.unit) if alt else item.unit)
    if alt is not None and item.unit_field is None:
        canonical = alt.to_canonical(value)
        notes.append(
            f"{item.name}: {fmt(value)} {alt.label or alt.unit} = {fmt_short(canonical, 4)} "
            f"{item.unit}"
        )
    else:
        canonical = alt.to_canonical(value) if alt else value
    _check_number(item, value, canonical, alt, raw)
    warnings = _soft_warnings(item, canonical)
    # Values that depend on another field's unit stay in that unit; compute converts them.
    result = value if item.unit_field is not None else canonical
    number: float | int = int(result) if item.integer else float(result)
    return number, warnings, notes


def _unit_from_field(item: NumberInput, parsed: Mapping[str, ParsedValue]) -> UnitAlt | None:
    if item.unit_field is None:
        return None
    chosen = parsed.get(item.unit_field)
    for alt in item.unit_alternatives:
        if alt.unit == chosen:
            return alt
    return None


def _coerce_with_unit(
    item: NumberInput, raw: Mapping[object, object]
) -> tuple[Fraction, UnitAlt | None]:
    units = [item.unit, *(alt.unit for alt in item.unit_alternatives)]
    if set(raw) != {"value", "unit"}:
        raise _fail(
            item, f'expected a number or {{"value": number, "unit": one of {", ".join(units)}}}'
        )
    unit = raw["unit"]
    if unit == item.unit:
        return _coerce_scalar(item, raw["value"], item.unit), None
    for alt in item.unit_alternatives:
        if unit == alt.unit:
            return _coerce_scalar(item, raw["value"], alt.label or alt.unit), alt
    raise _fail(item, f"unit {show(unit)} is not accepted; use {' or '.join(units)}")


def _check_number(
    item: NumberInput, value: Fraction, canonical: Fraction, alt: UnitAlt | None, raw: object
) -> None:
    unit_label = (alt.label or alt.unit) if alt else item.unit
    shown = f"{fmt(value)} {unit_label}"
    if alt is not None and item.unit_field is None:
        shown += f" ({fmt_short(canonical)} {item.unit})"
    if item.integer and canonical.denominator != 1:
        raise _fail(item, f"expected a whole number of {item.unit}, got {fmt(value)}")
    low, high = exact(item.hard_min), exact(item.hard_max)
    too_low = canonical < low if item.min_inclusive else canonical <= low
    too_high = canonical > high if item.max_inclusive else canonical >= high
    if too_low or too_high:
        message = (
            f"{shown} is outside the accepted range "
            f"{item.range_text(alt if item.unit_field else None)}"
        )
        note = item.below_note if too_low else item.above_note
        if note:
            message += f" ({note})"
        for hint in item.slip_hints:
            if alt is None and hint.matches(value):
                message += f"; {hint.message}"
                break
        raise _fail(item, message)
    if item.allowed and all(canonical != exact(option) for option in item.allowed):
        options = ", ".join(fmt(option) for option in item.allowed)
        raise _fail(item, f"{shown} is not one of the accepted values {options} {item.unit}")
    if item.multiple_of is not None and not is_multiple(canonical, item.multiple_of):
        message = f"{shown} is not a multiple of {fmt(item.multiple_of)} {item.unit}"
        if item.multiple_note:
            message += f" ({item.multiple_note})"
        raise _fail(item, message)


def _soft_warnings(item: NumberInput, canonical: Fraction) -> list[Notice]:
    below = item.soft_min is not None and canonical < exact(item.soft_min)
    above = item.soft_max is not None and canonical > exact(item.soft_max)
    if not (below or above):
        return []
    message = (
        f"{item.name}: {fmt(canonical)} {item.unit} is outside the usual range "
        f"{item.soft_range_text()}"
    )
    if item.soft_note:
        message += f" ({item.soft_note})"
    return [Notice(id=f"{item.name}_outside_usual_range", message=message, reference=None)]
