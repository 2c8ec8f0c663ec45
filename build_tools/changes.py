"""What changed between two editions, computed from their machine-readable exports.

A guideline edition is published with its export (`guideline.json`, kept in the repository
as `content/editions/<edition>.json`). Comparing the current export with the previous
edition's gives, for every item a reader may have relied on (recommendation, entry,
regimen, evidence item, antibody, algorithm, domain, glossary term, reference, calculator),
whether it is new, changed or withdrawn, and for a change which fields, with the old and
new value as a reader would read them ("dose: 2 g/kg → 1 g/kg").

Studies of updated guidelines found changes explained for about a quarter of changed
recommendations; here nothing is written by hand, so nothing is left out.

A field that no item of the old edition has at all is a change of the export's format
(a field added to the schema), not of any item's content: it is reported once per
collection (`ChangeSet.new_fields`), so a format change does not mark every item changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

type JSON = bool | int | float | str | Sequence[JSON] | Mapping[str, JSON] | None
type Status = Literal["new", "changed", "withdrawn"]

SHORT = 160
"""Characters of an old or new value shown in a change line before it is shortened."""


@dataclass(frozen=True)
class Collection:
    """One kind of item in the export: where its items are and how each is named."""

    name: str
    """The item kind as a reader says it ("regimen")."""
    key: str
    """The field holding the item's stable id."""
    title: str
    """The field holding the item's title as shown in lists of changes."""
    nested: tuple[str, ...] = ()
    """Fields holding items compared as collections of their own (an entry's regimens)."""


COLLECTIONS: Mapping[str, Collection] = {
    "recommendations": Collection("recommendation", "id", "statement"),
    "entries": Collection("entry", "id", "title", nested=("regimens", "evidence")),
    "regimens": Collection("regimen", "id", "label"),
    "evidence": Collection("evidence item", "id", "claim"),
    "domains": Collection("domain", "id", "title"),
    "antibodies": Collection("antibody", "id", "name"),
    "algorithms": Collection("algorithm", "id", "title"),
    "glossary": Collection("glossary term", "term", "term"),
    "references": Collection("reference", "id", "citation"),
    "calculators": Collection("calculator", "id", "title"),
}
"""Export collections in the order a list of changes shows them."""


@dataclass(frozen=True)
class FieldChange:
    """One field of one item: its dotted path and its old and new value, as text."""

    path: str
    old: str
    new: str

    def line(self) -> str:
        return f"{self.path}: {self.old or '(none)'} → {self.new or '(none)'}"


@dataclass(frozen=True)
class Change:
    """One item that is new, changed or withdrawn since the previous edition."""

    collection: str
    """The export collection ("regimens")."""
    id: str
    title: str
    status: Status
    fields: tuple[FieldChange, ...] = ()
    parent: str = ""
    """For a nested item (a regimen, an evidence item): the id of the entry holding it."""

    @property
    def kind(self) -> str:
        return COLLECTIONS[self.collection].name

    @property
    def guidance(self) -> bool:
        """True when what the item says changed, not only the source sentence it quotes
        or where it says it was read (`source.*`): a returning reader re-reads these."""
        return self.status != "changed" or any(
            not (f.path.startswith("source.") or ".source." in f.path) for f in self.fields
        )


@dataclass(frozen=True)
class ChangeSet:
    """Every change from one edition to the next."""

    previous: str
    current: str
    changes: tuple[Change, ...]
    new_fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Collection → fields the previous edition's export did not have at all."""

    def of(self, status: Status) -> list[Change]:
        return [c for c in self.changes if c.status == status]

    def for_item(self, collection: str, item_id: str) -> Change | None:
        return next(
            (c for c in self.changes if c.collection == collection and c.id == item_id), None
        )


