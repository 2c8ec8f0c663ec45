"""Pages read at the bedside: nothing runs off a phone's screen, fields keep their labels."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Server

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
PAGES = ["therapies/rituximab/", "antibodies/", "algorithms/general-approach/"]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_runs_off_the_screen(
    browser: Browser, served_site: Server, viewport: dict[str, int], path: str
) -> None:
    """The document is exactly as wide as the screen: no page scrolls sideways."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(served_site.url + path, wait_until="networkidle")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths == [viewport["width"], viewport["width"]]
    finally:
        context.close()


@pytest.mark.browser
def test_a_regimen_on_a_phone_is_a_card_of_labelled_fields(
    browser: Browser, served_site: Server
) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(served_site.url + "therapies/rituximab/", wait_until="networkidle")
        row = page.locator("table[data-cards] tbody tr").first
        dose = row.locator('td[data-label="Dose"]')
        assert dose.inner_text().strip() == "1 g per dose"
        label = dose.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Dose"'
        box = row.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.browser
def test_an_antibody_is_a_card_with_its_fields_named(browser: Browser, served_site: Server) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(served_site.url + "antibodies/#anti-mda5", wait_until="networkidle")
        card = page.locator(".guideline-card", has=page.locator("#anti-mda5"))
        fields = [
            text.split(":")[0] for text in card.locator("> ul:first-of-type > li").all_inner_texts()
        ]
        assert fields == ["Antigen", "Phenotype", "ILD", "Cancer"]
        assert "Not stated in the sources." in card.inner_text()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_algorithm_node_opens_its_therapy_page(
    browser: Browser, served_site: Server, viewport: dict[str, int]
) -> None:
    """The rituximab box of Huang & Pye's Figure 1 is a link to the rituximab page."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(served_site.url + "algorithms/general-approach/", wait_until="networkidle")
        node = page.locator(".algorithm-diagram svg g.node", has_text="Rituximab for necrotizing")
        node.locator("a").first.click()
        page.wait_for_url("**/therapies/rituximab/")
        assert page.locator("h1").first.inner_text().startswith("Rituximab")
    finally:
        context.close()
