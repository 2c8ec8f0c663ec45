"""Every internal link, anchor and citation link of the built site resolves."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from build_tools.schema import DOI_PATTERN, PMID_PATTERN
from tests.conftest import ROOT

# DOIs and PubMed records; and the regulators' product information (FDA labels on DailyMed,
# EU summaries of product characteristics at the EMA) that each therapy's safety block names.
ALLOWED_EXTERNAL = (
    "https://doi.org/",
    "https://pubmed.ncbi.nlm.nih.gov/",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?",
    "https://www.ema.europa.eu/",
)
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if (name == "href" and tag in ("a", "link")) or (
                name == "src" and tag in ("script", "img", "iframe", "source")
            ):
                self.links.append((tag, value))


def parse(path: Path) -> _Collect:
    collector = _Collect()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def site_links(site: Path) -> tuple[list[str], list[str]]:
    """Broken internal links, and external links that are not DOI or PubMed."""
    pages = {p: parse(p) for p in site.rglob("*.html")}
    broken, external = [], []
    base = "http://site.invalid/"
    for path, found in pages.items():
        page_url = base + path.relative_to(site).as_posix()
        for tag, link in found.links:
            url = urljoin(page_url, link)
            if url.startswith(SITE_URL):  # canonical links name the deployed address
                url = base + url[len(SITE_URL) :]
            parts = urlsplit(url)
            if parts.scheme in ("data", "mailto", "javascript"):
                if parts.scheme == "javascript":
                    broken.append(f"{path}: javascript link {link}")
                continue
            if not url.startswith(base):
                if tag != "a" or not url.startswith(ALLOWED_EXTERNAL):
                    external.append(f"{path.relative_to(site)}: {link}")
                continue
            target = site / unquote(parts.path[len("/") :])
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(site)}: {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(site)}: {link} (no such anchor)")
    return broken, external


def test_every_internal_link_and_anchor_resolves(real_site: Path) -> None:
    broken, external = site_links(real_site)
    assert broken == []
    assert external == []


def test_every_doi_and_pmid_link_is_well_formed(real_site: Path) -> None:
    html = (real_site / "references/index.html").read_text()
    dois = re.findall(r'href="https://doi.org/([^"]+)"', html)
    pmids = re.findall(r'href="https://pubmed.ncbi.nlm.nih.gov/([^"/]+)/"', html)
    assert dois
    assert [d for d in dois if not re.fullmatch(DOI_PATTERN, d)] == []
    assert [p for p in pmids if not re.fullmatch(PMID_PATTERN, p)] == []
