"""A runtime or wheel that fails to load tells the reader so in a plain sentence.

Finding 9 of issue 14: a tampered calculators wheel showed the reader a raw Python
traceback. The browser is handed altered files (the site itself is untouched) and the
calculator's status must say it could not start, without a traceback.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Route, expect

from tests.browser.conftest import Server
from tests.browser.test_calculators import READY_TIMEOUT_MS, calculator_url

pytestmark = pytest.mark.browser


def _status(context: BrowserContext, server: Server) -> str:
    page = context.new_page()
    page.goto(calculator_url(server, "bsa_mosteller"))
    root = page.locator("[data-calculator-root]")
    expect(root).to_have_attribute("data-state", "error", timeout=READY_TIMEOUT_MS)
    return page.locator("[data-status]").inner_text()


def _wheel(site: Path) -> Path:
    (wheel,) = (site / "pyodide").glob("calculators-*.whl")
    return wheel


def _broken_wheel(wheel: Path) -> bytes:
    """The wheel with a calculators/registry.py (found before the compiled registry.pyc)
    that raises as it is imported."""
    out = io.BytesIO()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        assert "calculators/registry.pyc" in names or "calculators/registry.py" in names
        for item in source.infolist():
            if item.filename != "calculators/registry.py":
                target.writestr(item, source.read(item))
        target.writestr("calculators/registry.py", "raise RuntimeError('tampered registry')\n")
    return out.getvalue()


def test_a_wheel_whose_bytes_were_changed_is_refused_plainly(
    context: BrowserContext, served_site_under_test: Server, site_under_test: Path
) -> None:
    data = bytearray(_wheel(site_under_test).read_bytes())
    data[len(data) // 2] ^= 0xFF

    context.route("**/pyodide/calculators-*.whl", lambda route: route.fulfill(body=bytes(data)))
    status = _status(context, served_site_under_test)
    assert status.startswith("The calculator could not start: it failed to start (")
    assert "Traceback" not in status
    assert 'File "' not in status


def test_a_wheel_that_fails_to_import_shows_no_traceback(
    context: BrowserContext, served_site_under_test: Server, site_under_test: Path
) -> None:
    wheel = _wheel(site_under_test)
    broken = _broken_wheel(wheel)
    lock = json.loads((site_under_test / "pyodide" / "pyodide-lock.json").read_text())
    for entry in lock["packages"].values():
        if entry["file_name"] == wheel.name:
            entry["sha256"] = hashlib.sha256(broken).hexdigest()

    def lockfile(route: Route) -> None:
        route.fulfill(body=json.dumps(lock), content_type="application/json")

    context.route(re.compile(r".*/pyodide/pyodide-lock\.json(\?.*)?$"), lockfile)
    context.route("**/pyodide/calculators-*.whl", lambda route: route.fulfill(body=broken))
    status = _status(context, served_site_under_test)
    assert status == (
        "The calculator could not start: it failed to start (its Python package did not "
        "load). Reload the page to try again. If you are offline and have not used the "
        "calculators on this device before, connect once and reload. The formula and a worked "
        "example below still show how to calculate by hand."
    )
