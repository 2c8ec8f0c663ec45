"""Calculator practice: cases drawn within each calculator's declared inputs, answered by
the calculator's own code at build time.

The only module of the study package that touches the calculators, and only through their
public API (`CALCULATORS`, `describe`, `run`, `CalculatorInputError`): the description is
JSON, so a change in how input kinds are modelled inside `calculators/` does not reach here.

A case starts from one of the calculator's worked examples (a valid, plausible patient)
and moves each number within ±20% of it, inside the declared hard (and soft, where given)
limits, on the input's own grid (allowed values, multiples, integers, step). Draws are
seeded by the seed and the calculator id, so the same build gives the same cases. A drawn
set the calculator rejects (a rule across fields) is drawn again; the answer, the worked
steps and the notices are whatever `run` returns for exactly the inputs shown.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Final

from calculators import CALCULATORS, CalculatorInputError, describe, run

CASES: Final = 3
"""Cases per calculator, unless the caller asks for another number."""

SPREAD: Final = 0.2
"""How far a drawn number may move from its worked example (a fraction of it)."""

ATTEMPTS: Final = 25
"""Draws tried for one case before the calculator's worked example is used as it is."""


def practice_cases(seed: str = "study", per_calculator: int = CASES) -> list[dict[str, Any]]:
    """Every calculator's practice cases, in registry order, as JSON data."""
    cases: list[dict[str, Any]] = []
    for calculator_id in CALCULATORS:
        cases.extend(_cases_for(calculator_id, seed, per_calculator))
    return cases


def _cases_for(calculator_id: str, seed: str, count: int) -> list[dict[str, Any]]:
    info: dict[str, Any] = dict(describe(calculator_id))
    examples: list[dict[str, Any]] = [dict(e["inputs"]) for e in info["examples"]]
    if not examples:
        return []
    rng = random.Random(f"{seed}:{calculator_id}")
    made: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number in range(count):
        base = examples[number % len(examples)]
        usual = _notices(run(calculator_id, base).to_dict())
        fallback: tuple[dict[str, Any], dict[str, Any]] | None = None
        for _ in range(ATTEMPTS):
            inputs = _draw(info, base, rng)
            key = repr(sorted(inputs.items()))
            if key in seen:
                continue
            try:
                result = run(calculator_id, inputs).to_dict()
            except CalculatorInputError:
                continue
            if len(_notices(result)) <= len(usual):
                fallback = (inputs, result)
                break
            fallback = fallback or (inputs, result)
        if fallback is not None:
            seen.add(repr(sorted(fallback[0].items())))
            made.append(_case(info, len(made) + 1, *fallback))
    return made


def _notices(result: Mapping[str, Any]) -> list[str]:
    """The caps and warnings of a result: a drawn case should not need more than its
    worked example does, so the practice is the calculation, not its edge cases."""
    return [str(n["message"]) for n in (*result["caps_applied"], *result["warnings"])]


def _draw(info: Mapping[str, Any], base: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """New inputs near a worked example; inputs that set another input's unit stay put."""
    unit_fields = {str(i["unit_field"]) for i in info["inputs"] if i.get("unit_field")}
    drawn: dict[str, Any] = {}
    for spec in info["inputs"]:
        name = str(spec["name"])
        if name not in base:
            continue  # left to the declared default, as on the calculator's page
        value = base[name]
        kind = spec["kind"]
        if name in unit_fields or value is None:
            drawn[name] = value
        elif kind in ("number", "number_or_choice") and isinstance(value, int | float):
            unit = base.get(str(spec.get("unit_field")))
            drawn[name] = _number(spec, float(value), rng, unit)
        elif kind == "choice":
            drawn[name] = rng.choice([c["value"] for c in spec["choices"]])
        elif kind == "boolean":
            drawn[name] = rng.random() < 0.5
        elif kind == "date" and isinstance(value, str):
            drawn[name] = (
                date.fromisoformat(value) + timedelta(days=rng.randint(-60, 60))
            ).isoformat()
        else:
            drawn[name] = value
    return drawn


def _number(
    spec: Mapping[str, Any], around: float, rng: random.Random, unit: object = None
) -> float | int:
    """A number near `around` on the input's grid, within its limits; the limits are
    declared in the canonical unit, and converted when another input chose another unit."""
    low, high = float(spec["hard_min"]), float(spec["hard_max"])
    if spec.get("soft_min") is not None and around >= float(spec["soft_min"]):
        low = max(low, float(spec["soft_min"]))
    if spec.get("soft_max") is not None and around <= float(spec["soft_max"]):
        high = min(high, float(spec["soft_max"]))
    alt = next((a for a in spec.get("unit_alternatives") or () if a["unit"] == unit), None)
    if alt is not None and unit != spec.get("unit"):
        low, high = ((b - float(alt["offset"])) / float(alt["factor"]) for b in (low, high))
        return _plain(round(rng.uniform(max(low, around * (1 - SPREAD)),
                                        min(high, around * (1 + SPREAD))), 1))  # fmt: skip
    width = abs(around) * SPREAD or (high - low) * SPREAD
    low, high = max(low, around - width), min(high, around + width)
    if spec.get("allowed"):
        allowed = [float(a) for a in spec["allowed"]]
        return _plain(rng.choice([a for a in allowed if low <= a <= high] or allowed))
    grid = float(spec.get("multiple_of") or spec.get("step") or 0) or (
        1.0
        if spec.get("integer") or around.is_integer()
        else 10.0 ** -int(spec.get("precision") or 0)
    )
    steps_low, steps_high = math.ceil(low / grid - 1e-9), math.floor(high / grid + 1e-9)
    if steps_high < steps_low:
        return _plain(around)
    value = round(rng.randint(steps_low, steps_high) * grid, 10)
    return int(value) if spec.get("integer") or value.is_integer() else value


def _plain(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def _case(
    info: Mapping[str, Any], number: int, inputs: Mapping[str, Any], result: Mapping[str, Any]
) -> dict[str, Any]:
    """One case as the page, the deck and the tests read it."""
    presentation = info["presentation"]
    outputs = {o["name"]: o for o in info["outputs"]}
    shown = [presentation["primary"], *presentation["secondary"]]
    display = result["display"]
    return {
        "id": f"{info['id']}/{number}",
        "calculator": info["id"],
        "title": info["title"],
        "purpose": info["purpose"],
        "url": f"calculators/{info['id']}/",
        "inputs": dict(inputs),
        "given": [
            _given(spec, inputs[spec["name"]]) for spec in info["inputs"] if spec["name"] in inputs
        ],
        "question": "; ".join(outputs[name]["label"] for name in shown),
        "answer": [{"label": outputs[name]["label"], "text": display[name]} for name in shown],
        "outputs": dict(result["outputs"]),
        "steps": list(result["explanation"]),
        "notices": _notices(result),
        "references": list(result["references"]),
        "edition": result["guideline_edition"],
    }


def _given(spec: Mapping[str, Any], value: object) -> dict[str, str]:
    """One input as a person reads it: its label and its value with unit or choice label."""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif spec.get("choices") and any(c["value"] == value for c in spec["choices"]):
        text = next(c["label"] for c in spec["choices"] if c["value"] == value)
    elif isinstance(value, int | float):
        text = f"{_plain(float(value))} {spec.get('unit') or ''}".strip()
    else:
        text = str(value)
    return {"label": str(spec["label"]), "value": text}
