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

The file-friendly copy is built by the engine adapter (build_tools.engine.runner, which
writes its configuration); this module only says what the copy needs and packs it. The
copy's build is started first and runs while the handbook PDF is rendered
(`start_offline_build`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import jinja2

from build_tools.context import Settings
from build_tools.engine import runner

OFFLINE_TEMPLATES = Settings().templates / "offline"
BUNDLE_NAME = "handbook-offline.zip"
BUNDLE_FOLDER = "myositis-handbook-offline"
"""Top folder inside the zip: unpacking never scatters files into the user's folder."""
# A Worker shim for file:// (search runs in a worker), after the iframe-worker package but
# running no inline script, so the bundle keeps the site's script policy (see shim.js).
SHIM_SOURCES = OFFLINE_TEMPLATES / "iframe-worker"
SHIM_TARGET = "assets/vendor/iframe-worker/shim.js"
SHIM_FILES = ("shim.js", "frame.js")
# Files the offline build has that the published site does not, and that are wanted.
OFFLINE_ONLY = ("search/search_index.js",)
# Pages only a web server shows (with root-relative links that mean nothing under file://).
SERVER_ONLY_PAGES = ("404.html",)
# Already compressed: storing them is as small and much faster than deflating again.
STORED_SUFFIXES = (".zip", ".gz", ".pdf", ".png", ".jpg", ".jpeg", ".whl", ".woff2", ".woff")
EXECUTABLE = ("serve.py", "start.sh")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""Every member gets this timestamp, so the same site gives the same archive bytes."""
OfflineBuild = runner.OfflineBuild


class BundleError(RuntimeError):
    """The bundle cannot be built; the message says what is missing."""


def start_offline_build(
    scratch: Path | None = None, prefix: str = "offline-", settings: Settings | None = None
) -> OfflineBuild:
    """Start the engine's build of the file-friendly copy (see build_tools.engine.runner)."""
    return runner.start_offline_build(
        settings if settings is not None else Settings.from_environment(),
        shim=SHIM_TARGET,
        # The footer leaves out the link to the bundle itself.
        extra={"offline_bundle": True},
        scratch=scratch,
        prefix=prefix,
    )


def merge_post_build_files(site: Path, offline: Path) -> None:
    """Give the offline copy the files the post-build steps added to (or removed from) site/.

    Files both builds wrote are kept as the offline build wrote them: pages, but also the
    search index and sitemap, which name pages by URL (`page.html` here, `page/` there).
    Files only site/ has (Pyodide, the calculators wheel, the service worker, the handbook
    PDF) are copied, but not the precompressed copies of files this build wrote; files a
    post-build step removed from site/ are removed here too.
    """
    published = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.suffix != ".html" and p.name != BUNDLE_NAME
    }
    own = {p.relative_to(offline).as_posix() for p in offline.rglob("*") if p.is_file()}
    for rel in sorted(published):
        target = offline / rel
        base, suffix = rel.rsplit(".", 1) if "." in rel else (rel, "")
        if suffix in ("br", "gz") and base in own:
            # A compressed copy of a file the offline build wrote itself (its search index
            # names pages differently), for hosts that serve such copies: the launcher does not.
            continue
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
        try:
            offline = build.wait()
        except runner.EngineError as exc:
            raise BundleError(str(exc)) from None
        merge_post_build_files(site, offline)
        for name in SERVER_ONLY_PAGES:
            (offline / name).unlink(missing_ok=True)
        install_shim(offline)
        write_zip(target, offline, launchers)
    finally:
        shutil.rmtree(build.work, ignore_errors=True)
    return target
