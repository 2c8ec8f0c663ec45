"""Read and check all of content/, then hand over a complete model or a complete error list.

Two phases, as pelican and mkdocs do it: nothing is rendered from partially valid content,
and every problem from every file is reported in one run. What is read, into which model
and shape, is the kind registry's (build_tools.kinds); what each file names is checked by
build_tools.crossrefs; what is kept between loads is the ContentStore's.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from build_tools import kinds
from build_tools.context import CalculatorCatalog
from build_tools.corpus import Corpus, Loaded, Origin
from build_tools.crossrefs import checked, citation_keys, cross_check
from build_tools.diagnostics import ContentError, Problems
from build_tools.kinds import Kind
from build_tools.store import ContentStore
from build_tools.validation import file_objects
from build_tools.yamlsource import Located, read_yaml

__all__ = ["Corpus", "Origin", "citation_keys", "load_content"]


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


def load_content(
    store: ContentStore,
    content: Path,
    calculators: CalculatorCatalog,
    changed: Collection[str] | None = None,
) -> Corpus:
    """Load, validate and cross-check content/; raise ContentError listing every problem.

    `changed`: every file that may have changed since the last successful load of the same
    content into this store (what `mkdocs serve`'s watcher saw), or None when that is not
    known. Edits to files of an incremental kind (entries) that keep their ids and what they
    cite are then read alone (_reload); anything else reads every file, as does a load
    after a failed one.
    """
    last, store.last = store.last, None
    if (
        changed is not None
        and last is not None
        and last.content == str(content)
        and last.calculators == calculators
    ):
        corpus = _reload(store, last, changed)
        if corpus is not None:
            store.last = Loaded(last.content, last.calculators, corpus, last.files, last.known)
            return corpus
    files: dict[str, list[tuple[str, str]]] = {}
    corpus = _load_all(store, content, calculators, files)
    store.last = Loaded(str(content), calculators, corpus, files, store.known)
    return corpus


def _defined(kind: Kind, items: list[tuple[BaseModel, Origin]]) -> list[tuple[str, str]]:
    """What a file of an incremental kind holds and defines: its objects' ids, and the ids
    it gives other files to name (an entry's regimens and evidence)."""
    out = [(kind.name, kind.key_of(obj)) for obj, _ in items]
    for obj, _ in items:
        out.extend(kind.defines(obj) if kind.defines is not None else ())
    return out


def _reload(store: ContentStore, last: Loaded, changed: Collection[str]) -> Corpus | None:
    """The last corpus with edited files of incremental kinds read again, or None to load
    everything.

    Only an edit that cannot change what any other file is checked against qualifies: an
    existing file of an incremental kind, still holding and defining the same ids, valid,
    citing the same references. Files that are not content (an editor's backup, a hidden
    file) are passed over.
    """
    prefix = last.content.rstrip("/") + "/"
    root = last.content.rstrip("/").rpartition("/")[0] + "/"
    edited: list[tuple[str, Kind]] = []
    for path in changed:
        if not path.startswith(prefix):
            return None
        kind = kinds.kind_of(path[len(prefix) :])
        if kind is None:
            continue
        if (
            not kind.incremental
            or path not in last.files
            or os.path.islink(path)
            or not os.path.isfile(path)
        ):
            return None
        edited.append((path, kind))
    corpus = last.corpus
    origins: dict[int, Origin] | None = None
    for path, kind in sorted(set(edited), key=lambda pk: pk[0]):
        problems = Problems()
        before = store.checked.get(path[len(root) :])
        located = read_yaml(Path(path), problems, path[len(root) :], store.parsed)
        if located is None or problems:
            return None
        items = file_objects(store, located, kind.model, not kind.per_file, problems)
        if problems or _defined(kind, items) != last.files[path]:
            return None
        collection = corpus.held[kind.name]
        replaced = False
        for obj, origin in items:
            old = collection[kind.key_of(obj)]
            if obj is old:
                continue
            found, cited = checked(store, located, kind, last.known)
            if found or before is None or cited != before[3]:
                return None
            if not replaced:
                collection, replaced = dict(collection), True
            origins = origins if origins is not None else dict(corpus.origins)
            collection[kind.key_of(obj)] = obj
            origins.pop(id(old), None)
            origins[id(obj)] = origin
        if replaced and origins is not None:
            corpus = corpus.replacing(kind.name, collection, origins)
    return corpus


def _load_all(
    store: ContentStore,
    content: Path,
    calculators: CalculatorCatalog,
    files: dict[str, list[tuple[str, str]]],
) -> Corpus:
    problems = Problems()
    root = content.parent
    loaded: dict[str, list[tuple[BaseModel, Origin]]] = {}
    raw_files: list[tuple[Located, Kind]] = []
    prefix = str(root).rstrip("/") + "/"

    for kind in kinds.KINDS:
        items: list[tuple[BaseModel, Origin]] = []
        for path in _files(content, kind.pattern):
            # As the author sees it (content/entries/x.yaml); string work, as pathlib's
            # relative_to costs seconds over thousands of files.
            full = str(path)
            shown = full[len(prefix) :] if full.startswith(prefix) else full
            located = read_yaml(path, problems, shown, store.parsed)
            if located is None:
                continue
            raw_files.append((located, kind))
            file_items = file_objects(store, located, kind.model, not kind.per_file, problems)
            if kind.incremental:
                files[full] = _defined(kind, file_items)
            items.extend(file_items)
        loaded[kind.name] = items

    for kind in kinds.KINDS:
        if kind.required and not loaded.get(kind.name) and not problems:
            problems.add(f"content/{kind.pattern}", 1, 1, "", "missing: every guideline needs one")

    origins: dict[int, Origin] = {}
    for items in loaded.values():
        for obj, origin in items:
            origins[id(obj)] = origin

    held: dict[str, Any] = {}
    for kind in kinds.KINDS:
        objects = [obj for obj, _ in loaded[kind.name]]
        if kind.shape == "single":
            held[kind.name] = objects[0] if objects else None
            continue
        if kind.unique is None:
            held[kind.name] = objects
            continue
        keyed: dict[str, Any] = {}
        for obj in objects:
            _unique(kind.key_of(obj), keyed, obj, origins, problems, kind.unique)
        held[kind.name] = keyed if kind.shape == "keyed" else list(keyed.values())

    corpus = Corpus(held, origins)
    if not problems:
        from build_tools import withdrawals  # it reads the outline, which reads this module

        cross_check(store, corpus, raw_files, calculators, problems)
        # Gone since the previous edition only with a record saying when and why.
        withdrawals.check(corpus, content, calculators, problems, store)
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
