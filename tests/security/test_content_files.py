"""A content file is a regular file inside content/; anything else is an error naming it.

Finding 8 of issue 14: symbolic links in content/ were followed (a link to /etc/passwd
printed the whole file in the error), and dangling links, folders and FIFOs named *.yaml
were passed over in silence.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from build_tools.context import CalculatorCatalog
from build_tools.diagnostics import ContentError
from build_tools.loader import load_content
from build_tools.store import ContentStore

RULE = "content files must be regular files inside content/ (links are not followed)"


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(ContentStore(), content, CalculatorCatalog.from_registry())
    return [str(p) for p in info.value.problems]


def test_a_link_to_a_file_outside_content_is_refused_unread(content: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:x:0:0:secret-marker:/root:/bin/bash\n")
    (content / "entries/passwd.yaml").symlink_to(secret)
    (content / "entries/etc.yaml").symlink_to("/etc/passwd")
    found = problems_of(content)
    assert found == [
        f"content/entries/etc.yaml:1:1: is a symbolic link; {RULE}",
        f"content/entries/passwd.yaml:1:1: is a symbolic link; {RULE}",
    ]
    assert not any("secret-marker" in p or "root:" in p for p in found)


def test_a_link_inside_content_is_refused_too(content: Path) -> None:
    (content / "entries/copy.yaml").symlink_to(content / "entries/ivig.yaml")
    assert problems_of(content) == [f"content/entries/copy.yaml:1:1: is a symbolic link; {RULE}"]


def test_a_dangling_link_is_an_error_not_skipped(content: Path) -> None:
    (content / "entries/gone.yaml").symlink_to(content / "entries/nothing-here.yaml")
    assert problems_of(content) == [f"content/entries/gone.yaml:1:1: is a symbolic link; {RULE}"]


def test_a_folder_and_a_fifo_named_yaml_are_errors(content: Path) -> None:
    (content / "entries/folder.yaml").mkdir()
    os.mkfifo(content / "entries/pipe.yaml")
    assert problems_of(content) == [
        f"content/entries/folder.yaml:1:1: is a folder; {RULE}",
        f"content/entries/pipe.yaml:1:1: is a named pipe (FIFO); {RULE}",
    ]


def test_a_linked_single_file_is_refused(content: Path, tmp_path: Path) -> None:
    moved = tmp_path / "glossary.yaml"
    shutil.move(content / "glossary.yaml", moved)
    (content / "glossary.yaml").symlink_to(moved)
    assert problems_of(content) == [f"content/glossary.yaml:1:1: is a symbolic link; {RULE}"]


def test_a_linked_folder_is_refused(content: Path, tmp_path: Path) -> None:
    shutil.move(content / "entries", tmp_path / "elsewhere")
    (content / "entries").symlink_to(tmp_path / "elsewhere")
    assert problems_of(content) == [f"content/entries:1:1: is a symbolic link; {RULE}"]
