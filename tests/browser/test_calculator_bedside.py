"""Calculator pages at the bedside: the answer in view on a phone and a desktop, in words.

For every calculator, at 390×844 and 1440×900, its first declared worked example is typed
into the form; the primary result must then be on screen (on a phone, in the bar pinned to
the bottom while the result itself is out of sight) and read exactly as CPython formats it.
The visible text of every calculator page is checked against the declaration's own names:
no field id, choice value, reference key or specification label reaches a clinician.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from calculators import registry
from tests.browser.conftest import Server
from tests.browser.test_calculators import (
    calculator_url,
    cpython,
    fill_form,
    first_example,
    wait_ready,
    wait_result,
)

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "desktop": (1440, 900)}
# Build shorthand that must never be visible: spec labels and section numbers, the old
# "(Source: spec.)" and "Calculator <id>, version" lines.
SPEC_TEXT = re.compile(
    r"\[(?:PC|V1|V2|UNVERIFIED)\]|\bV1/PC\b|\bSpec [A-C]\d|\(Source: spec\.\)|"
    r"Calculator [a-z_]+, version"
)

PRIMARY_ON_SCREEN = """
(root) => {
  const header = document.querySelector(".md-header");
  const top = header ? header.getBoundingClientRect().bottom : 0;
  const inView = (el) => {
    if (!el) return false;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return false;
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= top && r.bottom <= window.innerHeight && r.left >= 0
      && r.right <= window.innerWidth;
  };
  const box = root.querySelector("[data-primary-box] [data-output]");
  const bar = root.querySelector("[data-result-bar]");
  if (inView(box)) return {where: "result", text: box.dataset.display};
  if (inView(bar)) return {where: "bar", text: bar.querySelector("[data-bar-value]").innerText};
  return {where: "", text: ""};
}
"""

# Go to another page the way a reader does, by following a link: the theme's instant
# navigation keeps the calculator runtime running, so every calculator is checked in one
# page without starting Pyodide 26 times.
FOLLOW_LINK = """
(href) => {
  const link = document.createElement("a");
  link.href = href;
  link.textContent = "next calculator";
  document.querySelector("article").appendChild(link);
  link.click();
}
"""


def _page(browser: Browser, size: str) -> Page:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    return context.new_page()


def _forbidden(calculator_id: str) -> set[str]:
    """Every internal name the calculator declares: ids, field and output names, choice
    values and reference keys (names without an underscore or a hyphen are ordinary words)."""
    described = registry.describe(calculator_id)
    names = {calculator_id, *described["references"]}
    for item in described["inputs"]:
        names.add(item["name"])
        names.update(str(c["value"]) for c in item.get("choices", []))
    for out in described["outputs"]:
        names.add(out["name"])
        names.update(k["key"] for k in out.get("key_labels", []))
    return {n for n in names if "_" in n or re.search(r"-\d{4}-|-nd-", n)}


# The blocks below a calculator are rendered only near the screen (calculator.css,
# content-visibility), and the text of a block not rendered yet is missing from innerText.
# A reader scrolling down sees all of it: so does a test reading the page's visible text.
RENDER_ALL = ".md-typeset > * { content-visibility: visible !important; }"


def _visible_text(page: Page) -> str:
    page.add_style_tag(content=RENDER_ALL)  # removed again by the next instant navigation
    return page.locator("article").inner_text()


def _visit_every_calculator(page: Page, server: Server) -> Iterator[str]:
    """Open each calculator in turn (the first by address, the rest by following a link),
    fill in its first worked example and wait for the result."""
    for number, calculator_id in enumerate(registry.CALCULATORS):
        url = calculator_url(server, calculator_id)
        if number == 0:
            page.goto(url)
        else:
            page.evaluate(FOLLOW_LINK, url)
        expect(page.locator(f"form[data-calculator='{calculator_id}']")).to_be_attached()
        wait_ready(page)
        fill_form(page, calculator_id, first_example(calculator_id))
        wait_result(page)
        yield calculator_id


@pytest.mark.parametrize("size", list(SIZES))
def test_the_primary_result_is_on_screen_after_filling_the_form(
    browser: Browser, served_site_under_test: Server, size: str
) -> None:
    page = _page(browser, size)
    problems: list[str] = []
    for calculator_id in _visit_every_calculator(page, served_site_under_test):
        expected = cpython(calculator_id, first_example(calculator_id))
        primary = registry.describe(calculator_id)["presentation"]["primary"]
        page.wait_for_timeout(150)  # let the bar follow the scroll
        shown: dict[str, Any] = page.locator("[data-calculator-root]").evaluate(PRIMARY_ON_SCREEN)
        if not shown["where"]:
            problems.append(f"{calculator_id}: the primary result is off screen")
        elif not shown["text"].startswith(expected["display"][primary]):
            problems.append(
                f"{calculator_id}: shows {shown!r}, expected {expected['display'][primary]!r}"
            )
        if page.evaluate("document.documentElement.scrollWidth") > SIZES[size][0]:
            problems.append(f"{calculator_id}: scrolls sideways")
    page.context.close()
    assert problems == [], "\n".join(problems)


# The first input of the form, wholly on the first screen below the header, and not under
# the result bar pinned to the bottom (what a tap on its middle reaches is the input itself).
FIRST_INPUT_ON_FIRST_SCREEN = """
(root) => {
  window.scrollTo(0, 0);
  const header = document.querySelector(".md-header");
  const top = header ? header.getBoundingClientRect().bottom : 0;
  const first = root.querySelector(".calc-field input, .calc-field select");
  if (!first) return "no input";
  // A choice's radio button is drawn by its label (the button a reader taps).
  const input = first.type === "radio" ? first.labels[0] : first;
  const r = input.getBoundingClientRect();
  if (r.height === 0) return "hidden";
  const at = `at ${Math.round(r.top)}-${Math.round(r.bottom)} px`;
  if (r.top < top || r.bottom > window.innerHeight) return at;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const labels = first.labels ? [...first.labels] : [];
  const reached = hit === input || input.contains(hit) || labels.includes(hit);
  return reached ? "" : `covered by ${hit ? hit.className || hit.tagName : "nothing"}`;
}
"""


def test_the_first_input_is_on_the_first_screen_of_a_phone(
    browser: Browser, served_site_under_test: Server
) -> None:
    """390×844: the page opens on the form, not on the explanations (they follow it)."""
    page = _page(browser, "phone")
    problems: list[str] = []
    for number, calculator_id in enumerate(registry.CALCULATORS):
        url = calculator_url(served_site_under_test, calculator_id)
        if number == 0:
            page.goto(url)
        else:
            page.evaluate(FOLLOW_LINK, url)
        expect(page.locator(f"form[data-calculator='{calculator_id}']")).to_be_attached()
        wait_ready(page)
        where = page.locator("[data-calculator-root]").evaluate(FIRST_INPUT_ON_FIRST_SCREEN)
        if where:
            problems.append(f"{calculator_id}: first input {where}")
    page.context.close()
    assert problems == [], "\n".join(problems)


SIDE_BY_SIDE = """
(root) => {
  const form = root.querySelector("form[data-calculator]").getBoundingClientRect();
  const result = root.querySelector("[data-result-panel]").getBoundingClientRect();
  return {width: Math.round(root.getBoundingClientRect().width),
          beside: result.left >= form.right && result.top < form.bottom};
}
"""


def test_on_a_desktop_the_form_and_the_result_sit_side_by_side(
    browser: Browser, served_site_under_test: Server
) -> None:
    """1440×900: not one narrow column; the page's contents column is given to the widget."""
    page = _page(browser, "desktop")
    page.context.route("**/pyodide/**", lambda route: route.abort())  # layout only
    problems: list[str] = []
    for calculator_id in registry.CALCULATORS:
        page.goto(calculator_url(served_site_under_test, calculator_id))
        shown = page.locator("[data-calculator-root]").evaluate(SIDE_BY_SIDE)
        if not shown["beside"] or shown["width"] < 800:
            problems.append(f"{calculator_id}: {shown}")
    page.context.close()
    assert problems == [], "\n".join(problems)


