"""The pocket edition: the handbook on A6 (`--paper a6`, or the settings' paper), with a
layout made for it. Built from the same corpus and read back: the page size, no word off
the text block, and the QR codes still read by a phone's camera."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from build_tools import handbook
from build_tools.book_fonts import PAPER_STYLESHEETS
from build_tools.context import Settings
from tests.conftest import ROOT
from tests.qrdecode import decode_qr_codes

MM_PER_PT = 25.4 / 72
A6_MM = (105, 148)
POCKET_CSS = handbook.PRINT_TEMPLATES / PAPER_STYLESHEETS["a6"]
QR_MIN_MM = 15
"""The smallest QR code a phone reads at arm's length from a printed page."""


def page_margins_mm() -> tuple[float, float, float, float]:
    """The pocket page's margins as its stylesheet sets them (top, right, bottom, left)."""
    match = re.search(
        r"@page \{\s*margin: ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm;", POCKET_CSS.read_text()
    )
    assert match is not None, "the pocket stylesheet sets no page margins"
    top, right, bottom, left = (float(v) for v in match.groups())
    return top, right, bottom, left


def test_a6_is_a_paper_of_the_settings_and_has_its_own_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings.from_environment({handbook.PAPER_ENV: "A6"}).paper == "a6"
    monkeypatch.setenv(handbook.PAPER_ENV, "a6")
    assert handbook.paper_from_env() == "a6"
    assert "size: A6;" in handbook.page_css("a6", "test", "2026-01-01")
    assert POCKET_CSS.is_file()


def test_every_qr_code_of_the_pocket_edition_is_at_least_15_mm() -> None:
    sizes = re.findall(
        r"svg\.qr \{ width: ([\d.]+)mm; height: ([\d.]+)mm; \}", POCKET_CSS.read_text()
    )
    assert sizes, "the pocket stylesheet sizes no QR code"
    assert all(float(w) >= QR_MIN_MM and float(h) >= QR_MIN_MM for w, h in sizes)


def test_the_pocket_edition_prints_wide_tables_as_stacked_rows_labelled_by_column(
    rendered: handbook.RenderedBook,
) -> None:
    wide = re.findall(r'<table class="grid calc-table wide">.*?</table>', rendered.html, re.DOTALL)
    assert wide, "no wide calculator table to stack"
    for table in wide:
        cells = re.findall(r"<t[dh] scope=\"row\"|<td\b[^>]*>", table)
        assert cells
        assert all("data-label=" in cell or 'scope="row"' in cell for cell in cells)
    assert "table.calc-table.wide thead { display: none; }" in POCKET_CSS.read_text()


def words_off_the_text_block(pdf: Path) -> list[tuple[int, str, float, float]]:
    """(page, word, left, right in mm) of every word that runs into the side margins or off
    the page (as pdftotext -bbox reads the laid-out PDF)."""
    _, right, _, left = page_margins_mm()
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    ns = "{http://www.w3.org/1999/xhtml}"
    off = []
    tolerance = 0.4  # mm: glyph side bearings
    for number, page in enumerate(root.iter(ns + "page"), start=1):
        width = float(page.get("width", "0")) * MM_PER_PT
        height = float(page.get("height", "0")) * MM_PER_PT
        for word in page.iter(ns + "word"):
            x0, x1 = (float(word.get(k, "0")) * MM_PER_PT for k in ("xMin", "xMax"))
            y0, y1 = (float(word.get(k, "0")) * MM_PER_PT for k in ("yMin", "yMax"))
            inside = left - tolerance <= x0 and x1 <= width - right + tolerance
            if not inside or y0 < 0 or y1 > height:
                off.append((number, word.text or "", round(x0, 1), round(x1, 1)))
    return off


@pytest.fixture(scope="module")
def pocket_pdf(tmp_path_factory: pytest.TempPathFactory, book_content: Path) -> Path:
    """The pocket edition, built as a reader would ask for it: the paper from the settings."""
    target = tmp_path_factory.mktemp("pocket") / "handbook-a6.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "handbook", "--output", str(target)],
        cwd=ROOT,
        env={**os.environ, "GUIDELINE_CONTENT": str(book_content), handbook.PAPER_ENV: "a6"},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return target


@pytest.mark.slow
def test_the_pocket_edition_is_a6_and_no_word_runs_off_its_text_block(pocket_pdf: Path) -> None:
    reader = PdfReader(pocket_pdf)
    for number, page in enumerate(reader.pages, start=1):
        size = sorted(
            round(float(v) * MM_PER_PT) for v in (page.mediabox.width, page.mediabox.height)
        )
        assert tuple(size) == A6_MM, number  # portrait, or a diagram's page turned sideways
    assert words_off_the_text_block(pocket_pdf) == []


@pytest.mark.slow
def test_the_pocket_editions_qr_codes_still_decode(
    pocket_pdf: Path, rendered: handbook.RenderedBook
) -> None:
    decoded = [text for texts in decode_qr_codes(pocket_pdf).values() for text in texts]
    printed = [c for c in rendered.calculators.calculators if c.example is not None]
    assert {c.example.link for c in printed if c.example} <= set(decoded)
    chapter_codes = [t for t in decoded if t.startswith("http") and "#calc?" not in t]
    assert chapter_codes  # the chapters' codes too
