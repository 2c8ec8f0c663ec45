"""content/antibodies.yaml: the myositis-specific and -associated antibodies."""

from build_tools import schema
from build_tools.kinds.base import Kind

KIND = Kind(
    name="antibodies",
    model=schema.Antibody,
    pattern="antibodies.yaml",
    per_file=False,
    shape="list",
    summary=lambda a: a.name,
    unique="antibody",
    defines=lambda a: [("antibody", a.id)],
)
