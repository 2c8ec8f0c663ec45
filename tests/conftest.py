"""Shared fixtures: a small fixture corpus, and sites built once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the fixture corpus at <tmp>/content (so paths read content/...)."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def build_site(content_dir: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """Run the real build command (`python -m build_tools build`) against a corpus."""
    env = {**os.environ, "GUIDELINE_CONTENT": str(content_dir)}
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "build", "--site", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    site = tmp_path_factory.mktemp("fixture-site") / "site"
    result = build_site(FIXTURE_CONTENT, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def real_site() -> Path:
    """The site built from content/ by `make site` (built here if missing or stale)."""
    site = ROOT / "site"
    stamp = site / "guideline.json"
    newest_source = max(
        p.stat().st_mtime
        for folder in ("content", "calculators", "build_tools", "site_templates")
        for p in (ROOT / folder).rglob("*")
        if p.is_file()
    )
    if not stamp.exists() or stamp.stat().st_mtime < newest_source:
        result = build_site(ROOT / "content", site)
        assert result.returncode == 0, result.stderr
    return site
