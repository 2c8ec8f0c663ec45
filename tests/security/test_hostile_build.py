"""A corpus written to attack the publishers builds into inert pages, bundle and PDF.

Strings that validation lets through (plain fields may hold brackets and braces, prose may
hold links to allowed addresses) are written into the fixture corpus where the
hostile-input review found them to turn into markup (issue 14, findings 2 and 4); the real
build then runs, and its site, its offline bundle and its handbook are read back:

- no element carries an event handler, a script URL or a style attribute;
- the article HTML the generator contributes passes an allow-list sanitizer (nh3) as is;
- every page, 404.html included, carries the policy; scripts run only from files and the
  theme's hashed inline scripts (no 'unsafe-inline', no event-handler attributes), in the
  bundle as on the site;
- the PDF links only to http(s) and mailto addresses, and its own pages.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import nh3
import pytest
from pypdf import PdfReader

from build_tools import bundle
from tests.conftest import FIXTURE_CONTENT, build_site
from tests.security.markup import offences

HOSTILE_TITLE = "Intravenous [immunoglobulin](https://evil.example/){: style=position:fixed;top:0 }"
HOSTILE_LABEL = 'Induction *x* [y](https://evil.example/ "t") ![img](https://evil.example/i.png)'
HOSTILE_PROSE = (
    "IVIg 2 g/kg every 4 weeks [improved](https://trial.example/proderm?a=1&b=2) "
    "dermatomyositis # heading? [M] &#106;avascript, unlike [rituximab](entry:rituximab) "
    "[@aggarwal-2022-trial]."
)

# The article HTML the generator writes, as an allow-list: anything else is a defect.
TAGS = {
    "a", "abbr", "article", "br", "code", "dd", "details", "div", "dl", "dt", "em", "h1",
    "h2", "h3", "h4", "i", "img", "li", "noscript", "ol", "p", "pre", "section", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "ul", "button",
}  # fmt: skip
GENERIC = {"class", "id", "title", "hidden", "role", "aria-label", "aria-live"}
ATTRIBUTES = {"*": GENERIC, "a": {"href"}, "img": {"src", "alt"}, "button": {"type"}}
SCHEMES = {"http", "https", "mailto"}
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
_INLINE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    entry = content / "entries" / "ivig.yaml"
    text = entry.read_text()
    for old, new in (
        ("title: Intravenous immunoglobulin", f"title: '{HOSTILE_TITLE}'"),
        ("    label: Induction", f"    label: '{HOSTILE_LABEL}'"),
        ("    frequency: every 4 weeks", "    frequency: '[every](https://evil.example) 4 weeks'"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    summary = next(line for line in text.splitlines() if line.startswith("  text: IVIg"))
    entry.write_text(text.replace(summary, f"  text: '{HOSTILE_PROSE}'"))
    site = root / "site"
    result = build_site(content, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def bundle_site(hostile_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(hostile_site / bundle.BUNDLE_NAME) as archive:
        archive.extractall(target)
    return target / bundle.BUNDLE_FOLDER / "site"


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert found
    return found


def article(page: Path) -> lxml.html.HtmlElement | None:
    return lxml.html.fromstring(page.read_bytes()).find(".//article")


@pytest.mark.slow
def test_the_hostile_strings_are_text_on_the_page(hostile_site: Path) -> None:
    body = article(hostile_site / "therapies" / "ivig" / "index.html")
    assert body is not None
    text = body.text_content()
    assert HOSTILE_TITLE in text
    assert HOSTILE_LABEL in text
    assert "dermatomyositis # heading? [M] &#106;avascript" in text
    links = [a.get("href") for a in body.iter("a")]
    assert "https://trial.example/proderm?a=1&b=2" in links  # the declared link works
    assert "../rituximab/" in links  # and a link to another entry
    assert not [href for href in links if href and "evil.example" in href]
    assert not list(body.iter("img"))


GENERATED_SVG_STYLE = re.compile(
    r"""\sstyle=(["'])max-width: \d+px; min-width: min\(\d+px, \d+px\)\1"""
)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["site", "bundle"])
def test_no_page_has_an_event_handler_script_url_or_style_attribute(
    which: str, hostile_site: Path, bundle_site: Path
) -> None:
    site = hostile_site if which == "site" else bundle_site
    found = {}
    for page in pages(site):
        # The one style attribute the generator writes: an algorithm diagram's size bounds
        # (build_tools.algorithms.inline_svg), numbers only; anything else is an offence.
        html = GENERATED_SVG_STYLE.sub("", page.read_text("utf-8"))
        bad = [o for o in offences(html) if not o.startswith(("<script>", "<img>", "<form>"))]
        if bad:
            found[page.relative_to(site).as_posix()] = bad
    assert found == {}


