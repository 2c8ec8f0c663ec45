"""content/domains.yaml: one page per disease domain, the options in order."""

from build_tools import schema
from build_tools.kinds.base import Kind

KIND = Kind(
    name="domains",
    model=schema.DomainPage,
    pattern="domains.yaml",
    per_file=False,
    shape="list",
    summary=lambda d: d.title,
)
