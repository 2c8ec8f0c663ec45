"""The content store: what the content layer keeps between loads, and its identity rule.

The identity rule lives here and only here:

    An unchanged file yields the very same objects.

A file is unchanged when its bytes are (`parsed`: the same `Located` parse is handed back
while a file's signature or digest is the same). Every later memo is keyed by file and
kept with the parse it was made from, and is reused only while `memo[0] is located`: the
validated objects (`validated`), the cross-references found in them (`facts`), and the
file's cross-check against the corpus-wide id sets (`checked`, reused only while `known`
is the same object too). So an unchanged file hands the publishers the same model objects,
and they may compare by identity (`is`) to know nothing changed (the render memos rely on
it; `corpus.objects()` lists what they compare).

One store belongs to one BuildContext (a build, or a `make serve` session); a fresh store
reads and checks everything again, which is always correct, only slower.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from build_tools.corpus import Loaded, Origin
    from build_tools.diagnostics import Problem
    from build_tools.yamlsource import Located, Parsed


@dataclass
class ContentStore:
    """Per-file memos of the content layer, owned by one BuildContext."""

    parsed: dict[str, Parsed] = field(default_factory=dict)
    """Parsed files by path (and display name): see build_tools.yamlsource.read_yaml."""
    validated: dict[str, tuple[Located, list[tuple[BaseModel, Origin]]]] = field(
        default_factory=dict
    )
    """A valid file's objects, with the parse they came from."""
    facts: dict[str, tuple[Located, list[tuple[Any, ...]]]] = field(default_factory=dict)
    """What a file says that must be checked against the rest (build_tools.crossrefs)."""
    checked: dict[str, tuple[Located, object, list[Problem], frozenset[str]]] = field(
        default_factory=dict
    )
    """A file's cross-check: its problems and the references it cites, with the parse and
    the id sets (`known`) it was checked against."""
    editions: dict[str, tuple[int, Any]] = field(default_factory=dict)
    """A kept edition's items by its path, with the file's modification time: what the
    withdrawals are checked against (build_tools.withdrawals)."""
    known: object = None
    """The id sets of the last cross-check, one object so memos can compare by identity."""
    last: Loaded | None = None
    """The last successful load, where a load told what changed starts (loader._reload)."""
