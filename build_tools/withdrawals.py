"""Withdrawn items: the rules their records obey, and the tombstone each leaves.

An item a published edition held (a recommendation, an entry, a regimen, a calculator...)
is withdrawn by a record in content/withdrawals.yaml (build_tools.kinds.withdrawals) that
says when and why. From the record and the kept editions this module derives:

- the checks the loader runs with the cross-references (`check`): an item of the previous
  edition gone without a record is a content error, and so is a record for an item that is
  still in the content, a replacement that does not exist, or an edition after this one.
  The regimens and evidence items of a withdrawn entry go with it, under its record;
- each withdrawn item's tombstone (`tombstones`): its title as last published, its old
  address, and its reason. An item that had a page of its own keeps a page at that address
  (a recommendation, an entry, a domain, an algorithm, a calculator); a regimen or an
  evidence item keeps a line at its old anchor on its entry's page (or on its entry's
  tombstone, when the entry went too), an antibody or a glossary term at its old anchor
  on the page they share. A reference is named with its reason on the What's new page of
  its edition.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_tools import changes, outline, release, site_text
from build_tools.kinds import withdrawals as kind

if TYPE_CHECKING:
    from build_tools.context import CalculatorCatalog
    from build_tools.diagnostics import Problems
    from build_tools.loader import Corpus
    from build_tools.store import ContentStore

type ItemKey = tuple[str, str]
"""(collection of the export, id): ("regimens", "ivig-2gkg-q4w")."""

COLLECTION_OF: Mapping[str, str] = {spec.name: name for name, spec in changes.COLLECTIONS.items()}
"""A record's `item` word → the export's collection."""
ANCHORED = frozenset({"regimens", "evidence"})
"""Items published at an anchor of their entry's page."""
SHARED: Mapping[str, str] = {"antibodies": "antibodies.md", "glossary": "glossary.md"}
"""Items published at an anchor of one page they share (by id; a glossary term by its
term's anchor). A reference is listed, with its reason, on the What's new page only."""
TOMBSTONE_TEMPLATE = "tombstone.md.j2"
"""The page left at the old address of an item that had one (site_templates/pages/)."""


def record_key(record: kind.Withdrawal | kind.ItemRef) -> ItemKey:
    return COLLECTION_OF[record.item], record.id


def records(corpus: Corpus) -> list[kind.Withdrawal]:
    found: list[kind.Withdrawal] = corpus.held.get(kind.KIND.name) or []
    return found


def current_items(corpus: Corpus, catalog: CalculatorCatalog | None) -> dict[ItemKey, str]:
    """Every item the content (and the calculators, when present) holds now, with the id
    of the entry holding it, if nested: the same items an edition's export holds."""
    held = outline.collections(corpus)
    found: dict[ItemKey, str] = {}
    for name, spec in changes.COLLECTIONS.items():
        for obj in outline.members(held.get(name, ())):
            key = _key(obj, spec.key)
            found[(name, key)] = ""
            for nested in spec.nested:
                for inner in getattr(obj, nested, ()):
                    found[(nested, _key(inner, changes.COLLECTIONS[nested].key))] = key
    if catalog is not None and catalog.present:
        found |= {("calculators", cid): "" for cid in catalog.ids}
    return found


def _key(obj: object, field: str) -> str:
    value = getattr(obj, field, "")
    return str(getattr(value, "value", value))


def export_items(export: Mapping[str, Any]) -> dict[ItemKey, str]:
    """Every item of an edition's export, with the id of the entry holding it, if nested."""
    return {
        (name, key): parent
        for name in changes.COLLECTIONS
        for key, (_, parent) in changes.items_of(export, name).items()
    }


def _previous_items(
    content: Path, edition: str, store: ContentStore | None
) -> tuple[str, dict[ItemKey, str]] | None:
    """The latest kept edition before `edition` and its items (read once per file state)."""
    try:
        before = [
            (kept, path)
            for kept, path in release.kept_editions(content)
            if release.edition_key(kept) < release.edition_key(edition)
        ]
    except release.EditionError:
        return None  # a draft, or a file of editions/ misnamed (the comparison says which)
    if not before:
        return None
    kept, path = before[-1]
    stamp = os.stat(path).st_mtime_ns
    held = store.editions.get(str(path)) if store is not None else None
    if held is None or held[0] != stamp:
        held = (stamp, export_items(json.loads(path.read_text(encoding="utf-8"))))
        if store is not None:
            store.editions[str(path)] = held
    return kept, held[1]


