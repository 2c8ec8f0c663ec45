"""The offline bundle: the whole site in one zip, readable from files and servable locally.

Two constraints shape it. Browsers will not run Pyodide (WebAssembly) from file:// pages,
so the zip carries a tiny standard-library server (serve.py, with start.sh/start.bat) that
serves the folder on 127.0.0.1. Everything else should work when the files are opened
directly, and MkDocs' directory URLs (`page/`) do not: so the bundle's pages come from a
second `mkdocs build` with `use_directory_urls: false` and mkdocs-material's `offline`
plugin (search index inlined as a script, and the iframe-worker shim so the search worker
runs under file://). The shim is served from the bundle itself: the plugin's default
fetches it from unpkg, which a bundle for offline use cannot do and the site's policy
forbids. It is this project's version of the iframe-worker shim, which runs no inline
script, so the bundle's pages keep the site's Content-Security-Policy unchanged (no
'unsafe-inline' for scripts), served or opened from files.

MkDocs runs as a subprocess with a generated configuration, so this module never imports
it (build_tools.mkdocs_hooks stays the only module that does). The subprocess is started
first and runs while the handbook PDF is rendered (`start_offline_build`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from build_tools import buildlock, generator

ROOT = generator.ROOT
MKDOCS_CONFIG = ROOT / "mkdocs.yml"
OFFLINE_TEMPLATES = generator.TEMPLATES / "offline"
BUNDLE_NAME = "handbook-offline.zip"
BUNDLE_FOLDER = "myositis-handbook-offline"
"""Top folder inside the zip: unpacking never scatters files into the user's folder."""
# A Worker shim for file:// (search runs in a worker), after the iframe-worker package but
# running no inline script, so the bundle keeps the site's script policy (see shim.js).
SHIM_SOURCES = OFFLINE_TEMPLATES / "iframe-worker"
SHIM_TARGET = "assets/vendor/iframe-worker/shim.js"
SHIM_FILES = ("shim.js", "frame.js")
# Theme features that need a server: instant navigation fetches pages and the sitemap with
# XHR, which file:// refuses. Without them every link is an ordinary page load.
SERVER_ONLY_FEATURES = ("navigation.instant", "navigation.instant.progress")
# Files the offline build has that the published site does not, and that are wanted.
OFFLINE_ONLY = ("search/search_index.js",)
# Pages only a web server shows (with root-relative links that mean nothing under file://).
SERVER_ONLY_PAGES = ("404.html",)
# Already compressed: storing them is as small and much faster than deflating again.
STORED_SUFFIXES = (".zip", ".gz", ".pdf", ".png", ".jpg", ".jpeg", ".whl", ".woff2", ".woff")
EXECUTABLE = ("serve.py", "start.sh")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""Every member gets this timestamp, so the same site gives the same archive bytes."""
MKDOCS_TIMEOUT = 600


class BundleError(RuntimeError):
    """The bundle cannot be built; the message says what is missing."""


def offline_config(site_dir: Path, source: Path = MKDOCS_CONFIG) -> dict[str, Any]:
    """The site's MkDocs configuration, changed only where file:// needs it.

    Paths are made absolute because the generated file lives in a temporary folder.
    """
    try:
        config: dict[str, Any] = yaml.safe_load(source.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise BundleError(f"{source}: cannot read it as plain YAML ({exc})") from None
    root = source.parent

    def absolute(path: str) -> str:
        return str((root / path).resolve())

    config["docs_dir"] = absolute(config.get("docs_dir", "docs"))
    config["site_dir"] = str(site_dir)
    config["use_directory_urls"] = False
    config["hooks"] = [absolute(h) for h in config.get("hooks", [])]
    theme = config.setdefault("theme", {})
    if "custom_dir" in theme:
        theme["custom_dir"] = absolute(theme["custom_dir"])
    theme["features"] = [f for f in theme.get("features", []) if f not in SERVER_ONLY_FEATURES]
    for ext in config.get("markdown_extensions", []):
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            options = ext["pymdownx.snippets"]
            options["base_path"] = [absolute(p) for p in options.get("base_path", [])]
    plugins = list(config.get("plugins", ["search"]))
    plugins.append({"offline": {"enabled": True}})
    config["plugins"] = plugins
    extra = config.setdefault("extra", {})
    # A local shim: the plugin adds unpkg's only when no polyfill names iframe-worker.
    extra["polyfills"] = [SHIM_TARGET]
    extra["offline_bundle"] = True  # the footer leaves out the link to the bundle itself
    return config


@dataclass
class OfflineBuild:
    """A `mkdocs build` of the file-friendly copy, running in the background."""

    work: Path
    site_dir: Path
    process: subprocess.Popen[str]
    started: float

    def wait(self) -> Path:
        """Wait for MkDocs; raise BundleError with its output if it failed."""
        try:
            _, stderr = self.process.communicate(timeout=MKDOCS_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise BundleError("the offline mkdocs build timed out") from None
        if self.process.returncode != 0:
            raise BundleError(f"the offline mkdocs build failed:\n{stderr}")
        return self.site_dir

    def cancel(self) -> None:
        """Stop the build (another step failed) and remove its folder."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.work, ignore_errors=True)


