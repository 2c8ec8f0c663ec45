"""Input kinds: each carries its own parsing, range text, form widget and wording.

The way click's parameter types do, every kind of input (a number with units and limits, a
number or a named special value, a choice, yes/no, a date) knows how to turn untrusted input
into a typed value or an error naming the field, its unit and the accepted range; how its
accepted values read on paper; which form control shows it; and how one of its values reads
to a person. Nothing else dispatches on what kind an input is: the validator, the web page,
the printed handbook and the declaration checks all ask the input itself. ``kind`` is the
widget name the browser and the JSON description receive, derived here once per class.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import ClassVar

from calculators.errors import DeclarationError, FieldError
from calculators.numeric import exact, fmt, fmt_short, is_multiple
from calculators.values import JSONValue, Notice

type ParsedValue = float | int | str | bool | date | None

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA_RE = re.compile(r"[+-]?\d+,\d+")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE_STRINGS = ("true",)
_FALSE_STRINGS = ("false",)

# A choice with this many options or fewer is shown as buttons (one tap on a phone).
MAX_RADIO_CHOICES = 4


class InputProblem(Exception):
    """One field failed; carries the finished FieldError (message, unit, accepted range)."""

    def __init__(self, error: FieldError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True, kw_only=True)
class Parsed:
    """One field's typed value, with the soft warnings and unit-conversion notes it raised."""

    value: ParsedValue
    warnings: tuple[Notice, ...] = ()
    notes: tuple[str, ...] = ()


