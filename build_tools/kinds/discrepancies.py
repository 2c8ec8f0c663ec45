"""content/citation_discrepancies.yaml: reviewed places where a printed citation number and
the right paper differ (a record: checked, but citing nothing itself)."""

from build_tools import schema
from build_tools.kinds.base import Kind

KIND = Kind(
    name="discrepancies",
    model=schema.Discrepancy,
    pattern="citation_discrepancies.yaml",
    per_file=False,
    shape="list",
    summary=lambda d: d.section,
    cites=False,
)
