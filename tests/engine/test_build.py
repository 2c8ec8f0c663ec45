"""`python -m build_tools build` publishes all or nothing."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, build_site


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_publishes_pages_export_and_no_external_assets(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = build_site(content, site)
    assert result.returncode == 0, result.stderr
    assert (site / "therapies/ivig/index.html").is_file()
    assert (site / "guideline.json").is_file()
    html = (site / "index.html").read_text()
    assert "fonts.googleapis.com" not in html
    assert "fonts.gstatic.com" not in html
    assert "Content-Security-Policy" in html


def test_content_error_reports_every_problem_and_leaves_site_untouched(
    content: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert build_site(content, site).returncode == 0
    before = tree_digest(site)
    entry = content / "entries/ivig.yaml"
    entry.write_text(
        entry.read_text()
        .replace("route: IV", "route: iv")
        .replace("study_type: rct", "study_type: trial")
    )
    result = build_site(content, site)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("content/entries/ivig.yaml:14:5: regimens[0].route: got 'iv'")
    assert lines[1].startswith(
        "content/entries/ivig.yaml:22:5: evidence[0].study_type: got 'trial'"
    )
    assert lines[-1] == "2 content problems; nothing was written."
    assert tree_digest(site) == before
    assert not list(tmp_path.glob(".site.building-*"))


def test_killed_build_leaves_previous_site_intact(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build_site(content, site).returncode == 0
    before = tree_digest(site)
    env = {**os.environ, "GUIDELINE_CONTENT": str(content)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "build_tools", "build", "--site", str(site)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(1.0)  # mid-build: after generation, during mkdocs
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert tree_digest(site) == before


def test_a_build_leaves_the_folder_make_serve_reads_alone(content: Path, tmp_path: Path) -> None:
    """`make serve` reads build/docs; a build (or a test's build) has a folder of its own."""
    served = ROOT / "build" / "docs"
    served.mkdir(parents=True, exist_ok=True)
    marker = served / "serving-marker.md"
    marker.write_text("# what make serve is showing\n")
    try:
        before = tree_digest(served)
        scratch = set((ROOT / "build").glob(".pages-*"))
        assert build_site(content, tmp_path / "site").returncode == 0
        assert tree_digest(served) == before
        assert set((ROOT / "build").glob(".pages-*")) <= scratch  # its own folder is gone
    finally:
        marker.unlink()


def test_the_policy_is_a_pass_over_the_output_tree_that_changes_nothing_twice(
    tmp_path: Path,
) -> None:
    """Every HTML file of a built tree gets the policy its own inline scripts need, exactly
    as a page gets it alone; files already carrying it, and other files, are left as they are."""
    from build_tools.csp import apply_csp, apply_tree

    page = '<html><head><meta charset="utf-8"><script>var a = 1;</script></head></html>\r\n'
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(page.encode())
    (tmp_path / "404.html").write_bytes(page.replace("1", "2").encode())
    (tmp_path / "data.json").write_bytes(b'{"html": "<head>"}')
    assert apply_tree(tmp_path) == 2
    assert (tmp_path / "a" / "index.html").read_bytes() == apply_csp(page).encode()
    assert "sha256-" in (tmp_path / "404.html").read_text()
    before = tree_digest(tmp_path)
    assert apply_tree(tmp_path) == 0
    assert apply_tree(tmp_path, [tmp_path / "a" / "index.html"]) == 0
    assert tree_digest(tmp_path) == before
    assert (tmp_path / "data.json").read_bytes() == b'{"html": "<head>"}'