def show(raw: object) -> str:
    """Render a rejected raw value the way the user sent it (JSON spelling)."""
    if isinstance(raw, float) and not math.isfinite(raw):
        return "NaN" if math.isnan(raw) else ("Infinity" if raw > 0 else "-Infinity")
    try:
        text = json.dumps(raw, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(raw).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def number_text(value: object) -> str:
    """A number as a form field or a worked example shows it (2.0 reads "2")."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def scalar_text(value: object) -> str:
    """One JSON scalar as text: true/false, numbers as `number_text`, nothing for null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return number_text(value) if isinstance(value, int | float) else str(value)


def unit_label(unit: str) -> str:
    """A unit as people write it (m2 becomes m²)."""
    return unit.replace("m2", "m²") if unit.endswith("m2") else unit


@dataclass(frozen=True)
class Option:
    """One value of a choice, a unit toggle, or a yes/no question."""

    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class Widget:
    """Everything a form needs to lay out one input (no logic left for the template)."""

    name: str
    kind: str
    control: str  # "number" | "radio" | "select" | "date"
    label: str
    unit: str
    required: bool
    value: str
    hint: str
    help: str
    units: tuple[Option, ...] = ()
    unit_from: str = ""
    options: tuple[Option, ...] = ()
    special: tuple[Option, ...] = ()
    step: str = ""
    # The accepted range in each unit the field can be entered in: (unit, "Accepted: ...").
    unit_hints: tuple[tuple[str, str], ...] = ()
    canonical_unit: str = ""


def _choice_widget(
    item: ChoiceInput | BoolInput, choices: tuple[tuple[str, str], ...], chosen: str
) -> Widget:
    """A closed set of answers: buttons when there are few, a list when there are many."""
    options = tuple(Option(v, label, v == chosen) for v, label in choices)
    return Widget(
        name=item.name,
        kind=item.kind,
        control="radio" if len(options) <= MAX_RADIO_CHOICES else "select",
        label=item.label,
        unit="",
        required=item.required,
        value=chosen,
        hint="",
        help=item.help,
        options=options,
    )


@dataclass(frozen=True, kw_only=True)
class UnitAlt:
    """Another unit the caller may use; canonical = value x factor + offset."""

    unit: str
    factor: Fraction
    offset: Fraction = Fraction(0)
    label: str = ""

    def to_canonical(self, value: Fraction) -> Fraction:
        """Convert an exact value in this unit into the input's canonical unit."""
        return value * self.factor + self.offset

    def from_canonical(self, value: Fraction) -> Fraction:
        """Convert a canonical bound into this unit, for messages in the unit the user typed."""
        return (value - self.offset) / self.factor

    def describe(self) -> dict[str, JSONValue]:
        """JSON form for the browser's unit selector."""
        return {
            "unit": self.unit,
            "label": self.label or self.unit,
            "factor": float(self.factor),
            "offset": float(self.offset),
        }


@dataclass(frozen=True, kw_only=True)
class SlipHint:
    """A likely unit slip: if a rejected value lies in [low, high], append ``message``."""

    low: float
    high: float
    message: str

    def matches(self, value: Fraction) -> bool:
        """True when the rejected value falls in the tell-tale band."""
        return exact(self.low) <= value <= exact(self.high)


@dataclass(frozen=True, kw_only=True)
class NumberInput:
    """A quantity with hard limits (reject) and optional soft limits (warn).

    ``range_source`` names where the limits come from; ``below_note``/``above_note``
    explain a limit that is clinical rather than a plausibility check, and appear in
    the error for that side only; ``multiple_note`` explains ``multiple_of``.
    """

    name: str
    label: str
    unit: str
    hard_min: float
    hard_max: float
    range_source: str
    min_inclusive: bool = True
    max_inclusive: bool = True
    soft_min: float | None = None
    soft_max: float | None = None
    soft_note: str = ""
    below_note: str = ""
    above_note: str = ""
    multiple_note: str = ""
    integer: bool = False
    step: float | None = None
    precision: int = 1
    help: str = ""
    unit_alternatives: tuple[UnitAlt, ...] = ()
    unit_field: str | None = None
    allowed: tuple[float, ...] = ()
    multiple_of: float | None = None
    slip_hints: tuple[SlipHint, ...] = ()
    required: bool = True
    default: float | None = None
    missing_hint: str = ""
    form_unit: str = ""

    kind: ClassVar[str] = "number"

    @property
    def special_choices(self) -> tuple[tuple[str, str], ...]:
        """Named values accepted instead of a number (none for a plain number)."""
        return ()

    def range_text(self, alt: UnitAlt | None = None) -> str:
        """Human range such as "25–300 kg", in the canonical unit or an alternative one."""
        low, high, unit = exact(self.hard_min), exact(self.hard_max), self.unit
        if alt is not None:
            low, high, unit = (
                alt.from_canonical(low),
                alt.from_canonical(high),
                alt.label or alt.unit,
            )
        low_text, high_text = fmt_short(low), fmt_short(high)
        if self.min_inclusive and self.max_inclusive:
            return f"{low_text}–{high_text} {unit}"
        lower = f"from {low_text}" if self.min_inclusive else f"above {low_text}"
        upper = f"up to {high_text}" if self.max_inclusive else f"below {high_text}"
        return f"{lower} and {upper} {unit}"

    def soft_range_text(self) -> str:
        """The usual range, for soft-limit warnings."""
        low = "" if self.soft_min is None else fmt_short(exact(self.soft_min))
        high = "" if self.soft_max is None else fmt_short(exact(self.soft_max))
        if low and high:
            return f"{low}–{high} {self.unit}"
        if low:
            return f"at least {low} {self.unit}"
        return f"at most {high} {self.unit}"

    def accepted_text(self) -> str:
        """What the input accepts, as the printed handbook lists it."""
        accepted = self.range_text()
        extra = [label for _, label in self.special_choices]
        if extra:
            accepted += "; or " + ", ".join(extra)
        return accepted

    def describe(self) -> dict[str, JSONValue]:
        """JSON description for the browser form and the site renderer."""
        data: dict[str, JSONValue] = {
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "unit": self.unit,
            "required": self.required,
            "default": self.default,
            "hard_min": self.hard_min,
            "hard_max": self.hard_max,
            "min_inclusive": self.min_inclusive,
            "max_inclusive": self.max_inclusive,
            "accepted_range": self.range_text(),
            "range_source": self.range_source,
            "below_note": self.below_note,
            "above_note": self.above_note,
            "multiple_note": self.multiple_note,
            "soft_min": self.soft_min,
            "soft_max": self.soft_max,
            "soft_note": self.soft_note,
            "integer": self.integer,
            "step": self.step,
            "precision": self.precision,
            "help": self.help,
            "unit_alternatives": [alt.describe() for alt in self.unit_alternatives],
            "unit_field": self.unit_field,
            "allowed": list(self.allowed),
            "multiple_of": self.multiple_of,
            "form_unit": self.form_unit,
        }
        return data

    # -- the form ------------------------------------------------------------------------

    def unit_hints(self) -> tuple[tuple[str, str], ...]:
        """The accepted range in the canonical unit and in each alternative, as `range_text`
        words it, so a user typing µmol/L reads µmol/L. The unit the form offers first comes
        first; none when the field has one unit only."""
        hints = [(self.unit, f"Accepted: {self.range_text()}")]
        hints += [(alt.unit, f"Accepted: {self.range_text(alt)}") for alt in self.unit_alternatives]
        hints.sort(key=lambda hint: hint[0] != self.form_unit)
        return tuple(hints) if len(hints) > 1 else ()

    def widget(self) -> Widget:
        """A number field (with its unit toggle and special values), or buttons for a few
        permitted values; the hint quotes the declared limits."""
        hint = f"Accepted: {self.range_text()}"
        if self.soft_min is not None or self.soft_max is not None:
            hint += " (a warning outside the usual range)"
        units: list[Option] = []
        unit_from = self.unit_field or ""
        form_unit = self.form_unit or self.unit
        if self.unit_alternatives and not unit_from:
            units = [Option(self.unit, unit_label(self.unit))]
            units += [Option(a.unit, a.label or a.unit) for a in self.unit_alternatives]
            units.sort(key=lambda o: o.value != form_unit)
            units = [Option(o.value, o.label, o.value == form_unit) for o in units]
        special = tuple(Option(value, label) for value, label in self.special_choices)
        if self.allowed and len(self.allowed) <= MAX_RADIO_CHOICES and not units and not special:
            # A few permitted values (tablet steps, rounding): one tap each.
            chosen = number_text(self.default)
            unit = unit_label(self.unit)
            return Widget(
                name=self.name,
                kind=self.kind,
                control="radio",
                label=self.label,
                unit=unit,
                required=self.required,
                value=chosen,
                hint="",
                help=self.help,
                options=tuple(
                    Option(
                        number_text(v), f"{number_text(v)} {unit}".strip(), number_text(v) == chosen
                    )
                    for v in self.allowed
                ),
            )
        return Widget(
            name=self.name,
            kind=self.kind,
            control="number",
            label=self.label,
            unit=unit_label(self.unit),
            required=self.required,
            value=number_text(self.default),
            hint=hint,
            help=self.help,
            units=tuple(units),
            unit_from=unit_from,
            special=special,
            step=number_text(self.step) if self.step else "any",
            unit_hints=self.unit_hints(),
            canonical_unit=self.unit,
        )

    def value_text(self, value: JSONValue, chosen_unit: str | None = None) -> str:
        """A value as a person reads it, with its unit. A value whose unit another field
        chooses shows ``chosen_unit`` when given (else none: that field's own row says it)."""
        if isinstance(value, Mapping):
            unit = next(
                (a.label or a.unit for a in self.unit_alternatives if a.unit == value["unit"]),
                value.get("unit", ""),
            )
            return f"{scalar_text(value.get('value'))} {unit}".strip()
        if isinstance(value, bool):
            return "yes" if value else "no"
        for choice, label in self.special_choices:
            if choice == value:
                return label
        unit = unit_label(chosen_unit or "") if self.unit_field else unit_label(self.unit)
        return f"{scalar_text(value)} {unit}".strip()

    def form_value(self, value: JSONValue) -> JSONValue:
        """A canonical value in the unit the form shows first (a 0.2 fraction becomes 20 %),
        as a link that fills the form carries it."""
        alt = next((a for a in self.unit_alternatives if a.unit == self.form_unit), None)
        if alt is None or isinstance(value, bool) or not isinstance(value, int | float):
            return value
        return float(alt.from_canonical(Fraction(str(value))))

    # -- untrusted input -----------------------------------------------------------------

    def field_error(self, message: str) -> FieldError:
        """A FieldError carrying the structured limits, so a form can show the accepted values."""
        special = isinstance(self, NumberOrChoiceInput)
        return FieldError(
            field=self.name,
            message=message,
            unit=self.unit,
            accepted_min=float(self.hard_min),
            accepted_max=float(self.hard_max),
            choices=tuple(value for value, _ in self.special_choices) if special else None,
        )

    def fail(self, message: str) -> InputProblem:
        """The problem to raise for this field; the message starts with the field's name."""
        return InputProblem(self.field_error(f"{self.name}: {message}"))

    def default_value(self) -> ParsedValue:
        """The default takes the type a supplied value would (int for whole numbers)."""
        if self.default is None:
            return None
        return int(self.default) if self.integer else float(self.default)

    def coerce_scalar(self, raw: object, unit_text: str) -> Fraction:
        """Turn a JSON number or numeric string into an exact value, or explain why not."""
        what = f"a number in {unit_text}"
        what += "".join(f" or {value}" for value, _ in self.special_choices)
        if isinstance(raw, bool):
            raise self.fail(f"expected {what}, got {show(raw)} (a boolean)")
        if isinstance(raw, int):
            return Fraction(raw)
        if isinstance(raw, float):
            if not math.isfinite(raw):
                raise self.fail(f"expected a finite number in {unit_text}, got {show(raw)}")
            return exact(raw)
        if isinstance(raw, str):
            text = raw.strip()
            if text == "":
                raise self.fail(f"empty value; enter {what}")
            if _NUMBER_RE.fullmatch(text):
                if not math.isfinite(float(text)):
                    raise self.fail(f"expected a finite number in {unit_text}, got {show(raw)}")
                return Fraction(text)
            if _DECIMAL_COMMA_RE.fullmatch(text):
                raise self.fail(f"expected {what}, got {show(raw)}; use a decimal point")
        raise self.fail(f"expected {what}, got {show(raw)}")

    def parse(self, raw: object, parsed: Mapping[str, ParsedValue]) -> Parsed:
        """Untrusted input to a value in the canonical unit (or the unit another field chose)."""
        if self.unit_field is not None and self.unit_field not in parsed:
            # Its unit is unknown (that field failed), so only check that it is a number.
            self.coerce_scalar(raw, self.unit)
            return Parsed(value=None)
        if isinstance(raw, str) and raw.strip() in {value for value, _ in self.special_choices}:
            return Parsed(value=raw.strip())
        alt = self._unit_from_field(parsed)
        notes: list[str] = []
        if isinstance(raw, Mapping) and self.unit_field is None:
            value, alt = self._coerce_with_unit(raw)
        else:
            if isinstance(raw, Mapping):
                raise self.fail(f"give the number only; its unit is chosen by {self.unit_field}")
            value = self.coerce_scalar(raw, (alt.label or alt.unit) if alt else self.unit)
        if alt is not None and self.unit_field is None:
            canonical = alt.to_canonical(value)
            notes.append(
                f"{self.name}: {fmt(value)} {alt.label or alt.unit} = {fmt_short(canonical, 4)} "
                f"{self.unit}"
            )
        else:
            canonical = alt.to_canonical(value) if alt else value
        self._check_number(value, canonical, alt)
        warnings = self._soft_warnings(canonical)
        # Values that depend on another field's unit stay in that unit; compute converts them.
        result = value if self.unit_field is not None else canonical
        number: float | int = int(result) if self.integer else float(result)
        return Parsed(value=number, warnings=tuple(warnings), notes=tuple(notes))

    def _unit_from_field(self, parsed: Mapping[str, ParsedValue]) -> UnitAlt | None:
        if self.unit_field is None:
            return None
        chosen = parsed.get(self.unit_field)
        for alt in self.unit_alternatives:
            if alt.unit == chosen:
                return alt
        return None

    def _coerce_with_unit(self, raw: Mapping[object, object]) -> tuple[Fraction, UnitAlt | None]:
        units = [self.unit, *(alt.unit for alt in self.unit_alternatives)]
        if set(raw) != {"value", "unit"}:
            raise self.fail(
                f'expected a number or {{"value": number, "unit": one of {", ".join(units)}}}'
            )
        unit = raw["unit"]
        if unit == self.unit:
            return self.coerce_scalar(raw["value"], self.unit), None
        for alt in self.unit_alternatives:
            if unit == alt.unit:
                return self.coerce_scalar(raw["value"], alt.label or alt.unit), alt
        raise self.fail(f"unit {show(unit)} is not accepted; use {' or '.join(units)}")

    def _check_number(self, value: Fraction, canonical: Fraction, alt: UnitAlt | None) -> None:
        unit_text = (alt.label or alt.unit) if alt else self.unit
        shown = f"{fmt(value)} {unit_text}"
        if alt is not None and self.unit_field is None:
            shown += f" ({fmt_short(canonical)} {self.unit})"
        if self.integer and canonical.denominator != 1:
            raise self.fail(f"expected a whole number of {self.unit}, got {fmt(value)}")
        low, high = exact(self.hard_min), exact(self.hard_max)
        too_low = canonical < low if self.min_inclusive else canonical <= low
        too_high = canonical > high if self.max_inclusive else canonical >= high
        if too_low or too_high:
            message = (
                f"{shown} is outside the accepted range "
                f"{self.range_text(alt if self.unit_field else None)}"
            )
            note = self.below_note if too_low else self.above_note
            if note:
                message += f" ({note})"
            for hint in self.slip_hints:
                if alt is None and hint.matches(value):
                    message += f"; {hint.message}"
                    break
            raise self.fail(message)
        if self.allowed and all(canonical != exact(option) for option in self.allowed):
            options = ", ".join(fmt(option) for option in self.allowed)
            raise self.fail(f"{shown} is not one of the accepted values {options} {self.unit}")
        if self.multiple_of is not None and not is_multiple(canonical, self.multiple_of):
            message = f"{shown} is not a multiple of {fmt(self.multiple_of)} {self.unit}"
            if self.multiple_note:
                message += f" ({self.multiple_note})"
            raise self.fail(message)

    def _soft_warnings(self, canonical: Fraction) -> list[Notice]:
        below = self.soft_min is not None and canonical < exact(self.soft_min)
        above = self.soft_max is not None and canonical > exact(self.soft_max)
        if not (below or above):
            return []
        message = (
            f"{self.name}: {fmt(canonical)} {self.unit} is outside the usual range "
            f"{self.soft_range_text()}"
        )
        if self.soft_note:
            message += f" ({self.soft_note})"
        return [Notice(id=f"{self.name}_outside_usual_range", message=message, reference=None)]

    # -- trusted callers and the declaration ---------------------------------------------

    def coerce(self, value: ParsedValue) -> ParsedValue:
        """A value from trusted code (a printed table) in the type compute receives; a value
        outside the hard limits is a mistake in that code, not a user's typo."""
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool | date):
            raise DeclarationError(f"{self.name}: {value!r} is not a number")
        canonical = exact(value)
        low, high = exact(self.hard_min), exact(self.hard_max)
        if not (low <= canonical <= high):
            raise DeclarationError(f"{self.name}: {value!r} is outside {self.range_text()}")
        return int(value) if self.integer else float(value)

    def check(self, where: str, names: tuple[str, ...]) -> None:
        """Fail at import when the declaration contradicts itself."""
        if self.hard_min > self.hard_max:
            raise DeclarationError(f"{where}: {self.name!r} has hard_min above hard_max")
        if self.form_unit and self.form_unit not in {a.unit for a in self.unit_alternatives}:
            raise DeclarationError(
                f"{where}: {self.name!r} form_unit {self.form_unit!r} is not one of its units"
            )
        if self.unit_field is not None and self.unit_field not in names:
            raise DeclarationError(
                f"{where}: {self.name!r} names unknown unit_field {self.unit_field!r}"
            )


