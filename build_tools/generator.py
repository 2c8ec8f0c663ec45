"""The generator: content/ → validated corpus → Markdown pages and assets in a docs folder.

It knows nothing of MkDocs beyond writing a folder MkDocs can read and a nav it can use;
`build_tools.mkdocs_hooks` is the only bridge. Files are rewritten only when their bytes
change, so `mkdocs serve` reloads just what an edit touched and its watcher never loops.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_tools import algorithms, calculator_pages, render
from build_tools.loader import Corpus, load_content
from build_tools.render import Citer, Page

ROOT = Path(__file__).resolve().parent.parent
# GUIDELINE_CONTENT lets tests build a site from a fixture corpus through the same path.
CONTENT = Path(os.environ.get("GUIDELINE_CONTENT", ROOT / "content")).resolve()
TEMPLATES = ROOT / "site_templates"
GENERATED = ROOT / "build"
DOCS = GENERATED / "docs"


@dataclass
class Generated:
    nav: list[Any]
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    corpus: Corpus | None = None


def calculator_info() -> tuple[set[str] | None, dict[str, str]]:
    """Calculator ids and titles, when the calculators package is present."""
    try:
        from calculators import registry
    except ImportError:
        return None, {}
    return set(registry.CALCULATORS), {k: c.title for k, c in registry.CALCULATORS.items()}


def edition() -> str:
    try:
        from calculators.edition import GUIDELINE_EDITION
    except ImportError:
        return "draft"
    return GUIDELINE_EDITION


def build_files(corpus: Corpus) -> tuple[dict[str, bytes], list[Any], str]:
    """Every generated file (path relative to docs/), the navigation, the abbreviations."""
    _, calc_titles = calculator_info()
    files: dict[str, bytes] = {}
    extra_pages: list[Page] = calculator_pages.plan_calculator_pages()
    svgs: dict[str, bytes] = {}
    for algo in corpus.algorithms.values():
        svgs[algo.id] = algorithms.render_svg(algo)
        files[f"algorithms/{algo.id}.svg"] = svgs[algo.id]

    def extra_context(page: Page, citer: Citer) -> dict[str, Any]:
        if page.template == "algorithm.md.j2":
            algo = page.context["algorithm"]
            return {"svg_name": f"{algo.id}.svg", "outline": algorithms.outline(algo)}
        return {}

    site = render.render_site(
        corpus, extra_pages, extra_context, edition=edition(), calculator_titles=calc_titles
    )
    for path, text in site.pages.items():
        files[path] = text.encode("utf-8")
    files["guideline.json"] = json.dumps(site.export, indent=1, ensure_ascii=False).encode()
    for asset in sorted((TEMPLATES / "assets").rglob("*")):
        if asset.is_file():
            files[f"assets/{asset.relative_to(TEMPLATES / 'assets').as_posix()}"] = (
                asset.read_bytes()
            )
    return files, site.nav, site.abbreviations


def write_tree(files: dict[str, bytes], target: Path) -> tuple[list[str], list[str]]:
    """Make `target` hold exactly `files`, touching only what differs."""
    target.mkdir(parents=True, exist_ok=True)
    written, removed = [], []
    for rel, data in files.items():
        path = target / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(rel)
    for path in sorted(target.rglob("*"), reverse=True):
        rel = path.relative_to(target).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
            removed.append(rel)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written, removed


def generate(content: Path = CONTENT, docs: Path = DOCS) -> Generated:
    """Load and check everything first (ContentError aborts before any write), then write."""
    calc_ids, _ = calculator_info()
    corpus = load_content(content, calc_ids)
    files, nav, abbreviations = build_files(corpus)
    written, removed = write_tree(files, docs)
    snippets = docs.parent / "snippets"
    write_tree({"abbreviations.md": abbreviations.encode("utf-8")}, snippets)
    return Generated(nav=nav, written=written, removed=removed, corpus=corpus)


def clean(docs: Path = DOCS) -> None:
    shutil.rmtree(docs, ignore_errors=True)
