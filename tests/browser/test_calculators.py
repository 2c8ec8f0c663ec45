"""The calculators in a real browser: the built site, Debian's Chromium, Pyodide in a worker.

Every expected value comes from CPython (`calculators.registry`) at test time, so these
tests check the browser path (form → worker → Pyodide → page) against the reference
implementation rather than against numbers typed here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from calculators import registry
from tests.browser.conftest import Server

pytestmark = pytest.mark.browser

READY_TIMEOUT_MS = 90_000
RUNTIME_PATTERN = re.compile(r"/pyodide/|calculator-(widget|worker)")


def calculator_url(server: Server, calculator_id: str, fragment: str = "") -> str:
    return f"{server.url}calculators/{calculator_id}/" + (f"#{fragment}" if fragment else "")


def wait_ready(page: Page) -> None:
    expect(page.locator("[data-calculator-root]")).to_have_attribute(
        "data-state", "ready", timeout=READY_TIMEOUT_MS
    )


def wait_result(page: Page, outcome: str = "ok") -> None:
    expect(page.locator("[data-calculator-root]")).to_have_attribute("data-result", outcome)


def fill_form(page: Page, calculator_id: str, inputs: dict[str, Any]) -> None:
    """Enter `inputs` the way a person would: typing, tapping choices, picking units."""
    declared = {item["name"]: item for item in registry.describe(calculator_id)["inputs"]}
    form = page.locator(f"form[data-calculator='{calculator_id}']")
    for name, value in inputs.items():
        kind = declared[name]["kind"]
        tappable = form.locator(f"input[type=radio][name='{name}']")
        if kind == "number" and tappable.count():  # a few permitted values, one tap each
            text = str(int(value)) if float(value).is_integer() else str(value)
            radio = form.locator(f"input[type=radio][name='{name}'][value='{text}']")
            form.locator(f"label[for='{radio.get_attribute('id')}']").click()
            continue
        if kind in ("number", "number_or_choice"):
            unit = form.locator(f"select[name='{name}__unit']")
            if not isinstance(value, dict) and unit.count():
                # The form may offer another unit first (20 % for a 0.2 fraction).
                unit.select_option(declared[name]["unit"])
            if isinstance(value, dict):
                form.locator(f"[name='{name}__unit']").select_option(value["unit"])
                value = value["value"]
            if isinstance(value, str) and not re.fullmatch(r"[\d.eE+-]+", value):
                form.locator(f"[name='{name}__choice']").select_option(value)
            else:
                form.locator(f"[name='{name}']").fill(str(value))
        elif kind in ("choice", "boolean"):
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            radios = form.locator(f"input[type=radio][name='{name}'][value='{text}']")
            if radios.count():
                form.locator(f"label[for='{radios.get_attribute('id')}']").click()
            else:
                form.locator(f"select[name='{name}']").select_option(text)
        else:
            form.locator(f"[name='{name}']").fill(str(value))


def shown_outputs(page: Page) -> dict[str, str]:
    """Each output as the widget shows it (schedules and lists keep their display text)."""
    cells = page.locator("[data-output]")
    return {
        cells.nth(i).get_attribute("data-output") or "": cells.nth(i).get_attribute("data-display")
        or cells.nth(i).inner_text()
        for i in range(cells.count())
    }


def cpython(calculator_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(registry.run_json(calculator_id, json.dumps(inputs)))
    return result


def first_example(calculator_id: str) -> dict[str, Any]:
    examples = registry.describe(calculator_id)["examples"]
    inputs: dict[str, Any] = examples[0]["inputs"]
    return inputs


@pytest.mark.parametrize("calculator_id", list(registry.CALCULATORS))
def test_form_gives_the_cpython_result(
    page: Page, served_site_under_test: Server, calculator_id: str
) -> None:
    inputs = first_example(calculator_id)
    page.goto(calculator_url(served_site_under_test, calculator_id))
    wait_ready(page)
    fill_form(page, calculator_id, inputs)
    wait_result(page)
    assert shown_outputs(page) == cpython(calculator_id, inputs)["display"]


def test_invalid_input_shows_the_fields_own_message(
    page: Page, served_site_under_test: Server
) -> None:
    page.goto(calculator_url(served_site_under_test, "bsa_mosteller"))
    wait_ready(page)
    fill_form(page, "bsa_mosteller", {"height_cm": "500", "weight_kg": "80"})
    wait_result(page, "errors")
    [error] = cpython("bsa_mosteller", {"height_cm": "500", "weight_kg": "80"})["errors"]
    box = page.locator("[data-error-for='height_cm']")
    expect(box).to_be_visible()
    assert box.inner_text() == error["message"].removeprefix("height_cm: ")
    expect(page.locator("[name='height_cm']")).to_have_attribute("aria-invalid", "true")
    assert set(shown_outputs(page).values()) == {"—"}
    expect(page.locator("[data-error-for='weight_kg']")).to_be_hidden()


def test_a_link_with_a_fragment_restores_the_calculation(
    page: Page, served_site_under_test: Server
) -> None:
    fragment = "calc?height_cm=180&weight_kg=176&weight_kg__unit=lb"
    page.goto(calculator_url(served_site_under_test, "bsa_mosteller", fragment))
    wait_ready(page)
    wait_result(page)
    expect(page.locator("[name='height_cm']")).to_have_value("180")
    expect(page.locator("[name='weight_kg']")).to_have_value("176")
    expect(page.locator("[name='weight_kg__unit']")).to_have_value("lb")
    expected = cpython(
        "bsa_mosteller", {"height_cm": "180", "weight_kg": {"value": "176", "unit": "lb"}}
    )
    assert shown_outputs(page) == expected["display"]
    # Editing keeps the link up to date, so copying the address reproduces the result.
    page.locator("[name='height_cm']").fill("170")
    expect(page).to_have_url(re.compile(r"#calc\?height_cm=170&weight_kg=176&weight_kg__unit=lb$"))


def test_a_hostile_fragment_is_only_ever_a_value(
    page: Page, served_site_under_test: Server
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    payload = "<img src=x onerror=alert(1)>"
    fragment = f"calc?height_cm={payload}&weight_kg=80&__proto__=1&constructor=2"
    page.goto(calculator_url(served_site_under_test, "bsa_mosteller", fragment))
    wait_ready(page)
    wait_result(page, "errors")
    expect(page.locator("[name='height_cm']")).to_have_value(payload)
    [error] = cpython("bsa_mosteller", {"height_cm": payload, "weight_kg": "80"})["errors"]
    box = page.locator("[data-error-for='height_cm']")
    assert box.inner_text() == error["message"].removeprefix("height_cm: ")
    assert page.locator("[data-calculator-root] img").count() == 0
    assert dialogs == []


def test_the_example_link_loads_the_worked_example(
    page: Page, served_site_under_test: Server
) -> None:
    page.goto(calculator_url(served_site_under_test, "ivig_dose"))
    wait_ready(page)
    page.locator("button.calc-load-example").first.click()
    wait_result(page)
    assert shown_outputs(page) == cpython("ivig_dose", first_example("ivig_dose"))["display"]


def test_a_second_calculator_page_reuses_the_running_runtime(
    page: Page, served_site_under_test: Server, site_under_test: Path
) -> None:
    sitemap = (site_under_test / "sitemap.xml").read_text("utf-8")
    assert "<loc>" in sitemap, (
        "the theme's instant navigation is off: sitemap.xml lists no pages because "
        "mkdocs.yml sets no site_url, so every link reloads the page and the calculator "
        "runtime with it (set site_url in mkdocs.yml)"
    )
    page.goto(calculator_url(served_site_under_test, "bsa_mosteller"))
    wait_ready(page)
    runtime_requests: list[str] = []
    page.on("request", lambda r: runtime_requests.append(r.url) if "/pyodide/" in r.url else None)
    page.locator("article a[href$='calculators/bsa_dubois/']").first.click()
    expect(page.locator("form[data-calculator='bsa_dubois']")).to_be_attached()
    wait_ready(page)
    expect(page.locator("[data-calculator-root]")).to_have_attribute("data-runtime", "warm")
    assert runtime_requests == []
    fill_form(page, "bsa_dubois", first_example("bsa_dubois"))
    wait_result(page)
    assert shown_outputs(page) == cpython("bsa_dubois", first_example("bsa_dubois"))["display"]


def test_a_calculator_opened_once_works_offline(
    context: BrowserContext,
    site_under_test: Path,
    private_server: Callable[[Path], Server],
) -> None:
    server = private_server(site_under_test)
    page = context.new_page()
    url = calculator_url(server, "creatinine_clearance_cockcroft_gault")
    page.goto(url)
    wait_ready(page)
    expect(page.locator("[data-calculator-root]")).to_have_attribute(
        "data-offline", "ready", timeout=30_000
    )
    server.stop()  # the network is gone
    offline = context.new_page()
    offline.goto(url)
    wait_ready(offline)
    inputs = first_example("creatinine_clearance_cockcroft_gault")
    fill_form(offline, "creatinine_clearance_cockcroft_gault", inputs)
    wait_result(offline)
    expected = cpython("creatinine_clearance_cockcroft_gault", inputs)["display"]
    assert shown_outputs(offline) == expected


# Pages of these sections that link a calculator start its runtime ahead, at idle, when the
# connection allows it (assets/js/calculator-ahead.js, overrides/main.html).
AHEAD_SECTIONS = ("therapies", "topics", "algorithms", "domains")
_CALCULATOR_LINK = re.compile(r'href="[./]*calculators/[a-z0-9_]+/"')


def _links_a_calculator(page: Path) -> bool:
    html = page.read_text("utf-8")
    article = html[html.find("<article") :]
    return bool(_CALCULATOR_LINK.search(article))


def _pages_without_calculators(site: Path) -> list[str]:
    """Home, the calculators index, reference pages, and of each section a page linking none."""
    pages = ["", "calculators/"]
    for folder in AHEAD_SECTIONS:
        pages += [
            p.parent.relative_to(site).as_posix() + "/"
            for p in sorted((site / folder).glob("*/index.html"))
            if not _links_a_calculator(p)
        ][:1]
    return [*pages, "references/", "glossary/"]


def _page_linking_a_calculator(site: Path) -> tuple[str, str]:
    for page in sorted((site / "therapies").glob("*/index.html")):
        match = re.search(
            r'<article.*?href="[./]*calculators/([a-z0-9_]+)/"', page.read_text("utf-8"), re.S
        )
        if match:
            return page.parent.relative_to(site).as_posix() + "/", match.group(1)
    pytest.fail("no therapy page links a calculator")


def _record_runtime(page: Page) -> list[str]:
    loaded: list[str] = []

    def record(request: Request) -> None:
        if RUNTIME_PATTERN.search(urlsplit(request.url).path):
            loaded.append(request.url)

    page.on("request", record)
    return loaded


def test_pages_without_a_calculator_load_no_runtime(
    context: BrowserContext, served_site_under_test: Server, site_under_test: Path
) -> None:
    """Not even at idle: only calculator pages, pages linking one, and the reader's request do."""
    page = context.new_page()
    loaded = _record_runtime(page)
    for rel in _pages_without_calculators(site_under_test):
        page.goto(served_site_under_test.url + rel, wait_until="networkidle")
        page.wait_for_timeout(500)  # past the idle callback a page linking a calculator uses
    assert loaded == []


