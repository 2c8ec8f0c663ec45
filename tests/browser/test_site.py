"""The built site in a real browser: nothing leaves the site, the CSP holds, search finds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server


def html_pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if p.name in {"index.html", "404.html"}
    )


def visit_all(page: Page, server: Server) -> tuple[list[str], list[str]]:
    """Load every page; return requests that left the server and console CSP violations."""
    origin = urlsplit(server.url).netloc
    outside: list[str] = []
    violations: list[str] = []

    def on_request(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != origin:
            outside.append(url)

    page.on("request", on_request)
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    for rel in html_pages(server.root):
        page.goto(server.url + rel, wait_until="networkidle")
    return outside, violations


@pytest.mark.browser
def test_no_page_requests_anything_outside_the_site(page: Page, served_site: Server) -> None:
    outside, violations = visit_all(page, served_site)
    assert outside == []
    assert violations == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "expected_title"),
    [
        ("anti-MDA5", "Anti-MDA5 rapidly progressive ILD"),
        ("PL-12", "Autoantibodies"),
        ("2 g/kg", "IVIg"),
        ("IVIg", "Intravenous immunoglobulin"),
        ("MMF", "Mycophenolate mofetil"),
        ("mycophenolate", "Mycophenolate mofetil"),
    ],
)
def test_search_finds_what_a_clinician_means(
    page: Page, served_site: Server, query: str, expected_title: str
) -> None:
    """What a clinician means is among the first three results."""
    page.goto(served_site.url, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)  # the theme searches on key events, as a user types
    results = page.locator(".md-search-result__item h1, .md-search-result__article h1")
    expect(results.first).to_be_visible(timeout=15_000)
    titles: list[str] = []
    steady = 0
    for _ in range(100):  # results refine while the query is typed: wait until they settle
        page.wait_for_timeout(100)
        now = [t.strip() for t in results.all_inner_texts()[:3]]
        steady = steady + 1 if now == titles else 0
        titles = now
        if steady >= 5:  # unchanged for half a second (a busy machine refines slowly)
            break
    assert any(expected_title.lower() in t.lower() for t in titles), titles
