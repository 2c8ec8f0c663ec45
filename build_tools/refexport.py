"""The guideline's references for reference managers: CSL-JSON, BibTeX and RIS.

A trainee pulls the references into Zotero or EndNote from these files rather than retyping
them. CSL-JSON is what `content/references/` already holds (minus this project's own keys);
BibTeX and RIS are written by maintained libraries (`bibtexparser`, `rispy`) rather than by
hand, because both formats have escaping and field rules that are easy to get subtly wrong.
The same libraries read the files back in the tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import rispy
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field

from build_tools import schema
from build_tools.citations import csl_item

FILES: Mapping[str, str] = {
    "csl": "references.json",
    "bibtex": "references.bib",
    "ris": "references.ris",
}
"""Format → file name, inside the site's export folder."""

# CSL item type → (BibTeX entry type, RIS reference type).
_TYPES: Mapping[str, tuple[str, str]] = {
    "article-journal": ("article", "JOUR"),
    "article": ("article", "JOUR"),
    "book": ("book", "BOOK"),
    "chapter": ("incollection", "CHAP"),
    "report": ("techreport", "RPRT"),
    "webpage": ("misc", "ELEC"),
    "legislation": ("misc", "GEN"),
    "dataset": ("misc", "DATA"),
}
_DEFAULT_TYPE = ("misc", "GEN")


def _names(ref: schema.Reference) -> list[str]:
    """Authors as "Family, Given" (or the literal name of an organisation)."""
    out = []
    for name in ref.author:
        if name.literal:
            out.append(name.literal)
        elif name.family and name.given:
            out.append(f"{name.family}, {name.given}")
        elif name.family:
            out.append(name.family)
    return out


def _year(ref: schema.Reference) -> str | None:
    if ref.issued and ref.issued.date_parts and ref.issued.date_parts[0]:
        return str(ref.issued.date_parts[0][0])
    return None


def to_csl_json(refs: Iterable[schema.Reference]) -> bytes:
    """Plain CSL-JSON, as Zotero and pandoc read it."""
    items = [csl_item(ref) for ref in refs]
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode()


def _bibtex_entry(ref: schema.Reference) -> Entry:
    kind = _TYPES.get(ref.type, _DEFAULT_TYPE)[0]
    fields: list[tuple[str, str | None]] = [
        ("author", " and ".join(f"{{{n}}}" if "," not in n else n for n in _names(ref)) or None),
        ("title", ref.title),
        ("journal" if kind == "article" else "howpublished", ref.container_title),
        ("publisher", ref.publisher),
        ("year", _year(ref)),
        ("volume", ref.volume),
        ("number", ref.issue),
        ("pages", ref.page.replace("-", "--") if ref.page else None),
        ("doi", ref.DOI),
        ("pmid", ref.PMID),
        ("url", ref.URL),
        ("note", ref.note),
    ]
    return Entry(kind, ref.id, [Field(k, v) for k, v in fields if v])


def to_bibtex(refs: Iterable[schema.Reference]) -> bytes:
    """BibTeX, one entry per reference, keyed by the guideline's reference id."""
    library = Library([_bibtex_entry(ref) for ref in refs])
    return write_string(library).encode()


def _ris_record(ref: schema.Reference) -> dict[str, object]:
    record: dict[str, object] = {"type_of_reference": _TYPES.get(ref.type, _DEFAULT_TYPE)[1]}
    record["id"] = ref.id
    if names := _names(ref):
        record["authors"] = names
    values = {
        "primary_title": ref.title,
        "secondary_title": ref.container_title,
        "publisher": ref.publisher,
        "year": _year(ref),
        "volume": ref.volume,
        "number": ref.issue,
        "doi": ref.DOI,
        "urls": [ref.URL] if ref.URL else None,
        "notes": [ref.note] if ref.note else None,
    }
    if ref.page:
        start, _, end = ref.page.partition("-")
        values["start_page"] = start
        values["end_page"] = end or None
    if ref.PMID:
        values["accession_number"] = f"PMID:{ref.PMID}"
    record.update({k: v for k, v in values.items() if v})
    return record


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without its numbered header line before each record ("1."), which
    plain RIS does not have and some importers show as a stray line."""

    def set_header(self, count: int) -> str | None:
        return None


def to_ris(refs: Iterable[schema.Reference]) -> bytes:
    """RIS, as EndNote and Zotero import it."""
    text: str = rispy.dumps([_ris_record(ref) for ref in refs], implementation=_RisWriter)
    return text.encode()


def exports(refs: Iterable[schema.Reference]) -> dict[str, bytes]:
    """File name → bytes, for every format in FILES."""
    ordered = list(refs)
    return {
        FILES["csl"]: to_csl_json(ordered),
        FILES["bibtex"]: to_bibtex(ordered),
        FILES["ris"]: to_ris(ordered),
    }
