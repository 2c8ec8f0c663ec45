"""guideline.json: the whole guideline with references resolved and numbered, for other tools.

Written with the generated pages (stage `pages`): the site render hands back its chunks
(build_tools.site_render), so under `make serve` an edit re-encodes one object and the
file is joined off the main thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from build_tools import calculator_export, outline
from build_tools.citations import Numbering
from build_tools.exports import Export, ExportInput
from build_tools.loader import Corpus
from build_tools.rendercache import Dumped, RenderCache

NAME: Final = "guideline.json"
SPECIAL: Final = frozenset({"guideline", "references", "citation_map"})
"""Kinds written apart (the guideline first, the references last, numbered) or left out."""
ARRAY_NAMES: Final[Mapping[str, str]] = {"discrepancies": "citation_discrepancies"}
"""A kind's array name in the file, where it is not the kind's name."""


def build_export(
    corpus: Corpus,
    numbering: Numbering,
    formatted: dict[str, tuple[str, str]],
    edition: str,
    cache: RenderCache | None = None,
    references_unchanged: bool = False,
) -> list[bytes]:
    """guideline.json, in chunks: the whole guideline with references resolved, for other tools.

    Assembled from each object's own JSON, kept while the object is unchanged: at a hundred
    times today's content the file is tens of megabytes, and an edit changes one object.
    The references, most of it, are kept whole while their list and numbers are unchanged;
    the chunks are joined by whoever writes the file (under `mkdocs serve`, off the main
    thread).
    """
    memo = cache.dumped if cache is not None else {}

    def fragment(model: Any, *extra: object) -> bytes:
        held = memo.get(id(model))
        if held is not None and held.model is model and held.extra == extra:
            return held.data
        text: str = model.model_dump_json(by_alias=True, exclude_none=True)
        if extra:  # a reference: its number and citation, then its CSL data
            key, number, citation = extra
            head = {"id": key, "number": number, "citation": citation}
            head |= {"DOI": model.DOI, "PMID": model.PMID, "URL": model.URL}
            text = json.dumps(head, ensure_ascii=False)[:-1] + f', "csl": {text}}}'
        data = text.encode()
        memo[id(model)] = Dumped(model, extra, data)
        return data

    chunks = [f'{{"format": "myositis-guideline/1", "edition": {json.dumps(edition)}, '.encode()]
    chunks += [b'"guideline": ', fragment(corpus.guideline), b", "]

    def array(name: str, models: Iterable[Any]) -> None:
        chunks.append(f'"{name}": ['.encode())
        for i, model in enumerate(models):
            if i:
                chunks.append(b", ")
            chunks.append(fragment(model))
        chunks.append(b"], ")

    for kind, collection in outline.collections(corpus).items():
        if kind not in SPECIAL:
            array(ARRAY_NAMES.get(kind, kind), outline.members(collection))
    chunks += [f'"{calculator_export.SECTION}": '.encode(), _calculators(cache), b", "]
    references = cache.export_references if cache is not None and references_unchanged else None
    if references is None:
        references = b", ".join(
            json.dumps(key).encode()
            + b": "
            + fragment(ref, key, numbering.numbers.get(key), formatted[key][1])
            for key, ref in corpus.references.items()
        )
        if cache is not None:
            cache.export_references = references
    chunks += [b'"references": {', references, b"}}\n"]
    return chunks


def _calculators(cache: RenderCache | None) -> bytes:
    """Each calculator with its version and its worked examples' inputs and outputs, so the
    next edition's comparison says which calculators changed (build_tools.calculator_export);
    made once per build context (the calculators do not change while it lives)."""
    made = cache.export_calculators if cache is not None else None
    if made is None:
        made = json.dumps(calculator_export.records(), ensure_ascii=False).encode()
        if cache is not None:
            cache.export_calculators = made
    return made


def files(job: ExportInput) -> Mapping[str, bytes]:
    """The file alone (outside a site build: the render numbers its references)."""
    from build_tools import generator

    made, _ = generator.build_files(job.ctx, job.corpus)
    return {NAME: made[NAME]}


EXPORT = Export("guideline.json", "pages", files)
