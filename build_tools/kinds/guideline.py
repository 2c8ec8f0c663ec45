"""content/guideline.yaml: what this guideline is and where it came from (exactly one)."""

from build_tools import schema
from build_tools.kinds.base import Kind

KIND = Kind(
    name="guideline",
    model=schema.Guideline,
    pattern="guideline.yaml",
    per_file=True,
    shape="single",
    summary=lambda g: g.title,
    required=True,
    defines=lambda g: (("source", s) for s in g.sources),
)
