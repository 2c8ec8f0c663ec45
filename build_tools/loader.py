"""Read and check all of content/, then hand over a complete model or a complete error list.

Two phases, as pelican and mkdocs do it: nothing is rendered from partially valid content,
and every problem from every file is reported in one run.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
from collections.abc import Collection, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from build_tools import schema
from build_tools.diagnostics import ContentError, Problem, Problems
from build_tools.yamlsource import Key, Located, key_name, read_yaml

CITATION = re.compile(r"\[(@[^\]]+)\]")
CITATION_KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_-]*)")
# A link from prose to another entry: [label](entry:id) (see build_tools.prose).
ENTRY_LINK = re.compile(r"\]\(entry:([a-z0-9][a-z0-9-]*)\)")
# A number that reads as a quantity (not part of a name such as Ro52, PL-12 or IL-6).
QUANTITY = re.compile(r"(?<![A-Za-z0-9\-/.γβα])\d+(?:[.,]\d+)?(?!\s*-?[A-Za-z]*\d)")


@dataclass(frozen=True)
class Origin:
    """Where a validated object was read: for error messages and incremental rebuilds."""

    located: Located
    key: Key

    def at(self, *more: str | int) -> tuple[str, int, int, str]:
        key = (*self.key, *more)
        line, col = self.located.where(key)
        return str(self.located.path), line, col, key_name(key)


@dataclass
class Corpus:
    """Everything in content/, validated and cross-checked."""

    guideline: schema.Guideline
    domains: list[schema.DomainPage]
    entries: dict[str, schema.Entry]
    antibodies: list[schema.Antibody]
    algorithms: dict[str, schema.Algorithm]
    glossary: list[schema.GlossaryTerm]
    references: dict[str, schema.Reference]
    discrepancies: list[schema.Discrepancy]
    citation_map: list[schema.CitationMapItem]
    origins: dict[int, Origin] = field(default_factory=dict, repr=False)

    def origin(self, obj: object) -> Origin | None:
        return self.origins.get(id(obj))


def _format_error(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling against the content format page)"
    if kind in ("literal_error", "enum"):
        return f"got {shown} (expected one of: {ctx.get('expected', '')})"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == schema.ONE_LINE:
        return f"got {shown} (one line of text: no line breaks)"
    if kind == "string_pattern_mismatch":
        return f"got {shown} (expected text matching {ctx.get('pattern')})"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing", "int_from_float"):
        return f"got {shown} (expected a number)"
    if kind in ("string_type",):
        return f"got {shown} (expected text)"
    if kind in ("list_type",):
        return f"got {shown} (expected a list)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"got {shown} (expected a mapping of fields)"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    return f"{err['msg']} (got {shown})"


def _data_path(data: Any, loc: tuple[Any, ...]) -> Key:
    """Pydantic locations include union-member tags; keep only the parts present in the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and not part[:1].isupper()
            and ("[" not in part)
            and part not in ("function-after", "function-before")
        ):
            path.append(part)  # a missing or unknown key: point at its parent, name the key
            break
    return tuple(path)


