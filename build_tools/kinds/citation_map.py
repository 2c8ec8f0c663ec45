"""content/citation_map.yaml: the reviews' in-text citations reconciled to the papers (a
record: checked, but citing nothing itself)."""

from build_tools import schema
from build_tools.kinds.base import Kind

KIND = Kind(
    name="citation_map",
    model=schema.CitationMapItem,
    pattern="citation_map.yaml",
    per_file=False,
    shape="list",
    summary=lambda c: c.section,
    cites=False,
)
