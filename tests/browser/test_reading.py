"""Pages read at the bedside: nothing runs off a phone's screen, fields keep their labels."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

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


def search(page: Page, server: Server, query: str) -> list[str]:
    """The pages a query finds, best first (each page once, as its path under the site)."""
    page.goto(server.url, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)  # the theme searches on key events, as a user types
    links = page.locator(".md-search-result__item > a")
    expect(links.first).to_be_visible(timeout=15_000)
    found: list[str] = []
    steady = 0
    for _ in range(100):  # results refine while the query is typed: wait until they settle
        page.wait_for_timeout(100)
        hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        now = list(dict.fromkeys(urlsplit(h).path.removeprefix("/") for h in hrefs))
        steady = steady + 1 if now == found else 0
        found = now
        if steady >= 5:
            break
    return found


@pytest.mark.browser
def test_a_dose_finds_the_ivig_regimen(page: Page, served_site: Server) -> None:
    """ "2 g/kg" is the IVIg course: its calculator (titled with the dose) and the IVIg
    page, where the regimen is, with its source, come first."""
    assert search(page, served_site, "2 g/kg")[:2] == ["calculators/ivig_dose/", "therapies/ivig/"]


@pytest.mark.browser
@pytest.mark.parametrize("query", ["MMF", "mycophenolate", "CellCept"])
def test_a_drug_by_any_name_finds_its_page_and_calculator(
    page: Page, served_site: Server, query: str
) -> None:
    top = search(page, served_site, query)[:3]
    assert "therapies/mycophenolate-mofetil/" in top
    assert "calculators/mycophenolate_titration/" in top


@pytest.mark.browser
def test_the_references_come_after_the_pages_they_support(page: Page, served_site: Server) -> None:
    found = search(page, served_site, "anti-MDA5 ILD")
    mda5 = [p for p in found if "mda5" in p or p == "domains/rp-ild/"]
    assert mda5[:2] == ["therapies/mda5-rpild-combination/", "domains/rp-ild/"]
    if "references/" in found:
        assert found.index("references/") > max(found.index(p) for p in mda5)
