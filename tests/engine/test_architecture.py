"""The build wing keeps the shape the README's architecture section describes.

These are rules a reviewer could not check by reading one diff: that no module keeps mutable
state of its own (state lives in the build context, `build_tools.context`), that the
environment is read in one place, that MkDocs is spoken to only by the engine adapter, and
that no module grows past one job's size.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

BUILD_TOOLS = ROOT / "build_tools"
MAX_LINES = 500
# A module-level container is read-only when its annotation says so: mypy then refuses any
# write through the name.
READ_ONLY = {"Mapping", "Sequence", "AbstractSet", "Final", "frozenset", "tuple", "Set"}
MUTABLE_CALLS = {
    *("dict", "list", "set", "defaultdict", "OrderedDict", "deque", "Counter", "bytearray"),
    *("WeakKeyDictionary", "WeakValueDictionary", "WeakSet"),
}
# Objects that hold state between runs by their nature; frozen declarations (a Kind, an
# Export) are not state.
STATEFUL = ("Session", "Cache", "Store", "Memos", "Context", "Lock", "Queue", "Thread")
CACHES = {"cache", "lru_cache", "cached_property"}
# Memoised functions of code alone, never of content or settings: reviewed one by one.
PURE_CACHES = {
    "build_tools/citations.py:_style": "parses the CSL style file of a pinned package",
    "build_tools/citations.py:style_digest": "digests that same file",
}
# The one place a process holds its build context: MkDocs calls a hooks module's functions,
# so the adapter's entry module keeps a reference to the session it created.
ENTRY_POINTS = {"build_tools/engine/hooks.py"}
ENVIRONMENT_READER = "build_tools/context.py"
# Measuring tools outside the build: they start and time builds in child processes.
TOOLS = {"build_tools/bench.py", "build_tools/bench_firstvisit.py", "build_tools/bench_scale.py"}


def modules() -> list[Path]:
    return sorted(p for p in BUILD_TOOLS.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _annotation_names(node: ast.expr | None) -> set[str]:
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


def _is_mutable_value(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in MUTABLE_CALLS or name.endswith(STATEFUL)
    return False


def module_state(path: Path) -> Iterator[str]:
    """Module-level names bound to a mutable container or an object, without a read-only
    annotation; `global` statements; memoising decorators."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and _is_mutable_value(node.value):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if names and names != ["__all__"]:
                yield f"{rel(path)}:{node.lineno}: {', '.join(names)}"
        elif (
            isinstance(node, ast.AnnAssign)
            and _is_mutable_value(node.value)
            and not _annotation_names(node.annotation) & READ_ONLY
        ):
            yield f"{rel(path)}:{node.lineno}: {ast.unparse(node.target)}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            yield f"{rel(path)}:{node.lineno}: global {', '.join(node.names)}"
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
                if name in CACHES and f"{rel(path)}:{node.name}" not in PURE_CACHES:
                    yield f"{rel(path)}:{node.lineno}: @{name} on {node.name}"


def test_no_module_keeps_mutable_state_of_its_own() -> None:
    found = [
        line for path in modules() if rel(path) not in ENTRY_POINTS for line in module_state(path)
    ]
    assert found == [], "module-level state (move it into the build context):\n" + "\n".join(found)


def environment_reads(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        text = ast.unparse(node) if isinstance(node, ast.Call | ast.Subscript | ast.Compare) else ""
        if (
            (isinstance(node, ast.Call) and text.startswith(("os.environ.get(", "os.getenv(")))
            or (isinstance(node, ast.Subscript) and text.startswith("os.environ["))
            or (isinstance(node, ast.Compare) and text.endswith("in os.environ"))
        ):
            yield f"{rel(path)}:{node.lineno}: {text}"


def test_the_environment_is_read_in_one_place() -> None:
    found = [
        line
        for path in modules()
        if rel(path) not in {ENVIRONMENT_READER, *TOOLS}
        for line in environment_reads(path)
    ]
    assert found == [], "read settings through build_tools.context.Settings:\n" + "\n".join(found)


def test_only_the_engine_adapter_speaks_mkdocs() -> None:
    found = []
    for path in modules():
        if rel(path).startswith("build_tools/engine/") or rel(path) in TOOLS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [
                f"{rel(path)}:{node.lineno}: {n}"
                for n in names
                if n.split(".")[0] in {"mkdocs", "material"}
            ]
    assert found == []


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_no_module_grows_past_one_job(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{rel(path)} has {lines} lines: split it by job"


def test_mypy_checks_the_adapter_against_mkdocs_itself() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ignored = {
        module
        for override in config["tool"]["mypy"].get("overrides", [])
        if override.get("ignore_missing_imports")
        for module in override["module"]
    }
    assert "mkdocs.*" not in ignored
    assert "mkdocs" not in ignored
