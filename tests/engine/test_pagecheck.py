"""Built pages keep the headings their Markdown and template declare, and show no Markdown.

The defect these guard against: a template wrote a section's heading on the line after the
last row of a table; Markdown read it as one more row ("## Monitoring" in a table cell) and
the section left the page's table of contents, on 26 pages, unnoticed by every other test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from build_tools import pagecheck
from build_tools.render import end_blocks
from tests import generating
from tests.conftest import ROOT

ENTRY_TEMPLATE = ROOT / "site_templates" / "pages" / "entry.md.j2"


def test_the_renderer_ends_a_table_before_a_heading() -> None:
    assert end_blocks("| a | b |\n## Monitoring\n\n- x\n") == "| a | b |\n\n## Monitoring\n\n- x\n"


def test_the_renderer_ends_a_table_before_any_other_block() -> None:
    assert end_blocks("| a |\n|---|\n| 1 |\n<small>Source</small>") == (
        "| a |\n|---|\n| 1 |\n\n<small>Source</small>"
    )


def test_the_renderer_leaves_fenced_code_as_written() -> None:
    code = "```\n| a |\n# not a heading\n```\n"
    assert end_blocks(code) == code


def test_a_templates_declared_headings_are_patterns_of_its_heading_lines() -> None:
    declared = pagecheck.declared_headings(ENTRY_TEMPLATE.read_text())
    levels = {(level, p.pattern) for level, p in declared}
    assert (2, r"\s*Monitoring\s*") in levels
    assert (2, r"\s*Cautions\s*") in levels
    assert (2, r"\s*.+\s*") in levels  # "## {{ s.title }}": a section the content names
    assert (1, r"\s*.+\s*") in levels


def _page(article: str, toc: str) -> str:
    return (
        '<html><body><nav class="md-nav md-nav--secondary">'
        f'{toc}</nav><article class="md-content__inner md-typeset">{article}</article>'
        "</body></html>"
    )


def test_a_heading_swallowed_by_a_table_is_reported_twice() -> None:
    markdown = '---\ntitle: "X"\n---\n\n# X\n\n| a |\n|---|\n| 1 |\n## Monitoring\n'
    built = _page(
        '<h1 id="x">X</h1><table><tr><td>1</td></tr><tr><td>## Monitoring</td></tr></table>',
        "",
    )
    problems = pagecheck.check_page("therapies/x.md", markdown, built, None)
    assert problems == [
        "therapies/x.md: its headings are not the ones its Markdown writes (missing ## Monitoring)",
        "therapies/x.md: Markdown '##' shown as text: …X 1 ## Monitoring…",
    ]


def test_a_section_missing_from_the_table_of_contents_is_reported() -> None:
    markdown = "# X\n\n## Monitoring\n"
    built = _page('<h1 id="x">X</h1><h2 id="monitoring">Monitoring</h2>', "")
    assert pagecheck.check_page("x.md", markdown, built, None) == [
        "x.md: table of contents does not list 'Monitoring' (#monitoring)"
    ]
    listed = _page(
        '<h1 id="x">X</h1><h2 id="monitoring">Monitoring<a class="headerlink" '
        'href="#monitoring">¶</a></h2>',
        '<a href="#monitoring">Monitoring</a>',
    )
    assert pagecheck.check_page("x.md", markdown, listed, None) == []


def test_a_heading_its_template_does_not_declare_is_reported() -> None:
    declared = pagecheck.declared_headings("# {{ page.title }}\n\n## Regimens\n")
    markdown = "# X\n\n## Dosing\n"
    built = _page('<h1>X</h1><h2 id="dosing">Dosing</h2>', '<a href="#dosing">Dosing</a>')
    assert pagecheck.check_page("x.md", markdown, built, declared) == [
        "x.md: heading ## 'Dosing' is not one its template declares"
    ]


def test_bold_and_citation_markup_shown_as_text_is_reported() -> None:
    built = _page("<h1>X</h1><p>**Domains:** see [@huang-pye-2024]</p><pre>## code</pre>", "")
    assert pagecheck.check_page("x.md", "# X\n", built, None) == [
        "x.md: Markdown '**' shown as text: …X **Domains:** see [@huang-pye-2024]…",
        "x.md: Markdown '[@' shown as text: …X **Domains:** see [@huang-pye-2024]…",
    ]


@pytest.mark.slow
def test_the_check_passes_on_built_pages_and_catches_the_defect_put_back_in_a_copy(
    content: Path, tmp_path: Path
) -> None:
    """The fixture's pages as the generator writes them pass; the same pages with the old
    defect put back into one of them (the blank line between the evidence table and the
    next heading removed) are caught, at that page and that heading."""
    docs = tmp_path / "build" / "docs"
    generating.generate(content, docs)
    page = docs / "therapies" / "ivig.md"
    fixed = page.read_text()
    broken, count = re.subn(r"(\|\n)\n+(## )", r"\1\2", fixed, count=1)
    assert count == 1

    site = _mkdocs(docs, tmp_path / "site")
    assert pagecheck.check_site(docs, site) == []

    page.write_text(broken)
    site = _mkdocs(docs, tmp_path / "site-broken")
    problems = pagecheck.check_site(docs, site)
    heading = re.search(r"\|\n## (.+)", broken)
    assert heading is not None
    name = heading.group(1)
    assert problems == [
        f"therapies/ivig.md: its headings are not the ones its Markdown writes (missing ## {name})",
        f"therapies/ivig.md: Markdown '##' shown as text: …{problems[1].split('…')[1]}…",
    ]
    assert f"## {name}" in problems[1]


def _mkdocs(docs: Path, site: Path) -> Path:
    """`mkdocs build` of the generated pages alone: the project's theme and Markdown settings,
    without the hooks (which would generate the pages again from content/)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config.pop("hooks")
    config.pop("strict")
    config.pop("validation", None)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(site)
    config["theme"]["custom_dir"] = str(ROOT / "site_templates" / "overrides")
    for extension in config["markdown_extensions"]:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            extension["pymdownx.snippets"]["base_path"] = [str(docs.parent / "snippets")]
    path = docs.parent / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config))
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    return site
