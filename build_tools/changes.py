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
from dataclasses import dataclass, field, replace
from typing import Literal

type JSON = bool | int | float | str | Sequence[JSON] | Mapping[str, JSON] | None
type Status = Literal["new", "changed", "withdrawn"]

_PART = re.compile(r"[^.\[]+(?:\[[^\]]*\])?")
_NAMED_BY_ELEMENT = frozenset({"sections", "steps", "nodes", "monitoring", "cautions", "safety"})
"""Lists whose elements a reader knows by their name (a section by its title)."""
_SINGULAR: Mapping[str, str] = {"paragraphs": "paragraph", "edges": "edge", "notes": "note",
                                 "lines": "line", "figures": "figure",
                                 "examples": "worked example"}  # fmt: skip
_FIELD_WORDS: Mapping[str, str] = {
    "quote": "source text",
    "section": "section of the source",
    "document": "source document",
    "refs": "references",
    "inputs": "given",
    "outputs": "result",
}

_CITATION = re.compile(r"\[(@[^\]]+)\]")
"""An inline citation in content prose (`[@key; @other]`): left out of a change's text, whose
references are listed as a change of their own, so readers see no citation keys there."""

_EMPHASIS = re.compile(r"\*\*|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)")
"""Emphasis marks of content prose (`**strong**`, `*emphasis*`)."""

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
    ignored: tuple[str, ...] = ("order",)
    """Fields that are not the item's content: its position in lists (re-ordering is not a
    change a reader needs to know of), what a renderer computes (a reference's number)."""
    keyed_by_data: bool = False
    """True when the item's mappings are keyed by data (a calculator's worked example, by
    the labels of its inputs and results): a key the previous edition lacked is then a
    change of the item, not a field the export's format gained."""


COLLECTIONS: Mapping[str, Collection] = {
    "recommendations": Collection("recommendation", "id", "title"),
    "entries": Collection("entry", "id", "title", nested=("regimens", "evidence")),
    "regimens": Collection("regimen", "id", "label"),
    "evidence": Collection("evidence item", "id", "claim"),
    "domains": Collection("domain", "id", "title"),
    "antibodies": Collection("antibody", "id", "name"),
    "algorithms": Collection("algorithm", "id", "title"),
    "glossary": Collection("glossary term", "term", "term"),
    "references": Collection("reference", "id", "csl.title", ignored=("number", "citation")),
    "calculators": Collection("calculator", "id", "title", keyed_by_data=True),
}
"""Export collections in the order a list of changes shows them."""


@dataclass(frozen=True)
class FieldChange:
    """One field of one item: its dotted path and its old and new value, as text."""

    path: str
    old: str
    new: str

    @property
    def label(self) -> str:
        """The field as a reader names it: "Place in treatment › paragraph 2 › source text"
        for `sections[Place in treatment].paragraphs[2].source.quote`."""
        parts = []
        for part in _PART.findall(self.path):
            name, _, element = part.partition("[")
            element = element.rstrip("]")
            if element and name in _NAMED_BY_ELEMENT:
                parts.append(element)
            elif element:
                parts.append(f"{_SINGULAR.get(name, name)} {element}")
            elif name not in ("text", "source"):
                parts.append(_FIELD_WORDS.get(name, name.replace("_", " ")))
        return " › ".join(parts) or self.path

    @property
    def is_source(self) -> bool:
        """A change of the source sentence quoted, or of where it was read."""
        return self.path.startswith("source.") or ".source." in self.path

    def line(self) -> str:
        return f"{self.label}: {self.old or '(none)'} → {self.new or '(none)'}"


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
        # As a reader reads prose: emphasis marks and citation keys dropped.
        shown = _CITATION.sub("", value).replace(" .", ".").replace(" ,", ",")
        shown = _EMPHASIS.sub("", shown)
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


def items_of(export: Mapping[str, JSON], name: str) -> dict[str, tuple[Mapping[str, JSON], str]]:
    """Items of one collection of an export by id, each with the id of the entry holding
    it, if nested (what build_tools.withdrawals checks and names)."""
    return _items(export, name)


def title_of(item: Mapping[str, JSON], name: str, key: str) -> str:
    """An item's title as lists of changes show it."""
    return _title(item, COLLECTIONS[name], key)


