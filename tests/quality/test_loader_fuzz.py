"""Whatever lands in content/, the loader answers with located problems, never a traceback,
and nothing generated is touched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.context import CalculatorCatalog
from build_tools.diagnostics import ContentError
from build_tools.loader import load_content
from build_tools.store import ContentStore
from tests import generating

ENTRY = "entries/ivig.yaml"

CATALOG = CalculatorCatalog.from_registry()


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_clean_failure_or_success(content: Path) -> None:
    try:
        load_content(ContentStore(), content, CATALOG)
    except ContentError as exc:
        problems = list(exc.problems)
        assert problems
        for p in problems:
            assert p.path.startswith("content/")
            assert p.line >= 1
            assert p.column >= 1
            assert p.message


ADVERSARIAL = [
    b"\x00\x01\x02",
    b"\xff\xfe\x00i\x00d",  # UTF-16 with BOM
    b"id: [",
    b"- - - - -",
    b"id: !!python/object/apply:os.system ['echo owned']",
    b"id: !!python/name:builtins.exec",
    b"a: &a [*a]",
    b"<<: {id: x}",
    b"id: ivig\nid: ivig\n",
    b"? [complex, key]\n: value\n",
    b"id: 12\ntitle: 13\nkind: 14\n",
    b"title: " + b"x" * 5000,
    b"[" * 200 + b"]" * 200,
    b"{a: {b: {c: {d: {e: {f: {g: {h: {i: {j: {k: {l: 1}}}}}}}}}}}}" * 3,
    b"\t- tab indented",
    b"id: ivig\n  bad indent: 1\n",
    b"%YAML 1.1\n---\nid: x\n---\nid: y\n",
    "id: ivig\ntitle: \u202eevil bidi\n".encode(),
    b"",
    b"   \n\n",
]


@pytest.mark.parametrize("raw", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_entry_files(content: Path, tmp_path: Path, raw: bytes) -> None:
    docs = tmp_path / "docs"
    generating.generate(content, docs)
    before = digest(docs)
    (content / ENTRY).write_bytes(raw)
    assert_clean_failure_or_success(content)
    try:
        generating.generate(content, docs)
    except ContentError:
        assert digest(docs) == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=json_values)
def test_random_structures_as_an_entry(content: Path, data: object) -> None:
    (content / ENTRY).write_text(yaml.safe_dump(data, allow_unicode=True))
    assert_clean_failure_or_success(content)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(
        [
            "title",
            "kind",
            "domains",
            "regimens",
            "summary",
            "evidence",
            "line_of_therapy",
            "synonyms",
            "source",
            "see_also",
        ]
    ),
    value=json_values,
)
def test_random_values_in_known_fields(content: Path, field: str, value: object) -> None:
    entry = yaml.safe_load((content / ENTRY).read_text())
    entry[field] = value
    (content / ENTRY).write_text(yaml.safe_dump(entry, allow_unicode=True))
    assert_clean_failure_or_success(content)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=300))
def test_random_bytes(content: Path, raw: bytes) -> None:
    (content / ENTRY).write_bytes(raw)
    assert_clean_failure_or_success(content)
