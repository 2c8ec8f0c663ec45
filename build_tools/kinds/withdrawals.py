"""content/withdrawals.yaml: items withdrawn from the guideline, each with its reason.

A published item (a recommendation, an entry, a regimen, an evidence item, a calculator...)
is never removed in silence: a reader who relied on it, or follows an old link to it, is
told when it was withdrawn and why, and where to look instead. The record is authored,
because the reason cannot be computed; everything else (the item's title, its old address,
the tombstone there, its line on the What's new page, in the feeds and in the handbook) is
derived from the record and the kept editions (build_tools.withdrawals).

The build refuses an item that was in the previous edition and is gone without a record,
and a record for an item that is still in the content.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from build_tools import schema
from build_tools.kinds.base import Kind

ItemKind = Literal[
    "recommendation",
    "entry",
    "regimen",
    "evidence item",
    "domain",
    "antibody",
    "algorithm",
    "glossary term",
    "reference",
    "calculator",
]
"""What can be withdrawn: every kind of item an edition's comparison names
(build_tools.changes.COLLECTIONS), by the word a reader uses for it."""

EditionNumber = Annotated[str, StringConstraints(pattern=r"^\d{4}\.[1-9]\d*$")]


class ItemRef(schema.Strict):
    """An item of the guideline, by its kind and its id."""

    item: ItemKind
    id: schema.ShortText = Field(description="Its id as published (a glossary term: the term).")


class Withdrawal(schema.Strict):
    """One withdrawn item: what it was, in which edition it was withdrawn, why, and what
    replaces it, if anything."""

    item: ItemKind = Field(description="What was withdrawn: recommendation, entry, regimen, ...")
    id: schema.ShortText = Field(description="Its id as published (a glossary term: the term).")
    edition: EditionNumber = Field(description="The edition it is withdrawn in, e.g. 2026.2.")
    reason: schema.ShortProse = Field(description="Why, in one or two sentences, for readers.")
    replaced_by: ItemRef | None = Field(
        default=None, description="The item that replaces it, if any (it must exist)."
    )


KIND = Kind(
    name="withdrawals",
    model=Withdrawal,
    pattern="withdrawals.yaml",
    per_file=False,
    shape="list",
    summary=lambda w: f"{w.item} {w.id}",
    cites=False,
)