def _validate[M: BaseModel](
    model: type[M], data: Any, located: Located, key: Key, problems: Problems
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            sub = _data_path(data, tuple(err["loc"]))
            full = (*key, *sub)
            line, col = located.where(full)
            problems.add(located.path, line, col, key_name(full), _format_error(err))
        return None


# Validated objects by file, with the parse they came from. read_yaml returns the same parse
# while a file is unchanged, so an unchanged file yields the very same objects: the renderer
# recognises them by identity and reuses what it made of them.
_VALIDATED: dict[str, tuple[Located, list[tuple[BaseModel, Origin]]]] = {}


def _file_objects(
    located: Located, model: type[BaseModel], is_list: bool, problems: Problems
) -> list[tuple[BaseModel, Origin]]:
    memo = _VALIDATED.get(str(located.path))
    if memo is not None and memo[0] is located:
        return memo[1]
    before = len(problems)
    items: list[tuple[BaseModel, Origin]] = []
    if is_list:
        if not isinstance(located.data, list):
            problems.add(located.path, 1, 1, "", "expected a list of items at the top level")
            return []
        for i, item in enumerate(located.data):
            obj = _validate(model, item, located, (i,), problems)
            if obj is not None:
                items.append((obj, Origin(located, (i,))))
    else:
        obj = _validate(model, located.data, located, (), problems)
        if obj is not None:
            items.append((obj, Origin(located, ())))
    if len(problems) == before:
        _VALIDATED[str(located.path)] = (located, items)
    return items


def _walk(data: Any, key: Key = ()) -> Iterator[tuple[Key, Any]]:
    yield key, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, (*key, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk(v, (*key, i))


def citation_keys(text: str) -> list[str]:
    """Reference keys cited inline as [@key] or [@a; @b]."""
    keys: list[str] = []
    for group in CITATION.findall(text):
        keys.extend(CITATION_KEY.findall(group))
    return keys


def _files(content: Path, pattern: str) -> list[Path]:
    """The files a pattern names ("glossary.yaml", "entries/*.yaml"), sorted, as glob would
    find them (hidden files left out), with one directory listing instead of pathlib's glob.
    Whatever a name matches is listed, file or not: the reader refuses links, folders and
    FIFOs by name (a content file is a regular file inside content/), rather than this
    passing them over in silence. A linked folder (content/entries -> elsewhere) is
    listed itself, to be refused the same way.
    """
    folder, _, name = pattern.rpartition("/")
    base = content / folder if folder else content
    if "*" not in name:
        path = base / name
        return [path] if os.path.lexists(path) else []
    if folder and os.path.islink(base):
        return [base]
    try:
        with os.scandir(base) as listing:
            names = [
                e.name
                for e in listing
                if not e.name.startswith(".") and fnmatch.fnmatchcase(e.name, name)
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [base / n for n in sorted(names)]


ENTRIES = "entries/*.yaml"


@dataclass
class _Loaded:
    """The last successful load, which a load told what changed starts from."""

    content: str
    calculator_ids: frozenset[str] | None
    corpus: Corpus
    entry_files: dict[str, list[str]]  # an entry file's path (as read) → the ids it holds
    known: object  # the id sets its cross-check used (see _cross_check)


_LAST: list[_Loaded | None] = [None]


def load_content(
    content: Path, calculator_ids: set[str] | None = None, changed: Collection[str] | None = None
) -> Corpus:
    """Load, validate and cross-check content/; raise ContentError listing every problem.

    `changed`: every file that may have changed since the last successful load of the same
    content (what `mkdocs serve`'s watcher saw), or None when that is not known. Edits to
    entries that keep their ids and what they cite are then read alone (_reload); anything
    else reads every file, as does a load after a failed one.
    """
    last, _LAST[0] = _LAST[0], None
    ids = None if calculator_ids is None else frozenset(calculator_ids)
    if (
        changed is not None
        and last is not None
        and last.content == str(content)
        and last.calculator_ids == ids
    ):
        corpus = _reload(last, changed)
        if corpus is not None:
            _LAST[0] = dataclasses.replace(last, corpus=corpus)
            return corpus
    entry_files: dict[str, list[str]] = {}
    corpus = _load_all(content, calculator_ids, entry_files)
    _LAST[0] = _Loaded(str(content), ids, corpus, entry_files, _KNOWN[0])
    return corpus


def _pattern_of(rel: str) -> str | None:
    """The content file kind a path (relative to content/) is, as `_files` would list it."""
    folder, _, name = rel.rpartition("/")
    if name.startswith("."):
        return None
    for pattern in schema.CONTENT_FILES:
        base, _, match = pattern.rpartition("/")
        if base == folder and fnmatch.fnmatchcase(name, match):
            return pattern
    return None


def _reload(last: _Loaded, changed: Collection[str]) -> Corpus | None:
    """The last corpus with edited entry files read again, or None to load everything.

    Only an edit that cannot change what any other file is checked against qualifies: an
    existing entry file, still holding the same id, valid, citing the same references.
    Files that are not content (an editor's backup, a hidden file) are passed over.
    """
    prefix = last.content.rstrip("/") + "/"
    root = last.content.rstrip("/").rpartition("/")[0] + "/"
    edited: list[str] = []
    for path in changed:
        if not path.startswith(prefix):
            return None
        pattern = _pattern_of(path[len(prefix) :])
        if pattern is None:
            continue
        if (
            pattern != ENTRIES
            or path not in last.entry_files
            or os.path.islink(path)
            or not os.path.isfile(path)
        ):
            return None
        edited.append(path)
    entries: dict[str, schema.Entry] | None = None
    origins: dict[int, Origin] | None = None
    for path in sorted(set(edited)):
        problems = Problems()
        before = _CHECKED.get(path[len(root) :])
        located = read_yaml(Path(path), problems, display=path[len(root) :])
        if located is None or problems:
            return None
        items = _file_objects(located, schema.Entry, False, problems)
        ids = [getattr(obj, "id", "") for obj, _ in items]
        if problems or ids != last.entry_files[path]:
            return None
        entry, origin = items[0]
        old = last.corpus.entries[entry.id]  # type: ignore[attr-defined]
        if entry is old:
            continue
        found, cited = _checked(located, last.known)
        if found or before is None or cited != before[3]:
            return None
        entries = entries if entries is not None else dict(last.corpus.entries)
        origins = origins if origins is not None else dict(last.corpus.origins)
        entries[old.id] = entry  # type: ignore[assignment]
        origins.pop(id(old), None)
        origins[id(entry)] = origin
    if entries is None or origins is None:
        return last.corpus
    return dataclasses.replace(last.corpus, entries=entries, origins=origins)


def _load_all(
    content: Path, calculator_ids: set[str] | None, entry_files: dict[str, list[str]]
) -> Corpus:
    problems = Problems()
    root = content.parent
    loaded: dict[str, list[tuple[BaseModel, Origin]]] = {}
    raw_files: list[Located] = []

    for pattern, (model, is_list) in schema.CONTENT_FILES.items():
        items: list[tuple[BaseModel, Origin]] = []
        paths = _files(content, pattern)
        prefix = str(root).rstrip("/") + "/"
        for path in paths:
            # As the author sees it (content/entries/x.yaml); string work, as pathlib's
            # relative_to costs seconds over thousands of files.
            full = str(path)
            shown = full[len(prefix) :] if full.startswith(prefix) else full
            located = read_yaml(path, problems, display=shown)
            if located is None:
                continue
            raw_files.append(located)
            file_items = _file_objects(located, model, is_list, problems)
            if pattern == ENTRIES:
                entry_files[full] = [getattr(obj, "id", "") for obj, _ in file_items]
            items.extend(file_items)
        loaded[pattern] = items

    if not loaded.get("guideline.yaml") and not problems:
        problems.add("content/guideline.yaml", 1, 1, "", "missing: every guideline needs one")

    origins: dict[int, Origin] = {}
    for items in loaded.values():
        for obj, origin in items:
            origins[id(obj)] = origin

    def objs(pattern: str) -> list[Any]:
        return [o for o, _ in loaded.get(pattern, [])]

    references: dict[str, schema.Reference] = {}
    for ref in objs("references/*.yaml"):
        _unique(ref.id, references, ref, origins, problems, "reference")
    entries: dict[str, schema.Entry] = {}
    for entry in objs("entries/*.yaml"):
        _unique(entry.id, entries, entry, origins, problems, "entry")
    algorithms: dict[str, schema.Algorithm] = {}
    for algo in objs("algorithms/*.yaml"):
        _unique(algo.id, algorithms, algo, origins, problems, "algorithm")
    antibodies: dict[str, schema.Antibody] = {}
    for ab in objs("antibodies.yaml"):
        _unique(ab.id, antibodies, ab, origins, problems, "antibody")

    guideline_list = objs("guideline.yaml")
    corpus = Corpus(
        guideline=guideline_list[0] if guideline_list else None,  # type: ignore[arg-type]
        domains=objs("domains.yaml"),
        entries=entries,
        antibodies=list(antibodies.values()),
        algorithms=algorithms,
        glossary=objs("glossary.yaml"),
        references=references,
        discrepancies=objs("citation_discrepancies.yaml"),
        citation_map=objs("citation_map.yaml"),
        origins=origins,
    )
    if not problems:
        _cross_check(corpus, raw_files, calculator_ids, problems)
    if problems:
        raise ContentError(problems)
    return corpus


def _unique(
    key: str,
    into: dict[str, Any],
    obj: Any,
    origins: dict[int, Origin],
    problems: Problems,
    what: str,
) -> None:
    if key in into:
        first = origins[id(into[key])].at("id")
        problems.add(
            *origins[id(obj)].at("id"),
            f"duplicate {what} id {key!r} (first defined at {first[0]}:{first[1]})",
        )
    else:
        into[key] = obj


REF_LISTS = {"refs", "resolved_to"}
REF_SCALARS = {"printed_points_to"}
ENTRY_LISTS = {"entries", "see_also"}
# Keys whose value is prose that may carry numbers and inline citations.
PROSE_KEYS = {"text", "claim", "titration", "renal_adjustment", "notes", "definition"}


# What a file says that must be checked against the rest of the corpus, in file order:
#   ("ref", key, reference id, counts as a citation)   ("document", key, source id)
#   ("entry", key, entry id)   ("ids", key, kind, values)   ("problem", Problem)
Fact = tuple[Any, ...]
# Facts by file, with the parse they came from: an unchanged file is not walked again.
_FACTS: dict[str, tuple[Located, list[Fact]]] = {}


def _file_facts(located: Located) -> list[Fact]:
    memo = _FACTS.get(str(located.path))
    if memo is not None and memo[0] is located:
        return memo[1]
    facts: list[Fact] = []
    is_reference_file = located.path.as_posix().startswith("content/references/") or (
        "references" in located.path.parts
    )
    is_record = located.path.name in ("citation_discrepancies.yaml", "citation_map.yaml")
    if not is_reference_file:
        for key, value in _walk(located.data):
            name = key[-1] if key else ""
            if name in REF_LISTS and isinstance(value, list):
                for i, ref in enumerate(value):
                    facts.append(("ref", (*key, i), ref, not is_record))
            elif (name in REF_SCALARS and isinstance(value, str)) or (
                name == "source" and isinstance(value, str) and is_record
            ):
                facts.append(("ref", key, value, False))
            elif name == "document" and isinstance(value, str):
                facts.append(("document", key, value))
            elif name in ENTRY_LISTS and isinstance(value, list):
                for i, target in enumerate(value):
                    facts.append(("entry", (*key, i), target))
            elif name == "antibodies" and isinstance(value, list):
                facts.append(("ids", key, "antibody", value))
            elif name in ("calculators", "calculator"):
                ids = value if isinstance(value, list) else [value]
                facts.append(("ids", key, "calculator", ids))
            if isinstance(value, str) and not is_record:
                for ref in citation_keys(value):
                    facts.append(("ref", key, ref, True))
                for target in ENTRY_LINK.findall(value):
                    facts.append(("entry", key, target))
            if isinstance(value, dict) and not is_record:
                local = Problems()
                _check_numbers_cited(value, located, key, local)
                facts.extend(("problem", problem) for problem in local)
    _FACTS[str(located.path)] = (located, facts)
    return facts


# Each file's cross-check (its problems, the references it cites), with the parse and the
# corpus-wide id sets it was checked against: after an edit, unchanged files are not checked
# again unless an id they could name appeared or went.
_CHECKED: dict[str, tuple[Located, object, list[Problem], frozenset[str]]] = {}
_KNOWN: list[object] = [None]  # the id sets of the last check, one object for identity tests


def _cross_check(
    corpus: Corpus, raw_files: list[Located], calculator_ids: set[str] | None, problems: Problems
) -> None:
    refs = corpus.references
    cited: set[str] = set()
    source_ids = frozenset(corpus.guideline.sources)
    antibody_ids = frozenset(a.id for a in corpus.antibodies)
    known = (
        frozenset(refs),
        source_ids,
        antibody_ids,
        frozenset(corpus.entries),
        None if calculator_ids is None else frozenset(calculator_ids),
    )
    if known == _KNOWN[0]:
        known = _KNOWN[0]
    _KNOWN[0] = known
    for located in raw_files:
        found, cited_here = _checked(located, known)
        problems.extend(found)
        cited |= cited_here
    for algo in corpus.algorithms.values():
        node_ids = {n.id for n in algo.nodes}
        origin = corpus.origins[id(algo)]
        for i, edge in enumerate(algo.edges):
            for end, name in ((edge.source, "from"), (edge.target, "to")):
                if end not in node_ids:
                    problems.add(*origin.at("edges", i, name), f"unknown node id {end!r}")
    for calc_id, calc_refs in _calculator_refs_by_id(calculator_ids).items():
        for ref in calc_refs:
            if ref not in refs:
                problems.add(
                    "calculators",
                    1,
                    1,
                    calc_id,
                    f"cites unknown reference key {ref!r} (add it to content/references/)",
                )
    cited.update(source_ids)
    for dis in corpus.discrepancies:
        cited.add(dis.source)
    calculator_cited = _calculator_refs(calculator_ids)
    for ref_id, reference in refs.items():
        if ref_id not in cited and ref_id not in calculator_cited:
            problems.add(
                *corpus.origins[id(reference)].at("id"),
                f"reference {ref_id!r} is never cited (cite it or remove it)",
            )


def _checked(located: Located, known: object) -> tuple[list[Problem], frozenset[str]]:
    """One file's problems and the references it cites, checked once per parse and id sets."""
    memo = _CHECKED.get(str(located.path))
    if memo is None or memo[0] is not located or memo[1] is not known:
        local = Problems()
        found: set[str] = set()
        _check_file(located, known, local, found)  # type: ignore[arg-type]
        memo = (located, known, local.items, frozenset(found))
        _CHECKED[str(located.path)] = memo
    return memo[2], memo[3]


def _check_file(
    located: Located,
    known: tuple[Any, ...],
    problems: Problems,
    cited: set[str],
) -> None:
    """One file's references to the rest of the corpus."""
    refs, source_ids, antibody_ids, entry_ids, calculator_ids = known
    for fact in _file_facts(located):
        kind, key = fact[0], fact[1]
        if kind == "ref":
            _check_ref(fact[2], located, key, refs, problems)
            if fact[3]:
                cited.add(fact[2])
        elif kind == "document" and fact[2] not in source_ids:
            _problem_at(
                problems,
                located,
                key,
                f"unknown source document {fact[2]!r} (expected one of: "
                f"{', '.join(sorted(source_ids))})",
            )
        elif kind == "entry" and fact[2] not in entry_ids:
            _problem_at(problems, located, key, f"unknown entry id {fact[2]!r}")
        elif kind == "ids":
            if fact[2] == "antibody":
                _check_ids(fact[3], antibody_ids, "antibody", located, key, problems)
            elif calculator_ids is not None:
                _check_ids(fact[3], calculator_ids, "calculator", located, key, problems)
        elif kind == "problem":
            problems.extend([fact[1]])


def _calculator_refs_by_id(calculator_ids: set[str] | None) -> dict[str, tuple[str, ...]]:
    """The references each calculator declares (its page cites them)."""
    if not calculator_ids:
        return {}
    from calculators import registry

    return {
        cid: tuple(c.references) for cid, c in registry.CALCULATORS.items() if cid in calculator_ids
    }


def _calculator_refs(calculator_ids: set[str] | None) -> set[str]:
    """References the calculators cite count as cited: their pages show them."""
    return {r for refs in _calculator_refs_by_id(calculator_ids).values() for r in refs}


def _check_ids(
    values: list[Any],
    known: AbstractSet[str],
    what: str,
    located: Located,
    key: Key,
    problems: Problems,
) -> None:
    for i, value in enumerate(values):
        if value not in known:
            sub = (*key, i) if len(values) > 1 or isinstance(values, list) else key
            _problem_at(problems, located, sub, f"unknown {what} id {value!r}")


def _check_ref(
    ref: Any, located: Located, key: Key, refs: AbstractSet[str], problems: Problems
) -> None:
    if ref not in refs:
        _problem_at(
            problems, located, key, f"unknown reference key {ref!r} (not in content/references/)"
        )


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
