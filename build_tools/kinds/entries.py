"""content/entries/*.yaml: therapy monographs and topic pages, one per file.

The one kind whose edits take the incremental path: every other page holds an entry's
summary, never the entry, so an edit that keeps its id, title and citations re-renders its
own page alone.
"""

from collections.abc import Iterator

from build_tools import schema
from build_tools.kinds.base import Kind


def _defines(entry: schema.Entry) -> Iterator[tuple[str, str]]:
    yield "entry", entry.id
    for regimen in entry.regimens:
        yield "regimen", regimen.id
    for item in entry.evidence:
        yield "evidence", item.id


KIND = Kind(
    name="entries",
    model=schema.Entry,
    pattern="entries/*.yaml",
    per_file=True,
    shape="keyed",
    summary=lambda e: e.title,
    unique="entry",
    incremental=True,
    defines=_defines,
)
