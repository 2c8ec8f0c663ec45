"""content/references/*.yaml: CSL-JSON items, each file a list."""

from build_tools import schema
from build_tools.kinds.base import Kind

KIND = Kind(
    name="references",
    model=schema.Reference,
    pattern="references/*.yaml",
    per_file=False,
    shape="keyed",
    summary=lambda r: r.title or r.container_title or r.id,
    unique="reference",
    cites=False,
    defines=lambda r: [("reference", r.id)],
)
