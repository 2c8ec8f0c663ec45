"""The kind registry: every kind declared once, and what each names found from its types."""

from __future__ import annotations

import pytest

from build_tools import crossrefs, kinds, schema
from build_tools.kinds.base import Kind


def test_each_kind_has_its_own_files_and_the_format_page_lists_every_kind() -> None:
    patterns = [kind.pattern for kind in kinds.KINDS]
    assert len(set(patterns)) == len(patterns)
    assert list(schema.CONTENT_FILES) == patterns
    assert kinds.kind_of("entries/ivig.yaml") is kinds.BY_NAME["entries"]
    assert kinds.kind_of("recommendations/R-ILD-01.yaml") is kinds.BY_NAME["recommendations"]
    assert kinds.kind_of("entries/.ivig.yaml.swp") is None
    assert kinds.kind_of("notes.txt") is None


def _targets(model: type) -> dict[str, str]:
    return {key: refers.target for _, key, refers, _ in crossrefs.PLAN[model] if refers is not None}


def test_cross_references_are_found_by_type_not_by_key_name() -> None:
    assert _targets(schema.Entry) == {
        "antibodies": "antibody",
        "calculators": "calculator",
        "see_also": "entry",
    }
    assert _targets(schema.SourceLocator) == {"document": "source"}
    assert _targets(schema.Regimen) == {"calculator": "calculator", "refs": "reference"}
    assert _targets(schema.AlgorithmEdge) == {"refs": "reference"}  # from/to name nodes
    # A definition is not a reference: a reference's own id and its cited_as names are not
    # checked against the references.
    assert _targets(schema.Reference) == {}


def test_only_a_kind_held_by_id_one_per_file_may_take_the_incremental_path() -> None:
    with pytest.raises(ValueError, match="only a kind of one object per file"):
        Kind("notes", schema.GlossaryTerm, "notes.yaml", False, "list", str, incremental=True)
    assert [k.name for k in kinds.KINDS if k.incremental] == ["entries"]
