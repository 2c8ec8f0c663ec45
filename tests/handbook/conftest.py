"""The handbook PDF and the offline bundle, built once per session by the real build.

By default they come from the fixture corpus (the `fixture_site` build); set
HANDBOOK_TEST_CONTENT=content to check the ones `make site` builds from content/ instead.
Every expectation is derived from the corpus and the calculators, never from a count
typed here, so the same tests hold for either.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from build_tools import bundle, handbook
from build_tools.loader import Corpus
from build_tools.paper_calculators import PaperCalculators, collect_calculators
from tests.conftest import FIXTURE_CONTENT, ROOT

ARTIFACTS = ROOT / "test-artifacts" / "handbook"


def _use_real_content() -> bool:
    return os.environ.get("HANDBOOK_TEST_CONTENT", "fixture") == "content"


@pytest.fixture(scope="session")
def book_content() -> Path:
    return handbook_content()


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest) -> Path:
    """The built site holding handbook.pdf and handbook-offline.zip."""
    site: Path = request.getfixturevalue(handbook_site_fixture())
    return site


@pytest.fixture(scope="session")
def book_corpus(book_content: Path) -> Corpus:
    return handbook.load_book_corpus(book_content)


@pytest.fixture(scope="session")
def paper_calcs() -> PaperCalculators:
    return collect_calculators()


@pytest.fixture(scope="session")
def rendered(
    book_corpus: Corpus, paper_calcs: PaperCalculators, book_content: Path
) -> handbook.RenderedBook:
    """The book's HTML and plan, rendered again in-process (cheap: no layout), with the same
    parts as the published book (this edition's changes, the self-test)."""
    from build_tools.context import BuildContext, Settings

    ctx = BuildContext.create(Settings.from_environment().but(content=book_content.resolve()))
    parts = handbook.book_parts(ctx, book_corpus)
    return handbook.render_book(book_corpus, paper_calcs, edition="test", **parts)


@pytest.fixture(scope="session")
def pdf_path(built_site: Path) -> Path:
    path = built_site / "handbook.pdf"
    assert path.is_file(), "the build wrote no handbook.pdf"
    return path


@pytest.fixture(scope="session")
def reader(pdf_path: Path) -> PdfReader:
    return PdfReader(pdf_path)


def normalise(text: str) -> str:
    """PDF text with line breaks, hyphenation breaks (U+2010) and runs of spaces undone."""
    return re.sub(r"\s+", " ", re.sub(r"\u2010\s*", "", text)).strip()


@pytest.fixture(scope="session")
def page_texts(reader: PdfReader) -> list[str]:
    return [normalise(p.extract_text()) for p in reader.pages]


def rebuild_bundle(site: Path, content: Path, target: Path) -> Path:
    """The offline zip, rebuilt from a built site by `python -m build_tools bundle`."""
    command = ["bundle", "--site", str(site), "--output", str(target)]
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", *command],
        cwd=ROOT,
        env={**os.environ, "GUIDELINE_CONTENT": str(content)},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return target


def unpack(archive_path: Path, folder: Path) -> Path:
    """Unzip with the archive's mode bits (extractall drops them); return the bundle folder."""
    with zipfile.ZipFile(archive_path) as archive:
        archive.extractall(folder)
        for info in archive.infolist():
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                (folder / info.filename).chmod(mode)
    return folder / bundle.BUNDLE_FOLDER


def handbook_content() -> Path:
    """The corpus the handbook tests check (see the module docstring)."""
    return ROOT / "content" if _use_real_content() else FIXTURE_CONTENT


def handbook_site_fixture() -> str:
    """Name of the session fixture that builds the site those tests check."""
    return "real_site" if _use_real_content() else "fixture_site"
