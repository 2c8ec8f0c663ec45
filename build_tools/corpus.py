"""The validated corpus: every kind's collection, and where each object was read.

The collections are held by kind name (`build_tools.kinds`); `collections()` and
`objects()` are what publishers iterate. The named properties (`corpus.entries`,
`corpus.references`, ...) are typed views of the same collections for code that works
with one kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from build_tools import kinds, schema
from build_tools.yamlsource import Key, Located, key_name

if TYPE_CHECKING:
    from build_tools.context import CalculatorCatalog
    from build_tools.kinds.recommendation import Recommendation


@dataclass(frozen=True)
class Origin:
    """Where a validated object was read: for error messages and incremental rebuilds."""

    located: Located
    key: Key

    def at(self, *more: str | int) -> tuple[str, int, int, str]:
        key = (*self.key, *more)
        line, col = self.located.where(key)
        return str(self.located.path), line, col, key_name(key)


Collection = Mapping[str, BaseModel] | Sequence[BaseModel]


@dataclass
class Corpus:
    """Everything in content/, validated and cross-checked.

    `held`: each kind's collection by kind name, as its `Kind.shape` says: the object itself
    ("single"), a dict by id in file order ("keyed"), or a list in file order ("list").
    """

    held: Mapping[str, Any]
    origins: dict[int, Origin] = field(default_factory=dict, repr=False)

    def origin(self, obj: object) -> Origin | None:
        return self.origins.get(id(obj))

    def collections(self) -> Mapping[str, Collection]:
        """Every kind's objects by kind name, in registry order (a single object as a
        one-item sequence)."""
        out: dict[str, Collection] = {}
        for kind in kinds.KINDS:
            value = self.held.get(kind.name)
            if kind.shape == "single":
                out[kind.name] = () if value is None else (value,)
            else:
                out[kind.name] = value if value is not None else ()
        return out

    def objects(self) -> list[BaseModel]:
        """Every validated top-level object of every kind (what identity checks compare)."""
        found: list[BaseModel] = []
        for collection in self.collections().values():
            found.extend(collection.values() if isinstance(collection, Mapping) else collection)
        return found

    def replacing(self, name: str, collection: Any, origins: dict[int, Origin]) -> Corpus:
        """This corpus with one kind's collection (and the origins) replaced."""
        return Corpus({**self.held, name: collection}, origins)

    # Typed views of the collections, for code that works with one kind.
    @property
    def guideline(self) -> schema.Guideline:
        return self.held["guideline"]  # type: ignore[no-any-return]

    @property
    def domains(self) -> list[schema.DomainPage]:
        return self.held["domains"]  # type: ignore[no-any-return]

    @property
    def entries(self) -> dict[str, schema.Entry]:
        return self.held["entries"]  # type: ignore[no-any-return]

    @property
    def antibodies(self) -> list[schema.Antibody]:
        return self.held["antibodies"]  # type: ignore[no-any-return]

    @property
    def algorithms(self) -> dict[str, schema.Algorithm]:
        return self.held["algorithms"]  # type: ignore[no-any-return]

    @property
    def glossary(self) -> list[schema.GlossaryTerm]:
        return self.held["glossary"]  # type: ignore[no-any-return]

    @property
    def references(self) -> dict[str, schema.Reference]:
        return self.held["references"]  # type: ignore[no-any-return]

    @property
    def discrepancies(self) -> list[schema.Discrepancy]:
        return self.held["discrepancies"]  # type: ignore[no-any-return]

    @property
    def citation_map(self) -> list[schema.CitationMapItem]:
        return self.held["citation_map"]  # type: ignore[no-any-return]

    @property
    def recommendations(self) -> dict[str, Recommendation]:
        return self.held["recommendations"]  # type: ignore[no-any-return]


@dataclass
class Loaded:
    """The last successful load, which a load told what changed starts from."""

    content: str
    calculators: CalculatorCatalog
    corpus: Corpus
    # A file of an incremental kind (its path as read) → the ids it defines, in order.
    files: dict[str, list[tuple[str, str]]]
    known: object  # the id sets its cross-check used (build_tools.crossrefs)
