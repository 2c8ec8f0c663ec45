"""CPython and the shipped Pyodide runtime give byte-identical answers.

The browser runs the calculators through Pyodide; the tests of the calculators run them in
CPython. This test closes the gap: it builds the wheel, lock file and trimmed standard
library exactly as the site build does, loads them in the real Pyodide (node_modules/pyodide,
under Node, the same files the site serves), runs every case, and compares the JSON text
with CPython's. A module the trimmed standard library lacks fails here as an ImportError.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from build_tools import wheel
from calculators import registry
from tests.parity.cases import Case, all_cases

HERE = Path(__file__).resolve().parent
CASES = all_cases()


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the parity test runs Pyodide under Node")
    folder = tmp_path_factory.mktemp("parity")
    bundle = wheel.build_runtime(folder / "bundle")
    cases_file = folder / "cases.json"
    cases_file.write_text(json.dumps([[cid, text] for _, cid, text in CASES]), "utf-8")
    script = HERE / "run_pyodide.mjs"
    result = subprocess.run(
        [node, str(script), str(wheel.RUNTIME), str(bundle.folder), str(cases_file), "--modules"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    run: dict[str, list[str]] = json.loads(result.stdout)
    assert len(run["results"]) == len(CASES)
    return run


@pytest.fixture(scope="module")
def pyodide_results(pyodide_run: dict[str, list[str]]) -> dict[str, str]:
    outputs = pyodide_run["results"]
    return {label: text for (label, _, _), text in zip(CASES, outputs, strict=True)}


@pytest.mark.slow
def test_the_cases_ran_on_the_trimmed_compiled_standard_library(
    pyodide_run: dict[str, list[str]],
) -> None:
    mount = wheel.STDLIB_MOUNT.format(major=3, minor=13)
    loaded = sorted(m.removeprefix(mount) for m in pyodide_run["modules"] if m.startswith(mount))
    assert loaded, "no module came from the standard library archive"
    assert all(name.endswith(".pyc") for name in loaded)
    assert {name.removesuffix("c") for name in loaded} <= set(wheel.stdlib_files())


def test_cases_cover_every_calculator_and_both_outcomes() -> None:
    covered = {cid for _, cid, _ in CASES}
    assert set(registry.CALCULATORS) <= covered
    assert len({label for label, _, _ in CASES}) == len(CASES), "case labels must be unique"
    answers = [json.loads(registry.run_json(cid, text)) for _, cid, text in CASES]
    assert sum("errors" in a for a in answers) > len(registry.CALCULATORS)
    assert sum("outputs" in a for a in answers) >= len(registry.CALCULATORS)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[label for label, _, _ in CASES])
def test_pyodide_answers_exactly_as_cpython(case: Case, pyodide_results: dict[str, str]) -> None:
    label, calculator_id, text = case
    assert pyodide_results[label] == registry.run_json(calculator_id, text)
