"""Calculator cases that both runtimes must answer identically.

Every declared worked example, plus invalid and edge inputs derived from each declaration:
values past a hard limit, text that is not a number, a decimal comma, an unknown field, an
invalid choice, nothing at all, an alternative unit and a soft-limit warning where declared.
Derived from the declarations, so a new calculator is covered without editing this file.
"""

from __future__ import annotations

import json
from typing import Any

from calculators import registry

Case = tuple[str, str, str]  # (label, calculator id, request JSON text)


def _replace(base: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    return {**base, name: value}


def cases_for(calculator_id: str) -> list[Case]:
    """The examples and derived invalid/edge inputs of one calculator."""
    described = registry.describe(calculator_id)

    def add(label: str, inputs: object) -> None:
        out.append((f"{calculator_id} {label}", calculator_id, json.dumps(inputs)))

    examples = described["examples"]
    out: list[Case] = []
    for i, example in enumerate(examples, start=1):
        add(f"example {i}", example["inputs"])
    base: dict[str, Any] = dict(examples[0]["inputs"]) if examples else {}
    add("empty", {})
    add("unknown field", {**base, "bogus": 1})
    for item in described["inputs"]:
        name, kind = item["name"], item["kind"]
        if kind in ("number", "number_or_choice"):
            add(f"{name} above limit", _replace(base, name, item["hard_max"] * 2 + 1))
            add(f"{name} text", _replace(base, name, "abc"))
            add(f"{name} comma", _replace(base, name, "1,5"))
            if item.get("soft_max") is not None and item["soft_max"] < item["hard_max"]:
                add(f"{name} soft", _replace(base, name, (item["soft_max"] + item["hard_max"]) / 2))
            for alt in item.get("unit_alternatives", []):
                if item.get("unit_field") or name not in base:
                    continue
                value = {"value": str(base[name]), "unit": alt["unit"]}
                add(f"{name} in {alt['unit']}", _replace(base, name, value))
        elif kind == "choice":
            add(f"{name} bad choice", _replace(base, name, "zzz"))
        elif kind == "boolean":
            add(f"{name} bad boolean", _replace(base, name, "maybe"))
        elif kind == "date":
            add(f"{name} bad date", _replace(base, name, "2026-02-30"))
    return out


def all_cases() -> list[Case]:
    """Every calculator's cases, plus requests that are wrong before any calculator runs."""
    cases: list[Case] = []
    for calculator_id in registry.CALCULATORS:
        cases.extend(cases_for(calculator_id))
    first = next(iter(registry.CALCULATORS))
    cases += [
        ("unknown calculator", "no_such_calculator", "{}"),
        ("malformed JSON", first, "{"),
        ("JSON list", first, "[1, 2]"),
        ("duplicate key", first, '{"a": 1, "a": 2}'),
        ("NaN", first, '{"x": NaN}'),
    ]
    return cases
