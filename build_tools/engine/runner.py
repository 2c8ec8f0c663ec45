"""Running the engine: a site build, the offline copy's build, and the development server.

The command line (`build_tools.__main__`) and the offline bundle (`build_tools.bundle`) call
these and never name MkDocs. Each runs MkDocs as a child process with the build's settings
in its environment (`Settings.environment()`), where the hooks module reads them back
(`Settings.from_environment()`) into the child's own BuildContext.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from build_tools import buildlock
from build_tools.context import Settings
from build_tools.engine import engineconfig

ENGINE_ENV: Final = {"NO_MKDOCS_2_WARNING": "1"}
"""MkDocs 1.6 prints a notice about its successor on every run; the build output stays ours."""
OFFLINE_TIMEOUT_S: Final = 600
SHUTDOWN_S: Final = 10
SERVE_FLAGS: Final = ("--livereload", "--dirty")
"""What `make serve` runs: live reload, and the incremental path of build_tools.engine."""


class EngineError(RuntimeError):
    """The engine could not build; the message says why."""


def config_path(settings: Settings) -> Path:
    return settings.root / engineconfig.CONFIG_NAME


def _environment(settings: Settings) -> dict[str, str]:
    return {**settings.environment(), **ENGINE_ENV}


def build(settings: Settings, site_dir: Path) -> bool:
    """`mkdocs build --strict` of the generated pages into `site_dir`; False when it failed
    (MkDocs has said why on stderr). The hooks run the generator again inside (a no-op
    when the pages are current) and the policy pass over the output tree."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d"]
    result = subprocess.run(
        [*command, str(site_dir)],  # the configuration is mkdocs.yml in settings.root
        cwd=settings.root,
        env=_environment(settings),
        check=False,
        preexec_fn=buildlock.die_with_parent(),
    )
    return result.returncode == 0


def serve(settings: Settings, host: str, port: int) -> int:
    """`mkdocs serve` with live reload and the adapter's incremental path, until stopped.

    Ctrl-C reaches the server too (same terminal): it is given time to shut down and remove
    its temporary site folder rather than being killed.
    """
    (settings.root / "build" / "docs").mkdir(parents=True, exist_ok=True)  # mkdocs.yml names it
    command = [sys.executable, "-m", "mkdocs", "serve", *SERVE_FLAGS, "-a", f"{host}:{port}"]
    process = subprocess.Popen(
        command,
        cwd=settings.root,
        env=_environment(settings),
        preexec_fn=buildlock.die_with_parent(),  # noqa: PLW1509 - see die_with_parent
    )
    try:
        return process.wait()
    except KeyboardInterrupt:
        try:
            process.wait(timeout=SHUTDOWN_S)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGINT)  # the interrupt reached this process alone
            process.wait()
        return 0


@dataclass
class OfflineBuild:
    """A build of the file-friendly copy, running in the background."""

    work: Path
    site_dir: Path
    process: subprocess.Popen[str]
    started: float

    def wait(self) -> Path:
        """Wait for the engine; raise EngineError with its output if it failed."""
        try:
            _, stderr = self.process.communicate(timeout=OFFLINE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise EngineError("the offline mkdocs build timed out") from None
        if self.process.returncode != 0:
            raise EngineError(f"the offline mkdocs build failed:\n{stderr}")
        return self.site_dir

    def cancel(self) -> None:
        """Stop the build (another step failed) and remove its folder."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.work, ignore_errors=True)


def start_offline_build(
    settings: Settings,
    shim: str,
    extra: dict[str, Any],
    scratch: Path | None = None,
    prefix: str = "offline-",
) -> OfflineBuild:
    """Start the build of the file-friendly copy; the generated docs must be current.

    Its hooks regenerate the docs folder from the same content (a no-op: the files are
    rewritten only when their bytes differ), so both builds read identical pages.
    """
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=scratch))
    site_dir = work / "site"
    path = work / "mkdocs-offline.yml"
    config = engineconfig.offline_config(site_dir, config_path(settings), shim, extra)
    path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(path)]
    process = subprocess.Popen(
        command,
        cwd=settings.root,
        env=_environment(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=buildlock.die_with_parent(),  # noqa: PLW1509 - see die_with_parent
    )
    return OfflineBuild(work, site_dir, process, time.perf_counter())