def _listed(value: JSON) -> list[Mapping[str, JSON]]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def _title(item: Mapping[str, JSON], spec: Collection, key: str) -> str:
    value: JSON = item
    for part in spec.title.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return text(value) or key


@dataclass
class CompareMemo:
    """What a comparison keeps between runs of one build context (a `make serve` session):
    each item's flattened fields and canonical text, by the identity of the item's dict.

    Under `make serve` the current export's item dicts are the same objects while their
    content objects are unchanged (`snapshot`), and the kept edition's never change: an
    edit then costs one item's comparison, not the guideline's.
    """

    flat: dict[int, tuple[object, dict[str, JSON], str, frozenset[str]]] = field(
        default_factory=dict
    )
    dumps: dict[int, tuple[object, dict[str, JSON]]] = field(default_factory=dict)
    fields: dict[tuple[int, int], tuple[object, object, tuple[FieldChange, ...]]] = field(
        default_factory=dict
    )
    collections: dict[str, tuple[tuple[object, ...], list[Change], tuple[str, ...]]] = field(
        default_factory=dict
    )
    titles: dict[int, tuple[object, str]] = field(default_factory=dict)
    """An item's title as a list of changes shows it, by the identity of its dict."""

    def title(self, item: Mapping[str, JSON], spec: Collection, key: str) -> str:
        held = self.titles.get(id(item))
        if held is None or held[0] is not item:
            held = self.titles[id(item)] = (item, _title(item, spec, key))
        return held[1]

    """Collection → (the items compared, by identity; its changes; its new fields)."""

    def differences(
        self, old: Mapping[str, JSON], new: Mapping[str, JSON], spec: Collection, known: set[str]
    ) -> tuple[FieldChange, ...]:
        """The fields that differ between two versions of one item (fields the previous
        format lacked left out), kept while both are the same objects."""
        key = (id(old), id(new))
        held = self.fields.get(key)
        if held is not None and held[0] is old and held[1] is new:
            return held[2]
        before, before_text = self.of(old, spec)
        after, after_text = self.of(new, spec)
        found: tuple[FieldChange, ...] = ()
        if before_text != after_text:
            found = tuple(
                FieldChange(path, text(before.get(path)), text(after.get(path)))
                for path in sorted(before.keys() | after.keys(), key=_top_first)
                if _field(path) in known
                and _canonical(before.get(path)) != _canonical(after.get(path))
            )
        self.fields[key] = (old, new, found)
        return found

    def of(self, item: Mapping[str, JSON], spec: Collection) -> tuple[dict[str, JSON], str]:
        held = self._held(item, spec)
        return held[1], held[2]

    def field_names(self, item: Mapping[str, JSON], spec: Collection) -> frozenset[str]:
        """The item's fields as the format names them (`_field`)."""
        return self._held(item, spec)[3]

    def _held(
        self, item: Mapping[str, JSON], spec: Collection
    ) -> tuple[object, dict[str, JSON], str, frozenset[str]]:
        held = self.flat.get(id(item))
        if held is None or held[0] is not item:
            own = _own(item, spec)
            flat = dict(_flat(own))
            held = (item, flat, _canonical(own), frozenset(_field(p) for p in flat))
            self.flat[id(item)] = held
        return held


def compare(
    previous: Mapping[str, JSON], current: Mapping[str, JSON], memo: CompareMemo | None = None
) -> ChangeSet:
    """The changes from the `previous` edition's export to the `current` one."""
    memo = memo if memo is not None else CompareMemo()
    changes: list[Change] = []
    new_fields: dict[str, tuple[str, ...]] = {}
    for name, spec in COLLECTIONS.items():
        old_items, new_items = _items(previous, name), _items(current, name)
        if not old_items and not new_items:
            continue
        seen = (previous, *(item for item, _ in new_items.values()))
        held = memo.collections.get(name)
        if (
            held is None
            or len(held[0]) != len(seen)
            or any(a is not b for a, b in zip(held[0], seen, strict=True))
        ):
            found, added = _compare_collection(name, spec, old_items, new_items, memo)
            held = memo.collections[name] = (seen, found, added)
        changes += held[1]
        if held[2]:
            new_fields[name] = held[2]
    names = _reference_names(previous) | _reference_names(current)
    changes = [_references_named(change, names) for change in changes]
    return ChangeSet(
        previous=str(previous.get("edition", "")),
        current=str(current.get("edition", "")),
        changes=tuple(changes),
        new_fields=new_fields,
    )


