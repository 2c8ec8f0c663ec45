"""Generating a fixture site through a build context, as the engine adapter does.

One context per (content, docs) pair lives as long as the test process, so a test that
generates twice sees the second run reuse the first's memos, as `make serve` does.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from build_tools import generator
from build_tools.context import BuildContext, CalculatorCatalog, Settings
from build_tools.memos import RenderMemos
from build_tools.rendercache import RenderCache

_CONTEXTS: dict[tuple[str, str], BuildContext] = {}


def settings_for(content: Path, docs: Path) -> Settings:
    """Settings that read `content` and write the pages to `docs` (a folder named docs)."""
    assert docs.name == "docs", docs
    return Settings.from_environment().but(content=content.resolve(), build=docs.parent.resolve())


def context_for(content: Path, docs: Path) -> BuildContext:
    key = (str(content), str(docs))
    if key not in _CONTEXTS:
        _CONTEXTS[key] = BuildContext.create(settings_for(content, docs))
    return _CONTEXTS[key]


def generate(
    content: Path,
    docs: Path,
    defer_export: bool = False,
    changed: Collection[str] | None = None,
) -> generator.Generated:
    return generator.generate(context_for(content, docs), changed, defer_export)


def files_for(content: Path, cache: RenderCache | None) -> dict[str, bytes]:
    """Every generated file, with `cache` as the render memos (None: a cold run)."""
    settings = Settings.from_environment().but(content=content.resolve())
    ctx = BuildContext(
        settings,
        CalculatorCatalog.from_registry(),
        memos=RenderMemos(render=cache if cache is not None else RenderCache()),
    )
    files, _ = generator.build_files(ctx, generator.load(ctx))
    return files
