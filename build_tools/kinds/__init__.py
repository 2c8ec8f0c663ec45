"""The content kinds, one module each, in the order the format page lists them.

Iterated by the loader (which files, which model, which shape), its incremental path
(which kinds an edit may be read alone for), the references check (through the schema's
typed identifiers, `schema.Refers`), the schema page, and the publishers (`Kind.pages`).
Adding a kind is one module here plus its templates.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from types import MappingProxyType

from build_tools.kinds import (
    algorithms,
    antibodies,
    citation_map,
    discrepancies,
    domains,
    entries,
    glossary,
    guideline,
    recommendation,
    references,
    withdrawals,
)
from build_tools.kinds.base import Kind, PagePlan, Shape

__all__ = ["BY_NAME", "KINDS", "Kind", "PagePlan", "Shape", "kind_of"]

KINDS: tuple[Kind, ...] = (
    guideline.KIND,
    domains.KIND,
    entries.KIND,
    antibodies.KIND,
    algorithms.KIND,
    glossary.KIND,
    references.KIND,
    discrepancies.KIND,
    citation_map.KIND,
    recommendation.KIND,
    withdrawals.KIND,
)
BY_NAME: Mapping[str, Kind] = MappingProxyType({kind.name: kind for kind in KINDS})


def kind_of(rel: str) -> Kind | None:
    """The kind a path relative to content/ holds, as the loader would list it (None for
    anything else: a hidden file, an editor's backup, a file of no kind)."""
    folder, _, name = rel.rpartition("/")
    if name.startswith("."):
        return None
    for kind in KINDS:
        base, _, match = kind.pattern.rpartition("/")
        if base == folder and fnmatch.fnmatchcase(name, match):
            return kind
    return None
