"""Pure-Python calculators for the refractory IIM / myositis-ILD guideline.

Standard library only, no I/O, no clock: the same code runs in CPython and in
Pyodide. Each calculator is declared once (``calculators.declaration``); the
registry runs it, the CLI and the browser worker call the registry.
"""

from __future__ import annotations

from calculators.declaration import Calculator, Example, Notice, Output
from calculators.edition import GUIDELINE_EDITION
from calculators.errors import CalculatorInputError, FieldError
from calculators.registry import CALCULATORS, describe, describe_all, get, run, run_json
from calculators.result import Result

__all__ = [
    "CALCULATORS",
    "GUIDELINE_EDITION",
    "Calculator",
    "CalculatorInputError",
    "Example",
    "FieldError",
    "Notice",
    "Output",
    "Result",
    "describe",
    "describe_all",
    "get",
    "run",
    "run_json",
]
