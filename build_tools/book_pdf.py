"""The handbook PDF: laid out by WeasyPrint from the rendered HTML, kept in a cache keyed by
everything that decides its bytes, and written by one rename.

While laying out, WeasyPrint may read only the print templates and the fonts (a fetcher
that refuses everything else): the handbook is laid out from content, and nothing in it
may make the build request a URL or embed a file from the machine that builds it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from build_tools.book_fonts import HandbookError, find_font_dir
from build_tools.templating import PRINT_TEMPLATES

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF with the PDF/UA-1 identification (WeasyPrint 70 turns pdf_tags on for it)."""
CACHE_KEEP = 4
"""PDFs kept in the cache (one per paper size and a few recent editions)."""


def _cache_key(html: str) -> str:
    """Everything that decides the PDF's bytes: the document, stylesheet, fonts, engine."""
    import weasyprint

    digest = hashlib.sha256()
    for part in (PDF_VARIANT, weasyprint.__version__, html):
        digest.update(part.encode("utf-8") + b"\0")
    for stylesheet in sorted(PRINT_TEMPLATES.glob("*.css")):  # handbook.css, a paper's own
        digest.update(stylesheet.read_bytes())
    for font in sorted(set(re.findall(r'url\("file://([^"]+)"\)', html))):
        digest.update(Path(font).read_bytes())
    return digest.hexdigest()


def write_pdf(
    html: str, target: Path, cache: Path | None = None, font_dir: Path | None = None
) -> tuple[int, bool]:
    """Lay out with WeasyPrint and replace `target` atomically.

    Layout is the slow part of every `make site` (seconds per dozen pages), and most builds
    change nothing the book prints, so a PDF is kept in `cache` under the hash of all its
    inputs and reused when they are unchanged. Returns (page count, whether it was reused).
    """
    key = _cache_key(html) if cache is not None else ""
    cached = cache / f"{key}.pdf" if cache is not None else None
    target.parent.mkdir(parents=True, exist_ok=True)
    if cached is not None and cached.is_file():
        _replace(target, cached.read_bytes())
        return _page_count(cached), True
    import weasyprint  # imported here: loading it costs ~0.5 s and only this step needs it

    fetcher = own_files_fetcher(_asset_folders(font_dir))
    try:
        document = weasyprint.HTML(
            string=html, base_url=str(PRINT_TEMPLATES) + "/", url_fetcher=fetcher
        ).render(pdf_variant=PDF_VARIANT)
        data = document.write_pdf(pdf_variant=PDF_VARIANT)
    except FetchRefused as exc:
        raise HandbookError(
            f"the handbook refers to {exc.url!r}; it may use only its own files "
            "(the print templates and the fonts), nothing from elsewhere"
        ) from None
    _replace(target, data)
    if cached is not None and cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        for old in sorted(cache.glob("*.pdf"), key=lambda p: p.stat().st_mtime)[:-CACHE_KEEP]:
            old.unlink(missing_ok=True)
        _replace(cached, data)
    return len(document.pages), False


class FetchRefused(BaseException):
    """A URL the handbook may not fetch. WeasyPrint swallows Exceptions from its fetcher
    (and would lay out without the resource); a BaseException stops the build (see
    weasyprint.urls.FatalURLFetchingError, which this mirrors)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _asset_folders(font_dir: Path | None = None) -> tuple[Path, ...]:
    """The only folders the handbook reads from while it is laid out."""
    try:
        return (PRINT_TEMPLATES, find_font_dir(font_dir))
    except HandbookError:
        return (PRINT_TEMPLATES,)


def own_files_fetcher(folders: Iterable[Path]) -> Any:
    """A WeasyPrint URL fetcher serving data: URIs and regular files inside `folders`, and
    refusing everything else (http, https, ftp, file:// elsewhere, symlinks out).

    The handbook is laid out from content; nothing in it may make the build request a URL
    or embed a file from the machine that builds it.
    """
    from urllib.parse import unquote, urlsplit

    import weasyprint

    roots = tuple(folder.resolve() for folder in folders)

    class OwnFiles(weasyprint.URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.partition(":")[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parts = urlsplit(url)
                path = Path(unquote(parts.path)).resolve()
                if (
                    parts.netloc in ("", "localhost")
                    and path.is_file()
                    and any(path.is_relative_to(root) for root in roots)
                ):
                    return super().fetch(path.as_uri(), headers)
            raise FetchRefused(url)

    return OwnFiles()


def _replace(target: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, then rename over `target`."""
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        tmp.chmod(0o644)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def _page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)
