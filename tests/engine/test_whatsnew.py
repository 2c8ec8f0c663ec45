"""Every edition says exactly what changed: the What's new page, the marks on changed items,
and the feeds are computed from the kept edition and the current content."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
from pypdf import PdfReader

from build_tools import generator, handbook, whatsnew
from build_tools.context import BuildContext, CalculatorCatalog, Settings
from build_tools.exports import ExportInput
from build_tools.exports.changes_feeds import files as feed_files
from build_tools.snapshot import EditionMemo
from tests.conftest import ROOT

PUBLIC = "https://guideline.example.org/myositis/"


def build(
    content: Path, docs: Path, edition: str | None = None
) -> tuple[BuildContext, dict[str, str]]:
    catalog = CalculatorCatalog.from_registry()
    if edition is not None:
        catalog = dataclasses.replace(catalog, edition=edition)
    settings = Settings.from_environment().but(
        content=content.resolve(), build=docs.parent.resolve(), site_url=PUBLIC
    )
    ctx = BuildContext.create(settings, catalog)
    result = generator.generate(ctx)
    pages = {str(p.relative_to(docs)): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    assert result.corpus is not None
    return ctx, pages


@pytest.fixture(scope="module")
def current_docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    docs = tmp_path_factory.mktemp("whatsnew") / "docs"
    return docs, build(ROOT / "content", docs)[1]


@pytest.fixture(scope="module")
def current(current_docs: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return current_docs[1]


def test_the_page_lists_the_corrections_since_2026_1_with_old_and_new_text(
    current: dict[str, str],
) -> None:
    page = current["whats-new.md"]
    assert "\n# What&#39;s new in 2026.2\n" in page
    assert "Edition 2026.2 compared with edition 2026.1, item by item" in page
    # The provenance audit's correction of the MA-ILD algorithm: the prednisone step now
    # holds at 5-10 mg/day.
    assert '<span id="change-algorithms-ma-ild-treatment"></span>**Changed** algorithm:' in page
    assert "    - prednisone › label: Glucocorticoids, the mainstay" in page
    # New recommendations are listed, linked to their pages.
    assert "**New** recommendation: [Physiotherapist-guided exercise from diagnosis]" in page
    # Quote-only changes are set apart from changes of what the guideline says.
    assert "## Source sentences added or corrected (" in page


def test_calculators_changed_since_2026_1_are_listed_with_their_version_and_examples(
    current: dict[str, str],
) -> None:
    page = current["whats-new.md"]
    assert (
        '<span id="change-calculators-azathioprine_dosing"></span>**Changed** calculator: '
        "[Azathioprine target and titration by TPMT/NUDT15 status and renal function]"
        "(calculators/azathioprine_dosing.md)\n"
        "    - version: 1.0.0 → 1.1.0\n"
        "    - worked example 1 › result › Recommendation: normal_dose → Normal dose\n"
    ) in page
    assert "**Changed** calculator: [IVIg 2 g/kg course: actual or adjusted body weight]" in page
    # Calculators whose version and worked examples are as they were are not listed.
    assert "calculators/bsa_mosteller.md" not in page


def test_the_export_an_edition_keeps_holds_each_calculator_with_its_worked_examples(
    current_docs: tuple[Path, dict[str, str]],
) -> None:
    export = json.loads((current_docs[0] / "guideline.json").read_text(encoding="utf-8"))
    calculators = {c["id"]: c for c in export["calculators"]}
    assert len(calculators) == 28
    ivig = calculators["ivig_dose"]
    assert ivig["version"] == "2.1.0"
    assert ivig["examples"][2]["inputs"]["Weight policy"] == "Actual body weight (no adjustment)"
    assert ivig["examples"][2]["outputs"]["Total course dose (nearest 5 g)"] == "185 g"


def test_a_changed_item_carries_a_mark_that_leads_to_its_change(
    current: dict[str, str],
) -> None:
    glucocorticoids = current["therapies/glucocorticoids.md"]
    assert "[changed in 2026.2](../whats-new.md#change-entries-glucocorticoids)" in glucocorticoids
    # Regimens and evidence items have id anchors that survive re-ordering and re-titling.
    assert '<span id="regimen-methylprednisolone-pulse"></span>' in glucocorticoids
    assert (
        "[changed in 2026.2](../whats-new.md#change-regimens-methylprednisolone-pulse)"
        in glucocorticoids
    )


@dataclass(frozen=True)
class Edited:
    """A copy of the content cut as edition 2026.2, then one dose edited for 2026.3."""

    ctx: BuildContext
    pages: dict[str, str]
    folder: Path


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Edited:
    tmp = tmp_path_factory.mktemp("edited")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    # Cut 2026.2 as it stands (its export kept), then edit one dose for 2026.3.
    ctx, _ = build(content, tmp / "before" / "docs")
    corpus = generator.load(ctx)
    kept = whatsnew.current_export(corpus, "2026.2", EditionMemo())
    (content / "editions" / "2026.2.json").write_text(json.dumps(kept), encoding="utf-8")
    ivig = content / "entries" / "ivig.yaml"
    text = ivig.read_text(encoding="utf-8")
    assert "dose: {value: 2, unit: g/kg, per: course}" in text
    ivig.write_text(
        text.replace(
            "dose: {value: 2, unit: g/kg, per: course}",
            "dose: {value: 1, unit: g/kg, per: course}",
            1,
        )
    )
    ctx, pages = build(content, tmp / "after" / "docs", edition="2026.3")
    return Edited(ctx, pages, tmp)


@pytest.fixture(scope="module")
def edited_pdf(edited: Edited) -> PdfReader:
    """The handbook of the edited copy (the slow part: built once, for the PDF test)."""
    target = edited.folder / "handbook.pdf"
    handbook.build_handbook(target, ctx=edited.ctx, cache=None)
    return PdfReader(target)


def test_an_edited_dose_is_the_one_change_on_the_page(edited: Edited) -> None:
    page = edited.pages["whats-new.md"]
    assert "## What the guideline says (1)" in page
    assert "    - dose: 2 g/kg → 1 g/kg" in page
    assert (
        "**Changed** regimen: [IVIg 2 g/kg every 4 weeks](therapies/ivig.md#regimen-ivig-2gkg-q4w)"
        in page
    )


def test_an_edited_dose_is_the_one_change_in_both_feeds(edited: Edited, tmp_path: Path) -> None:
    ctx = edited.ctx
    feeds = feed_files(ExportInput(ctx, generator.load(ctx), tmp_path))
    atom = feedparser.parse(feeds["changes.atom"])
    as_json = json.loads(feeds["changes.json"])
    assert [e.summary for e in atom.entries] == ["dose: 2 g/kg → 1 g/kg"]
    assert [e.link for e in atom.entries] == [f"{PUBLIC}therapies/ivig/#regimen-ivig-2gkg-q4w"]
    assert [i["content_text"] for i in as_json["items"]] == ["dose: 2 g/kg → 1 g/kg"]


def chapter_text(reader: PdfReader, title: str) -> str:
    """The text of one chapter of the PDF, from its bookmark to the next chapter's, with
    line breaks, hyphenation breaks and runs of spaces undone."""
    starts = sorted(
        (reader.get_destination_page_number(item), str(item.title))
        for item in reader.outline
        if not isinstance(item, list)
    )
    first = next(page for page, name in starts if name == title)
    end = next((page for page, _ in starts if page > first), len(reader.pages))
    text = "\n".join(reader.pages[i].extract_text() or "" for i in range(first, end))
    return re.sub(r"\s+", " ", re.sub(r"\u2010\s*", "", text)).strip()


def test_an_edited_dose_is_the_one_change_in_the_handbook_pdf(edited_pdf: PdfReader) -> None:
    text = chapter_text(edited_pdf, "Changes in edition 2026.3")
    assert "Edition 2026.3 compared with edition 2026.2, item by item" in text
    assert "1 item changed in what it says; 0 more now quote the source sentence" in text
    # The one change, with its old and new value, cross-referenced to its monograph's page.
    assert re.search(
        r"Changed \(1\) Regimen: IVIg 2 g/kg every 4 weeks \(in Intravenous immunoglobulin "
        r"\(IVIg\) \(p\. \d+\)\) dose: 2 g/kg → 1 g/kg ",
        text,
    )
    assert text.count("→") == 1
    assert "New (" not in text
    assert "Withdrawn (" not in text
