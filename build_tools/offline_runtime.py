"""What "Make calculators available offline" fetches: a list written beside the calculators index.

The action on the calculators index (assets/js/calculator-offline.js) asks the service
worker to keep every calculator page, the files those pages load and the calculator
runtime. The list is derived from the built site itself, after the runtime is installed,
so it names exactly the files the site serves; its byte count is what the reader's
browser stores (decoded sizes: a compressing host transfers less).
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

MANIFEST = "calculators/offline.json"
RUNTIME_FOLDER = "pyodide"
_ASSET = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="(?P<url>[^"#?]+)"', re.IGNORECASE)
# What a script loads by itself, which no page names: the widget's worker
# (`new URL("./calculator-worker.mjs", import.meta.url)`) and what a module imports.
_SCRIPT_REFERENCE = re.compile(
    r"""new URL\(\s*["'](?P<url>[^"'#?]+)["']\s*,\s*import\.meta\.url\s*\)"""
    r"""|\bimport\s*(?:[^"';]*?\bfrom\s*)?["'](?P<module>\.{1,2}/[^"'#?]+)["']"""
)


def offline_files(site: Path) -> list[str]:
    """Site-relative URLs of the calculator pages, what they load, and the runtime."""
    urls: set[str] = set()
    index = site / "calculators" / "index.html"
    pages = sorted(site.glob("calculators/*/index.html"))
    for page in [index, *pages]:
        if not page.is_file():
            continue
        folder = PurePosixPath(page.parent.relative_to(site).as_posix())
        urls.add(f"{folder}/")
        for match in _ASSET.finditer(page.read_text("utf-8")):
            url = match.group("url")
            if "://" in url or url.startswith(("/", "data:")):
                continue
            target = _normalise(folder / url)
            if target is not None and (site / target).is_file():
                urls.add(target)
    _add_script_references(site, urls)
    runtime = site / RUNTIME_FOLDER
    for path in sorted(runtime.iterdir()) if runtime.is_dir() else []:
        if path.is_file() and path.suffix not in (".br", ".gz"):
            urls.add(f"{RUNTIME_FOLDER}/{path.name}")
    return sorted(urls)


def _add_script_references(site: Path, urls: set[str]) -> None:
    """Add the files the listed scripts load themselves, following those in turn."""
    pending = [url for url in urls if url.endswith((".js", ".mjs"))]
    while pending:
        script = pending.pop()
        folder = PurePosixPath(script).parent
        for match in _SCRIPT_REFERENCE.finditer((site / script).read_text("utf-8")):
            target = _normalise(folder / (match.group("url") or match.group("module")))
            if target is None or target in urls or not (site / target).is_file():
                continue  # a folder (the runtime's, listed below) or outside the site
            urls.add(target)
            if target.endswith((".js", ".mjs")):
                pending.append(target)


def _normalise(path: PurePosixPath) -> str | None:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _size(site: Path, url: str) -> int:
    path = site / url
    return (path / "index.html").stat().st_size if url.endswith("/") else path.stat().st_size


def write_manifest(site: Path) -> Path:
    """Write calculators/offline.json: {"bytes": total, "urls": [...]}, relative to the root."""
    urls = offline_files(site)
    target = site / MANIFEST
    target.parent.mkdir(parents=True, exist_ok=True)
    manifest = {"bytes": sum(_size(site, url) for url in urls), "urls": urls}
    target.write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    return target