def test_a_page_linking_a_calculator_starts_it_ahead_only_on_a_fast_connection(
    context: BrowserContext, served_site_under_test: Server, site_under_test: Path
) -> None:
    therapy, calculator_id = _page_linking_a_calculator(site_under_test)
    page = context.new_page()
    loaded = _record_runtime(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    # A 3G-class connection (what navigator.connection reports as "3g"): nothing ahead.
    slow = {
        "offline": False,
        "latency": 400,
        "downloadThroughput": 50_000,
        "uploadThroughput": 50_000,
    }
    cdp.send("Network.emulateNetworkConditions", slow)
    # At 50 kB/s the page, the theme and the search index take a while: wait for all of it.
    page.goto(served_site_under_test.url + therapy, wait_until="networkidle", timeout=120_000)
    assert page.evaluate("navigator.connection.effectiveType") != "4g"
    page.wait_for_timeout(6000)  # the idle callback's timeout has passed
    assert loaded == []
    assert page.get_attribute("html", "data-calculator-ahead") is None
    # A fast connection: the runtime starts at idle, and the calculator linked uses it.
    fast = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    cdp.send("Network.emulateNetworkConditions", fast)
    page.goto(served_site_under_test.url + therapy, wait_until="networkidle")
    assert page.evaluate("navigator.connection.effectiveType") == "4g"
    expect(page.locator("html")).to_have_attribute(
        "data-calculator-ahead", "started", timeout=10_000
    )
    for _ in range(100):
        if any("/pyodide/" in url for url in loaded):
            break
        page.wait_for_timeout(100)
    assert any("/pyodide/" in url for url in loaded)
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute(
        "data-calculator-runtime", "ready", timeout=READY_TIMEOUT_MS
    )
    before_click = len(loaded)
    page.locator(f"article a[href$='calculators/{calculator_id}/']").first.click()
    expect(page.locator(f"form[data-calculator='{calculator_id}']")).to_be_attached()
    wait_ready(page)
    expect(page.locator("[data-calculator-root]")).to_have_attribute("data-runtime", "warm")
    # The running runtime serves it: no runtime file is asked for again, not even from the
    # cache (the page's head names none for instant navigation to append).
    again = [u for u in loaded[before_click:] if "/pyodide/" in u]
    assert again == [], "the calculator fetched the runtime again"


def test_a_page_linking_a_calculator_fetches_nothing_ahead_when_the_reader_saves_data(
    context: BrowserContext, served_site_under_test: Server, site_under_test: Path
) -> None:
    """A fast connection, but data saving on (navigator.connection.saveData): no prefetch."""
    therapy, _ = _page_linking_a_calculator(site_under_test)
    page = context.new_page()
    loaded = _record_runtime(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    page.goto(served_site_under_test.url + therapy, wait_until="networkidle")
    assert page.evaluate("navigator.connection.effectiveType") == "4g"
    assert page.evaluate("navigator.connection.saveData") is True
    page.wait_for_timeout(6000)  # the idle callback's timeout has passed
    page.wait_for_load_state("networkidle")
    assert loaded == []
    assert page.get_attribute("html", "data-calculator-ahead") is None


def test_calculator_pages_ask_for_the_runtime_files_only_when_starting_it(
    site_under_test: Path,
) -> None:
    """The widget asks for the worker's big files as it starts the runtime; no page preloads.

    A `<link rel="preload">` in a calculator page's head would be appended to the document by
    the theme's instant navigation on every calculator reached by a link, fetching the
    runtime again while the one already running serves the page.
    """
    widget = (site_under_test / "assets" / "js" / "calculator-widget.js").read_text("utf-8")
    declared = re.search(r"const RUNTIME_FILES = \[([^\]]*)\]", widget)
    assert declared is not None
    names = set(re.findall(r'"([^"]+)"', declared.group(1)))
    assert {"pyodide.asm.wasm", "pyodide.asm.js", "calculators-stdlib.zip", "pyodide.mjs"} <= names
    for name in names:
        assert (site_under_test / "pyodide" / name).is_file(), f"{name} is not in the site"
    worker = (site_under_test / "assets" / "js" / "calculator-worker.mjs").read_text("utf-8")
    assert '"calculators-stdlib.zip"' in worker
    for page in ("calculators/bsa_mosteller", "references", "glossary"):
        html = (site_under_test / page / "index.html").read_text("utf-8")
        assert not re.search(r'rel="(?:module)?preload"', html), page


def test_the_offline_action_keeps_every_calculator_on_request(
    context: BrowserContext,
    site_under_test: Path,
    private_server: Callable[[Path], Server],
) -> None:
    server = private_server(site_under_test)
    page = context.new_page()
    loaded = _record_runtime(page)
    page.goto(server.url + "calculators/", wait_until="networkidle")
    button = page.locator("[data-offline-button]")
    expect(button).to_be_visible()
    manifest = json.loads((site_under_test / "calculators" / "offline.json").read_text("utf-8"))
    size = f"{manifest['bytes'] / 1_000_000:.1f} MB"
    expect(button).to_have_text(f"Make calculators available offline ({size})")
    assert loaded == [], "the index fetched runtime files before the reader asked"
    button.click()
    box = page.locator("[data-offline-action]")
    expect(box).to_have_attribute("data-offline", "ready", timeout=60_000)
    expect(page.locator("[data-offline-status]")).to_contain_text(
        "Calculators are available offline on this device"
    )
    expect(button).to_be_hidden()
    server.stop()  # the network is gone; a calculator never opened before still works
    offline = context.new_page()
    calculator_id = "bsa_dubois"
    offline.goto(calculator_url(server, calculator_id))
    wait_ready(offline)
    inputs = first_example(calculator_id)
    fill_form(offline, calculator_id, inputs)
    wait_result(offline)
    assert shown_outputs(offline) == cpython(calculator_id, inputs)["display"]


def test_a_runtime_that_cannot_start_says_so_plainly(
    context: BrowserContext, served_site_under_test: Server
) -> None:
    context.route("**/pyodide/pyodide-lock.json", lambda route: route.abort())
    page = context.new_page()
    page.goto(calculator_url(served_site_under_test, "bsa_mosteller"))
    root = page.locator("[data-calculator-root]")
    expect(root).to_have_attribute("data-state", "error", timeout=READY_TIMEOUT_MS)
    status = page.locator("[data-status]").inner_text()
    assert status.startswith("The calculator could not start: it failed to start (")
    assert "Reload the page to try again." in status


def test_a_calculator_is_usable_by_keyboard_alone(
    page: Page, served_site_under_test: Server
) -> None:
    """Tab to each field, type, and the result appears in a live region a reader announces."""
    page.goto(calculator_url(served_site_under_test, "bsa_mosteller"))
    wait_ready(page)

    def tab_to(name: str) -> None:
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement && document.activeElement.name") == name:
                return
        pytest.fail(f"Tab never reached the field {name}")

    tab_to("height_cm")
    page.keyboard.type("180")
    tab_to("weight_kg")
    page.keyboard.type("80")
    wait_result(page)
    assert (
        shown_outputs(page)["bsa_m2"]
        == cpython("bsa_mosteller", {"height_cm": 180, "weight_kg": 80})["display"]["bsa_m2"]
    )
    live = page.locator("[aria-live]")
    assert live.count() >= 1
    unlabelled = page.evaluate(
        "[...document.querySelectorAll("
        "'form[data-calculator] input, form[data-calculator] select')]"
        ".filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) "
        "&& !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))"
        ".map(e => e.name)"
    )
    assert unlabelled == []
