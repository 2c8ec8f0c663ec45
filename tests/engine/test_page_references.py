"""Each page's own references for reference managers (build_tools.exports.page_references).

A trainee downloads exactly the references a page cites: the files hold the keys the page's
citation marks link to, no more and no fewer, and read back with the libraries that wrote
them (json, bibtexparser, rispy). Every page that cites anything has the line; no other page
has it, and no file is left without its page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rispy
from bibtexparser.entrypoint import parse_string

from build_tools.exports import page_references
from calculators.registry import CALCULATORS
from tests import generating
from tests.conftest import FIXTURE_CONTENT, ROOT

# A citation mark as the page's Markdown links it: [3](../references.md#ref-key "title").
CITATION = re.compile(r"\]\((?:\.\./)*references\.md#ref-([a-z0-9][a-z0-9-]*) ")
LINE = re.compile(r"Download the (\d+) references? cited on this page")


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return generating.files_for(ROOT / "content", None)


def _read_back(files: dict[str, bytes], page: str) -> tuple[list[str], list[str], list[str]]:
    """The keys of the page's CSL-JSON, BibTeX and RIS files, each read by its library."""
    csl = json.loads(files[page_references.file_path(page, "csl")])
    library = parse_string(files[page_references.file_path(page, "bibtex")].decode())
    assert library.failed_blocks == []
    records = rispy.loads(files[page_references.file_path(page, "ris")].decode())
    return (
        [item["id"] for item in csl],
        [entry.key for entry in library.entries],
        [record["id"] for record in records],
    )


def test_a_therapy_page_s_files_hold_exactly_the_references_it_cites(
    files: dict[str, bytes],
) -> None:
    page = "therapies/azathioprine.md"
    cited = [  # in the order of their numbers on the site
        "huang-pye-2024",
        "moghadam-kia-oddis-2023",
        "douglas-2001-polymyositis-dermatomyositis-associated",
        "marie-2002-interstitial",
        "bradley-2008-interstitial",
        "saketkoo-2014-connective",
        "huapaya-2019-long-term-azathioprine",
    ]
    text = files[page].decode()
    assert set(CITATION.findall(text)) == set(cited)
    assert _read_back(files, page) == (cited, cited, cited)
    bib = parse_string(files["exports/pages/therapies-azathioprine.bib"].decode())
    assert bib.entries_dict["huang-pye-2024"]["doi"] == "10.58931/crt.2024.1145"
    ris = rispy.loads(files["exports/pages/therapies-azathioprine.ris"].decode())
    assert ris[0]["authors"] == ["Huang, K", "Pye, A"]
    assert (
        "Download the 7 references cited on this page (for Zotero or EndNote): "
        "[CSL-JSON](../exports/pages/therapies-azathioprine.json)"
        '{ download="therapies-azathioprine-references.json" } · '
        "[BibTeX](../exports/pages/therapies-azathioprine.bib)"
        '{ download="therapies-azathioprine-references.bib" } · '
        "[RIS](../exports/pages/therapies-azathioprine.ris)"
        '{ download="therapies-azathioprine-references.ris" }\n{: .ref-downloads }'
    ) in text


def test_a_calculator_page_s_files_hold_its_declared_references(files: dict[str, bytes]) -> None:
    page = "calculators/ivig_dose.md"
    declared = list(CALCULATORS["ivig_dose"].references)
    assert declared == [
        "huang-pye-2024",
        "nba-nd-adjusting",
        "lifeblood-nd-coming",
        "ontario-nd-ivig",
    ]
    assert _read_back(files, page) == (declared, declared, declared)
    text = files[page].decode()
    last_listed = text.rindex("#ref-ontario-nd-ivig")  # the references section's last item
    line = text.index("Download the 4 references cited on this page")
    assert last_listed < line < text.index('<p class="calc-footer">')  # right under the list


def test_every_citing_page_links_its_files_and_no_other_page_has_any(
    files: dict[str, bytes],
) -> None:
    pages = {p: d.decode() for p, d in files.items() if p.endswith(".md")}
    made = {p for p in files if p.startswith(page_references.FOLDER + "/")}
    expected_files: set[str] = set()
    citing = 0
    for page, text in pages.items():
        keys = set(CITATION.findall(text))
        lines = LINE.findall(text)
        if not keys:
            assert lines == [], page
            continue
        citing += 1
        assert lines == [str(len(keys))], page
        for fmt, _label in page_references.FORMATS:
            expected_files.add(page_references.file_path(page, fmt))
        for fmt, _label in page_references.FORMATS:  # the same on every site address
            assert b"127.0.0.1" not in files[page_references.file_path(page, fmt)], page
        csl, bib, ris = _read_back(files, page)
        assert set(csl) == keys, page
        assert csl == bib == ris, page
    assert made == expected_files  # no file without its page
    assert citing > 100  # therapies, topics, domains, algorithms, recommendations, calculators…
    kinds = {p.split("/")[0] for p in pages if LINE.search(pages[p])}
    assert {
        "therapies",
        "topics",
        "domains",
        "algorithms",
        "recommendations",
        "calculators",
    } <= kinds


def test_file_names_come_from_the_page_path() -> None:
    assert page_references.slug("therapies/azathioprine.md") == "therapies-azathioprine"
    assert page_references.slug("study/ild/index.md") == "study-ild"
    assert page_references.slug("index.md") == "index"
    assert [d.path for d in page_references.downloads("domains/ild.md")] == [
        "exports/pages/domains-ild.json",
        "exports/pages/domains-ild.bib",
        "exports/pages/domains-ild.ris",
    ]


def test_the_export_alone_makes_the_same_files_as_the_pages(tmp_path: Path) -> None:
    from build_tools import generator
    from build_tools.context import BuildContext, Settings
    from build_tools.exports import ExportInput

    ctx = BuildContext.create(Settings.from_environment().but(content=FIXTURE_CONTENT))
    corpus = generator.load(ctx)
    made = page_references.files(ExportInput(ctx, corpus, tmp_path))
    assert made
    assert all(path.startswith("exports/pages/") for path in made)
    with_pages = generating.files_for(FIXTURE_CONTENT, None)
    assert made == {p: d for p, d in with_pages.items() if p.startswith("exports/pages/")}