@dataclass(frozen=True, kw_only=True)
class NumberOrChoiceInput(NumberInput):
    """A number that may instead be one named special value (e.g. DLCO "cannot_perform")."""

    choices: tuple[tuple[str, str], ...] = ()

    kind: ClassVar[str] = "number_or_choice"

    @property
    def special_choices(self) -> tuple[tuple[str, str], ...]:
        """The named values accepted instead of a number."""
        return self.choices

    def describe(self) -> dict[str, JSONValue]:
        """As NumberInput, plus the special values and their labels."""
        data = super().describe()
        data["choices"] = [{"value": value, "label": label} for value, label in self.choices]
        return data


@dataclass(frozen=True, kw_only=True)
class ChoiceInput:
    """One value from a closed set; values are machine names, labels are for people."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]
    help: str = ""
    required: bool = True
    default: str | None = None
    missing_hint: str = ""

    kind: ClassVar[str] = "choice"
    unit: ClassVar[str] = ""
    unit_field: ClassVar[None] = None

    @property
    def values(self) -> tuple[str, ...]:
        """The accepted machine values, in declared order."""
        return tuple(value for value, _ in self.choices)

    def describe(self) -> dict[str, JSONValue]:
        """JSON description for the browser form."""
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "required": self.required,
            "default": self.default,
            "choices": [{"value": value, "label": label} for value, label in self.choices],
            "help": self.help,
        }

    def accepted_text(self) -> str:
        """The choices, as the printed handbook lists them."""
        return "; ".join(label for _, label in self.choices)

    def widget(self) -> Widget:
        """Buttons for a few choices, a list for many."""
        return _choice_widget(self, self.choices, "" if self.default is None else self.default)

    def value_text(self, value: JSONValue, chosen_unit: str | None = None) -> str:
        """The choice's label, never its machine name."""
        for choice, label in self.choices:
            if choice == value:
                return label
        return scalar_text(value)

    def form_value(self, value: JSONValue) -> JSONValue:
        """The value as a link that fills the form carries it (as given)."""
        return value

    def field_error(self, message: str) -> FieldError:
        """The error lists the accepted values."""
        return FieldError(field=self.name, message=message, choices=self.values)

    def fail(self, message: str) -> InputProblem:
        """The problem to raise for this field; the message starts with the field's name."""
        return InputProblem(self.field_error(f"{self.name}: {message}"))

    def default_value(self) -> ParsedValue:
        """The declared default (None when there is none)."""
        return self.default

    def parse(self, raw: object, parsed: Mapping[str, ParsedValue]) -> Parsed:
        """One of the declared machine values, exactly."""
        accepted = ", ".join(self.values)
        if not isinstance(raw, str):
            raise self.fail(f"expected one of {accepted}, got {show(raw)}")
        if raw.strip() == "":
            raise self.fail(f"empty value; choose one of {accepted}")
        if raw not in self.values:
            raise self.fail(f"{show(raw)} is not one of the accepted values: {accepted}")
        return Parsed(value=raw)

    def coerce(self, value: ParsedValue) -> ParsedValue:
        """A declared value from trusted code (anything else is a mistake in that code)."""
        if value is not None and value not in self.values:
            raise DeclarationError(f"{self.name}: {value!r} is not one of {self.values}")
        return value

    def check(self, where: str, names: tuple[str, ...]) -> None:
        """The default, if any, is one of the choices."""
        if self.default is not None and self.default not in self.values:
            raise DeclarationError(
                f"{where}: {self.name!r} default {self.default!r} is not a choice"
            )


