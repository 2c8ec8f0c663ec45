"""What changed in this edition, as every publisher shows it: the What's new page, the marks
on changed items, the feeds and the handbook's chapter.

The change set itself is computed by build_tools.changes from the latest kept edition
(`content/editions/`, build_tools.release) and a snapshot of the current corpus; this module
says where each changed item is published, so a reader goes from a change to the item and
from a marked item to its change in one step.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from build_tools import calculator_export, outline, release, withdrawals
from build_tools.changes import JSON, Change, ChangeSet, compare
from build_tools.loader import Corpus
from build_tools.snapshot import EditionMemo, snapshot
from build_tools.withdrawals import Tombstone, item_anchor

PAGE_PATH = "whats-new.md"
TEMPLATE = "whats_new.md.j2"
SHARED_PAGES: Mapping[str, str] = {
    "antibodies": "antibodies.md",
    "glossary": "glossary.md",
    "references": "references.md",
}
"""Collections whose items share one page (and have no tombstone page of their own)."""


def anchor(change: Change) -> str:
    """The change's anchor on the What's new page: stable for the item across builds."""
    return f"change-{change.collection}-{change.id}"


@dataclass(frozen=True)
class EditionChanges:
    """The changes of this edition against the latest kept one, and where each item is."""

    edition: str
    change_set: ChangeSet | None
    """None when no earlier edition is kept (the first edition)."""
    paths: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(collection, id) → the Markdown path of the item's page, with its anchor if any."""
    tombstones: tuple[Tombstone, ...] = ()
    """Every withdrawn item's tombstone, this edition's and earlier ones'."""

    @property
    def previous(self) -> str:
        return self.change_set.previous if self.change_set else ""

    def guidance(self) -> list[Change]:
        """Items whose content changed (or that are new or withdrawn): what a returning
        reader re-reads."""
        return [c for c in self.change_set.changes if c.guidance] if self.change_set else []

    def sources_only(self) -> list[Change]:
        """Items whose only change is the source sentence quoted or where it was read."""
        return [c for c in self.change_set.changes if not c.guidance] if self.change_set else []

    def path(self, change: Change) -> str:
        """Where the item is published (a withdrawn item: its tombstone), or ''."""
        if change.status == "withdrawn":
            stone = self.tombstone(change)
            if stone is None or not stone.path:
                return ""
            return f"{stone.path}#{stone.anchor}" if stone.anchor else stone.path
        return self.paths.get((change.collection, change.id), "")

    def tombstone(self, change: Change) -> Tombstone | None:
        """A withdrawn item's tombstone: when and why (None while the content has no
        record: the loader refuses that)."""
        return next(
            (t for t in self.tombstones if (t.collection, t.id) == (change.collection, change.id)),
            None,
        )

    def tombstone_pages(self) -> list[Tombstone]:
        """Withdrawn items that had a page of their own: a page stays at that address."""
        return [t for t in self.tombstones if t.own_page]

    def withdrawn_from(self, path: str) -> list[Tombstone]:
        """Withdrawn items that were at an anchor of the page at `path`."""
        return [t for t in self.tombstones if t.anchor and t.path == path]

    def marks_for_entry(self, entry_id: str) -> dict[str, str]:
        """`entry`, `regimen:<id>` or `evidence:<id>` → the anchor of its change on the
        What's new page, for the guidance changes of one entry and its items."""
        marks: dict[str, str] = {}
        for change in self.guidance():
            if change.collection == "entries" and change.id == entry_id:
                marks["entry"] = anchor(change)
            elif change.parent == entry_id and change.status != "withdrawn":
                kind = "regimen" if change.collection == "regimens" else "evidence"
                marks[f"{kind}:{change.id}"] = anchor(change)
        return marks

    def mark_for(self, collection: str, item_id: str) -> str:
        """The anchor of a guidance change of one item, or ''."""
        for change in self.guidance():
            if change.collection == collection and change.id == item_id:
                return anchor(change)
        return ""


def _previous(content: Path, edition: str, memo: EditionMemo) -> Mapping[str, object] | None:
    before = [
        (kept, path)
        for kept, path in release.kept_editions(content)
        if release.edition_key(kept) < release.edition_key(edition)
    ]
    if not before:
        return None
    kept, path = before[-1]
    stamp = os.stat(path).st_mtime_ns
    if memo.kept is None or memo.kept[0] != str(path) or memo.kept[1] != stamp:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("edition") != kept:
            raise release.EditionError(f"{path}: does not hold edition {kept}")
        memo.kept = (str(path), stamp, data)
    return memo.kept[2]


def edition_changes(
    corpus: Corpus, edition: str, content: Path, memo: EditionMemo
) -> EditionChanges:
    """This edition's changes against the latest kept edition before it."""
    titles = {str(c.get("id")): str(c.get("title")) for c in _calculators(memo)}
    stones = withdrawals.tombstones(corpus, content, titles)
    try:
        release.edition_key(edition)
    except release.EditionError:
        return EditionChanges(edition, None, tombstones=stones)  # a draft: no edition number
    previous = _previous(content, edition, memo)
    if previous is None:
        return EditionChanges(edition, None, tombstones=stones)
    current = current_export(corpus, edition, memo)
    change_set = compare(previous, current, memo.compare)  # type: ignore[arg-type]
    return EditionChanges(edition, change_set, _paths(corpus, change_set), stones)


def current_export(corpus: Corpus, edition: str, memo: EditionMemo) -> dict[str, JSON]:
    """The current content and calculators as this edition's export holds them (what
    `make edition` keeps), for comparison with a kept edition."""
    collections = {
        name: outline.members(items) for name, items in outline.collections(corpus).items()
    }
    current = snapshot(edition, collections, memo.compare)
    if _calculators(memo):
        current[calculator_export.SECTION] = _calculators(memo)
    return current


def _calculators(memo: EditionMemo) -> list[dict[str, JSON]]:
    """The calculators as the export holds them, made once per build context (they do not
    change while it lives)."""
    if memo.calculators is None:
        memo.calculators = calculator_export.records()
    return memo.calculators


def _paths(corpus: Corpus, change_set: ChangeSet) -> dict[tuple[str, str], str]:
    """Where each new or changed item is published (a withdrawn one: its tombstone)."""
    paths: dict[tuple[str, str], str] = {}
    for change in change_set.changes:
        if change.status == "withdrawn":
            continue
        key = (change.collection, change.id)
        if change.collection == "entries" and change.id in corpus.entries:
            paths[key] = outline.entry_path(corpus.entries[change.id])
        elif change.collection in ("regimens", "evidence") and change.parent in corpus.entries:
            page = outline.entry_path(corpus.entries[change.parent])
            paths[key] = f"{page}#{item_anchor(change.collection, change.id)}"
        elif change.collection in SHARED_PAGES:
            paths[key] = SHARED_PAGES[change.collection]
        elif withdrawals.page_path(change.collection, change.id):
            paths[key] = withdrawals.page_path(change.collection, change.id)
    return paths
