"""Small helpers so the tests read like the specification."""

from __future__ import annotations

from typing import Any

import pytest

from calculators import CalculatorInputError, run


def outputs(calculator_id: str, **inputs: Any) -> dict[str, Any]:
    """Run and return the outputs dict."""
    result = run(calculator_id, inputs).to_dict()
    assert isinstance(result["outputs"], dict)
    return result["outputs"]


def result(calculator_id: str, **inputs: Any) -> dict[str, Any]:
    """Run and return the whole result dict."""
    return run(calculator_id, inputs).to_dict()


def errors(calculator_id: str, raw: object) -> dict[str, str]:
    """Run invalid inputs; return {field: message} for every error reported."""
    with pytest.raises(CalculatorInputError) as info:
        run(calculator_id, raw)
    return {error.field: error.message for error in info.value.errors}


def notice_ids(res: dict[str, Any], kind: str) -> list[str]:
    """Ids of the warnings or caps in a result dict (kind = 'warnings' or 'caps_applied')."""
    return [notice["id"] for notice in res[kind]]