def test_no_internal_name_is_visible(browser: Browser, served_site_under_test: Server) -> None:
    page = _page(browser, "desktop")
    problems: list[str] = []
    for calculator_id in _visit_every_calculator(page, served_site_under_test):
        for details in page.locator("article details").all():
            details.evaluate("el => { el.open = true; }")
        text = _visible_text(page)
        assert "Calculator version" in text, f"{calculator_id}: the page's last line is missing"
        body = text.split("Calculator version")[0]  # the footer is the one place for versions
        leaked = sorted(
            n for n in _forbidden(calculator_id) if re.search(rf"\b{re.escape(n)}\b", text)
        )
        if leaked:
            problems.append(f"{calculator_id}: internal names visible: {leaked}")
        if SPEC_TEXT.findall(text):
            problems.append(
                f"{calculator_id}: specification labels visible: {SPEC_TEXT.findall(text)}"
            )
        if re.search(r"\bversion\b", body, re.IGNORECASE):
            problems.append(f"{calculator_id}: a version outside the footer")
    page.context.close()
    assert problems == [], "\n".join(problems)


IVIG_WITHOUT_POLICY = {
    "weight_kg": 92,
    "height_cm": 168,
    "sex": "female",
    "age_years": 50,
    "days": 2,
}


def test_ivig_gives_no_dose_until_the_weight_policy_is_chosen(
    page: Page, served_site_under_test: Server
) -> None:
    page.goto(calculator_url(served_site_under_test, "ivig_dose"))
    wait_ready(page)
    fill_form(page, "ivig_dose", IVIG_WITHOUT_POLICY)
    wait_result(page, "incomplete")
    assert page.locator('[data-output="rounded_dose_g"]').inner_text() == "—"
    assert page.locator('[data-output="dose_by_policy_g"]').inner_text() == "—"
    expect(page.locator("[data-status]")).to_have_text("Enter Weight policy to see the result.")
    fill_form(page, "ivig_dose", {"adjustment_policy": "actual_weight"})
    wait_result(page)
    doses = page.locator('[data-output="dose_by_policy_g"]').inner_text()
    assert doses.splitlines() == [
        "Actual body weight: 185 g",
        "Adjusted body weight (NBA 2026): 145 g",
        "Adjusted if BMI > 30 (Ontario): 145 g",
    ]
    assert page.locator('[data-output="rounded_dose_g"]').inner_text() == "185 g"
    reasons = page.locator('[data-output="basis_by_policy"]').inner_text()
    assert "adjusted weight 72.58 kg, 145.15 g before rounding (NBA BloodSTAR" in reasons