@pytest.mark.slow
def test_the_generated_article_html_passes_the_sanitizer_unchanged(hostile_site: Path) -> None:
    changed = {}
    for page in pages(hostile_site):
        body = article(page)
        if body is None:
            continue
        for widget in body.xpath(
            ".//script | .//div[contains(@class, 'calc-widget')]"
            " | .//div[contains(@class, 'algorithm-diagram')] | .//div[@data-study]"
            " | .//div[@data-practice] | .//ul[contains(@class, 'study-decks')]"
            " | .//p[contains(@class, 'ref-downloads')]"
        ):
            # The calculator form and the study page's controls, practice form and deck
            # downloads, and a page's reference-file downloads (the templates' own, filled
            # by their scripts or listing the build's files), scripts (the policy's) and the
            # algorithm diagrams (SVG drawn by Graphviz from validated labels; the test above
            # checks them for handlers, script URLs and styles) are not content prose.
            widget.drop_tree()
        html = lxml.html.tostring(body, encoding="unicode")
        clean = nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            generic_attribute_prefixes={"data-"},
            url_schemes=SCHEMES,
            link_rel=None,
        )
        if _shape(html) != _shape(clean):
            changed[page.relative_to(hostile_site).as_posix()] = (_shape(html), _shape(clean))
    assert changed == {}


def _shape(html: str) -> list[tuple[object, ...]]:
    """Elements, attributes and text in document order (serialisation details aside)."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return [
        (e.tag, sorted((k, v or "") for k, v in e.attrib.items()), e.text or "", e.tail or "")
        for e in tree.iter()
        if isinstance(e.tag, str)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("which", ["site", "bundle"])
def test_every_page_carries_a_policy_without_inline_script_or_handlers(
    which: str, hostile_site: Path, bundle_site: Path
) -> None:
    site = hostile_site if which == "site" else bundle_site
    names = [p.relative_to(site).as_posix() for p in pages(site)]
    if which == "site":
        assert "404.html" in names
    for page in pages(site):
        html = page.read_text("utf-8")
        match = _CSP.search(html)
        assert match, page
        policy = {part.split()[0]: part.split()[1:] for part in match.group(1).split("; ") if part}
        assert "'unsafe-inline'" not in policy["script-src"], page
        assert policy["script-src-attr"] == ["'none'"], page
        assert policy["default-src"] == ["'none'"], page
        for script in _INLINE.finditer(html):
            if "src=" in script.group("attrs") or "application/json" in script.group("attrs"):
                continue
            digest = hashlib.sha256(script.group("body").encode()).digest()
            assert f"'sha256-{base64.b64encode(digest).decode()}'" in policy["script-src"], page


@pytest.mark.slow
def test_the_handbook_links_only_to_web_addresses_and_itself(hostile_site: Path) -> None:
    reader = PdfReader(hostile_site / "handbook.pdf")
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/URI") is not None:
                uris.append(str(action["/URI"]))
    assert "https://trial.example/proderm?a=1&b=2" in uris
    assert [u for u in uris if not u.startswith(("https://", "http://", "mailto:"))] == []
    assert [u for u in uris if "evil.example" in u] == []
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "evil.example" in " ".join(text.split())  # printed, as text
