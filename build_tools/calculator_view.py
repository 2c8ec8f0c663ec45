"""One typed view of each calculator, built from its declaration, for every publisher.

The web page (`calculator_pages`) and the printed handbook (`paper_calculators`) both lay
out the same things: the inputs with what each accepts and how its form control looks, the
outputs, how the answer is presented and read, the worked examples computed now by CPython,
and where each rule comes from. They read them here, as frozen dataclasses built from the
declaration by the input kinds themselves, never from `describe()` dictionaries by string
keys. `describe()` stays what the browser and the JSON export receive.

Everything in a view is plain data (text, numbers, tuples, frozen dataclasses), so the
render cache can digest a page that holds one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from calculators.declaration import (
    Calculator,
    Interpretation,
    JSONValue,
    Notice,
    Presentation,
    Provenance,
)
from calculators.edition import GUIDELINE_EDITION
from calculators.errors import CalculatorInputError
from calculators.inputs import Widget
from calculators.registry import CALCULATORS, run


@dataclass(frozen=True)
class InputView:
    """One declared input: its label and unit, what it accepts, and its form control."""

    name: str
    label: str
    unit: str
    required: bool
    accepted: str
    widget: Widget


@dataclass(frozen=True)
class OutputView:
    """One declared output, as the result area and the examples name it."""

    name: str
    label: str
    unit: str
    kind: str
    help: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ExampleRun:
    """A declared worked example and what the calculator computed from it at build time.

    ``problem`` (the calculator's own messages) and ``failure`` (the exception) are empty
    when the example ran; a page refuses a failing example, the book leaves it out.
    """

    number: int
    given: tuple[tuple[str, JSONValue], ...]
    inputs: tuple[tuple[str, str], ...]
    form_values: tuple[tuple[str, JSONValue], ...]
    printed_inputs: tuple[tuple[str, str], ...]
    outputs: tuple[tuple[str, str], ...]
    caps: tuple[Notice, ...]
    warnings: tuple[Notice, ...]
    explanation: tuple[str, ...]
    source: str
    note: str
    problem: str = ""
    failure: str = ""


@dataclass(frozen=True)
class CalculatorView:
    """Everything a publisher shows of one calculator (the formula function excepted)."""

    id: str
    title: str
    version: str
    family: str
    purpose: str
    population: str
    formula: str
    guideline_edition: str
    references: tuple[str, ...]
    caveats: tuple[str, ...]
    not_included: str
    inputs: tuple[InputView, ...]
    outputs: tuple[OutputView, ...]
    presentation: Presentation
    interpretation: Interpretation | None
    provenance: tuple[tuple[str, Provenance], ...]
    examples: tuple[ExampleRun, ...]
    related_entries: tuple[str, ...]
    related_calculators: tuple[str, ...]

    def names(self) -> dict[str, str]:
        """Every input and output name of the calculator, with its label."""
        names = {item.name: item.label for item in self.inputs}
        names.update({out.name: out.label for out in self.outputs})
        return names

    def output(self, name: str) -> OutputView:
        """One output's view (KeyError if undeclared)."""
        for out in self.outputs:
            if out.name == name:
                return out
        raise KeyError(name)


def _example(calc: Calculator, number: int, example_inputs: Mapping[str, JSONValue]) -> ExampleRun:
    example = calc.examples[number - 1]
    given = tuple(example_inputs.items())
    shown = tuple(
        (calc.input(name).label, calc.input(name).value_text(value)) for name, value in given
    )
    form_values = tuple((name, calc.input(name).form_value(value)) for name, value in given)
    common = {
        "number": number,
        "given": given,
        "inputs": shown,
        "form_values": form_values,
        "source": example.source,
        "note": example.note,
    }
    try:
        result = run(calc.id, dict(example_inputs))
    except CalculatorInputError as exc:
        problem = "; ".join(error.message for error in exc.errors)
        return _failed(common, problem, repr(exc))
    except Exception as exc:  # a formula that breaks on its own example: said, not hidden
        return _failed(common, f"calculator: internal error ({type(exc).__name__})", repr(exc))
    printed = []
    for name, value in result.inputs.items():
        if value is None:
            continue
        item = calc.input(name)
        chosen = result.inputs.get(item.unit_field) if item.unit_field else None
        printed.append((item.label, item.value_text(value, str(chosen) if chosen else None)))
    return ExampleRun(
        **common,  # type: ignore[arg-type]
        printed_inputs=tuple(printed),
        outputs=tuple((out.label, result.display[out.name]) for out in calc.outputs),
        caps=result.caps_applied,
        warnings=result.warnings,
        explanation=result.explanation,
    )


def _failed(common: Mapping[str, object], problem: str, failure: str) -> ExampleRun:
    return ExampleRun(
        **common,  # type: ignore[arg-type]
        printed_inputs=(),
        outputs=(),
        caps=(),
        warnings=(),
        explanation=(),
        problem=problem,
        failure=failure,
    )


def calculator_view(calc: Calculator) -> CalculatorView:
    """The view of one declared calculator; its worked examples are run now."""
    return CalculatorView(
        id=calc.id,
        title=calc.title,
        version=calc.version,
        family=calc.family,
        purpose=calc.purpose,
        population=calc.population,
        formula=calc.formula,
        guideline_edition=GUIDELINE_EDITION,
        references=calc.references,
        caveats=calc.caveats,
        not_included=calc.not_included,
        inputs=tuple(
            InputView(
                name=item.name,
                label=item.label,
                unit=item.unit,
                required=item.required,
                accepted=item.accepted_text(),
                widget=item.widget(),
            )
            for item in calc.inputs
        ),
        outputs=tuple(
            OutputView(
                name=out.name,
                label=out.label,
                unit=out.unit,
                kind=out.kind,
                help=out.help,
                columns=out.columns,
            )
            for out in calc.outputs
        ),
        presentation=calc.presentation,
        interpretation=calc.interpretation,
        provenance=tuple(calc.provenance.items()),
        examples=tuple(
            _example(calc, number, example.inputs)
            for number, example in enumerate(calc.examples, start=1)
        ),
        related_entries=calc.related_entries,
        related_calculators=calc.related_calculators,
    )


def calculator_views() -> tuple[CalculatorView, ...]:
    """Every calculator's view, in registry order."""
    return tuple(calculator_view(calc) for calc in CALCULATORS.values())