def test_cyclophosphamide_warns_on_the_large_dose(
    page: Page, served_site_under_test: Server
) -> None:
    inputs = {
        "height_cm": 190,
        "weight_kg": 140,
        "dose_mg_per_m2": 800,
        "bsa_formula": "mosteller",
        "round_to_mg": 10,
    }
    page.goto(calculator_url(served_site_under_test, "cyclophosphamide_iv_bsa_dose"))
    wait_ready(page)
    fill_form(page, "cyclophosphamide_iv_bsa_dose", inputs)
    wait_result(page)
    assert page.locator('[data-output="rounded_dose_mg"]').inner_text() == "2170 mg"
    warnings = page.locator("[data-warnings]")
    expect(warnings).to_be_visible()
    assert "Large dose: 2170 mg. BMI 38.8 is in the obese range" in warnings.inner_text()
    assert "No source cited here gives a maximum single dose" in warnings.inner_text()
    assert "[PC]" not in warnings.inner_text()
    related = page.locator("article a[href$='cyclophosphamide_pulse_age_renal_adjusted/']")
    assert related.count() >= 1


def test_the_result_band_is_shown_in_words(page: Page, served_site_under_test: Server) -> None:
    page.goto(calculator_url(served_site_under_test, "flair_score"))
    wait_ready(page)
    fill_form(page, "flair_score", first_example("flair_score"))
    wait_result(page)
    band = page.locator("[data-band]")
    expect(band).to_be_visible()
    assert band.inner_text().startswith("●●● High risk. FLAIR high-risk group (10–13 points).")
    assert page.locator("[data-next-list]").inner_text() == (
        "The source gives no action for this result."
    )
    points = page.locator('[data-output="points"]').inner_text()
    assert "anti_mda5" not in points
    assert "Anti-MDA5: 4" in points


