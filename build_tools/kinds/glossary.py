"""content/glossary.yaml: terms and abbreviations."""

from build_tools import schema
from build_tools.kinds.base import Kind

KIND = Kind(
    name="glossary",
    model=schema.GlossaryTerm,
    pattern="glossary.yaml",
    per_file=False,
    shape="list",
    summary=lambda t: t.term,
)