def text(value: JSON) -> str:
    """A value as a reader reads it: quantities with their unit, prose as its text, lists
    joined; long values shortened."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, str):
        shown = value
    elif isinstance(value, Mapping):
        if set(value) >= {"value", "unit"}:
            shown = f"{text(value['value'])} {text(value['unit'])}".strip()
        elif set(value) >= {"low", "high", "unit"}:
            shown = f"{text(value['low'])}–{text(value['high'])} {text(value['unit'])}"
        elif "text" in value:
            shown = text(value["text"])
        else:
            shown = "; ".join(f"{k}: {text(v)}" for k, v in value.items() if text(v))
    else:
        shown = ", ".join(t for t in (text(v) for v in value) if t)
    return shown if len(shown) <= SHORT else shown[: SHORT - 1].rstrip() + "…"


LABELS = ("id", "title", "topic", "term", "name")
"""Fields that name an element of a list (a section by its title), in order of preference:
a change inside a list is then located by name, and survives re-ordering."""


def _flat(value: JSON, path: str = "") -> Iterator[tuple[str, JSON]]:
    """Dotted paths to the leaves: into mappings, and into lists of mappings (each element
    named by its label field, else its position); quantities and lists of plain values are
    leaves."""
    if isinstance(value, Mapping) and not set(value) >= {"value", "unit"} and value:
        for key, inner in value.items():
            yield from _flat(inner, f"{path}.{key}" if path else key)
    elif (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and value
        and all(isinstance(v, Mapping) for v in value)
    ):
        for i, inner in enumerate(value):
            assert isinstance(inner, Mapping)
            label = next((str(inner[k]) for k in LABELS if isinstance(inner.get(k), str)), "")
            yield from _flat(inner, f"{path}[{label or i + 1}]")
    else:
        yield path, value


def _items(export: Mapping[str, JSON], name: str) -> dict[str, tuple[Mapping[str, JSON], str]]:
    """Items of one collection by id, each with the id of the entry holding it, if nested."""
    spec = COLLECTIONS[name]
    found: dict[str, tuple[Mapping[str, JSON], str]] = {}
    holders = [
        (holder, coll)
        for coll, holder_spec in COLLECTIONS.items()
        if name in holder_spec.nested
        for holder in _listed(export.get(coll))
    ]
    if holders:
        for holder, coll in holders:
            for item in _listed(holder.get(name)):
                found[str(item.get(spec.key))] = (item, str(holder.get(COLLECTIONS[coll].key)))
        return found
    value = export.get(name)
    if isinstance(value, Mapping):  # references: keyed by their key
        return {str(k): (v, "") for k, v in value.items() if isinstance(v, Mapping)}
    return {str(item.get(spec.key)): (item, "") for item in _listed(value)}


def _listed(value: JSON) -> list[Mapping[str, JSON]]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def _title(item: Mapping[str, JSON], spec: Collection, key: str) -> str:
    return text(item.get(spec.title)) or key


def compare(previous: Mapping[str, JSON], current: Mapping[str, JSON]) -> ChangeSet:
    """The changes from the `previous` edition's export to the `current` one."""
    changes: list[Change] = []
    new_fields: dict[str, tuple[str, ...]] = {}
    for name, spec in COLLECTIONS.items():
        old_items, new_items = _items(previous, name), _items(current, name)
        if not old_items and not new_items:
            continue
        old_fields = {
            _field(p) for item, _ in old_items.values() for p, _v in _flat(_own(item, spec))
        }
        added = sorted(
            {_field(p) for item, _ in new_items.values() for p, _v in _flat(_own(item, spec))}
            - old_fields
        )
        if old_items and added:
            new_fields[name] = tuple(added)
        for key, (item, parent) in new_items.items():
            if key not in old_items:
                changes.append(Change(name, key, _title(item, spec, key), "new", parent=parent))
                continue
            before = dict(_flat(_own(old_items[key][0], spec)))
            after = dict(_flat(_own(item, spec)))
            fields = tuple(
                FieldChange(path, text(before.get(path)), text(after.get(path)))
                for path in sorted(before.keys() | after.keys())
                if _field(path) in old_fields
                and _canonical(before.get(path)) != _canonical(after.get(path))
            )
            if fields:
                changes.append(
                    Change(name, key, _title(item, spec, key), "changed", fields, parent)
                )
        for key, (item, parent) in old_items.items():
            if key not in new_items:
                changes.append(
                    Change(name, key, _title(item, spec, key), "withdrawn", parent=parent)
                )
    return ChangeSet(
        previous=str(previous.get("edition", "")),
        current=str(current.get("edition", "")),
        changes=tuple(changes),
        new_fields=new_fields,
    )


def _own(item: Mapping[str, JSON], spec: Collection) -> Mapping[str, JSON]:
    """An item without its nested collections (compared as items of their own) or its
    position in lists (`order`: re-ordering is not a change a reader needs to know of)."""
    return {k: v for k, v in item.items() if k not in spec.nested and k != "order"}


_ELEMENT = re.compile(r"\[[^\]]*\]")


def _field(path: str) -> str:
    """A path without its list elements ("sections.paragraphs.text"): what a field is in
    the export's format, whichever element holds it."""
    return _ELEMENT.sub("", path)


def _canonical(value: JSON) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
