"""Cross-references: what each file names that must exist elsewhere in the corpus.

Which values name another object is declared in the schema, by type (`schema.Refers` on
`RefKey`, `EntryId`, `AntibodyId`, `CalculatorRef`, ...), and found by walking the
validated models for those annotations: a new field that names a reference is checked by
being declared with the type, never by teaching this module its key name. Prose is read
for what it names inline ([@key] citations, [label](entry:id) links), and for numbers that
cite nothing.

Each file's findings and its check are kept in the ContentStore with the parse they came
from, so after an edit only what changed is walked and checked again.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from build_tools import kinds, schema
from build_tools.context import CalculatorCatalog
from build_tools.corpus import Corpus, Origin
from build_tools.diagnostics import Problem, Problems
from build_tools.kinds import Kind
from build_tools.store import ContentStore
from build_tools.yamlsource import Key, Located, key_name

CITATION = re.compile(r"\[(@[^\]]+)\]")
CITATION_KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_-]*)")
# A link from prose to another entry: [label](entry:id) (see build_tools.prose).
ENTRY_LINK = re.compile(r"\]\(entry:([a-z0-9][a-z0-9-]*)\)")
# A number that reads as a quantity (not part of a name such as Ro52, PL-12 or IL-6).
QUANTITY = re.compile(r"(?<![A-Za-z0-9\-/.γβα])\d+(?:[.,]\d+)?(?!\s*-?[A-Za-z]*\d)")
# Keys whose value is prose that may carry numbers and inline citations.
PROSE_KEYS: AbstractSet[str] = frozenset(
    {"text", "claim", "titration", "renal_adjustment", "notes", "definition"}
)


def citation_keys(text: str) -> list[str]:
    """Reference keys cited inline as [@key] or [@a; @b]."""
    keys: list[str] = []
    for group in CITATION.findall(text):
        keys.extend(CITATION_KEY.findall(group))
    return keys


# --- the typed references of each model, read once from the schema ------------------------

# A model field as the walk sees it: attribute, key in the file (its alias), what it refers
# to (or None), and the models it may hold (to walk into).
Field = tuple[str, str, schema.Refers | None, tuple[type[BaseModel], ...]]


def _refers(annotation: Any) -> schema.Refers | None:
    if typing.get_origin(annotation) is typing.Annotated:
        found = [m for m in typing.get_args(annotation)[1:] if isinstance(m, schema.Refers)]
        if found:
            return found[0]
    for arg in typing.get_args(annotation):
        refers = _refers(arg)
        if refers is not None:
            return refers
    return None


def _models(annotation: Any) -> tuple[type[BaseModel], ...]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation,)
    return tuple(m for arg in typing.get_args(annotation) for m in _models(arg))


def _plan(roots: Iterable[type[BaseModel]]) -> dict[type[BaseModel], tuple[Field, ...]]:
    plan: dict[type[BaseModel], tuple[Field, ...]] = {}
    todo = list(roots)
    while todo:
        model = todo.pop()
        if model in plan:
            continue
        fields: list[Field] = []
        for name, info in model.model_fields.items():
            refers = next((m for m in info.metadata if isinstance(m, schema.Refers)), None)
            refers = refers or _refers(info.annotation)
            nested = () if refers else _models(info.annotation)
            if refers or nested:
                fields.append((name, info.alias or name, refers, nested))
            todo.extend(nested)
        plan[model] = tuple(fields)
    return plan


PLAN: Mapping[type[BaseModel], tuple[Field, ...]] = MappingProxyType(
    _plan(kind.model for kind in kinds.KINDS)
)
"""Each content model's fields that name another object or hold models that may."""


