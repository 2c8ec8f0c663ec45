"""The offline bundle, rebuilt by the CLI and unpacked: layout, launchers, file-friendly links.

Opening it in Chromium (from files, and served) is in tests/browser/test_offline_bundle.py,
which shares that directory's browser session.
"""

from __future__ import annotations

import ast
import re
import stat
import subprocess
import sys
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from build_tools import bundle
from tests.handbook.conftest import rebuild_bundle, unpack

SITE = f"{bundle.BUNDLE_FOLDER}/site"


@pytest.fixture(scope="module")
def bundle_zip(
    built_site: Path, book_content: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return rebuild_bundle(
        built_site, book_content, tmp_path_factory.mktemp("bundle") / bundle.BUNDLE_NAME
    )


@pytest.fixture(scope="module")
def unpacked(bundle_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack(bundle_zip, tmp_path_factory.mktemp("unpacked"))


def test_the_build_publishes_the_bundle_and_the_rebuild_has_the_same_files(
    built_site: Path, bundle_zip: Path
) -> None:
    published = built_site / bundle.BUNDLE_NAME
    assert published.is_file()
    with zipfile.ZipFile(published) as a, zipfile.ZipFile(bundle_zip) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())


def test_zip_layout_and_launchers(bundle_zip: Path) -> None:
    with zipfile.ZipFile(bundle_zip) as archive:
        names = set(archive.namelist())
        infos = {i.filename: i for i in archive.infolist()}
        for name in ("README.txt", "serve.py", "start.sh", "start.bat"):
            assert f"{bundle.BUNDLE_FOLDER}/{name}" in names
        for name in ("index.html", "handbook.pdf", "search/search_index.js", bundle.SHIM_TARGET):
            assert f"{SITE}/{name}" in names, name
        assert not any(n.endswith(bundle.BUNDLE_NAME) for n in names)  # not itself
        assert all(n.startswith(f"{bundle.BUNDLE_FOLDER}/") for n in names)
        for name in ("start.sh", "serve.py"):
            mode = infos[f"{bundle.BUNDLE_FOLDER}/{name}"].external_attr >> 16
            assert mode & stat.S_IXUSR, name
        bat = archive.read(f"{bundle.BUNDLE_FOLDER}/start.bat")
        assert b"\r\n" in bat
        assert bat.count(b"\n") == bat.count(b"\r\n")
        readme = archive.read(f"{bundle.BUNDLE_FOLDER}/README.txt").decode()
        assert "start.bat" in readme
        assert "site/index.html" in readme


def test_launcher_uses_the_standard_library_only(unpacked: Path) -> None:
    tree = ast.parse((unpacked / "serve.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            wanted = (name == "href" and tag in ("a", "link")) or (
                name == "src" and tag in ("script", "img")
            )
            if value and wanted:
                self.links.append(value)


def test_every_internal_link_works_from_files(unpacked: Path) -> None:
    """file:// has no index.html fallback: every link must name a file that exists."""
    site = unpacked / "site"
    broken = []
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#") or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
    assert broken == []


def test_no_page_loads_anything_from_outside(unpacked: Path) -> None:
    for page in (unpacked / "site").rglob("*.html"):
        html = page.read_text("utf-8")
        assert "unpkg.com" not in html, page
        assert not re.search(r'<script[^>]+src="(https?:)?//', html), page


@pytest.mark.slow
def test_serve_py_serves_the_site_with_webassembly_types(unpacked: Path) -> None:
    command = [sys.executable, str(unpacked / "serve.py"), "--no-browser", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            match = re.search(r"http://127\.0\.0\.1:\d+/", line)
            assert match, line
            url = match.group(0)
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
                assert "text/html" in response.headers["Content-Type"]
            site = unpacked / "site"
            for suffix, mime in ((".wasm", "application/wasm"), (".mjs", "text/javascript")):
                sample = next(site.rglob(f"*{suffix}"), None)
                if sample is None:
                    continue
                rel = sample.relative_to(site).as_posix()
                with urllib.request.urlopen(url + rel, timeout=10) as response:
                    assert response.headers["Content-Type"] == mime
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_the_readme_says_first_how_to_start_the_launcher() -> None:
    """A reader who opens index.html from the files sees calculators that never load: the
    first thing the README says is how to start the launcher instead."""
    from build_tools import bundle

    readme = bundle.launcher_files("T", "2026.1", "2026-01-01", "Disclaimer.")["README.txt"]
    first = readme.decode("utf-8").split("\r\n")[0]
    assert first == (
        "START HERE: double-click start.bat (Windows), or run ./start.sh (macOS, Linux)."
    )
