"""The printed handbook of the real content carries the key recommendations and the changes of
this edition: read back from the PDF `make site` publishes."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def pdf_text(site: Path) -> str:
    reader = PdfReader(site / "handbook.pdf")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def outline_titles(site: Path) -> list[str]:
    reader = PdfReader(site / "handbook.pdf")
    titles: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(getattr(item, "title", "")))

    walk(reader.outline)
    return titles


def test_the_pdf_has_the_recommendations_chapter_and_the_changes_chapter(
    real_site: Path,
) -> None:
    titles = outline_titles(real_site)
    assert "Key recommendations" in titles
    assert "Changes in edition 2026.2" in titles
    text = pdf_text(real_site)
    assert "Edition 2026.2 compared with edition 2026.1, item by item" in " ".join(text.split())
