"""One build at a time per output folder, and no build process outliving its parent.

Two builds into the same site would each clear the other's half-written folder (a second
build started a few seconds after the first deleted the first one's live
`.site.building-*` folder). A lock file beside the site, held with flock for the whole
build, names its owner; the kernel releases it when the owner dies, however it dies, so a
killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

PR_SET_PDEATHSIG = 1
# Folders of a build whose owner cannot be known (named before owners were recorded) are
# removed only once this old: no build takes a day.
UNOWNED_AFTER_S = 24 * 3600


class BuildBusy(RuntimeError):
    """Another live process is building into the same folder."""


class BuildLock:
    """An exclusive lock on building `site`, held in `.<site>.lock` beside it."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.path = site.parent / f".{site.name}.lock"
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise BuildBusy(
                f"another build (process {owner}) is writing {self.site}; "
                "wait for it to finish, then build again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing releases the lock; the file stays for the next build
            self._fd = None


def owner_alive(pid: int) -> bool:
    """Whether a process with this id exists (it may belong to someone else)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale(folder: Path, now: float | None = None) -> bool:
    """Whether a `<prefix>-<pid>-<random>` build folder was left by a process that is gone."""
    parts = folder.name.rsplit("building-", 1)[-1].split("-")
    if parts and parts[0].isdigit() and len(parts) > 1:
        pid = int(parts[0])
        return pid != os.getpid() and not owner_alive(pid)
    try:
        age = (now or time.time()) - folder.stat().st_mtime
    except OSError:
        return False
    return age > UNOWNED_AFTER_S


def die_with_parent() -> Callable[[], None] | None:
    """A subprocess preexec_fn: the child gets SIGTERM when this process dies (Linux), so a
    killed build leaves no `mkdocs build` running on into folders nobody will clean.

    Everything is looked up here, in the parent: after a fork with threads running, the
    child may only make plain system calls (no imports, no allocation-heavy work).
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    prctl, getppid, exit_now = libc.prctl, os.getppid, os._exit
    parent = os.getpid()

    def setup() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if getppid() != parent:  # the parent died before the request took effect
            exit_now(1)

    return setup
