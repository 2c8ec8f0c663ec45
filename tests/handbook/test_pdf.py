"""The built handbook.pdf, read back: structure, references, links, fonts, metadata."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from build_tools import handbook, siteurl
from build_tools.loader import Corpus
from tests.conftest import ROOT
from tests.handbook.conftest import ARTIFACTS, normalise

MM_PER_PT = 25.4 / 72


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page index) for every bookmark, in document order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                assert isinstance(item, Destination)
                page = reader.get_destination_page_number(item)
                found.append((level, " ".join(str(item.title).split()), page))

    walk(reader.outline, 1)
    return found


def annotations(reader: PdfReader) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            out.append((index, annot.get_object()))
    return out


def test_page_count_is_in_a_sane_range(
    reader: PdfReader, rendered: handbook.RenderedBook, book_corpus: Corpus
) -> None:
    chapters = len(rendered.chapters) + 1  # + References
    sections = sum(len(c.sections) for c in rendered.chapters)
    low = 2 + chapters  # cover, contents, one page per chapter at least
    high = 10 + 3 * (chapters + sections) + len(book_corpus.references) // 10
    assert low <= len(reader.pages) <= high


def test_outline_has_every_chapter_and_its_sections(
    reader: PdfReader, rendered: handbook.RenderedBook
) -> None:
    marks = outline(reader)
    top = [title for level, title, _ in marks if level == 1]
    expected = ["Contents", *(c.title for c in rendered.chapters), "References", "Index"]
    assert top == expected
    for chapter in rendered.chapters:
        start = next(i for i, m in enumerate(marks) if m[0] == 1 and m[1] == chapter.title)
        below = []
        for level, title, _ in marks[start + 1 :]:
            if level == 1:
                break
            if level == 2:
                below.append(title)
        assert below == [" ".join(s.title.split()) for s in chapter.sections], chapter.title


def test_bookmarks_and_contents_agree_on_page_numbers(
    reader: PdfReader, page_texts: list[str]
) -> None:
    """The contents' numbers (CSS target-counter) are the pages the bookmarks open."""
    marks = {title: page + 1 for level, title, page in outline(reader) if level == 1}
    first_chapter = min(page for title, page in marks.items() if title != "Contents")
    contents = " ".join(page_texts[marks["Contents"] - 1 : first_chapter - 1])
    for title, page in marks.items():
        if title == "Contents":
            continue
        assert re.search(re.escape(title) + r"[ .]*\b" + str(page) + r"\b", contents), title


def test_running_header_names_the_chapter_and_footer_counts_pages(
    reader: PdfReader, page_texts: list[str], rendered: handbook.RenderedBook
) -> None:
    total = len(reader.pages)
    for number, text in enumerate(page_texts[1:], start=2):  # the cover has neither
        assert f"Page {number} of {total}" in text
        assert "Edition " in text
    starts = [*sorted(p for lvl, _, p in outline(reader) if lvl == 1), total]
    titles = {p: t for lvl, t, p in outline(reader) if lvl == 1}
    for start, end in itertools.pairwise(starts):
        for index in range(start + 1, end):  # later pages of the chapter: header only
            assert titles[start] in page_texts[index][-300:], (titles[start], index + 1)


def test_every_reference_is_listed_once_with_an_anchor(
    reader: PdfReader, page_texts: list[str], book_corpus: Corpus
) -> None:
    destinations = set(reader.named_destinations)
    for key in book_corpus.references:
        assert f"ref-{key}" in destinations, key
    start = next(p for lvl, t, p in outline(reader) if lvl == 1 and t == "References")
    listing = normalise(" ".join(page_texts[start:]))
    for key, ref in book_corpus.references.items():
        words = normalise(ref.title or ref.container_title or "")[:40]
        assert words.casefold() in listing.casefold(), key


def test_citations_are_numbered_in_order_of_first_citation(
    rendered: handbook.RenderedBook, book_corpus: Corpus
) -> None:
    html = rendered.html
    body = html[: html.index('id="ch-references"')]
    first_seen = list(dict.fromkeys(re.findall(r'<a href="#ref-([^"]+)" id="cite-\d+">', body)))
    numbers = {}
    for key in first_seen:
        match = re.search(rf'<a href="#ref-{re.escape(key)}" id="cite-\d+">(\d+)</a>', body)
        assert match is not None
        numbers[key] = int(match.group(1))
    assert [numbers[k] for k in first_seen] == list(range(1, len(first_seen) + 1))
    assert rendered.reference_order[: len(first_seen)] == first_seen
    assert sorted(rendered.reference_order) == sorted(book_corpus.references)


def test_internal_links_resolve_inside_the_document(reader: PdfReader) -> None:
    destinations = reader.named_destinations
    internal = [(i, a) for i, a in annotations(reader) if "/Dest" in a]
    assert internal, "no internal links at all"
    references_start = next(p for lvl, t, p in outline(reader) if lvl == 1 and t == "References")
    citation_links = 0
    for _, annot in internal:
        name = str(annot["/Dest"])
        assert name in destinations, name
        if name.startswith("ref-"):
            citation_links += 1
            target = reader.get_destination_page_number(destinations[name])
            assert target >= references_start, name
    assert citation_links > 0


def test_doi_links_are_clickable(reader: PdfReader, book_corpus: Corpus) -> None:
    uris = {str(a["/A"]["/URI"]) for _, a in annotations(reader) if "/A" in a and "/URI" in a["/A"]}
    for key, ref in book_corpus.references.items():
        if ref.DOI:
            assert f"https://doi.org/{ref.DOI}" in uris, key
    # Web addresses only; the site's own address (the QR codes' calculator links) may be the
    # local server's http:// one when no public address is set.
    allowed = ("https://doi.org/", "https://pubmed.ncbi", "https://", siteurl.site_url())
    assert all(u.startswith(allowed) for u in uris)


