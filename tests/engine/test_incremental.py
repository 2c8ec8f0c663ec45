"""Regenerating after an edit reuses unchanged pages, and gives exactly what a fresh run gives.

`mkdocs serve` keeps one process alive and regenerates after every edit (build_tools.
rendercache); these tests hold each kind of edit to the output of a run that starts cold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools import generator
from build_tools.loader import load_content
from build_tools.rendercache import RenderCache


def files_for(content: Path, cache: RenderCache | None) -> dict[str, bytes]:
    calc_ids, _ = generator.calculator_info()
    files, _ = generator.build_files(load_content(content, calc_ids), cache)
    return files


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


EDITS: dict[str, Callable[[Path], None]] = {
    "an evidence claim": lambda c: replace(
        c / "entries/ivig.yaml", "was higher with IVIg", "was clearly higher with IVIg"
    ),
    "an entry title (shown on every page that links to it)": lambda c: replace(
        c / "entries/ivig.yaml", "title: Intravenous immunoglobulin", "title: IV immunoglobulin"
    ),
    "citation order (renumbers references on other pages)": lambda c: replace(
        c / "entries/ivig.yaml",
        "randomised trial [@aggarwal-2022-trial].",
        "randomised trial [@oddis-2013-rituximab; @aggarwal-2022-trial].",
    ),
    "a reference's title (its hover text wherever it is cited)": lambda c: replace(
        c / "references/refs.yaml", "Trial of intravenous", "Trial of IV"
    ),
    "a glossary definition": lambda c: replace(
        c / "glossary.yaml", "interstitial lung disease", "interstitial lung disease (ILD)"
    ),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_warm_run_after_an_edit_equals_a_cold_run(content: Path, edit: str) -> None:
    warm = RenderCache()
    before = files_for(content, warm)
    EDITS[edit](content)
    after = files_for(content, warm)
    assert after == files_for(content, None)
    assert after != before


def test_an_edit_to_one_entry_renders_its_page_alone_and_rewrites_it_and_the_export(
    content: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    generator.generate(content, docs)
    EDITS["an evidence claim"](content)
    result = generator.generate(content, docs)
    assert sorted(result.written) == ["guideline.json", "therapies/ivig.md"]
    assert result.rendered == 1  # listings and links show only what the edit left alone


def test_nothing_is_rendered_again_when_nothing_changed(content: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    generator.generate(content, docs)
    result = generator.generate(content, docs)
    assert (result.rendered, result.written, result.removed) == (0, [], [])


def test_a_file_changed_behind_the_generators_back_is_rewritten(
    content: Path, tmp_path: Path
) -> None:
    """Another process (a second build) may write the same folder: trust the disk, not memory."""
    docs = tmp_path / "docs"
    generator.generate(content, docs)
    page = docs / "therapies/ivig.md"
    expected = page.read_bytes()
    page.write_bytes(re.sub(rb"IVIg", b"XXXX", expected))
    result = generator.generate(content, docs)
    assert result.written == ["therapies/ivig.md"]
    assert page.read_bytes() == expected


def test_formatted_references_kept_on_disk_are_reused_and_a_damaged_store_is_ignored(
    content: Path, tmp_path: Path
) -> None:
    store = tmp_path / "cache"
    expected = files_for(content, None)
    assert files_for(content, RenderCache(store=store)) == expected
    assert (store / "references-formatted.json").is_file()
    assert files_for(content, RenderCache(store=store)) == expected  # read back from disk
    (store / "references-formatted.json").write_text('{"x": [1], "broken')
    assert files_for(content, RenderCache(store=store)) == expected


def test_a_series_of_edits_equals_a_cold_run_and_memos_of_replaced_objects_are_dropped(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from build_tools import render

    monkeypatch.setattr(render, "PRUNE_SLACK", -(10**9))  # prune after every run
    warm = RenderCache()
    files_for(content, warm)
    for edit in EDITS.values():  # each edit applied on top of the ones before
        edit(content)
        assert files_for(content, warm) == files_for(content, None)
    calc_ids, _ = generator.calculator_info()
    objects = len(render._objects(load_content(content, calc_ids)))
    assert len(warm.dumped) <= objects
    assert len(warm.titles) <= objects
    assert warm.digests.size() <= 2 * objects
