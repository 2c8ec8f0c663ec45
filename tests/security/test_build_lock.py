"""One build at a time per site folder; a killed build's `mkdocs` does not run on.

Finding 7 of issue 14: a second build started a few seconds after the first deleted the
first one's live `.site.building-*` folder, and the first crashed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_tools import buildlock
from tests.conftest import ROOT


def start_build(content: Path, site: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "GUIDELINE_CONTENT": str(content)}
    return subprocess.Popen(
        [sys.executable, "-m", "build_tools", "build", "--no-editions", "--site", str(site)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def running_mkdocs(pid: int) -> list[int]:
    """The `mkdocs build` children of a process (once they have exec'd)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            try:
                if b"mkdocs" in Path(f"/proc/{child}/cmdline").read_bytes():
                    found.append(int(child))
            except FileNotFoundError:
                continue
    return found


def test_a_second_build_refuses_naming_the_first(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with buildlock.BuildLock(site):
        second = start_build(content, site)
        _, stderr = second.communicate(timeout=120)
    assert second.returncode == 3
    assert stderr.strip() == (
        f"another build (process {os.getpid()}) is writing {site}; "
        "wait for it to finish, then build again"
    )
    assert not site.exists()


@pytest.mark.slow
def test_two_builds_started_together_leave_one_working_site(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = start_build(content, site)
    wait_for(lambda: list(tmp_path.glob(f".site.building-{first.pid}-*")))
    second = start_build(content, site)
    _, second_err = second.communicate(timeout=120)
    _, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 3
    assert f"another build (process {first.pid})" in second_err
    assert (site / "index.html").is_file()
    assert not list(tmp_path.glob(".site.building-*"))


@pytest.mark.slow
def test_only_folders_of_builds_that_are_gone_are_cleaned(content: Path, tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f".site.building-{dead.pid}-abc"
    live = tmp_path / f".site.building-{os.getpid()}-xyz"  # this test process: alive
    for folder in (gone, live):
        folder.mkdir()
    build = start_build(content, tmp_path / "site")
    _, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert not gone.exists()
    assert live.is_dir()


@pytest.mark.slow
def test_mkdocs_dies_with_a_killed_build(content: Path, tmp_path: Path) -> None:
    build = start_build(content, tmp_path / "site")
    wait_for(lambda: list(tmp_path.glob(f".site.building-{build.pid}-*")))
    wait_for(lambda: running_mkdocs(build.pid))
    (mkdocs,) = running_mkdocs(build.pid)
    os.kill(build.pid, signal.SIGKILL)  # the build alone, not its process group
    build.wait()  # not communicate(): mkdocs holds the same pipes until it ends
    try:
        wait_for(lambda: not buildlock.owner_alive(mkdocs) or _zombie(mkdocs), timeout=1.0)
    finally:
        if buildlock.owner_alive(mkdocs) and not _zombie(mkdocs):
            os.kill(mkdocs, signal.SIGKILL)
        build.communicate()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (FileNotFoundError, IndexError):
        return False