def test_the_taper_is_a_table_in_percent(page: Page, served_site_under_test: Server) -> None:
    fragment = "calc?start_mg=60&taper_fraction_per_month=20&round_to_mg=2.5&floor_mg=5"
    page.goto(calculator_url(served_site_under_test, "prednisone_taper_schedule", fragment))
    wait_ready(page)
    wait_result(page)
    rows = page.locator('[data-output="monthly_doses_mg"] tbody tr')
    assert rows.count() == 11
    assert rows.nth(0).inner_text().split("\t") == ["0 (start)", "60 mg/day"]
    assert rows.nth(1).inner_text().split("\t") == ["1", "47.5 mg/day"]
    assert page.locator('[data-output="months_to_floor"]').inner_text() == "10 months"


def test_the_sections_below_the_calculator_are_there_when_reached(
    browser: Browser, served_site_under_test: Server
) -> None:
    """They are laid out only near the screen (calculator.css, content-visibility), yet a
    contents link lands on its heading, the formula shows when scrolled to, and the text
    is there for find in page (which reaches blocks not rendered yet)."""
    page = _page(browser, "phone")
    page.goto(calculator_url(served_site_under_test, "azathioprine_dosing"))
    wait_ready(page)
    for anchor in ("#formula", "#references", "#where-each-rule-comes-from"):
        page.evaluate("(anchor) => { location.hash = anchor; }", anchor)
        expect(page.locator(anchor)).to_be_in_viewport()
    formula = page.locator(".calc-formula")
    formula.scroll_into_view_if_needed()
    expect(formula).to_be_in_viewport()
    assert (formula.bounding_box() or {"height": 0})["height"] > 60  # four lines, not a stand-in
    assert formula.inner_text().startswith("normal = actual body weight × target (normal) dose")
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("window.find('Calculator version')")  # the page's last line
    assert "Calculator version" in _visible_text(page)
    page.context.close()


def test_copy_result_copies_the_result_the_inputs_and_the_link(
    browser: Browser, served_site_under_test: Server
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(calculator_url(served_site_under_test, "bsa_mosteller"))
    wait_ready(page)
    fill_form(page, "bsa_mosteller", {"height_cm": 180, "weight_kg": 80})
    wait_result(page)
    page.locator("[data-copy-result]").click()
    expect(page.locator("[data-copy-result]")).to_have_text("Result copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    lines = copied.splitlines()
    assert lines[1] == "Body-surface area (Mosteller): 2.00 m²"
    assert "Inputs: Height 180 cm; Actual body weight 80 kg" in lines
    assert lines[-1].endswith("calculators/bsa_mosteller/#calc?height_cm=180&weight_kg=80")
    context.close()


def test_until_the_runtime_is_ready_the_form_is_not_usable(
    browser: Browser, served_site_under_test: Server
) -> None:
    context = browser.new_context()
    context.route("**/pyodide/pyodide-lock.json", lambda route: route.abort())
    page = context.new_page()
    page.goto(calculator_url(served_site_under_test, "bsa_mosteller"))
    expect(page.locator("[name='height_cm']")).to_be_disabled()
    root = page.locator("[data-calculator-root]")
    expect(root).to_have_attribute("data-state", "error", timeout=90_000)
    expect(page.locator("[name='height_cm']")).to_be_disabled()
    status = page.locator("[data-status]").inner_text()
    assert "Reload the page to try again. If you are offline" in status
    context.close()
