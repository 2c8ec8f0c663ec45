"""Regenerating after an edit reuses unchanged pages, and gives exactly what a fresh run gives.

`mkdocs serve` keeps one process alive and regenerates after every edit (build_tools.
rendercache); these tests hold each kind of edit to the output of a run that starts cold.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.context import CalculatorCatalog
from build_tools.loader import load_content
from build_tools.rendercache import RenderCache
from build_tools.store import ContentStore
from tests import generating

files_for = generating.files_for


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


@pytest.mark.parametrize("told", [False, True], ids=["looking", "told by the watcher"])
def test_an_edit_to_one_entry_renders_its_page_alone_and_rewrites_it_and_the_export(
    content: Path, tmp_path: Path, told: bool
) -> None:
    """Whether the generator finds the edit itself or `mkdocs serve` names the file."""
    docs = tmp_path / "docs"
    generating.generate(content, docs)
    EDITS["an evidence claim"](content)
    changed = {str(content / "entries/ivig.yaml")} if told else None
    result = generating.generate(content, docs, changed=changed)
    assert sorted(result.written) == ["guideline.json", "therapies/ivig.md"]
    assert result.rendered == 1  # listings and links show only what the edit left alone
    assert result.quick  # and no other page was even looked at


def test_nothing_is_rendered_again_when_nothing_changed(content: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    generating.generate(content, docs)
    result = generating.generate(content, docs)
    assert (result.rendered, result.written, result.removed) == (0, [], [])


def test_a_file_changed_behind_the_generators_back_is_rewritten(
    content: Path, tmp_path: Path
) -> None:
    """Another process (a second build) may write the same folder: trust the disk, not memory."""
    docs = tmp_path / "docs"
    generating.generate(content, docs)
    page = docs / "therapies/ivig.md"
    expected = page.read_bytes()
    page.write_bytes(re.sub(rb"IVIg", b"XXXX", expected))
    result = generating.generate(content, docs)
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
    from build_tools import outline, site_render

    monkeypatch.setattr(site_render, "PRUNE_SLACK", -(10**9))  # prune after every run
    warm = RenderCache()
    files_for(content, warm)
    for edit in EDITS.values():  # each edit applied on top of the ones before
        edit(content)
        assert files_for(content, warm) == files_for(content, None)
    catalog = CalculatorCatalog.from_registry()
    objects = len(outline.objects(load_content(ContentStore(), content, catalog)))
    assert len(warm.dumped) <= objects
    assert len(warm.titles) <= objects
    assert warm.digests.size() <= 2 * objects


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def add_entry(content: Path) -> None:
    text = (content / "entries/rituximab.yaml").read_text()
    new = text.replace("id: rituximab", "id: rituximab-copy", 1)
    (content / "entries/rituximab-copy.yaml").write_text(new.replace("title: ", "title: Copy ", 1))


# (what the author does, the files the watcher reports, whether only edited entries are looked at)
TOLD: list[tuple[str, Callable[[Path], None], list[str], bool]] = [
    ("an entry's text", EDITS["an evidence claim"], ["entries/ivig.yaml"], True),
    ("nothing (a save of the same bytes)", lambda c: None, ["entries/ivig.yaml"], True),
    (
        "an editor's backup file beside it",
        lambda c: (c / "entries/.ivig.yaml.swp").write_text("x"),
        ["entries/.ivig.yaml.swp", "entries/ivig.yaml~"],
        True,
    ),
    (
        "an entry's title",
        EDITS["an entry title (shown on every page that links to it)"],
        ["entries/ivig.yaml"],
        False,
    ),
    (
        "what an entry cites",
        EDITS["citation order (renumbers references on other pages)"],
        ["entries/ivig.yaml"],
        False,
    ),
    ("a new entry file", add_entry, ["entries/rituximab-copy.yaml"], False),
    (
        "an entry's text again",
        lambda c: replace(c / "entries/ivig.yaml", "clearly", "much"),
        ["entries/ivig.yaml"],
        True,
    ),
    (
        "an entry file deleted",
        lambda c: (c / "entries/rituximab-copy.yaml").unlink(),
        ["entries/rituximab-copy.yaml"],
        False,
    ),
    (
        "a reference",
        EDITS["a reference's title (its hover text wherever it is cited)"],
        ["references/refs.yaml"],
        False,
    ),
    ("the glossary", EDITS["a glossary definition"], ["glossary.yaml"], False),
]


def test_edits_the_watcher_reports_give_exactly_what_a_cold_run_gives(
    content: Path, tmp_path: Path
) -> None:
    """Under `mkdocs serve` the generator is told which files changed (mkdocs_hooks); an
    entry edit is then read, rendered and written alone, and anything else takes the long
    way. Either way the folder ends up as a run from nothing would leave it."""
    docs = tmp_path / "docs"
    generating.generate(content, docs)
    for what, make_edit, paths, quick in TOLD:
        make_edit(content)
        changed = {str(content / p) for p in paths}
        result = generating.generate(content, docs, changed=changed)
        assert result.quick == quick, what
        assert tree(docs) == files_for(content, None), what


def test_after_an_invalid_edit_the_next_run_reads_everything_and_misses_nothing(
    content: Path, tmp_path: Path
) -> None:
    """A failed run may have read files it never rendered: the next one starts afresh."""
    from build_tools.diagnostics import ContentError

    docs = tmp_path / "docs"
    generating.generate(content, docs)
    ivig, rituximab = content / "entries/ivig.yaml", content / "entries/rituximab.yaml"
    replace(rituximab, "title: Rituximab", "title: Rituximab (edited while broken)")
    replace(ivig, "id: ivig", "id: ivig\nunknown_field: 1")
    with pytest.raises(ContentError):
        generating.generate(content, docs, changed={str(ivig), str(rituximab)})
    replace(ivig, "id: ivig\nunknown_field: 1", "id: ivig")
    result = generating.generate(content, docs, changed={str(ivig)})  # rituximab not named
    assert not result.quick
    assert tree(docs) == files_for(content, None)


@pytest.mark.parametrize(
    "reported",
    [
        ["../elsewhere.yaml"],  # outside content/: a path it cannot place
        ["entries/new.yaml"],  # not read last time: a new entry
        ["glossary.yaml"],  # not an entry: other files are checked against it
    ],
)
def test_a_change_the_loader_cannot_place_as_an_entry_edit_reads_every_file(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reported: list[str]
) -> None:
    from build_tools import loader

    docs = tmp_path / "docs"
    generating.generate(content, docs)
    full_loads = []
    real = loader._load_all
    monkeypatch.setattr(loader, "_load_all", lambda *a: full_loads.append(a) or real(*a))
    generating.generate(content, docs, changed={str(content / "entries/ivig.yaml")})
    assert full_loads == []
    generating.generate(content, docs, changed={os.path.normpath(content / p) for p in reported})
    assert len(full_loads) == 1


def test_only_an_entrys_own_page_holds_the_entry(content: Path) -> None:
    """What lets an entry edit re-render one page: every other page holds its summary."""
    from build_tools import render, schema

    def entries_in(value: object) -> list[schema.Entry]:
        if isinstance(value, schema.Entry):
            return [value]
        if isinstance(value, dict):
            return [e for v in value.values() for e in entries_in(v)]
        if isinstance(value, list | tuple):
            return [e for v in value for e in entries_in(v)]
        return []

    corpus = load_content(ContentStore(), content, CalculatorCatalog.from_registry())
    for page in render.plan_pages(corpus):
        held = entries_in(page.context)
        assert all(render.entry_path(e) == page.path for e in held), page.path
