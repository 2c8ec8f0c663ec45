"""What "Make calculators available offline" keeps: derived from the built site itself."""

from __future__ import annotations

import json
from pathlib import Path

from build_tools import offline_runtime


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def test_the_list_is_every_calculator_page_what_it_loads_and_the_runtime(tmp_path: Path) -> None:
    site = tmp_path / "site"
    head = (
        '<link rel="stylesheet" href="../../assets/css/calculator.css">'
        '<script type="module" src="../../assets/js/calculator-widget.js"></script>'
        '<link rel="preload" href="../../pyodide/pyodide.asm.wasm" as="fetch">'
        '<link rel="canonical" href="https://example.org/calculators/a/">'
        '<script src="../../assets/missing.js"></script>'
    )
    _write(site / "calculators" / "index.html", '<link href="../assets/css/guideline.css">')
    _write(site / "calculators" / "a" / "index.html", head)
    _write(site / "calculators" / "b" / "index.html", head)
    _write(site / "references" / "index.html", '<script src="../assets/js/other.js"></script>')
    for name in ("css/calculator.css", "css/guideline.css"):
        _write(site / "assets" / name, "x" * 10)
    # The widget names its worker and the worker imports the runtime: no page names either.
    widget = 'new Worker(new URL("./calculator-worker.mjs", import.meta.url));//'
    _write(site / "assets" / "js" / "calculator-widget.js", widget.ljust(80, "x"))
    worker = 'import { loadPyodide } from "../../pyodide/pyodide.mjs";'
    _write(site / "assets" / "js" / "calculator-worker.mjs", worker)
    _write(site / "pyodide" / "pyodide.mjs", "m" * 7)
    _write(site / "assets" / "js" / "other.js", "x")
    _write(site / "pyodide" / "pyodide.asm.wasm", "w" * 100)
    _write(site / "pyodide" / "pyodide.asm.wasm.br", "w")
    _write(site / "pyodide" / "calculators-stdlib.zip", "s" * 50)
    manifest = json.loads(offline_runtime.write_manifest(site).read_text("utf-8"))
    assert manifest["urls"] == [
        "assets/css/calculator.css",
        "assets/css/guideline.css",
        "assets/js/calculator-widget.js",
        "assets/js/calculator-worker.mjs",
        "calculators/",
        "calculators/a/",
        "calculators/b/",
        "pyodide/calculators-stdlib.zip",
        "pyodide/pyodide.asm.wasm",
        "pyodide/pyodide.mjs",
    ]  # no other page, no precompressed copy, nothing outside the site, nothing missing
    pages = sum(len((site / "calculators" / p / "index.html").read_text()) for p in ("", "a", "b"))
    scripts = 80 + len(worker) + 7
    assert manifest["bytes"] == 2 * 10 + scripts + pages + 100 + 50