def typed_refs(obj: BaseModel, key: Key) -> Iterator[tuple[Key, str, Any]]:
    """(key of the field, target, value) for every typed reference held by `obj`."""
    for name, alias, refers, nested in PLAN.get(type(obj), ()):
        value = getattr(obj, name)
        if value is None:
            continue
        at = (*key, alias)
        if refers is not None:
            yield at, refers.target, value
        elif isinstance(value, BaseModel):
            yield from typed_refs(value, at)
        elif isinstance(value, list | tuple) and nested:
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from typed_refs(item, (*at, i))


# --- what a file names, in file order ------------------------------------------------------

# ("ref", key, reference id, counts as a citation)   ("document", key, source id)
# ("id", key, target, id)   ("problem", Problem)
Fact = tuple[Any, ...]


def _walk(data: Any, key: Key = ()) -> Iterator[tuple[Key, Any]]:
    yield key, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, (*key, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk(v, (*key, i))


def _facts_of(target: str, key: Key, value: Any, cites: bool) -> Iterator[Fact]:
    values = value if isinstance(value, list) else None
    if target == "reference":
        if values is None:
            yield ("ref", key, value, cites)
        for i, ref in enumerate(values or ()):
            yield ("ref", (*key, i), ref, cites)
    elif target == "source":
        yield ("document", key, value)
    elif values is None:
        # A single id is reported as the first of a list (as calculator ids always were).
        yield ("id", (*key, 0) if target == "calculator" else key, target, value)
    else:
        for i, item in enumerate(values):
            yield ("id", (*key, i), target, item)


def file_facts(
    store: ContentStore, located: Located, kind: Kind, objects: list[tuple[BaseModel, Origin]]
) -> list[Fact]:
    """What a file names, in the order it is written (problems are reported in that order)."""
    memo = store.facts.get(str(located.path))
    if memo is not None and memo[0] is located:
        return memo[1]
    anchored: dict[Key, list[tuple[str, Any]]] = {}
    for obj, origin in objects:
        for at, target, value in typed_refs(obj, origin.key):
            anchored.setdefault(at, []).append((target, value))
    facts: list[Fact] = []
    for key, value in _walk(located.data):
        for target, named in anchored.pop(key, ()):
            facts.extend(_facts_of(target, key, named, kind.cites))
        if not kind.cites:
            continue
        if isinstance(value, str):
            for ref in citation_keys(value):
                facts.append(("ref", key, ref, True))
            for target in ENTRY_LINK.findall(value):
                facts.append(("id", key, "entry", target))
        if isinstance(value, dict):
            local = Problems()
            _check_numbers_cited(value, located, key, local)
            facts.extend(("problem", problem) for problem in local)
    for key, named_here in anchored.items():  # a value the model holds but the file did not
        for target, named in named_here:
            facts.extend(_facts_of(target, key, named, kind.cites))
    store.facts[str(located.path)] = (located, facts)
    return facts


# --- checking them against the corpus ------------------------------------------------------

Known = Mapping[str, frozenset[str] | None]
"""The ids each target may name (None: not checked, e.g. calculators when absent)."""


def known_ids(corpus: Corpus, calculator_ids: frozenset[str] | None) -> dict[str, Any]:
    """The ids of every target, from what each kind defines (`Kind.defines`)."""
    found: dict[str, set[str]] = {}
    for kind in kinds.KINDS:
        if kind.defines is None:
            continue
        collection = corpus.collections()[kind.name]
        objects = collection.values() if isinstance(collection, Mapping) else collection
        for obj in objects:
            for target, value in kind.defines(obj):
                found.setdefault(target, set()).add(value)
    known: dict[str, Any] = {t: frozenset(found.get(t, ())) for t in typing.get_args(schema.Target)}
    known["calculator"] = calculator_ids
    return known


def cross_check(
    store: ContentStore,
    corpus: Corpus,
    files: list[tuple[Located, Kind]],
    calculators: CalculatorCatalog,
    problems: Problems,
) -> None:
    """Every file's references against the corpus, each kind's own checks, and references
    nobody cites."""
    refs = corpus.references
    cited: set[str] = set()
    calculator_references = calculators.references if calculators.present else {}
    known: object = known_ids(corpus, calculators.ids if calculators.present else None)
    if known == store.known:
        known = store.known
    store.known = known
    for located, kind in files:
        found, cited_here = checked(store, located, kind, known)
        problems.extend(found)
        cited |= cited_here
    for kind in kinds.KINDS:
        if kind.check is None:
            continue
        collection = corpus.collections()[kind.name]
        for obj in collection.values() if isinstance(collection, Mapping) else collection:
            origin = corpus.origins[id(obj)]
            for key, message in kind.check(obj):
                problems.add(*origin.at(*key), message)
    for calc_id, calc_refs in calculator_references.items():
        for ref in calc_refs:
            if ref not in refs:
                problems.add(
                    "calculators",
                    1,
                    1,
                    calc_id,
                    f"cites unknown reference key {ref!r} (add it to content/references/)",
                )
    cited.update(corpus.guideline.sources)
    for dis in corpus.discrepancies:
        cited.add(dis.source)
    calculator_cited = {r for refs_of in calculator_references.values() for r in refs_of}
    for ref_id, reference in refs.items():
        if ref_id not in cited and ref_id not in calculator_cited:
            problems.add(
                *corpus.origins[id(reference)].at("id"),
                f"reference {ref_id!r} is never cited (cite it or remove it)",
            )


def checked(
    store: ContentStore, located: Located, kind: Kind, known: object
) -> tuple[list[Problem], frozenset[str]]:
    """One file's problems and the references it cites, checked once per parse and id sets."""
    memo = store.checked.get(str(located.path))
    if memo is None or memo[0] is not located or memo[1] is not known:
        local = Problems()
        found: set[str] = set()
        objects = store.validated.get(str(located.path), (located, []))[1]
        for fact in file_facts(store, located, kind, objects):
            _check_fact(fact, located, known, local, found)  # type: ignore[arg-type]
        memo = (located, known, local.items, frozenset(found))
        store.checked[str(located.path)] = memo
    return memo[2], memo[3]


def _check_fact(
    fact: Fact, located: Located, known: Known, problems: Problems, cited: set[str]
) -> None:
    what, key = fact[0], fact[1]
    if what == "ref":
        if fact[2] not in (known["reference"] or ()):
            _problem_at(
                problems,
                located,
                key,
                f"unknown reference key {fact[2]!r} (not in content/references/)",
            )
        if fact[3]:
            cited.add(fact[2])
    elif what == "document":
        sources = known["source"] or frozenset()
        if fact[2] not in sources:
            _problem_at(
                problems,
                located,
                key,
                f"unknown source document {fact[2]!r} (expected one of: "
                f"{', '.join(sorted(sources))})",
            )
    elif what == "id":
        ids = known[fact[2]]
        if ids is not None and fact[3] not in ids:
            _problem_at(problems, located, key, f"unknown {fact[2]} id {fact[3]!r}")
    elif what == "problem":
        problems.extend([fact[1]])


def _problem_at(problems: Problems, located: Located, key: Key, message: str) -> None:
    """A problem at the position of `key` in the file it was read from."""
    line, col = located.where(key)
    problems.add(located.path, line, col, key_name(key), message)


def _check_numbers_cited(
    value: dict[str, Any], located: Located, key: Key, problems: Problems
) -> None:
    """Every clinical number needs a source: prose with a quantity must cite something."""
    if "refs" not in value and not any(k in value for k in PROSE_KEYS):
        return
    has_refs = bool(value.get("refs"))
    for prose_key in PROSE_KEYS & value.keys():
        text = value[prose_key]
        if not isinstance(text, str):
            continue
        if QUANTITY.search(text) and not has_refs and not citation_keys(text):
            _problem_at(
                problems,
                located,
                (*key, prose_key),
                "states a number but cites no reference (add refs: or [@key])",
            )
