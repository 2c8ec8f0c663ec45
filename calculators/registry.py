"""All calculators by id, and the three ways to run one: ``run``, ``run_json`` and ``describe``.

``run_json`` is what the browser's Pyodide worker calls; it never raises.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType

from calculators import anthropometrics, dosing, ild, regimens, screening
from calculators.declaration import Calculator, JSONValue
from calculators.edition import GUIDELINE_EDITION
from calculators.errors import CalculatorInputError, DeclarationError, FieldError
from calculators.result import Result, format_output
from calculators.validation import parse_inputs


def _build(*groups: tuple[Calculator, ...]) -> Mapping[str, Calculator]:
    table: dict[str, Calculator] = {}
    for group in groups:
        for calc in group:
            if calc.id in table:
                raise DeclarationError(f"calculator id {calc.id!r} is declared twice")
            table[calc.id] = calc
    return MappingProxyType(table)


CALCULATORS: Mapping[str, Calculator] = _build(
    anthropometrics.CALCULATORS,
    dosing.CALCULATORS,
    regimens.CALCULATORS,
    ild.CALCULATORS,
    screening.CALCULATORS,
)
"""Every calculator, in the order of the specification (read-only)."""


def unknown_calculator(calculator_id: object) -> CalculatorInputError:
    """The error for an id that is not registered, listing the valid ones."""
    return CalculatorInputError(
        [
            FieldError(
                field="calculator",
                message=f"calculator: unknown id {json.dumps(calculator_id, default=str)}; known "
                f"ids are {', '.join(CALCULATORS)}",
                choices=tuple(CALCULATORS),
            )
        ]
    )


def get(calculator_id: str) -> Calculator:
    """The declaration for ``calculator_id``; raises CalculatorInputError if unknown."""
    calc = CALCULATORS.get(calculator_id) if isinstance(calculator_id, str) else None
    if calc is None:
        raise unknown_calculator(calculator_id)
    return calc


def describe(calculator_id: str) -> dict[str, JSONValue]:
    """JSON-able declaration (everything except the function) plus the guideline edition."""
    data = get(calculator_id).describe()
    data["guideline_edition"] = GUIDELINE_EDITION
    return data


def describe_all() -> list[JSONValue]:
    """Every declaration, in registry order."""
    return [describe(calculator_id) for calculator_id in CALCULATORS]


def run(calculator_id: str, raw_inputs: object) -> Result:
    """Validate ``raw_inputs``, compute, and return a Result.

    Raises CalculatorInputError listing every invalid field (or the unknown id).
    """
    calc = get(calculator_id)
    parsed = parse_inputs(calc, raw_inputs)
    outcome = calc.compute(**parsed.values)
    returned = tuple(outcome.outputs)
    if set(returned) != set(calc.output_names):
        raise DeclarationError(
            f"calculator {calc.id!r} returned outputs {sorted(returned)}, declared "
            f"{sorted(calc.output_names)}"
        )
    outputs = {name: outcome.outputs[name] for name in calc.output_names}
    display = {out.name: format_output(out, outputs[out.name]) for out in calc.outputs}
    return Result(
        calculator=calc.id,
        version=calc.version,
        guideline_edition=GUIDELINE_EDITION,
        inputs=parsed.normalized,
        outputs=outputs,
        display=display,
        caps_applied=outcome.caps,
        warnings=parsed.warnings + outcome.warnings,
        explanation=parsed.notes + outcome.explanation,
        formula=calc.formula,
        references=calc.references,
    )


def _reject_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise CalculatorInputError(
                [
                    FieldError(
                        field="input", message=f"input: field {json.dumps(key)} is given twice"
                    )
                ]
            )
        seen[key] = value
    return seen


def parse_json_input(json_text: object) -> object:
    """Parse the request body strictly (duplicate keys are an error, not last-one-wins)."""
    if not isinstance(json_text, str | bytes | bytearray):
        raise CalculatorInputError([FieldError(field="input", message="input: expected JSON text")])
    try:
        return json.loads(json_text, object_pairs_hook=_reject_duplicates)
    except CalculatorInputError:
        raise
    except (ValueError, RecursionError) as exc:
        raise CalculatorInputError(
            [FieldError(field="input", message=f"input: malformed JSON ({exc})")]
        ) from None


def _dumps(payload: Mapping[str, JSONValue] | dict[str, object]) -> str:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False)


def run_json(calculator_id: str, json_text: str) -> str:
    """Run from JSON text to JSON text; errors come back as ``{"errors": [...]}``. Never raises."""
    try:
        try:
            get(calculator_id)
            result = run(calculator_id, parse_json_input(json_text))
            return _dumps(result.to_dict())
        except CalculatorInputError as exc:
            return _dumps(exc.to_dict())
    except Exception as exc:
        internal = FieldError(
            field="calculator", message=f"calculator: internal error ({type(exc).__name__})"
        )
        return json.dumps({"errors": [internal.to_dict()]})
