"""The study page as built (`python -m build_tools build`), in headless Chromium: cards
answered by keyboard, progress kept across a reload and cleared by reset, decks and
practice, nothing requested from anywhere else, no CSP violation, working offline once
seen, and nothing serious for axe."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import Server
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

STORE = "myositis-guideline:study:v1"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


class Watched:
    """A page with what it requested outside the site and what the console reported."""

    def __init__(self, page: Page, server: Server) -> None:
        self.page = page
        self.outside: list[str] = []
        self.errors: list[str] = []
        origin = urlsplit(server.url).netloc
        page.on(
            "request",
            lambda r: (
                None
                if urlsplit(r.url).scheme in ("data", "blob") or urlsplit(r.url).netloc == origin
                else self.outside.append(r.url)
            ),
        )
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Every policy violation, reported or not to the console.
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.ready()

    def ready(self) -> None:
        self.page.wait_for_selector("[data-study][data-state=ready]")

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__violations"))


@pytest.fixture
def study(browser: Browser, served_site: Server) -> Iterator[tuple[BrowserContext, Watched]]:
    context = browser.new_context()
    try:
        yield context, Watched(context.new_page(), served_site)
    finally:
        context.close()


def cards_json(site: Path) -> dict[str, Any]:
    return dict(json.loads((site / "study" / "cards.json").read_text("utf-8")))


def stored(page: Page) -> dict[str, Any]:
    raw = page.evaluate(f"localStorage.getItem('{STORE}')")
    return {} if raw is None else dict(json.loads(raw)["cards"])


def test_study_page_keeps_progress_and_reset_clears_it(
    study: tuple[BrowserContext, Watched], served_site: Server, real_site: Path
) -> None:
    _, watched = study
    page = watched.page
    watched.open(served_site.url + "study/")
    data = cards_json(real_site)
    assert page.inner_text("[data-status]") == (
        f"{len(data['cards'])} cards loaded. Progress is kept in this browser only."
    )
    first = page.get_attribute("[data-card]", "data-card-id")
    page.keyboard.press("Space")  # keyboard only: reveal, then 1 / 2
    assert page.is_visible("[data-back]")
    page.keyboard.press("1")
    second = page.get_attribute("[data-card]", "data-card-id")
    assert second != first
    page.keyboard.press("Enter")
    page.keyboard.press("2")
    assert "This visit: 1 of 2 known" in page.inner_text("[data-score]")
    progress = stored(page)
    assert (progress[first]["box"], progress[second]["box"]) == (2, 1)

    page.reload()
    watched.ready()
    assert stored(page) == progress
    assert page.get_attribute("[data-card]", "data-card-id") != first  # due in a day

    page.click("[data-reset]")
    page.click("[data-confirm-yes]")
    assert stored(page) == {}
    assert "learned: 0 of" in page.inner_text("[data-score]")
    page.reload()
    watched.ready()
    assert page.get_attribute("[data-card]", "data-card-id") == first

    assert watched.outside == []
    assert watched.violations() == []
    assert watched.errors == []


def test_a_deck_page_preselects_its_deck_and_links_its_package(
    study: tuple[BrowserContext, Watched], served_site: Server, real_site: Path
) -> None:
    _, watched = study
    page = watched.page
    watched.open(served_site.url + "study/rp-ild/")
    domains = {c["id"]: c["domains"] for c in cards_json(real_site)["cards"]}
    assert page.input_value("[data-deck]") == "rp-ild"
    for _ in range(3):
        assert "rp-ild" in domains[page.get_attribute("[data-card]", "data-card-id") or ""]
        page.click("[data-reveal]")
        page.click("[data-knew]")
    link = page.locator("a[download]", has_text="Anti-MDA5 rapidly progressive ILD")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    assert response.body() == (real_site / "study" / "rp-ild.apkg").read_bytes()
    # Practice: the case's answer and worked steps, as the build computed them.
    case = next(c for c in cards_json(real_site)["practice"] if c["calculator"] == "bsa_mosteller")
    page.select_option("[data-practice-calc]", "bsa_mosteller")
    page.click("[data-practice-reveal]")
    assert case["answer"][0]["text"] in page.inner_text("[data-practice-result]")
    assert case["steps"][0] in page.inner_text("[data-practice-steps]")
    assert watched.outside == []
    assert watched.violations() == []
    assert watched.errors == []


def test_study_page_works_offline_once_seen(
    study: tuple[BrowserContext, Watched], served_site: Server
) -> None:
    context, watched = study
    page = watched.page
    watched.open(served_site.url + "study/")
    # The service worker keeps the page's files once it is seen (study.js asks it to).
    kept = "async () => !!(await caches.match(new URL('cards.json', location.href).href))"
    page.wait_for_function(kept, timeout=15_000)
    context.set_offline(True)
    try:
        page.reload()
        watched.ready()
        assert page.is_visible("[data-card]")
    finally:
        context.set_offline(False)
    assert watched.outside == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_study_page_has_no_serious_accessibility_violations(
    browser: Browser, served_site: Server, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        watched = Watched(context.new_page(), served_site)
        page = watched.page
        watched.open(served_site.url + "study/")
        if scheme == "dark":
            page.evaluate("document.body.dataset.mdColorScheme = 'slate'")
        page.click("[data-reveal]")
        page.click("[data-practice-reveal]")
        # axe is injected through the DevTools protocol; the site's CSP stays as it is.
        page.evaluate(AXE.read_text("utf-8"))
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
        )
        assert found == []
    finally:
        context.close()


def test_the_handbook_prints_the_self_test_questions_then_the_answers(real_site: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(real_site / "handbook.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    words = " ".join(text.split())
    intro = words.index("questions generated from this edition's content")
    assert "The Glossary deck is left out of print" in words[intro : intro + 800]
    appendix = words[intro:]
    assert "Questions: General approach to all patients" in appendix
    assert appendix.rindex("Questions: ") < appendix.index("Answers: ")  # answers after all
    assert "Questions: Glossary" not in appendix
