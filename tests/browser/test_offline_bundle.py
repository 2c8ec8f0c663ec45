"""The offline bundle in Chromium: opened straight from the files, and served on loopback.

It lives here to share this directory's browser session (one Playwright per process). The
bundle is rebuilt by the CLI from the site the handbook tests check (tests/handbook).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from build_tools import bundle
from tests.browser.conftest import serve
from tests.handbook.conftest import (
    handbook_content,
    handbook_site_fixture,
    rebuild_bundle,
    unpack,
)


@pytest.fixture(scope="module")
def unpacked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site: Path = request.getfixturevalue(handbook_site_fixture())
    archive = rebuild_bundle(
        site, handbook_content(), tmp_path_factory.mktemp("bundle") / bundle.BUNDLE_NAME
    )
    return unpack(archive, tmp_path_factory.mktemp("unpacked"))


def _requests_outside(page: Page, allowed: tuple[str, ...]) -> list[str]:
    outside: list[str] = []

    def on_request(request: object) -> None:
        url = str(request.url)  # type: ignore[attr-defined]
        if not url.startswith(allowed):
            outside.append(url)

    page.on("request", on_request)
    return outside


@pytest.mark.browser
def test_opened_from_files_the_pages_and_search_work(page: Page, unpacked: Path) -> None:
    site = unpacked / "site"
    outside = _requests_outside(page, ("file://", "data:", "about:", "blob:"))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((site / "index.html").as_uri())
    expect(page.locator("h1").first).to_be_visible()
    page.locator("input.md-search__input").click()
    page.keyboard.type("immunoglobulin", delay=20)
    results = page.locator(".md-search-result__item h1, .md-search-result__article h1")
    expect(results.first).to_be_visible(timeout=15_000)
    results.first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://")
    assert urlsplit(page.url).path.endswith(".html")
    expect(page.locator("article h1").first).to_be_visible()
    pdf = page.locator(".guideline-editions a").first
    assert (
        Path(unquote(urlsplit(page.url).path)).parent / pdf.get_attribute("href")
    ).resolve() == (site / "handbook.pdf")
    assert outside == []
    assert errors == []


@pytest.fixture
def served_bundle(unpacked: Path) -> Iterator[str]:
    server = serve(unpacked / "site")
    yield server.url
    server.stop()


@pytest.mark.browser
def test_served_the_pages_load_and_a_calculator_computes(
    page: Page, served_bundle: str, unpacked: Path
) -> None:
    outside = _requests_outside(page, (served_bundle, "data:", "about:", "blob:"))
    page.goto(served_bundle, wait_until="networkidle")
    expect(page.locator("h1").first).to_be_visible()
    page.locator("input.md-search__input").click()
    page.keyboard.type("immunoglobulin", delay=20)
    results = page.locator(".md-search-result__item h1, .md-search-result__article h1")
    expect(results.first).to_be_visible(timeout=15_000)
    results.first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith(".html")  # the offline index names files
    expect(page.locator("article h1").first).to_be_visible()
    calculator = unpacked / "site" / "calculators" / "bsa_mosteller.html"
    if not calculator.is_file():
        pytest.skip("no calculator pages in this build (the calculator runtime is not in place)")
    registry = pytest.importorskip("calculators.registry")
    expected = registry.run("bsa_mosteller", {"height_cm": 180, "weight_kg": 80}).display["bsa_m2"]
    page.goto(served_bundle + "calculators/bsa_mosteller.html#calc?height_cm=180&weight_kg=80")
    expect(page.locator('[data-output="bsa_m2"]')).to_have_text(expected, timeout=90_000)
    assert outside == []


@pytest.mark.browser
def test_served_the_study_page_loads_its_cards_and_links_pages_as_files(
    page: Page, served_bundle: str
) -> None:
    """The study page is as deep in the bundle as on the site (study/index.html), so its
    relative links hold; a card's link names the guideline's page as the bundle does."""
    outside = _requests_outside(page, (served_bundle, "data:", "about:", "blob:"))
    page.goto(served_bundle + "study/index.html")
    page.wait_for_selector("[data-study][data-state=ready]")
    page.click("[data-reveal]")
    link = page.get_attribute("[data-link]", "href") or ""
    assert urlsplit(link).path.endswith(".html"), link
    assert page.request.get(link).ok
    assert outside == []


@pytest.mark.browser
def test_a_calculator_opened_from_files_says_how_to_start_the_launcher(
    page: Page, unpacked: Path
) -> None:
    """From file:// the browser will not run the calculator: in place of the form, the page
    says how to start the offline launcher that the bundle carries."""
    calculator = unpacked / "site" / "calculators" / "bsa_mosteller.html"
    if not calculator.is_file():
        pytest.skip("no calculator pages in this build (the calculator runtime is not in place)")
    launchers = {p.name for p in unpacked.rglob("start.*")}
    assert {"start.sh", "start.bat"} <= launchers
    page.goto(calculator.as_uri())
    root = page.locator("[data-calculator-root]")
    expect(root).to_have_attribute("data-state", "file")
    notice = page.locator("[data-file-notice]")
    expect(notice).to_be_visible()
    text = notice.inner_text()
    assert "start.bat" in text
    assert "./start.sh" in text
    expect(page.locator("form[data-calculator]")).to_be_hidden()
    expect(page.locator("[data-loading]")).to_be_hidden()