def test_fonts_are_embedded_dejavu(reader: PdfReader) -> None:
    seen = {}
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            seen[str(font["/BaseFont"])] = embedded
    assert seen
    assert all(seen.values()), seen
    assert all("Handbook" in name or "DejaVu" in name for name in seen), seen


def test_metadata_language_and_tags(reader: PdfReader, book_corpus: Corpus) -> None:
    info = reader.metadata
    assert info is not None
    assert info.title == book_corpus.guideline.title
    assert info.author == handbook.AUTHOR
    assert info.subject == handbook.SUBJECT
    assert "myositis" in str(info.get("/Keywords"))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog  # tagged PDF
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_a4_by_default(reader: PdfReader) -> None:
    box = reader.pages[0].mediabox
    assert round(float(box.width) * MM_PER_PT) == 210
    assert round(float(box.height) * MM_PER_PT) == 297


@pytest.mark.slow
def test_letter_paper_from_the_command_line(tmp_path: Path, book_content: Path) -> None:
    target = tmp_path / "letter.pdf"
    command = ["handbook", "--paper", "letter", "--output", str(target)]
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", *command],
        cwd=ROOT,
        env={**os.environ, "GUIDELINE_CONTENT": str(book_content)},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    box = PdfReader(target).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_paper_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(handbook.PAPER_ENV, "legal")
    with pytest.raises(handbook.HandbookError, match=r"HANDBOOK_PAPER='legal': expected one of"):
        handbook.paper_from_env()
    monkeypatch.setenv(handbook.PAPER_ENV, "Letter")
    assert handbook.paper_from_env() == "letter"


def test_every_table_repeats_its_header_and_headings_keep_with_text(
    rendered: handbook.RenderedBook,
) -> None:
    tables = re.findall(r"<table\b.*?</table>", rendered.html, flags=re.DOTALL)
    assert tables
    assert all("<thead>" in t for t in tables)
    css = (handbook.PRINT_TEMPLATES / "handbook.css").read_text()
    assert "thead { display: table-header-group; }" in css
    assert re.search(r"h1, h2, h3, h4 \{[^}]*break-after: avoid", css)


def test_pages_render_in_black_and_white(pdf_path: Path, reader: PdfReader) -> None:
    """Render a few pages for people to look at; no pixel is coloured (grey only)."""
    from PIL import Image, ImageChops

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: apt-get install poppler-utils (`make setup` does)"
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    marks = outline(reader)
    wanted = {0, 1}  # cover, contents
    for title in ("Therapy monographs", "Treatment algorithms", "Calculators on paper"):
        wanted |= {p for lvl, t, p in marks if lvl == 1 and t == title}
    wanted |= {p + 1 for lvl, t, p in marks if lvl == 2 and t.startswith("IVIg")}
    wanted.add(len(reader.pages) - 1)  # references
    for index in sorted(w for w in wanted if w < len(reader.pages)):
        prefix = ARTIFACTS / f"page-{index + 1:03d}"
        number = str(index + 1)
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "60",
                "-singlefile",
                "-f",
                number,
                "-l",
                number,
                pdf_path,
                prefix,
            ],
            check=True,
            timeout=120,
        )
        image = Image.open(prefix.with_suffix(".png")).convert("RGB")
        extremes = image.getextrema()
        assert extremes[0][0] < 60, "page is blank"  # some dark ink
        red, green, blue = image.split()
        spread = ImageChops.lighter(
            ImageChops.difference(red, green), ImageChops.difference(green, blue)
        )
        assert spread.getextrema()[1] <= 24, f"page {index + 1} uses colour"
    assert len(list(ARTIFACTS.glob("*.png"))) >= 4


def filled_share(pdf_path: Path, page_number: int, folder: Path) -> float:
    """How far down its text area a page is used: the lowest inked row above the footer,
    as a share of the page height without the footer (read back from the PDF as rendered)."""
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: apt-get install poppler-utils (`make setup` does)"
    prefix = folder / f"fill-{page_number:03d}"
    number = str(page_number)
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "20",
            "-gray",
            "-singlefile",
            "-f",
            number,
            "-l",
            number,
            pdf_path,
            prefix,
        ],
        check=True,
    )
    image = Image.open(prefix.with_suffix(".pgm"))
    width, height = image.size
    body = int(height * FOOTER_FREE)
    pixels = image.load()
    assert pixels is not None
    inked = [y for y in range(body) if any(pixels[x, y] < 200 for x in range(width))]
    return (max(inked) / body) if inked else 0.0


FOOTER_FREE = 0.92  # the running footer (page number) sits in the bottom 8% of a page


def test_no_page_is_left_more_than_half_blank_except_before_a_chapter(
    pdf_path: Path, reader: PdfReader, tmp_path: Path
) -> None:
    """A page may end early only where the next chapter (or a landscape diagram, which takes
    a page of its own) begins on the next page, and the last page may end anywhere."""
    chapters = {p for level, _, p in outline(reader) if level == 1}
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    landscape = {i for i, (w, h) in enumerate(sizes) if w > h}
    half_blank = []
    for index in range(len(reader.pages) - 1):
        if index + 1 in chapters or index + 1 in landscape or index in landscape:
            continue
        share = filled_share(pdf_path, index + 1, tmp_path)
        if share < 0.5:
            half_blank.append((index + 1, round(share, 2)))
    assert half_blank == []