def start_offline_build(scratch: Path | None = None, prefix: str = "offline-") -> OfflineBuild:
    """Start `mkdocs build` of the file-friendly copy; the generated docs must be current.

    The build's hook regenerates the docs folder from the same content (a no-op: the files
    are rewritten only when their bytes differ), so both builds read identical pages.
    """
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=scratch))
    site_dir = work / "site"
    config_path = work / "mkdocs-offline.yml"
    config_path.write_text(yaml.safe_dump(offline_config(site_dir), sort_keys=False), "utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config_path)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=buildlock.die_with_parent(),  # noqa: PLW1509 - see die_with_parent
    )
    return OfflineBuild(work, site_dir, process, time.perf_counter())


def merge_post_build_files(site: Path, offline: Path) -> None:
    """Give the offline copy the files the post-build steps added to (or removed from) site/.

    Files both builds wrote are kept as the offline build wrote them: pages, but also the
    search index and sitemap, which name pages by URL (`page.html` here, `page/` there).
    Files only site/ has (Pyodide, the calculators wheel, the service worker, the handbook
    PDF) are copied; files a post-build step removed from site/ are removed here too.
    """
    published = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.suffix != ".html" and p.name != BUNDLE_NAME
    }
    for rel in sorted(published):
        target = offline / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site / rel, target)
    for path in sorted(offline.rglob("*")):
        rel = path.relative_to(offline).as_posix()
        if (
            path.is_file()
            and path.suffix != ".html"
            and rel not in published
            and rel not in OFFLINE_ONLY
        ):
            path.unlink()  # removed from site/ by a post-build step (e.g. moved elsewhere)


def install_shim(offline: Path) -> None:
    target = (offline / SHIM_TARGET).parent
    target.mkdir(parents=True, exist_ok=True)
    for name in SHIM_FILES:
        shutil.copyfile(SHIM_SOURCES / name, target / name)


def launcher_files(title: str, edition: str, date: str, disclaimer: str) -> dict[str, bytes]:
    """serve.py, start.sh, start.bat and README.txt, from site_templates/offline/."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(OFFLINE_TEMPLATES),
        autoescape=False,  # plain text, never HTML
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    readme = env.get_template("README.txt.j2").render(
        title=title, edition=edition, date=date, disclaimer=disclaimer
    )
    bat = (OFFLINE_TEMPLATES / "start.bat").read_text("utf-8")
    return {
        "README.txt": readme.replace("\n", "\r\n").encode("utf-8"),  # readable in Notepad
        "serve.py": (OFFLINE_TEMPLATES / "serve.py").read_bytes(),
        "start.sh": (OFFLINE_TEMPLATES / "start.sh").read_bytes(),
        "start.bat": bat.replace("\n", "\r\n").encode("utf-8"),  # cmd.exe wants CRLF
    }


def write_zip(target: Path, offline: Path, launchers: dict[str, bytes]) -> None:
    """Write the archive to a temporary name, then rename it into place."""
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w") as archive:
            for name, data in launchers.items():
                _add(archive, f"{BUNDLE_FOLDER}/{name}", data, executable=name in EXECUTABLE)
            for path in sorted(offline.rglob("*")):
                if path.is_file():
                    rel = path.relative_to(offline).as_posix()
                    _add(archive, f"{BUNDLE_FOLDER}/site/{rel}", path.read_bytes())
        tmp.chmod(0o644)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def _add(archive: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.create_system = 3  # Unix, so the mode bits below are honoured by unzip
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    stored = name.lower().endswith(STORED_SUFFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=None if stored else 6)


def finish_bundle(
    build: OfflineBuild, site: Path, target: Path, launchers: dict[str, bytes]
) -> Path:
    """Complete a started offline build into `target` (usually site/handbook-offline.zip)."""
    try:
        offline = build.wait()
        merge_post_build_files(site, offline)
        for name in SERVER_ONLY_PAGES:
            (offline / name).unlink(missing_ok=True)
        install_shim(offline)
        write_zip(target, offline, launchers)
    finally:
        shutil.rmtree(build.work, ignore_errors=True)
    return target
