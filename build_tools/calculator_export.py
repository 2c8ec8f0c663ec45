"""Each calculator as an edition's export holds it, so two editions can be compared.

For every calculator: its id, title and version, and each worked example's inputs and
outputs as a reader reads them (labels, values with their units, the calculator's own
display of each result). The comparison of editions (build_tools.changes) then says which
calculators are new, changed (their version, a worked example's result: "worked example 2 ›
result › Total course dose: 184 g → 145 g") or withdrawn, from the same data a tool reading
guideline.json gets.

The records are made from the declarations through the registry's own `run`, using only
what every version of the calculators package has had: `registry.CALCULATORS`,
`registry.run`, each declaration's `examples`, and each input's and output's `label`,
`unit` and `choices`. So the section of a kept edition that predates it can be made again
from that edition's commit: `python -m build_tools.calculator_export --checkout DIR` runs
the calculators of the checkout in DIR (content/editions/README.md says how the 2026.1
section was made).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

type JSON = bool | int | float | str | Sequence[JSON] | Mapping[str, JSON] | None

SECTION = "calculators"
"""The export's array of calculators."""


def records(registry: ModuleType | None = None) -> list[dict[str, JSON]]:
    """Every registered calculator as the export holds it, in registry order; none when the
    calculators package is absent (a content-only checkout)."""
    if registry is None:
        try:
            registry = importlib.import_module("calculators.registry")
        except ImportError:
            return []
    return [_record(registry, calc) for calc in registry.CALCULATORS.values()]


def _record(registry: ModuleType, calc: Any) -> dict[str, JSON]:
    examples: list[JSON] = []
    for example in calc.examples:
        given = dict(example.inputs)
        inputs: dict[str, JSON] = {}
        for item in calc.inputs:
            if item.name in given:
                inputs[item.label] = _given(item, given[item.name])
        shown: dict[str, JSON] = {"inputs": inputs}
        try:
            result = registry.run(calc.id, given)
        except Exception as exc:  # a failing example is part of what the edition published
            shown["problem"] = _problem(exc)
        else:
            shown["outputs"] = {out.label: result.display[out.name] for out in calc.outputs}
        examples.append(shown)
    return {"id": calc.id, "title": calc.title, "version": calc.version, "examples": examples}


def _given(item: Any, value: object) -> str:
    """One input value as a reader reads it: a choice by its label, a number with its unit."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    for choice, label in getattr(item, "choices", ()):
        if choice == value:
            return str(label)
    if isinstance(value, Mapping) and "value" in value:
        return f"{_number(value['value'])} {value.get('unit', '')}".strip()
    if isinstance(value, int | float):
        return f"{_number(value)} {getattr(item, 'unit', '')}".strip()
    return str(value)


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _problem(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return "; ".join(str(getattr(error, "message", error)) for error in errors)
    return f"internal error ({type(exc).__name__})"


def main(argv: list[str] | None = None) -> int:
    """Print the calculators section (JSON) of the calculators in a checkout (default: this
    one), e.g. of the commit a kept edition was published from."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m build_tools.calculator_export")
    parser.add_argument("--checkout", type=Path, help="a checkout whose calculators to run")
    args = parser.parse_args(argv)
    if args.checkout is not None:
        if "calculators" in sys.modules:
            parser.error("the calculators package is already loaded from this checkout")
        sys.path.insert(0, str(args.checkout.resolve()))
    registry = importlib.import_module("calculators.registry")
    print(json.dumps({SECTION: records(registry)}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