_REFERENCE_FIELDS = frozenset({"refs", "references"})


def _reference_names(export: Mapping[str, JSON]) -> dict[str, str]:
    """Reference key → the name a reader knows it by ("Bolosiu et al. 1999"), from the
    reference's CSL authors and year (the names the site's citations use)."""
    refs = export.get("references")
    if not isinstance(refs, Mapping):
        return {}
    names: dict[str, str] = {}
    for key, ref in refs.items():
        csl = ref.get("csl") if isinstance(ref, Mapping) else None
        if isinstance(csl, Mapping):
            names[str(key)] = _csl_name(csl)
    return names


def _csl_name(csl: Mapping[str, JSON]) -> str:
    """ "Family 2020", "A & B 2020" or "A et al. 2020"; an organisation keeps its name."""
    authors = csl.get("author")
    people = [a for a in authors if isinstance(a, Mapping)] if isinstance(authors, list) else []
    names = [str(a.get("family") or a.get("literal") or "") for a in people]
    more = "et al." in names
    names = [n for n in names if n and n != "et al."]
    if not names:
        who = str(csl.get("title") or "")
    elif more or len(names) > 2:
        who = f"{names[0]} et al."
    else:
        who = " & ".join(names)
    issued = csl.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, Mapping) else None
    year = parts[0][0] if isinstance(parts, list) and parts and parts[0] else None
    return f"{who} {year if year is not None else 'n.d.'}"


def _references_named(change: Change, names: Mapping[str, str]) -> Change:
    """A change whose reference lists read as names, not keys: a reader of What's new, the
    feeds or the printed changes never sees "bolosiu-1999-effect"."""

    def named(value: str) -> str:
        return ", ".join(names.get(part, part) for part in value.split(", ")) if value else value

    fields = tuple(
        replace(f, old=named(f.old), new=named(f.new))
        if _field(f.path).rsplit(".", 1)[-1] in _REFERENCE_FIELDS
        else f
        for f in change.fields
    )
    return replace(change, fields=fields) if fields != change.fields else change


def _compare_collection(
    name: str,
    spec: Collection,
    old_items: Mapping[str, tuple[Mapping[str, JSON], str]],
    new_items: Mapping[str, tuple[Mapping[str, JSON], str]],
    memo: CompareMemo,
) -> tuple[list[Change], tuple[str, ...]]:
    """One collection's changes, and the fields the previous format lacked."""
    changes: list[Change] = []
    old_fields = set().union(*(memo.field_names(i, spec) for i, _ in old_items.values()))
    new_names = set().union(*(memo.field_names(i, spec) for i, _ in new_items.values()))
    if spec.keyed_by_data:
        old_fields |= new_names
    added = tuple(sorted(new_names - old_fields)) if old_items else ()
    for key, (item, parent) in new_items.items():
        if key not in old_items:
            changes.append(Change(name, key, memo.title(item, spec, key), "new", parent=parent))
            continue
        fields = memo.differences(old_items[key][0], item, spec, old_fields)
        if fields:
            title = memo.title(item, spec, key)
            changes.append(Change(name, key, title, "changed", fields, parent))
    for key, (item, parent) in old_items.items():
        if key not in new_items:
            title = memo.title(item, spec, key)
            changes.append(Change(name, key, title, "withdrawn", parent=parent))
    return changes, added


def _own(item: Mapping[str, JSON], spec: Collection) -> Mapping[str, JSON]:
    """An item without its nested collections (compared as items of their own) or its
    position in lists (`order`: re-ordering is not a change a reader needs to know of)."""
    return {k: v for k, v in item.items() if k not in spec.nested and k not in spec.ignored}


_ELEMENT = re.compile(r"\[[^\]]*\]")


def _field(path: str) -> str:
    """A path without its list elements ("sections.paragraphs.text"): what a field is in
    the export's format, whichever element holds it."""
    return _ELEMENT.sub("", path)


def _top_first(path: str) -> tuple[bool, str]:
    """An item's own fields (its version, its title) before those inside its parts."""
    return "." in path or "[" in path, path


def _canonical(value: JSON) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
