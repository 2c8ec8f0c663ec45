"""Each page's own references for reference managers: `exports/pages/<page>.{json,bib,ris}`.

A trainee reading a chapter pulls exactly the references that page cites into Zotero or
EndNote, from the line under the page's references ("Download the N references cited on
this page"). The set is the page's citations as the site render recorded them (the
citer's sequence, build_tools.citer), the very data the page's citation marks are numbered
from, never read back from HTML; the files are written by the whole-guideline writers
(build_tools.refexport), in the order of the site's reference numbers.

The files are generated with the pages (stage `pages`), into the docs folder: the engine
then knows them as files of the site, so the page's Markdown link to one is resolved for
folder URLs (`page/`) and for the offline copy's `page.html` URLs alike, and the offline
copy carries them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from build_tools import refexport
from build_tools.exports import Export, ExportInput

if TYPE_CHECKING:
    from build_tools import schema

FOLDER: Final = "exports/pages"
FORMATS: Final[tuple[tuple[str, str], ...]] = (
    ("csl", "CSL-JSON"),
    ("bibtex", "BibTeX"),
    ("ris", "RIS"),
)
"""refexport's formats, in the order the page's line names them, with their labels."""


def _suffix(fmt: str) -> str:
    return posixpath.splitext(refexport.FILES[fmt])[1]


def slug(page_path: str) -> str:
    """A page's source path as one file name: "therapies/azathioprine.md" →
    "therapies-azathioprine", "study/ild/index.md" → "study-ild"."""
    stem = page_path.removesuffix(".md").removesuffix("/index")
    return stem.replace("/", "-")


def file_path(page_path: str, fmt: str) -> str:
    """Where a page's references in one format are, relative to the site's root."""
    return f"{FOLDER}/{slug(page_path)}{_suffix(fmt)}"


@dataclass(frozen=True)
class Download:
    """One format's link on a page: its label, its file, the name it is saved under."""

    label: str
    path: str  # relative to the site's root (a docs-folder path)
    filename: str


def downloads(page_path: str) -> list[Download]:
    """The page's download links, one per format."""
    return [
        Download(label, file_path(page_path, fmt), f"{slug(page_path)}-references{_suffix(fmt)}")
        for fmt, label in FORMATS
    ]


def cited(sequence: Iterable[tuple[str, str]], numbers: Mapping[str, int]) -> list[str]:
    """A page's reference keys, each once, in the order of their numbers on the site."""
    keys = list(dict.fromkeys(key for key, _anchor in sequence))
    return sorted(keys, key=lambda key: numbers.get(key, 0))


def made(
    references: Mapping[str, schema.Reference],
    sequences: Mapping[str, Iterable[tuple[str, str]]],
    numbers: Mapping[str, int],
) -> dict[str, bytes]:
    """Every citing page's three files (docs-folder path → bytes); a page that cites
    nothing has none (and its template shows no download line)."""
    out: dict[str, bytes] = {}
    for page_path, sequence in sequences.items():
        keys = cited(sequence, numbers)
        if not keys:
            continue
        data = refexport.exports(references[key] for key in keys)
        for fmt, _label in FORMATS:
            out[file_path(page_path, fmt)] = data[refexport.FILES[fmt]]
    return out


def files(job: ExportInput) -> Mapping[str, bytes]:
    """The files alone (outside a site build, the render records what each page cites)."""
    from build_tools import generator

    generated, _site = generator.build_files(job.ctx, job.corpus)
    return {path: data for path, data in generated.items() if path.startswith(FOLDER + "/")}


EXPORT = Export("References of each page (CSL-JSON, BibTeX, RIS)", "pages", files)
