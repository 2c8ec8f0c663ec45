"""The references for reference managers: `exports/references.{json,bib,ris}` (CSL-JSON,
BibTeX, RIS; build_tools.refexport)."""

from __future__ import annotations

from collections.abc import Mapping

from build_tools import refexport
from build_tools.exports import Export, ExportInput

FOLDER = "exports"


def files(job: ExportInput) -> Mapping[str, bytes]:
    made = refexport.exports(job.corpus.references.values())
    return {f"{FOLDER}/{name}": data for name, data in made.items()}


EXPORT = Export("References (CSL-JSON, BibTeX, RIS)", "site", files)
