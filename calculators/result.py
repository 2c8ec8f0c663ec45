"""The result of one calculation, as plain JSON-able data with a fixed key order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from calculators.declaration import JSONValue, Notice, Output
from calculators.numeric import fmt

NOT_APPLICABLE = "—"
MAPPING_SEPARATOR = " · "


@dataclass(frozen=True, kw_only=True)
class Result:
    """Everything the page needs to show a result and how it was obtained.

    ``outputs`` keep full precision; ``display`` holds the same values formatted
    with the declared precision and unit, so templates never do arithmetic.
    """

    calculator: str
    version: str
    guideline_edition: str
    inputs: Mapping[str, JSONValue]
    outputs: Mapping[str, JSONValue]
    display: Mapping[str, str]
    caps_applied: tuple[Notice, ...]
    warnings: tuple[Notice, ...]
    explanation: tuple[str, ...]
    formula: str
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain data for JSON; key order is part of the contract (golden tests rely on it)."""
        return {
            "calculator": self.calculator,
            "version": self.version,
            "guideline_edition": self.guideline_edition,
            "inputs": {key: plain(value) for key, value in self.inputs.items()},
            "outputs": {key: plain(value) for key, value in self.outputs.items()},
            "display": dict(self.display),
            "caps_applied": [notice.to_dict() for notice in self.caps_applied],
            "warnings": [notice.to_dict() for notice in self.warnings],
            "explanation": list(self.explanation),
            "formula": self.formula,
            "references": list(self.references),
        }


def plain(value: JSONValue) -> JSONValue:
    """Deep copy into fresh lists and dicts, so callers cannot alter a Result."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def format_value(value: JSONValue, precision: int | None, unit: str) -> str:
    """One value for people: declared precision (round half up), then the unit."""
    if value is None:
        return NOT_APPLICABLE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        text = fmt(value, precision)
        return f"{text} {unit}".strip() if unit else text
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "; ".join(
            f"{key}: {format_value(item, precision, unit)}" for key, item in value.items()
        )
    return ", ".join(format_value(item, precision, unit) for item in value)


def format_output(output: Output, value: JSONValue) -> str:
    """Format one declared output according to its kind."""
    if isinstance(value, list | dict) and not value:
        return NOT_APPLICABLE
    if isinstance(value, str) and output.key_labels:
        return output.key_label(value)
    if isinstance(value, dict) and output.key_labels:
        return MAPPING_SEPARATOR.join(
            f"{output.key_label(key)}: {format_value(item, output.precision, output.unit)}"
            for key, item in value.items()
        )
    if isinstance(value, list) and output.kind == "schedule":
        return "; ".join(
            f"week {format_value(step[0], 0, '')}: "
            f"{format_value(step[1], output.precision, output.unit)}"
            for step in value
            if isinstance(step, list) and len(step) == 2
        )
    if isinstance(value, list) and output.kind == "split_schedule":
        return "; ".join(
            f"week {format_value(step[0], 0, '')}: "
            + " + ".join(format_value(dose, output.precision, "") for dose in step[1])
            + (f" {output.unit}" if output.unit else "")
            for step in value
            if isinstance(step, list) and len(step) == 2 and isinstance(step[1], list)
        )
    if isinstance(value, list) and output.kind == "range" and len(value) == 2:
        low, high = (format_value(item, output.precision, "") for item in value)
        text = low if low == high else f"{low}–{high}"
        return f"{text} {output.unit}".strip()
    if isinstance(value, list) and output.kind != "date_list" and output.unit:
        items = ", ".join(format_value(item, output.precision, "") for item in value)
        return f"{items} {output.unit}".strip()
    return format_value(value, output.precision, output.unit)