@dataclass(frozen=True, kw_only=True)
class BoolInput:
    """Yes/no; JSON true/false or the strings "true"/"false"."""

    name: str
    label: str
    help: str = ""
    required: bool = True
    default: bool | None = None
    missing_hint: str = ""

    kind: ClassVar[str] = "boolean"
    unit: ClassVar[str] = ""
    unit_field: ClassVar[None] = None

    def describe(self) -> dict[str, JSONValue]:
        """JSON description for the browser form."""
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "required": self.required,
            "default": self.default,
            "help": self.help,
        }

    def accepted_text(self) -> str:
        """Yes or no, as the printed handbook says it."""
        return "yes / no"

    def widget(self) -> Widget:
        """Two buttons, Yes and No."""
        chosen = "" if self.default is None else ("true" if self.default else "false")
        return _choice_widget(self, (("true", "Yes"), ("false", "No")), chosen)

    def value_text(self, value: JSONValue, chosen_unit: str | None = None) -> str:
        """Yes or no."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return scalar_text(value)

    def form_value(self, value: JSONValue) -> JSONValue:
        """The value as a link that fills the form carries it (as given)."""
        return value

    def field_error(self, message: str) -> FieldError:
        """The error lists true and false."""
        return FieldError(field=self.name, message=message, choices=("true", "false"))

    def fail(self, message: str) -> InputProblem:
        """The problem to raise for this field; the message starts with the field's name."""
        return InputProblem(self.field_error(f"{self.name}: {message}"))

    def default_value(self) -> ParsedValue:
        """The declared default (None when there is none)."""
        return self.default

    def parse(self, raw: object, parsed: Mapping[str, ParsedValue]) -> Parsed:
        """JSON true/false, or the strings "true"/"false"."""
        if isinstance(raw, bool):
            return Parsed(value=raw)
        if isinstance(raw, str) and raw.strip().lower() in _TRUE_STRINGS:
            return Parsed(value=True)
        if isinstance(raw, str) and raw.strip().lower() in _FALSE_STRINGS:
            return Parsed(value=False)
        if isinstance(raw, str) and raw.strip() == "":
            raise self.fail("empty value; enter true or false")
        raise self.fail(f"expected true or false, got {show(raw)}")

    def coerce(self, value: ParsedValue) -> ParsedValue:
        """A boolean from trusted code."""
        if value is not None and not isinstance(value, bool):
            raise DeclarationError(f"{self.name}: {value!r} is not true or false")
        return value

    def check(self, where: str, names: tuple[str, ...]) -> None:
        """Nothing to contradict."""


