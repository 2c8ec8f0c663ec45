"""An edition is cut once: its export is kept, and the edition number moves on everywhere."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest

from build_tools import release
from tests.conftest import ROOT


def test_editions_count_within_a_year_and_start_again_in_the_next() -> None:
    assert release.next_edition("2026.1", datetime.date(2026, 12, 1)) == "2026.2"
    assert release.next_edition("2026.9", datetime.date(2026, 12, 1)) == "2026.10"
    assert release.next_edition("2026.3", datetime.date(2027, 1, 4)) == "2027.1"


@pytest.mark.parametrize("bad", ["2026", "2026.0", "26.1", "2026.1b", ""])
def test_an_edition_that_is_not_year_dot_n_is_refused(bad: str) -> None:
    with pytest.raises(release.EditionError, match=r"is not YEAR\.N"):
        release.edition_key(bad)


def test_the_previous_edition_is_the_latest_kept_before_the_current() -> None:
    previous = release.previous_export(ROOT / "content", "2026.2")
    assert previous is not None
    assert previous["edition"] == "2026.1"
    assert release.previous_export(ROOT / "content", "2026.1") is None


def checkout_copy(tmp_path: Path, edition: str) -> Path:
    root = tmp_path / "checkout"
    (root / "calculators").mkdir(parents=True)
    (root / "content" / "editions").mkdir(parents=True)
    (root / "calculators" / "edition.py").write_text(
        f'from typing import Final\n\nGUIDELINE_EDITION: Final = "{edition}"\n'
    )
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    text = (root / "pyproject.toml").read_text()
    start = text.index('version = "') + len('version = "')
    end = text.index('"', start)
    (root / "pyproject.toml").write_text(text[:start] + edition + text[end:])
    return root


def test_a_cut_keeps_the_export_and_bumps_the_edition_in_both_declarations(
    tmp_path: Path,
) -> None:
    root = checkout_copy(tmp_path, "2026.2")
    export = json.dumps({"format": "myositis-guideline/1", "edition": "2026.2"}).encode()

    kept, new = release.cut(root, root / "content", export, datetime.date(2026, 12, 1))

    assert (kept, new) == ("2026.2", "2026.3")
    assert (root / "content" / "editions" / "2026.2.json").read_bytes() == export
    assert 'GUIDELINE_EDITION: Final = "2026.3"' in (root / "calculators/edition.py").read_text()
    assert '\nversion = "2026.3"\n' in (root / "pyproject.toml").read_text()


def test_an_edition_is_kept_once(tmp_path: Path) -> None:
    root = checkout_copy(tmp_path, "2026.2")
    export = json.dumps({"edition": "2026.2"}).encode()
    release.cut(root, root / "content", export, datetime.date(2026, 12, 1))
    (root / "calculators" / "edition.py").write_text(
        'from typing import Final\n\nGUIDELINE_EDITION: Final = "2026.2"\n'
    )
    with pytest.raises(release.EditionError, match="already kept"):
        release.cut(root, root / "content", export, datetime.date(2026, 12, 1))
