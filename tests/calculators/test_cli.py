"""The JSON command line: output is JSON; exit 0 for a result, 2 for any input error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from calculators import CALCULATORS
from calculators.__main__ import EXIT_INPUT_ERROR, EXIT_OK, exit_code, main

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> tuple[int, Any]:
    """Run ``python -m calculators`` with the same interpreter as the tests."""
    done = subprocess.run(
        [sys.executable, "-m", "calculators", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.stderr == ""
    return done.returncode, json.loads(done.stdout)


def test_run_prints_the_result_and_exits_0() -> None:
    code, payload = cli("run", "bsa_mosteller", "--input", '{"weight_kg": 80, "height_cm": 180}')
    assert code == 0
    assert payload["outputs"] == {"bsa_m2": 2.0}
    assert payload["calculator"] == "bsa_mosteller"


def test_invalid_input_prints_errors_and_exits_2() -> None:
    code, payload = cli("run", "bsa_mosteller", "--input", '{"weight_kg": 400, "height_cm": 180}')
    assert code == 2
    assert payload["errors"][0]["field"] == "weight_kg"
    assert payload["errors"][0]["message"].startswith(
        "weight_kg: 400 kg is outside the accepted range 25–300 kg"
    )


def test_unknown_calculator_exits_2_with_field_calculator() -> None:
    code, payload = cli("run", "bsa_haycock", "--input", "{bad")
    assert code == 2
    assert [error["field"] for error in payload["errors"]] == ["calculator"]


def test_malformed_json_exits_2_with_field_input() -> None:
    code, payload = cli("run", "bsa_mosteller", "--input", "{bad")
    assert code == 2
    assert [error["field"] for error in payload["errors"]] == ["input"]


def test_list_prints_every_declaration() -> None:
    code, payload = cli("list")
    assert code == 0
    assert [item["id"] for item in payload] == list(CALCULATORS)


def test_tables_prints_every_table() -> None:
    code, payload = cli("tables")
    assert code == 0
    assert "ivig_dose_male_175cm" in [table["id"] for table in payload]


@pytest.mark.parametrize(
    ("payload", "code"),
    [({"errors": [{}]}, EXIT_INPUT_ERROR), ({"outputs": {}}, EXIT_OK), ([], EXIT_OK)],
)
def test_one_place_maps_outcomes_to_exit_codes(payload: Any, code: int) -> None:
    assert exit_code(payload) == code


def test_main_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "methylprednisolone_pulse"]) == 0
    assert json.loads(capsys.readouterr().out)["outputs"]["total_mg"] == 3000