# Calendar sanity bounds for dates [PC]: catch typos such as 0226 or 20260 without a clock.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)


@dataclass(frozen=True, kw_only=True)
class DateInput:
    """A calendar date written as ISO YYYY-MM-DD (no clock is consulted)."""

    name: str
    label: str
    help: str = ""
    required: bool = True
    default: str | None = None
    min_date: date = DATE_MIN
    max_date: date = DATE_MAX
    missing_hint: str = ""

    kind: ClassVar[str] = "date"
    unit: ClassVar[str] = ""
    unit_field: ClassVar[None] = None

    def describe(self) -> dict[str, JSONValue]:
        """JSON description for the browser form."""
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "required": self.required,
            "default": self.default,
            "min_date": self.min_date.isoformat(),
            "max_date": self.max_date.isoformat(),
            "help": self.help,
        }

    def accepted_text(self) -> str:
        """The format and the calendar bounds."""
        return f"date (YYYY-MM-DD), {self.min_date.isoformat()} to {self.max_date.isoformat()}"

    def widget(self) -> Widget:
        """The browser's date picker."""
        return Widget(
            name=self.name,
            kind=self.kind,
            control="date",
            label=self.label,
            unit="",
            required=self.required,
            value=str(self.default or ""),
            hint="Date as YYYY-MM-DD",
            help=self.help,
        )

    def value_text(self, value: JSONValue, chosen_unit: str | None = None) -> str:
        """The ISO date as written."""
        return scalar_text(value)

    def form_value(self, value: JSONValue) -> JSONValue:
        """The value as a link that fills the form carries it (as given)."""
        return value

    def field_error(self, message: str) -> FieldError:
        """A date carries no structured limits beyond its message."""
        return FieldError(field=self.name, message=message)

    def fail(self, message: str) -> InputProblem:
        """The problem to raise for this field; the message starts with the field's name."""
        return InputProblem(self.field_error(f"{self.name}: {message}"))

    def default_value(self) -> ParsedValue:
        """The declared default as a date (None when there is none)."""
        return None if self.default is None else date.fromisoformat(self.default)

    def parse(self, raw: object, parsed: Mapping[str, ParsedValue]) -> Parsed:
        """An ISO date that exists on the calendar, within the sanity bounds."""
        if not isinstance(raw, str) or not _DATE_RE.fullmatch(raw.strip()):
            raise self.fail(f"expected a date as YYYY-MM-DD, got {show(raw)}")
        try:
            value = date.fromisoformat(raw.strip())
        except ValueError:
            raise self.fail(f"{show(raw)} is not a real calendar date (YYYY-MM-DD)") from None
        if not self.min_date <= value <= self.max_date:
            raise self.fail(
                f"{value.isoformat()} is outside the accepted dates {self.min_date.isoformat()} "
                f"to {self.max_date.isoformat()}"
            )
        return Parsed(value=value)

    def coerce(self, value: ParsedValue) -> ParsedValue:
        """A date (or its ISO text) from trusted code."""
        return date.fromisoformat(value) if isinstance(value, str) else value

    def check(self, where: str, names: tuple[str, ...]) -> None:
        """Nothing to contradict."""


type Input = NumberInput | ChoiceInput | BoolInput | DateInput
