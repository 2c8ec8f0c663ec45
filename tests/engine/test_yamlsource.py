"""The YAML reader refuses what plain content never needs, and says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.diagnostics import Problems
from build_tools.yamlsource import read_yaml


def read(tmp_path: Path, text: str | bytes) -> tuple[object, list[str]]:
    path = tmp_path / "x.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    problems = Problems()
    located = read_yaml(path, problems, display="content/x.yaml")
    return (located.data if located else None), [str(p) for p in problems]


def test_positions_are_recorded_for_keys_and_items(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b:\n    - 1\n    - two\n")
    located = read_yaml(path, Problems(), display="content/x.yaml")
    assert located is not None
    assert located.where(("a", "b", 1)) == (4, 7)
    assert located.where(("a", "b")) == (2, 3)
    assert located.where(("a", "missing", "deeper")) == (1, 1)


def test_duplicate_key_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "id: a\ntitle: x\nid: b\n")
    assert problems == ["content/x.yaml:3:1: id: duplicate key (first defined on line 1)"]


def test_alias_is_refused(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert problems == [
        "content/x.yaml:2:4: YAML syntax: aliases (*name) are not allowed in content; "
        "repeat the value"
    ]


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=", "!custom x"]
)
def test_object_constructing_and_custom_tags_are_refused(tmp_path: Path, tag: str) -> None:
    data, problems = read(tmp_path, f"a: {tag}\n")
    assert data is None
    assert len(problems) == 1
    assert problems[0].startswith("content/x.yaml:1:4: a: YAML tag ")
    assert "is not allowed; content is plain data" in problems[0]


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    _, problems = read(tmp_path, b"a: ok\nb: caf\xe9\n")
    assert problems == ["content/x.yaml:2:7: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "a: [1, 2\nb: 3\n")
    assert len(problems) == 1
    assert problems[0].startswith("content/x.yaml:2:2: YAML syntax:")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "a: " + "[" * 60 + "]" * 60 + "\n")
    assert any("nested deeper than 40 levels" in p for p in problems)


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "a: " + "x" * 2_100_000 + "\n")
    assert problems == [
        "content/x.yaml:1:1: file is 2,100,004 bytes; content files are limited to "
        "2,000,000 bytes (split it)"
    ]


def test_empty_file(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "")
    assert problems == ["content/x.yaml:1:1: file is empty"]
