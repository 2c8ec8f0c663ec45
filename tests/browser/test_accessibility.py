"""axe-core (served from node_modules, never a CDN) on every page type, light and dark."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Server
from tests.conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# One page of each kind the generator writes (present in the real content).
PAGE_TYPES = {
    "home": "",
    "domain": "domains/ild/",
    "therapy": "therapies/ivig/",
    "topic": "topics/ild-diagnosis/",
    "antibodies": "antibodies/",
    "algorithm": "algorithms/general-approach/",
    "glossary": "glossary/",
    "about": "about/",
    "references": "references/",
    "calculator": "calculators/bsa_mosteller/",
}


def serious_violations(browser: Browser, url: str, scheme: str) -> list[str]:
    # axe is injected through the DevTools protocol; the site's CSP stays as it is.
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.evaluate(AXE.read_text())
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3)"
            ".map(n => n.target.join(' ')).join(' | '))"
        )
        return list(result)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_serious_accessibility_violations(
    browser: Browser, served_site: Server, kind: str, scheme: str
) -> None:
    path = PAGE_TYPES[kind]
    if not (Path(served_site.root) / path / "index.html").is_file() and path:
        pytest.fail(f"page type {kind} missing from the built site: {path}")
    assert serious_violations(browser, served_site.url + path, scheme) == []