def check(
    corpus: Corpus,
    content: Path,
    catalog: CalculatorCatalog,
    problems: Problems,
    store: ContentStore | None = None,
) -> None:
    """Every problem of the withdrawals against the content and the previous edition."""
    current = current_items(corpus, catalog)
    previous = _previous_items(content, catalog.edition, store)
    recorded: dict[ItemKey, kind.Withdrawal] = {}
    file = f"{content.name}/{kind.KIND.pattern}"
    for record in records(corpus):
        key = record_key(record)
        origin = corpus.origin(record)
        where = origin.at("id") if origin is not None else (file, 1, 1, "id")
        name = f"{record.item} {record.id!r}"
        if key in recorded:
            problems.add(*where, f"{name} is withdrawn twice")
        recorded[key] = record
        if key in current:
            problems.add(
                *where,
                f"{name} is still in the content: remove it from the content, or this record",
            )
        try:
            after = release.edition_key(record.edition) > release.edition_key(catalog.edition)
        except release.EditionError:
            after = False  # a draft: no edition to compare with
        at_edition = origin.at("edition") if origin is not None else where
        if after:
            problems.add(
                *at_edition,
                f"{name}: edition {record.edition} is after this edition, {catalog.edition}",
            )
        elif previous is not None and record.edition == catalog.edition and key not in previous[1]:
            problems.add(
                *at_edition,
                f"{name} is withdrawn in {record.edition} but was not in edition "
                f"{previous[0]}: there is nothing to withdraw",
            )
        if record.replaced_by is not None and record_key(record.replaced_by) not in current:
            replacement = record.replaced_by
            problems.add(
                *(origin.at("replaced_by", "id") if origin is not None else where),
                f"{name}: replaced by {replacement.item} {replacement.id!r}, which is not in "
                "the content",
            )
    if previous is not None:
        _unrecorded(corpus, previous, current, recorded, file, problems)


def _unrecorded(
    corpus: Corpus,
    previous: tuple[str, Mapping[ItemKey, str]],
    current: Mapping[ItemKey, str],
    recorded: Mapping[ItemKey, kind.Withdrawal],
    file: str,
    problems: Problems,
) -> None:
    """Items of the previous edition gone without a record (a withdrawn entry's regimens
    and evidence go with it)."""
    edition, items = previous
    for (name, item_id), parent in items.items():
        if (name, item_id) in current or (name, item_id) in recorded:
            continue
        if parent and ("entries", parent) in recorded:
            continue
        what = changes.COLLECTIONS[name].name
        where: tuple[str, int, int, str] = (file, 1, 1, "")
        holder = corpus.entries.get(parent) if parent else None
        origin = corpus.origin(holder) if holder is not None else None
        if origin is not None:
            where = origin.at(name) if getattr(holder, name, None) else origin.at("id")
        inside = f" (in entry {parent})" if parent else ""
        problems.add(
            *where,
            f"{what} {item_id!r}{inside} was in edition {edition} and is not in the content: "
            f"record its withdrawal in {file} (item: {what}, id, edition, reason), or restore it",
        )


@dataclass(frozen=True)
class Tombstone:
    """What is left of a withdrawn item: when and why, where it was, what replaces it."""

    collection: str
    id: str
    kind: str
    """The item as a reader names it ("regimen")."""
    title: str
    edition: str
    reason: str
    parent: str = ""
    """For a regimen or an evidence item: the id of the entry that held it."""
    path: str = ""
    """The Markdown path of its old page ('' for items without an address of their own)."""
    anchor: str = ""
    """For a regimen or an evidence item: its old anchor on that page."""
    replaced_by: str = ""
    """The title of the item that replaces it."""
    replaced_by_path: str = ""
    """Its Markdown path (with its anchor, if any)."""

    @property
    def own_page(self) -> bool:
        return bool(self.path) and not self.anchor


def tombstones(
    corpus: Corpus, content: Path, calculator_titles: Mapping[str, str]
) -> tuple[Tombstone, ...]:
    """Every withdrawal's tombstone, in the records' order; with, for a withdrawn entry, one
    for each of its regimens and evidence items (at their anchors on its tombstone page)."""
    listed = records(corpus)
    if not listed:
        return ()
    kept = [
        json.loads(path.read_text(encoding="utf-8"))
        for _, path in reversed(release.kept_editions(content))
    ]
    found: list[Tombstone] = []
    for record in listed:
        name, item_id = record_key(record)
        last = _last_published(kept, name, item_id)
        item, parent = last if last is not None else ({}, "")
        replaced, replaced_path = "", ""
        if record.replaced_by is not None:
            replaced, replaced_path = _current_title_and_path(
                corpus, record.replaced_by, calculator_titles
            )
        stone = Tombstone(
            collection=name,
            id=item_id,
            kind=record.item,
            title=changes.title_of(item, name, item_id) if item else item_id,
            edition=record.edition,
            reason=record.reason,
            parent=parent,
            path=_old_path(corpus, name, item_id, item, parent, kept),
            anchor=_anchor(name, item_id),
            replaced_by=replaced,
            replaced_by_path=replaced_path,
        )
        found.append(stone)
        if name == "entries":
            found += _held_by(stone, item)
    return tuple(found)


