"""The current corpus as an edition's export holds it, and what a build keeps of the
kept edition it is compared with (build_tools.changes compares the two; build_tools.whatsnew
adds the calculators, build_tools.study_site reads the same dumps)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from build_tools.changes import JSON, CompareMemo


@dataclass
class EditionMemo:
    """The kept edition's export (read once while its file is unchanged) and the
    comparison's memo, for the life of one build context."""

    kept: tuple[str, int, Mapping[str, object]] | None = None
    compare: CompareMemo = field(default_factory=CompareMemo)
    calculators: list[dict[str, JSON]] | None = None
    """The calculators as the export holds them (build_tools.calculator_export)."""


SNAPSHOT_NAMES: Mapping[str, str] = {"discrepancies": "citation_discrepancies"}
"""A kind's array name in the export, where it is not the kind's name (as guideline.json)."""
REFERENCE_FIELDS = ("DOI", "PMID", "URL")


def snapshot(
    edition: str, collections: Mapping[str, Iterable[BaseModel]], memo: CompareMemo
) -> dict[str, JSON]:
    """The current content as the export holds it, for comparison with a kept edition:
    what guideline.json says of each object, without what only a render knows (a
    reference's number and formatted citation). Each object is dumped once while it is the
    same object (`memo.dumps`)."""

    def dump(model: BaseModel, reference: bool = False) -> dict[str, JSON]:
        held = memo.dumps.get(id(model))
        if held is None or held[0] is not model:
            data: dict[str, JSON] = json.loads(
                model.model_dump_json(by_alias=True, exclude_none=True)
            )
            if reference:  # as guideline.json holds a reference: its identifiers, its CSL
                head: dict[str, JSON] = {"id": str(getattr(model, "id", ""))}
                head |= {name: getattr(model, name, None) for name in REFERENCE_FIELDS}
                data = {**head, "csl": data}
            held = (model, data)
            memo.dumps[id(model)] = held
        return held[1]

    out: dict[str, JSON] = {"format": "myositis-guideline/1", "edition": edition}
    for kind, items in collections.items():
        if kind == "references":
            out["references"] = {key: dump(ref, reference=True) for key, ref in _keyed(items)}
        elif kind != "citation_map":
            out[SNAPSHOT_NAMES.get(kind, kind)] = [dump(model) for model in items]
    return out


def _keyed(items: Iterable[BaseModel]) -> Iterator[tuple[str, BaseModel]]:
    for model in items:
        yield str(getattr(model, "id", "")), model
