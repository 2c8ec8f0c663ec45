"""The YAML reader refuses what plain content never needs, and says where."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_tools import yamlsource
from build_tools.diagnostics import Problems
from build_tools.store import ContentStore
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


def test_an_unchanged_file_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = ContentStore().parsed  # what keeps parses between reads
    # Trusting a signature needs the file to be older than the clock tick it was read in;
    # a zero window stands for "saved long before".
    monkeypatch.setattr(yamlsource, "RACY_NS", 0)
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    first = read_yaml(path, Problems(), memo=memo)
    reads: list[Path] = []
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    assert read_yaml(path, Problems(), memo=memo) is first
    assert reads == []


def test_a_same_size_rewrite_within_the_clock_tick_is_still_seen(tmp_path: Path) -> None:
    memo = ContentStore().parsed  # what keeps parses between reads
    # The second save keeps size and (at coarse timestamp resolution) mtime: a recently
    # modified file is compared by content, never trusted by its signature alone.
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    stat = path.stat()
    assert read_yaml(path, Problems(), memo=memo).data == {"a": 1}  # type: ignore[union-attr]
    path.write_text("a: 2\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert read_yaml(path, Problems(), memo=memo).data == {"a": 2}  # type: ignore[union-attr]


def test_a_file_rewritten_with_its_old_bytes_keeps_its_parse(tmp_path: Path) -> None:
    memo = ContentStore().parsed  # what keeps parses between reads
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    first = read_yaml(path, Problems(), memo=memo)
    path.write_text("a: 1\n")
    assert read_yaml(path, Problems(), memo=memo) is first


def test_a_file_that_cannot_be_read_is_a_problem_at_its_path_not_a_traceback(
    tmp_path: Path,
) -> None:
    """A file listed and then removed (an editor's save) or unreadable: reported like content."""
    problems = Problems()
    assert read_yaml(tmp_path / "gone.yaml", problems, display="content/gone.yaml") is None
    assert [str(p) for p in problems] == [
        "content/gone.yaml:1:1: cannot be read (No such file or directory)"
    ]