def item_anchor(collection: str, item_id: str) -> str:
    """The anchor of a regimen or evidence item on its entry's page (id-based, so an old
    link still lands on the item after re-ordering or re-titling, or on its tombstone)."""
    return f"{'regimen' if collection == 'regimens' else 'evidence'}-{item_id}"


def _anchor(name: str, item_id: str) -> str:
    """The old anchor of an item published at one, else ''."""
    if name in ANCHORED:
        return item_anchor(name, item_id)
    if name == "glossary":
        return site_text.anchor(item_id)
    return item_id if name in SHARED else ""


def _held_by(entry: Tombstone, item: Mapping[str, Any]) -> list[Tombstone]:
    """A withdrawn entry's regimens and evidence items, gone with it, at their anchors on
    its tombstone page."""
    held = []
    for nested in changes.COLLECTIONS["entries"].nested:
        for key, (inner, _) in changes.items_of({"entries": [item]}, nested).items():
            held.append(
                Tombstone(
                    collection=nested,
                    id=key,
                    kind=changes.COLLECTIONS[nested].name,
                    title=changes.title_of(inner, nested, key),
                    edition=entry.edition,
                    reason=f"Withdrawn with {entry.title}.",
                    parent=entry.id,
                    path=entry.path,
                    anchor=item_anchor(nested, key),
                )
            )
    return held


def _last_published(
    kept: Iterable[Mapping[str, Any]], name: str, item_id: str
) -> tuple[Mapping[str, Any], str] | None:
    for export in kept:  # newest first
        found = changes.items_of(export, name).get(item_id)
        if found is not None:
            return found
    return None


def _old_path(
    corpus: Corpus,
    name: str,
    item_id: str,
    item: Mapping[str, Any],
    parent: str,
    kept: list[Mapping[str, Any]],
) -> str:
    """Where the item was published: its own page, or its entry's page for an anchored item."""
    if name in ANCHORED:
        if parent in corpus.entries:
            return outline.entry_path(corpus.entries[parent])
        holder = _last_published(kept, "entries", parent)
        return _entry_path(parent, holder[0] if holder else {})
    if name == "entries":
        return _entry_path(item_id, item)
    return SHARED.get(name) or page_path(name, item_id)


def _entry_path(entry_id: str, item: Mapping[str, Any]) -> str:
    """An entry's page as outline.entry_path places it, from its exported fields."""
    folder = "therapies" if item.get("kind") == "therapy" else "topics"
    return f"{folder}/{entry_id}.md"


def page_path(name: str, item_id: str) -> str:
    """The page of an item that has one of its own, else ''."""
    from build_tools.calculator_pages import calculator_path

    paths = {
        "recommendations": f"recommendations/{item_id}.md",
        "domains": f"domains/{item_id}.md",
        "algorithms": f"algorithms/{item_id}.md",
        "calculators": calculator_path(item_id),
    }
    return paths.get(name, "")


def _current_title_and_path(
    corpus: Corpus, ref: kind.ItemRef, calculator_titles: Mapping[str, str]
) -> tuple[str, str]:
    """A replacement's title and page (it exists: `check` says so otherwise)."""
    name, item_id = record_key(ref)
    if name == "calculators":
        return calculator_titles.get(item_id, item_id), page_path(name, item_id)
    if name == "entries" and item_id in corpus.entries:
        entry = corpus.entries[item_id]
        return entry.title, outline.entry_path(entry)
    for entry in corpus.entries.values():
        for nested in ANCHORED:
            for inner in getattr(entry, nested, ()):
                if name == nested and inner.id == item_id:
                    title = changes.title_of(inner.model_dump(mode="json"), nested, item_id)
                    return title, f"{outline.entry_path(entry)}#{item_anchor(nested, item_id)}"
    spec = changes.COLLECTIONS[name]
    if name in SHARED:
        path = f"{SHARED[name]}#{_anchor(name, item_id)}"
    else:
        path = "references.md" if name == "references" else page_path(name, item_id)
    for obj in outline.members(outline.collections(corpus).get(name, ())):
        if _key(obj, spec.key) == item_id:
            title = changes.title_of(obj.model_dump(mode="json", by_alias=True), name, item_id)
            return title, path
    return item_id, path
