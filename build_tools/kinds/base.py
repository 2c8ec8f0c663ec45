"""What a content kind declares: its model, its files, its shape, and how it is published.

A kind is declared once, in its own module of this package; the loader, the incremental
path, the references check, the schema page and (through `pages`) the publishers iterate
the registry (`build_tools.kinds.KINDS`) instead of naming kinds one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

Shape = Literal["single", "keyed", "list"]


@dataclass(frozen=True)
class PagePlan:
    """How a kind's objects are published, said without naming a publisher.

    `path` is a pattern filled from the object's fields ("recommendations/{id}.md"); the
    templates are names under site_templates/pages/ (the print one under
    site_templates/print/, or None when the handbook does not print the kind). `index` and
    `index_template` are the listing page of all objects of the kind. `context(obj, corpus)`
    and `index_context(corpus)` give the templates what they show besides the object
    itself (the titles of what it links to, the listing's groups), computed from the corpus
    alone; a publisher adds its own (`page`, `cite`, `link_path`, `entry_path`, `xref`).
    """

    section: str
    path: str
    template: str
    print_template: str | None
    title: Callable[[Any], str]
    index: str
    index_template: str
    index_title: str
    context: Callable[[Any, Any], Mapping[str, Any]]
    index_context: Callable[[Any], Mapping[str, Any]]

    def path_of(self, obj: BaseModel) -> str:
        return self.path.format(**obj.model_dump())


@dataclass(frozen=True)
class Kind:
    """One kind of content.

    - `name`: the collection's name on the corpus (`corpus.entries`) and in exports.
    - `pattern`: where its files are, relative to content/ ("entries/*.yaml").
    - `per_file`: one object per file; otherwise each file holds a list of them.
    - `shape`: how the corpus holds them: "single" (the one object), "keyed" (a mapping by
      id, in file order) or "list" (in file order).
    - `unique`: the word for "duplicate {unique} id" when ids must be unique, else None.
    - `summary`: the one line a listing shows for an object.
    - `incremental`: an edit to one of its files that keeps its ids and what it cites may
      be read alone (the fast serve path); other kinds' edits read every file, because
      other files are checked against them.
    - `cites`: its references count as citations (records of the reviews' own citation
      lists do not: they are checked, but do not make a reference "cited"), and its prose
      is checked for inline citations, entry links and uncited numbers.
    - `required`: the corpus is incomplete without it (guideline.yaml).
    - `defines`: the ids its objects give other objects to name, by target
      (`schema.Refers`): an entry defines its own id and those of its regimens and evidence.
    - `check`: the kind's own checks of one object, beyond its model and its references:
      (key within the object, message) for each problem (an algorithm's edges join nodes
      it has).
    - `pages`: how its objects are published, when they have pages of their own.
    """

    name: str
    model: type[BaseModel]
    pattern: str
    per_file: bool
    shape: Shape
    summary: Callable[[Any], str]
    unique: str | None = None
    incremental: bool = False
    cites: bool = True
    required: bool = False
    defines: Callable[[Any], Iterable[tuple[str, str]]] | None = None
    check: Callable[[Any], Iterable[tuple[tuple[str | int, ...], str]]] | None = None
    pages: PagePlan | None = None

    def __post_init__(self) -> None:
        if self.incremental and not (self.per_file and self.shape == "keyed"):
            raise ValueError(
                f"kind {self.name!r}: only a kind of one object per file, held by id, can be "
                "read alone after an edit (incremental)"
            )
        if self.shape == "keyed" and self.unique is None:
            raise ValueError(f"kind {self.name!r}: a kind held by id needs `unique`")

    def key_of(self, obj: BaseModel) -> str:
        """The id a keyed or unique kind files an object under."""
        return str(getattr(obj, "id", ""))
