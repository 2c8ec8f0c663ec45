"""The same package, unchanged, gives byte-identical results in Pyodide (the browser runtime)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from calculators import CALCULATORS, run_json

ROOT = Path(__file__).resolve().parents[2]
PYODIDE = ROOT / "node_modules" / "pyodide"

SCRIPT = """
import { loadPyodide } from "%(pyodide)s/pyodide.mjs";
import fs from "node:fs";
const py = await loadPyodide({ indexURL: "%(pyodide)s/" });
// The package with its subpackages (one module per calculator), sources only.
const copy = (from, to) => {
  py.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== "__pycache__") {
      copy(from + "/" + entry.name, to + "/" + entry.name);
    } else if (entry.name.endsWith(".py")) {
      py.FS.writeFile(to + "/" + entry.name, fs.readFileSync(from + "/" + entry.name, "utf8"));
    }
  }
};
copy("%(package)s", "/home/pyodide/calculators");
py.globals.set("cases_json", fs.readFileSync(process.argv[2], "utf8"));
process.stdout.write(py.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide")
from calculators import run_json
json.dumps([run_json(calc_id, text) for calc_id, text in json.loads(cases_json)])
`));
"""


def _cases() -> list[tuple[str, str]]:
    cases = [
        (calc_id, json.dumps(dict(example.inputs)))
        for calc_id, calc in CALCULATORS.items()
        for example in calc.examples
    ]
    cases += [
        ("bsa_mosteller", '{"height_cm": 1.8, "weight_kg": 400}'),
        (
            "pft_change",
            '{"parameter": "FVC", "baseline_pct_pred": 50.1, "followup_pct_pred": 45.1}',
        ),
        ("nope", "{bad"),
    ]
    return cases


@pytest.mark.slow
def test_results_are_identical_in_pyodide(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (PYODIDE / "pyodide.mjs").exists():
        pytest.skip("node or the pinned pyodide npm package is not installed (run make setup)")
    script = tmp_path / "run.mjs"
    script.write_text(
        SCRIPT % {"pyodide": PYODIDE.as_posix(), "package": (ROOT / "calculators").as_posix()},
        encoding="utf-8",
    )
    cases = _cases()
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    done = subprocess.run(
        [node, str(script), str(cases_file)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    in_pyodide = json.loads(done.stdout)
    assert in_pyodide == [run_json(calc_id, text) for calc_id, text in cases]
